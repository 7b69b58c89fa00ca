// Developers: create, list with cursor paging, filter the page shown, open one by id.
import { Pager, api, el, fillTable, problem, ready, say, startPage, when } from "./common.js";

await startPage();
const rows = document.getElementById("rows");
const search = document.getElementById("search");
let shown = [];

function render(items) {
  shown = items;
  const q = search.value.trim().toLowerCase();
  const matching = q
    ? items.filter((d) => [d.id, d.name, d.email].some((v) => String(v).toLowerCase().includes(q)))
    : items;
  fillTable(rows, matching, [
    (d) => el("a", { href: "developer.html?id=" + encodeURIComponent(d.id) }, d.id),
    (d) => d.name,
    (d) => d.email,
    (d) => d.status,
    (d) => when(d.created_at),
  ], q ? "No developer on this page matches." : "No developers yet.");
}

const pager = new Pager("developers", (cursor) =>
  api("GET", "/admin/developers?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "")), render);

search.addEventListener("input", () => render(shown));
document.getElementById("find").addEventListener("submit", async (event) => {
  event.preventDefault();
  const id = search.value.trim();
  if (!id) return;
  const reply = await api("GET", "/admin/developers/" + encodeURIComponent(id));
  if (reply.status === 200) {
    window.location.assign("developer.html?id=" + encodeURIComponent(reply.json.id));
  } else {
    say(reply.status === 404 ? "No developer has the id " + id + "." : problem(reply));
  }
});

const form = document.getElementById("create");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const reply = await api("POST", "/admin/developers", {
    name: document.getElementById("name").value,
    email: document.getElementById("new-email").value,
  });
  if (reply.status === 201) {
    form.reset();
    window.location.assign("developer.html?id=" + encodeURIComponent(reply.json.id));
  } else {
    say(problem(reply));
  }
});

await pager.first();
ready();
