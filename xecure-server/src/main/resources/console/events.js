// The audit log: every filter GET /admin/events has, cursor paging, and export of everything the
// filters match (up to EXPORT_MAX events) as JSON lines or CSV, built in the page.
import { Pager, api, download, fillTable, ready, say, startPage, text, utc, when } from "./common.js";

await startPage();
const EXPORT_MAX = 100000;
const form = document.getElementById("filters");
const FIELDS = ["type", "outcome", "code", "developer", "key", "api", "actor", "action", "target", "from", "to"];

// filters may come in the address (links from other pages), and go back into it
const initial = new URLSearchParams(window.location.search);
for (const name of FIELDS) {
  const field = form.elements[name];
  if (initial.has(name)) field.value = (name === "from" || name === "to") ? initial.get(name).substring(0, 16) : initial.get(name);
}

function query(limit, cursor) {
  const q = new URLSearchParams({ limit: String(limit) });
  for (const name of FIELDS) {
    let value = form.elements[name].value.trim();
    if (name === "from" || name === "to") value = utc(value) || "";
    if (value && !(name === "type" && value === "all")) q.set(name, value);
  }
  if (cursor) q.set("cursor", cursor);
  return q;
}

function who(e) {
  return e.type === "admin" ? e.actor : [e.developer_id, e.key_id].filter(Boolean).join(" / ");
}

function what(e) {
  return e.type === "admin"
    ? e.action + " " + text(e.target) + (e.detail ? ": " + e.detail : "")
    : e.method + " " + e.path;
}

const pager = new Pager("events", (cursor) => api("GET", "/admin/events?" + query(50, cursor)),
  (items) => fillTable(document.getElementById("rows"), items, [
    (e) => when(e.time),
    (e) => e.type === "admin" ? "admin" : e.outcome,
    who,
    what,
    (e) => e.status,
    (e) => e.code,
    (e) => e.api,
    (e) => e.latency_us === undefined ? "" : (e.latency_us / 1000).toFixed(1),
    (e) => e.client_ip,
  ], "No events match."));

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const q = query(50, null);
  q.delete("limit");
  window.history.replaceState(null, "", "?" + q);
  await pager.first();
});

async function everything() {
  const all = [];
  let cursor = null;
  do {
    const reply = await api("GET", "/admin/events?" + query(1000, cursor));
    if (reply.status !== 200) throw new Error(reply.json.detail || "HTTP " + reply.status);
    all.push(...reply.json.items);
    cursor = reply.json.next_cursor;
  } while (cursor && all.length < EXPORT_MAX);
  return all;
}

const COLUMNS = ["time", "type", "request_id", "node", "actor", "action", "target", "detail", "api",
  "method", "path", "status", "outcome", "code", "reason", "key_id", "developer_id", "client_ip",
  "user_agent", "latency_us", "upstream_latency_us"];

function csvCell(value) {
  let s = text(value);
  // a spreadsheet must not run a cell as a formula
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\n\r]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
}

async function exportAs(kind) {
  say("Exporting…", false);
  try {
    const events = await everything();
    const stamp = new Date().toISOString().replaceAll(":", "-");
    if (kind === "jsonl") {
      download("events-" + stamp + ".jsonl", "application/x-ndjson",
        events.map((e) => JSON.stringify(e)).join("\n") + (events.length ? "\n" : ""));
    } else {
      const lines = [COLUMNS.join(","), ...events.map((e) => COLUMNS.map((c) => csvCell(e[c])).join(","))];
      download("events-" + stamp + ".csv", "text/csv", lines.join("\r\n") + "\r\n");
    }
    say("Exported " + events.length + " events" + (events.length >= EXPORT_MAX ? " (the first " + EXPORT_MAX + ")" : "") + ".", false);
  } catch (e) {
    say("Export failed: " + e.message);
  }
}
document.getElementById("export-jsonl").addEventListener("click", () => exportAs("jsonl"));
document.getElementById("export-csv").addEventListener("click", () => exportAs("csv"));

await pager.first();
ready();
