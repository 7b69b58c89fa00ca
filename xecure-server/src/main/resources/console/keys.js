// Every key, filtered by developer and status, with cursor paging (the API pages 100,000 keys as
// cheaply as ten); a key id opens its developer's page where it is managed.
import { Pager, api, el, fillTable, problem, ready, say, startPage, text, when } from "./common.js";

await startPage();
const developer = document.getElementById("developer");
const status = document.getElementById("status");
const params = new URLSearchParams(window.location.search);
developer.value = params.get("developer") || "";
status.value = params.get("status") || "";

const pager = new Pager("keys", (cursor) => {
  const q = new URLSearchParams({ limit: "100" });
  if (developer.value.trim()) q.set("developer", developer.value.trim());
  if (status.value) q.set("status", status.value);
  if (cursor) q.set("cursor", cursor);
  return api("GET", "/admin/keys?" + q);
}, (items) => fillTable(document.getElementById("rows"), items, [
  (k) => el("span", { class: "mono", title: k.id }, k.id),
  (k) => k.name,
  (k) => el("a", { href: "developer.html?id=" + encodeURIComponent(k.developer_id) }, k.developer_id),
  (k) => k.status,
  (k) => k.apis.join(", "),
  (k) => k.plan || "API default",
  (k) => when(k.expires_at) || "never",
  (k) => k.last_used_at ? when(k.last_used_at) + " from " + text(k.last_used_ip) : "never",
], "No keys match."));

document.getElementById("filters").addEventListener("submit", async (event) => {
  event.preventDefault();
  await pager.first();
});

async function openKey(keyId) {
  const reply = await api("GET", "/admin/keys/" + encodeURIComponent(keyId));
  if (reply.status === 200) {
    window.location.assign("developer.html?id=" + encodeURIComponent(reply.json.developer_id));
  } else {
    say(reply.status === 404 ? "No key has the id " + keyId + "." : problem(reply));
  }
}
document.getElementById("open-key").addEventListener("click", () => {
  const keyId = document.getElementById("key-id").value.trim();
  if (keyId) openKey(keyId);
});
if (params.get("key")) document.getElementById("key-id").value = params.get("key");

await pager.first();
ready();
