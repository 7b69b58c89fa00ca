// The console's only script: served from the jar, loaded by <script src> (the CSP allows no
// inline script). It talks to the admin API with the session cookie; the CSRF token is kept in
// this page's memory only and read again from GET /admin/session after a reload. Every value
// from the API is shown with textContent, never as HTML.
"use strict";

let csrf = null;

async function api(method, path, body) {
  const headers = { "accept": "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrf) headers["x-csrf-token"] = csrf;
  const response = await fetch(path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  return { status: response.status, json };
}

function say(text) {
  document.getElementById("message").textContent = text || "";
}

function problem(reply) {
  const p = reply.json || {};
  const fields = (p.errors || []).map((e) => e.field + ": " + e.message).join("; ");
  return (p.detail || ("HTTP " + reply.status)) + (fields ? " (" + fields + ")" : "");
}

async function signInPage() {
  const form = document.getElementById("sign-in");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    say("");
    const reply = await api("POST", "/admin/session", {
      email: document.getElementById("email").value,
      password: document.getElementById("password").value,
    });
    document.getElementById("password").value = "";
    if (reply.status === 201) {
      window.location.assign("developers.html");
    } else {
      say(problem(reply));
    }
  });
}

async function developersPage() {
  const session = await api("GET", "/admin/session");
  if (session.status !== 200) {
    window.location.assign("index.html");
    return;
  }
  csrf = session.json.csrf_token || null;
  document.getElementById("who").textContent =
    (session.json.actor || "") + " (" + (session.json.role || "") + ")";
  document.getElementById("sign-out").addEventListener("click", async () => {
    await api("DELETE", "/admin/session");
    window.location.assign("index.html");
  });
  let cursor = null;
  const more = document.getElementById("more");
  async function load(reset) {
    const query = "?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
    const reply = await api("GET", "/admin/developers" + query);
    if (reply.status !== 200) {
      say(problem(reply));
      return;
    }
    const rows = document.getElementById("rows");
    if (reset) rows.replaceChildren();
    for (const d of reply.json.items) {
      const tr = document.createElement("tr");
      for (const value of [d.id, d.name, d.email, d.status, d.created_at]) {
        const td = document.createElement("td");
        td.textContent = value == null ? "" : String(value);
        tr.appendChild(td);
      }
      rows.appendChild(tr);
    }
    cursor = reply.json.next_cursor;
    more.hidden = !cursor;
  }
  more.addEventListener("click", () => load(false));
  const form = document.getElementById("create");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const reply = await api("POST", "/admin/developers", {
      name: document.getElementById("name").value,
      email: document.getElementById("new-email").value,
    });
    if (reply.status === 201) {
      say("");
      form.reset();
      cursor = null;
      await load(true);
    } else {
      say(problem(reply));
    }
  });
  await load(true);
}

document.addEventListener("DOMContentLoaded", async () => {
  const page = document.body.dataset.page;
  if (page === "sign-in") await signInPage();
  if (page === "developers") await developersPage();
  // tests (and anyone watching) know the page has rendered its first data
  document.body.dataset.ready = "";
});
