// What every console page shares: the admin API client, the session, the navigation, safe DOM
// building and paging. Served from the jar as an ES module (the CSP allows no inline script).
// Every value from the API reaches the page through textContent or an attribute, never as HTML.
// The CSRF token lives in this module's memory only; a reload reads it again from the session.

let csrf = null;
let session = null;

export async function api(method, path, body) {
  const headers = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrf) headers["x-csrf-token"] = csrf;
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (response.status === 401 && document.body.dataset.page !== "sign-in") {
    window.location.assign("index.html"); // the session ended: sign in again
  }
  return { status: response.status, ok: response.ok, json };
}

/** An element with attributes, event handlers ({on: {click: f}}) and children (strings are text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "on") {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else if (name === "text") {
      node.textContent = String(value);
    } else if (value === true) {
      node.setAttribute(name, "");
    } else {
      node.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An ISO-8601 time as "2026-12-03 16:37:24 UTC" (the API's times are UTC). */
export function when(iso) {
  if (!iso) return "";
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(String(iso));
  return m ? m[1] + " " + m[2] + " UTC" : String(iso);
}

export function text(value) {
  return value === null || value === undefined ? "" : String(value);
}

/** Says something in the page's message area (role=status / alert). */
export function say(message, isError = true) {
  const area = document.getElementById("message");
  if (!area) return;
  area.textContent = message || "";
  area.classList.toggle("ok", !isError);
}

/** A problem+json answer as one line: its detail and field errors. */
export function problem(reply) {
  const p = reply.json || {};
  const fields = (p.errors || []).map((e) => e.field + ": " + e.message).join("; ");
  return (p.detail || "HTTP " + reply.status) + (fields ? " (" + fields + ")" : "");
}

export function role() {
  return session ? session.role : null;
}

/** Whether this operator may change things at all (auditors read only). */
export function canChange() {
  return role() === "owner" || role() === "operator";
}

export function isOwner() {
  return role() === "owner";
}

const PAGES = [
  ["dashboard.html", "Dashboard"],
  ["developers.html", "Developers"],
  ["keys.html", "Keys"],
  ["events.html", "Audit log"],
  ["usage.html", "Usage"],
  ["alerts.html", "Alerts"],
  ["apis.html", "APIs & plans"],
  ["operators.html", "Operators", "owner"],
];

/**
 * Starts a signed-in page: reads the session (or goes to sign in), draws the navigation and who is
 * signed in, and disables every control that changes something when the role may not:
 * {@code data-change} ones for auditors, {@code data-owner} ones for all but owners.
 */
export async function startPage() {
  const reply = await api("GET", "/admin/session");
  if (reply.status !== 200) {
    window.location.assign("index.html");
    return new Promise(() => {}); // the page goes no further: the browser is leaving it
  }
  session = reply.json;
  csrf = session.csrf_token || null;
  const here = window.location.pathname.split("/").pop();
  const nav = document.getElementById("nav");
  const list = el("ul");
  for (const [href, label, only] of PAGES) {
    if (only === "owner" && !isOwner()) continue;
    list.append(el("li", {}, el("a", { href, "aria-current": href === here ? "page" : null }, label)));
  }
  nav.replaceChildren(list);
  const who = document.getElementById("who");
  who.textContent = text(session.actor) + " (" + text(session.role) + ")";
  if (session.operator_id) {
    const me = await api("GET", "/admin/operators/" + encodeURIComponent(session.operator_id));
    if (me.status === 200) who.textContent = text(me.json.email) + " (" + text(session.role) + ")";
  }
  document.getElementById("sign-out").addEventListener("click", async () => {
    await api("DELETE", "/admin/session");
    window.location.assign("index.html");
  });
  applyRole(document);
  return session;
}

/** Disables change controls under {@code root} that this role may not use. */
export function applyRole(root) {
  for (const node of root.querySelectorAll("[data-change]")) {
    if (!canChange()) disable(node);
  }
  for (const node of root.querySelectorAll("[data-owner]")) {
    if (!isOwner()) disable(node);
  }
}

function disable(node) {
  node.disabled = true;
  node.setAttribute("aria-disabled", "true");
  node.title = "Your role (" + role() + ") may not change this";
}

/** A button that changes something: disabled for roles that may not. */
export function changeButton(label, onClick, ownerOnly = false, attrs = {}) {
  const button = el("button", { type: "button", ...attrs, on: { click: onClick } }, label);
  button.dataset[ownerOnly ? "owner" : "change"] = "";
  applyRole(el("div", {}, button));
  return button;
}

/** Marks the page as rendered (tests wait for it). */
export function ready() {
  document.body.dataset.ready = "";
}

/**
 * Cursor paging over a list endpoint: {@code load(cursor)} answers the API's page ({items,
 * next_cursor}); Previous/Next buttons walk the cursors seen.
 */
export class Pager {
  constructor(prefix, load, render) {
    this.load = load;
    this.render = render;
    this.cursors = [null];
    this.prev = document.getElementById(prefix + "-prev");
    this.next = document.getElementById(prefix + "-next");
    this.where = document.getElementById(prefix + "-page");
    this.prev.addEventListener("click", () => this.go(this.cursors.length - 2));
    this.next.addEventListener("click", () => this.go(this.cursors.length));
    this.nextCursor = null;
  }

