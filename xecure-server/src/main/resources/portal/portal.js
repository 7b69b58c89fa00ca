// The developer portal's pages. Everything shown comes from the portal API and is written with
// textContent (never parsed as HTML), so no name, email or key can become markup. The CSRF token and
// any new key live in memory only: nothing is put in localStorage, sessionStorage or cookies.

const api = "/portal/api";
let csrf = null;

const $ = (id) => document.getElementById(id);

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

function say(text) {
  const m = $("message");
  if (m) m.textContent = text || "";
}

async function call(method, path, body) {
  const headers = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrf) headers["x-csrf-token"] = csrf;
  const response = await fetch(api + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    cache: "no-store",
  });
  const data = await response.json().catch(() => ({}));
  if (response.status === 401 && document.body.dataset.page !== "sign-in"
      && document.body.dataset.page !== "invite") {
    location.assign("/signin");
    throw new Error("signed out");
  }
  if (!response.ok) throw new Error(data.detail || "request failed (" + response.status + ")");
  return data;
}

function when(text) {
  return text ? new Date(text).toLocaleString() : "never";
}

async function session() {
  const s = await call("GET", "/session");
  csrf = s.csrf_token;
  $("who").textContent = s.developer.name + " (" + s.developer.email + ")";
  $("sign-out").addEventListener("click", async () => {
    await call("DELETE", "/session").catch(() => {});
    csrf = null;
    location.assign("/signin");
  });
  return s;
}

function signInPage() {
  $("sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    say("");
    try {
      await call("POST", "/session", { email: $("email").value, password: $("password").value });
      location.assign("/");
    } catch (e) {
      say(e.message);
    }
  });
}

function invitePage() {
  const token = decodeURIComponent(location.pathname.split("/").pop() || "");
  $("accept").addEventListener("submit", async (event) => {
    event.preventDefault();
    say("");
    const password = $("password").value;
    if (password !== $("confirm").value) {
      say("The two passwords differ.");
      return;
    }
    try {
      const result = await call("POST", "/invitations/accept", { token, password });
      $("accept").hidden = true;
      $("done-email").textContent = result.email;
      $("done").hidden = false;
    } catch (e) {
      say(e.message);
    }
  });
}

function showKeyOnce(plaintext, title) {
  const dialog = $("copy-once");
  $("copy-title").textContent = title;
  $("plaintext").value = plaintext;
  $("copy-note").textContent = "";
  dialog.showModal();
  $("plaintext").select();
}

function keysPage(s) {
  const allowance = s.allowance;
  $("allowance").textContent = allowance.max_keys > 0
    ? "You may hold up to " + allowance.max_keys + " active keys for: " + allowance.apis.join(", ")
      + (allowance.plan ? " (plan " + allowance.plan + ")" : "") + "."
    : "No API is open to you in the portal yet; ask the operator.";
  const choices = $("api-choices");
  for (const name of allowance.apis) {
    const id = "api-" + name;
    const label = el("label", null, { for: id });
    const box = el("input", null, { type: "checkbox", id, value: name });
    box.checked = true;
    label.append(box, el("span", name));
    choices.append(label);
  }
  $("create").hidden = allowance.max_keys === 0;

  $("copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText($("plaintext").value);
      $("copy-note").textContent = "Copied.";
    } catch (e) {
      $("plaintext").select();
      $("copy-note").textContent = "Select the key and copy it with your keyboard.";
    }
  });
  $("copy-once").addEventListener("close", () => {
    $("plaintext").value = ""; // the only copy the page held
  });
  $("close-copy").addEventListener("click", () => $("copy-once").close());

  $("create").addEventListener("submit", async (event) => {
    event.preventDefault();
    say("");
    const apis = [...choices.querySelectorAll("input:checked")].map((b) => b.value);
    try {
      const issued = await call("POST", "/keys", { name: $("key-name").value, apis });
      $("key-name").value = "";
      showKeyOnce(issued.key, "Your new key: " + issued.name);
      await listKeys();
    } catch (e) {
      say(e.message);
    }
  });
  return listKeys();
}

