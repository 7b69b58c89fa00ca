// Usage charts per API, developer or key over a time range, with optional filters: requests per
// series, denials by code, and each series' totals.
import { api, el, fillTable, problem, rangeQuery, ready, say, startPage } from "./common.js";
import { lineChart, outcomeSeries, sumSeries } from "./charts.js";

await startPage();
const params = new URLSearchParams(window.location.search);
const groupBy = document.getElementById("group-by");
const range = document.getElementById("range");
const filters = { api: document.getElementById("u-api"), developer: document.getElementById("u-developer"),
  key: document.getElementById("u-key") };
if (params.get("group_by")) groupBy.value = params.get("group_by");
for (const [name, field] of Object.entries(filters)) field.value = params.get(name) || "";

function label(s) {
  return s.name && s.name !== s.id ? s.name + " (" + s.id + ")" : s.id;
}

async function load() {
  say("");
  const q = new URLSearchParams({ group_by: groupBy.value, limit: "20" });
  for (const [name, field] of Object.entries(filters)) if (field.value.trim()) q.set(name, field.value.trim());
  const reply = await api("GET", "/admin/usage?" + q + "&" + rangeQuery(range.value));
  if (reply.status !== 200) {
    say(problem(reply));
    return;
  }
  const series = reply.json.series;
  const times = series.length ? series[0].points.map((p) => p.t) : [];
  const total = series.reduce((n, s) => n + s.totals.requests, 0);
  document.getElementById("totals").textContent = total + " requests in " + series.length +
    " series" + (reply.json.more ? " (the busiest shown)" : "") + ", per " + reply.json.interval;
  lineChart(document.getElementById("requests-chart"), "Requests per " + groupBy.value, times,
    series.map((s) => ({ label: label(s), values: s.points.map((p) => p.requests) })));
  const denied = outcomeSeries(sumSeries(series)).slice(1);
  lineChart(document.getElementById("denied-chart"), "Denied by code", times,
    denied.length ? denied : [{ label: "denied", values: times.map(() => 0) }]);
  fillTable(document.getElementById("rows"), series, [
    (s) => groupBy.value === "developer"
      ? el("a", { href: "developer.html?id=" + encodeURIComponent(s.id) }, label(s)) : label(s),
    (s) => s.totals.requests,
    (s) => s.totals.granted,
    (s) => s.totals.denied,
    (s) => Object.entries(s.totals.denied_by_code).map(([c, n]) => c + ": " + n).join(", "),
    (s) => s.totals.latency_avg_ms.toFixed(1),
    (s) => s.totals.latency_max_ms.toFixed(1),
  ], "No usage in this range.");
}

document.getElementById("controls").addEventListener("submit", async (event) => {
  event.preventDefault();
  await load();
});
await load();
ready();