  async first() {
    this.cursors = [null];
    return this.show(null);
  }

  async go(index) {
    if (index < 1) return this.first();
    if (index === this.cursors.length) {
      if (!this.nextCursor) return;
      this.cursors.push(this.nextCursor);
      return this.show(this.nextCursor);
    }
    this.cursors = this.cursors.slice(0, index);
    return this.show(this.cursors[index - 1]);
  }

  async show(cursor) {
    const reply = await this.load(cursor);
    if (reply.status !== 200) {
      say(problem(reply));
      return reply;
    }
    this.render(reply.json.items || []);
    this.nextCursor = reply.json.next_cursor || null;
    this.next.disabled = !this.nextCursor;
    this.prev.disabled = this.cursors.length <= 1;
    if (this.where) this.where.textContent = "Page " + this.cursors.length;
    return reply;
  }
}

/** Table rows from items: {@code columns} are functions answering a string or a Node. */
export function fillTable(tbody, items, columns, empty = "Nothing here yet.") {
  tbody.replaceChildren();
  if (items.length === 0) {
    const width = tbody.closest("table").querySelectorAll("thead th").length;
    tbody.append(el("tr", {}, el("td", { colspan: width, class: "empty" }, empty)));
    return;
  }
  for (const item of items) {
    tbody.append(el("tr", {}, columns.map((c) => el("td", {}, valueNode(c(item))))));
  }
}

function valueNode(value) {
  return value instanceof Node ? value : document.createTextNode(text(value));
}

/** Comma- or space-separated input as a list. */
export function list(value) {
  return text(value)
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A datetime-local value read as UTC, as ISO-8601; empty is null. */
export function utc(value) {
  if (!value) return null;
  return new Date(value + (value.length === 16 ? ":00Z" : "Z")).toISOString().replace(".000Z", "Z");
}

/** An ISO time as the value of a datetime-local input (UTC). */
export function localValue(iso) {
  return iso ? iso.substring(0, 16) : "";
}

/** The time ranges the dashboard and usage pages offer, with the interval that suits each. */
export const RANGES = {
  "1h": { label: "Last hour", ms: 3600e3, interval: "minute" },
  "24h": { label: "Last 24 hours", ms: 86400e3, interval: "hour" },
  "7d": { label: "Last 7 days", ms: 7 * 86400e3, interval: "hour" },
  "30d": { label: "Last 30 days", ms: 30 * 86400e3, interval: "day" },
};

export function rangeQuery(range) {
  const r = RANGES[range] || RANGES["1h"];
  const to = new Date();
  const from = new Date(to.getTime() - r.ms);
  return "interval=" + r.interval + "&from=" + encodeURIComponent(from.toISOString()) +
    "&to=" + encodeURIComponent(to.toISOString());
}

/** Downloads {@code content} as a file, built in memory (no server round trip). */
export function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Opens a modal dialog; answers it. Closing it removes it from the page. */
export function openDialog(title, ...content) {
  const heading = el("h2", { id: "dialog-title" }, title);
  const dialog = el("dialog", { "aria-labelledby": "dialog-title" }, heading, ...content);
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/**
 * The copy-once dialog of a new plaintext (a key or a token): shown in a read-only field with a
 * copy button; closing it empties the field and removes the dialog, and the plaintext is kept
 * nowhere else (no storage, no variable beyond this call).
 */
export function showOnce(title, plaintext, note) {
  const field = el("input", {
    id: "plaintext", readonly: true, value: plaintext, "aria-describedby": "plaintext-note",
    autocomplete: "off", spellcheck: "false",
  });
  const copied = el("span", { role: "status", class: "ok" });
  const copy = el("button", { type: "button", id: "copy-plaintext", on: { click: async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      copied.textContent = "Copied.";
    } catch (e) {
      copied.textContent = "Select the text and copy it (Ctrl+C).";
    }
  } } }, "Copy");
  const done = el("button", { type: "button", id: "close-plaintext" }, "I have saved it");
  const dialog = openDialog(
    title,
    el("p", { id: "plaintext-note" }, note || "Copy it now: it is shown this once and never again."),
    el("label", { for: "plaintext" }, "Plaintext"),
    field,
    el("div", { class: "actions" }, copy, done, copied),
  );
  done.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => { field.value = ""; });
  field.focus();
  field.select();
  return dialog;
}

/** A form dialog: {@code fields} are [id, label, input element]; resolves with the form or null. */
export function formDialog(title, fields, submitLabel) {
  return new Promise((resolve) => {
    const form = el("form", { method: "dialog" });
    for (const [id, label, input] of fields) {
      input.id = id;
      form.append(el("label", { for: id }, label), input);
    }
    const cancel = el("button", { type: "button", value: "cancel" }, "Cancel");
    form.append(el("div", { class: "actions" }, el("button", { type: "submit", value: "ok" }, submitLabel), cancel));
    const dialog = openDialog(title, form);
    let answered = false;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      answered = true;
      resolve(form);
      dialog.close();
    });
    cancel.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => { if (!answered) resolve(null); });
  });
}

/** An input element. */
export function input(attrs = {}) {
  return el("input", attrs);
}

/** A select of options [value, label]; {@code selected} is the chosen value. */
export function select(options, selected, attrs = {}) {
  return el("select", attrs, options.map(([value, label]) =>
    el("option", { value, selected: value === selected }, label)));
}
