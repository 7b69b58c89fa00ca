// The dashboard: traffic granted and denied by code over a time range, latency, the busiest
// developers and keys, open alerts and the nodes. Every number comes from the admin API.
import { api, el, fillTable, problem, rangeQuery, ready, say, startPage, when } from "./common.js";
import { lineChart, outcomeSeries, sumSeries } from "./charts.js";

await startPage();
const range = document.getElementById("range");

async function usage(groupBy, limit) {
  return api("GET", "/admin/usage?group_by=" + groupBy + "&limit=" + limit + "&" + rangeQuery(range.value));
}

function name(series) {
  return series.name ? series.name + " (" + series.id + ")" : series.id;
}

async function load() {
  say("");
  const [apis, developers, keys, alerts, nodes] = await Promise.all([
    usage("api", 100),
    usage("developer", 5),
    usage("key", 5),
    api("GET", "/admin/alerts?status=open&limit=5"),
    api("GET", "/admin/nodes"),
  ]);
  if (apis.status !== 200) {
    say(problem(apis));
    return;
  }
  const points = sumSeries(apis.json.series);
  const total = points.reduce((a, p) => ({
    requests: a.requests + p.requests, granted: a.granted + p.granted, denied: a.denied + p.denied,
    latencySum: a.latencySum + p.latency_sum, max: Math.max(a.max, p.latency_max_ms),
  }), { requests: 0, granted: 0, denied: 0, latencySum: 0, max: 0 });
  const avg = total.requests ? (total.latencySum / total.requests).toFixed(1) : "0";
  document.getElementById("totals").textContent =
    total.requests + " requests: " + total.granted + " granted, " + total.denied +
    " denied; latency average " + avg + " ms, maximum " + total.max.toFixed(1) + " ms";
  const times = points.map((p) => p.t);
  lineChart(document.getElementById("outcomes-chart"), "Requests per " + apis.json.interval, times, outcomeSeries(points));
  lineChart(document.getElementById("latency-chart"), "Latency (ms)", times, [
    { label: "average", values: points.map((p) => Number(p.latency_avg_ms.toFixed(2))) },
    { label: "maximum", values: points.map((p) => p.latency_max_ms) },
  ]);
  const busiest = [
    (s) => el("a", { href: "developer.html?id=" + encodeURIComponent(s.id) }, name(s)),
    (s) => s.totals.requests,
    (s) => s.totals.denied,
  ];
  fillTable(document.getElementById("top-developers"),
    developers.status === 200 ? developers.json.series.filter((s) => s.totals.requests > 0) : [], busiest, "No traffic in this range.");
  fillTable(document.getElementById("top-keys"),
    keys.status === 200 ? keys.json.series.filter((s) => s.totals.requests > 0) : [], [
      (s) => el("a", { href: "keys.html?key=" + encodeURIComponent(s.id) }, name(s)),
      (s) => s.totals.requests,
      (s) => s.totals.denied,
    ], "No traffic in this range.");
  fillTable(document.getElementById("open-alerts"), alerts.status === 200 ? alerts.json.items : [], [
    (a) => a.type, (a) => a.subject, (a) => when(a.last_seen), (a) => a.count,
  ], "No open alerts.");
  fillTable(document.getElementById("nodes"), nodes.status === 200 ? nodes.json.items : [], [
    (n) => n.id, (n) => n.address, (n) => (n.live ? "yes" : "no"), (n) => n.lag, (n) => n.key_count,
  ], "Single node (no cluster).");
}

document.getElementById("controls").addEventListener("submit", async (event) => {
  event.preventDefault();
  await load();
});
range.addEventListener("change", load);
await load();
ready();