async function listKeys() {
  const data = await call("GET", "/keys");
  const body = document.querySelector("#keys tbody");
  body.replaceChildren();
  for (const key of data.items.slice().reverse()) {
    const row = el("tr");
    row.append(
      el("td", key.name),
      el("td", key.display_prefix + "…"),
      el("td", key.grace_until && key.status === "active"
        ? "active until " + when(key.grace_until) : key.status),
      el("td", key.apis.join(", ")),
      el("td", when(key.created_at)),
      el("td", when(key.last_used_at)),
    );
    const actions = el("td");
    if (key.status === "active") {
      if (!key.grace_until) {
        const rotate = el("button", "Rotate", { type: "button", "aria-label": "Rotate " + key.name });
        rotate.addEventListener("click", async () => {
          say("");
          try {
            const issued = await call("POST", "/keys/" + encodeURIComponent(key.id) + "/rotate");
            showKeyOnce(issued.key, "The successor of " + key.name
              + " (the old key works until " + when(issued.replaced_key.grace_until) + ")");
            await listKeys();
          } catch (e) {
            say(e.message);
          }
        });
        actions.append(rotate);
      }
      const revoke = el("button", "Revoke", { type: "button", "aria-label": "Revoke " + key.name });
      revoke.addEventListener("click", async () => {
        if (!confirm("Revoke " + key.name + "? Requests with it are refused at once.")) return;
        say("");
        try {
          await call("POST", "/keys/" + encodeURIComponent(key.id) + "/revoke");
          await listKeys();
        } catch (e) {
          say(e.message);
        }
      });
      actions.append(revoke);
    }
    row.append(actions);
    body.append(row);
  }
  if (data.items.length === 0) {
    const row = el("tr");
    row.append(el("td", "You have no keys yet.", { colspan: "7" }));
    body.append(row);
  }
}

async function usagePage() {
  const quota = await call("GET", "/quota");
  const body = document.querySelector("#quota tbody");
  body.replaceChildren();
  for (const q of quota.items) {
    const row = el("tr");
    const remaining = el("td");
    const bar = el("progress", null, { max: String(q.limit), "aria-label": q.key_name + " remaining" });
    bar.value = q.remaining;
    remaining.append(bar, el("span", " " + q.remaining + " of " + q.limit));
    row.append(el("td", q.key_name), el("td", q.plan), el("td", "per " + q.per + " (by " + q.limit_by + ")"),
      el("td", q.used), remaining, el("td", when(q.resets_at)));
    body.append(row);
  }
  $("no-quota").hidden = quota.items.length > 0;
  const draw = async () => {
    say("");
    try {
      const usage = await call("GET", "/usage?interval=" + encodeURIComponent($("interval").value));
      const out = $("usage");
      out.replaceChildren();
      if (usage.series.length === 0) out.append(el("p", "No requests in this range yet.", { class: "note" }));
      for (const s of usage.series) {
        const section = el("section", null, { class: "api" });
        section.append(el("h3", (s.name || s.key_id) + ": " + s.granted + " granted, " + s.denied + " denied"));
        const chart = el("div", null, { class: "chart", role: "img",
          "aria-label": "requests per " + usage.interval + " for " + (s.name || s.key_id) });
        const max = Math.max(1, ...s.points.map((p) => p.granted + p.denied));
        for (const p of s.points) {
          const bar = el("div", null, { class: "bar", title: when(p.t) + ": " + (p.granted + p.denied) });
          bar.style.height = ((p.granted + p.denied) * 100 / max) + "%"; // CSSOM: allowed by the CSP
          chart.append(bar);
        }
        section.append(chart);
        out.append(section);
      }
    } catch (e) {
      say(e.message);
    }
  };
  $("interval").addEventListener("change", draw);
  await draw();
}

async function apisPage() {
  const data = await call("GET", "/apis");
  const out = $("apis");
  if (data.items.length === 0) out.append(el("p", "No API is open to you yet; ask the operator.", { class: "note" }));
  for (const a of data.items) {
    const section = el("section", null, { class: "api" });
    section.append(el("h2", a.name));
    section.append(el("p", a.url + (a.plan ? " · plan " + a.plan : "")
      + (a.scopes.length ? " · scopes " + a.scopes.join(", ") : "")));
    section.append(el("p", "Send your key as: " + a.key_locations.join(", ")));
    for (const line of a.examples) section.append(el("pre", line));
    out.append(section);
  }
}

async function main() {
  const page = document.body.dataset.page;
  if (page === "sign-in" || page === "invite") {
    if (page === "sign-in") signInPage();
    else invitePage();
    document.body.dataset.ready = "1";
    return;
  }
  try {
    const s = await session();
    if (page === "keys") await keysPage(s);
    if (page === "usage") await usagePage();
    if (page === "apis") await apisPage();
  } catch (e) {
    if (e.message !== "signed out") say(e.message);
  }
  document.body.dataset.ready = "1"; // rendered: what a test may wait for
}

main();
