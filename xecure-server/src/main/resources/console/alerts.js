// Alerts, newest first, by status and type, with acknowledge.
import { Pager, api, changeButton, fillTable, problem, ready, say, startPage, text, when } from "./common.js";

await startPage();
const status = document.getElementById("status");
const type = document.getElementById("type");

const pager = new Pager("alerts", (cursor) => {
  const q = new URLSearchParams({ limit: "50" });
  if (status.value) q.set("status", status.value);
  if (type.value) q.set("type", type.value);
  if (cursor) q.set("cursor", cursor);
  return api("GET", "/admin/alerts?" + q);
}, (items) => fillTable(document.getElementById("rows"), items, [
  (a) => a.type,
  (a) => a.subject,
  (a) => a.detail,
  (a) => when(a.first_seen),
  (a) => when(a.last_seen),
  (a) => a.count,
  (a) => a.status === "acknowledged" ? "acknowledged by " + text(a.acked_by) + " at " + when(a.acked_at) : a.status,
  (a) => a.status === "open" ? changeButton("Acknowledge", () => ack(a), false, { "aria-label": "Acknowledge " + a.type + " " + a.subject }) : "",
], "No alerts match."));

async function ack(alert) {
  const reply = await api("POST", "/admin/alerts/" + encodeURIComponent(alert.id) + "/ack");
  if (reply.status === 200) {
    say("Acknowledged.", false);
    await pager.first();
  } else {
    say(problem(reply));
  }
}

document.getElementById("filters").addEventListener("submit", async (event) => {
  event.preventDefault();
  await pager.first();
});
await pager.first();
ready();
