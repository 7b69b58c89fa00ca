// Time-series charts with uPlot (served from the jar as uplot.js). Labels reach uPlot as strings,
// which it shows with textContent.
import uPlot from "./uplot.js";

const COLORS = ["#2a7d2e", "#b00020", "#1f5fbf", "#c77700", "#7b3fb3", "#00838f", "#6d4c41", "#ad1457"];

/**
 * Draws a line chart of {@code series} ([{label, values}]) over {@code times} (ISO strings) into
 * {@code container}, replacing what was there, sized to it; answers the plot.
 */
export function lineChart(container, title, times, series) {
  container.replaceChildren();
  const xs = times.map((t) => Date.parse(t) / 1000);
  const width = Math.max(260, Math.floor(container.getBoundingClientRect().width) || 600);
  const plot = new uPlot(
    {
      title,
      width,
      height: 240,
      scales: { x: { time: true } },
      series: [
        { label: "time" },
        ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 2 })),
      ],
      axes: [{}, { size: 50 }],
    },
    [xs, ...series.map((s) => s.values)],
    container,
  );
  // follow the page's width (a phone turned, a window resized)
  new ResizeObserver(() => {
    const now = Math.floor(container.getBoundingClientRect().width);
    if (now > 0 && now !== plot.width) plot.setSize({ width: Math.max(260, now), height: 240 });
  }).observe(container);
  return plot;
}

/** Sums the points of several usage series into one list of counts per time. */
export function sumSeries(seriesList) {
  if (seriesList.length === 0) return [];
  const points = seriesList[0].points.map((p) => ({
    t: p.t, requests: 0, granted: 0, denied: 0, denied_by_code: {}, latency_sum: 0, latency_max_ms: 0,
  }));
  for (const s of seriesList) {
    s.points.forEach((p, i) => {
      const sum = points[i];
      sum.requests += p.requests;
      sum.granted += p.granted;
      sum.denied += p.denied;
      for (const [code, n] of Object.entries(p.denied_by_code || {})) {
        sum.denied_by_code[code] = (sum.denied_by_code[code] || 0) + n;
      }
      sum.latency_sum += p.latency_avg_ms * p.requests;
      sum.latency_max_ms = Math.max(sum.latency_max_ms, p.latency_max_ms);
    });
  }
  for (const p of points) p.latency_avg_ms = p.requests ? p.latency_sum / p.requests : 0;
  return points;
}

/** Granted and denied-per-code series of summed points, ready for {@link lineChart}. */
export function outcomeSeries(points) {
  const codes = new Set();
  points.forEach((p) => Object.keys(p.denied_by_code).forEach((c) => codes.add(c)));
  return [
    { label: "granted", values: points.map((p) => p.granted) },
    ...[...codes].sort().map((code) => ({
      label: "denied: " + code,
      values: points.map((p) => p.denied_by_code[code] || 0),
    })),
  ];
}
