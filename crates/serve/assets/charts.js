// SVG charts: bars per bucket and lines over dates, drawn with the element
// builders (labels as text nodes), styled by app.css classes only.
import { h, s } from "./dom.js";
import { num, plural } from "./format.js";

// A scale from 0 to a round maximum with 2 to 5 round, integer steps.
function scale(v) {
  const raw = Math.max(1, v) / 4;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = 10 * p;
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * p >= raw && Number.isInteger(m * p)) {
      step = m * p;
      break;
    }
  }
  step = Math.max(1, step);
  const max = Math.max(step, Math.ceil(Math.max(1, v) / step) * step);
  const ticks = [];
  for (let t = 0; t <= max + step / 2; t += step) ticks.push(t);
  return { max, ticks };
}

// A W x H drawing with margins m, and the plot area inside them.
function frame(W, H, m) {
  return { W, H, m, pw: W - m.l - m.r, ph: H - m.t - m.b };
}

// The horizontal grid lines with their values, then the base line.
function yAxis(svg, f, ticks, max) {
  const { W, m, ph } = f;
  for (const t of ticks) {
    const y = m.t + ph - (t / max) * ph;
    svg.appendChild(s("line", { class: "grid", x1: m.l, x2: W - m.r, y1: y, y2: y }));
    svg.appendChild(s("text", { x: m.l - 6, y: y + 4, "text-anchor": "end" }, num(Math.round(t))));
  }
  svg.appendChild(s("line", { class: "axis", x1: m.l, x2: W - m.r, y1: m.t + ph, y2: m.t + ph }));
}

// The width a text of `t` takes at the charts' 11 px (digits and dates; a
// little generous so that estimates never overlap).
const textWidth = (t) => String(t).length * 6.6;

// One bar (`d` the i-th of n buckets) with its count on top when there is
// room for it (the bar's title always has it) and, every `every`-th one
// counted from the newest, its label, kept inside the drawing; a link when
// opts.href gives one.
function bar(d, i, n, at, opts) {
  const { f, max, step, bw, every } = at;
  const { m, ph, W } = f;
  const cx = m.l + step * i + step / 2;
  const bh = (d.hosts / max) * ph;
  const y = m.t + ph - bh;
  const cls = ["bar", opts.barClass ? opts.barClass(d.label) : null];
  const g = s(
    "g",
    null,
    s("title", null, `${d.label}: ${plural(d.hosts, "host")}`),
    s("rect", { class: cls, x: cx - bw / 2, y, width: bw, height: Math.max(0, bh), rx: 2 }),
  );
  if (at.values) g.appendChild(s("text", { class: "value", x: cx, y: y - 4, "text-anchor": "middle" }, num(d.hosts)));
  const half = textWidth(d.label) / 2;
  // Left out when it would run under the axis values (the bar's title has it).
  if ((n - 1 - i) % every === 0 && (cx - half >= m.l - 4 || n === 1)) {
    const anchor = cx + half > W - 1 ? "end" : "middle";
    g.appendChild(s("text", { x: anchor === "end" ? W - 1 : cx, y: m.t + ph + 15, "text-anchor": anchor }, d.label));
  }
  const href = opts.href ? opts.href(d.label) : null;
  return href ? s("a", { href, "aria-label": `${d.label}: ${d.hosts} hosts, show them` }, g) : g;
}

// A vertical bar chart of [{label, hosts}] with counts on top.
// opts: {id, title, barClass(label), href(label)}
export function barChart(data, opts) {
  const { max, ticks } = scale(Math.max(0, ...data.map((d) => d.hosts)));
  // The left margin fits the widest tick value (e.g. "1,500"): no axis label is clipped.
  const l = Math.max(34, 10 + Math.max(...ticks.map((t) => textWidth(num(t)))));
  // The right margin fits half the newest label (always drawn, centred under its bar).
  const newest = data.length ? textWidth(data[data.length - 1].label) : 0;
  const step0 = (420 - l - 8) / Math.max(1, data.length);
  const f = frame(420, 220, { l, r: Math.max(8, Math.ceil(newest / 2 - step0 / 2 + 2)), t: 18, b: 26 });
  const step = f.pw / Math.max(1, data.length);
  // Counts on top only when each fits its bar's slot: otherwise they would overlap.
  const values = data.every((d) => textWidth(num(d.hosts)) + 2 <= step);
  const widest = Math.max(40, ...data.map((d) => textWidth(d.label) + 8));
  const at = { f, max, step, bw: Math.min(64, step * 0.72), every: Math.max(1, Math.ceil((data.length * widest) / f.pw)), values };
  const desc = data.map((d) => d.label + ": " + d.hosts).join(", ");
  const svg = s("svg", {
    id: opts.id,
    viewBox: `0 0 ${f.W} ${f.H}`,
    role: opts.href ? "group" : "img",
    "aria-label": opts.title + ". " + (desc || "no data"),
  });
  yAxis(svg, f, ticks, max);
  data.forEach((d, i) => svg.appendChild(bar(d, i, data.length, at, opts)));
  if (data.length === 0) svg.appendChild(s("text", { x: f.W / 2, y: f.H / 2, "text-anchor": "middle" }, "no hosts yet"));
  return svg;
}

// The first, middle and last dates under the plot.
function dateLabels(svg, f, points, x) {
  const labelAt = [0];
  if (points.length > 2) labelAt.push(Math.floor((points.length - 1) / 2));
  if (points.length > 1) labelAt.push(points.length - 1);
  for (const i of labelAt) {
    const anchor = i === 0 && points.length > 1 ? "start" : i === points.length - 1 && points.length > 1 ? "end" : "middle";
    svg.appendChild(s("text", { x: x(i), y: f.m.t + f.ph + 16, "text-anchor": anchor }, points[i].date));
  }
}

// The k-th series: its filled area (when sr.area), its line and a dot per point.
function drawSeries(svg, f, points, sr, k, x, y) {
  const coords = points.map((p, i) => [x(i), y(p[sr.key])]);
  const line = coords.map(([a, b], i) => `${i ? "L" : "M"}${a.toFixed(1)},${b.toFixed(1)}`).join(" ");
  if (sr.area && points.length > 1) {
    const base = (f.m.t + f.ph).toFixed(1);
    const area = `${line} L${coords[coords.length - 1][0].toFixed(1)},${base} L${coords[0][0].toFixed(1)},${base} Z`;
    svg.appendChild(s("path", { class: `area s${k}`, d: area }));
  }
  if (points.length > 1) svg.appendChild(s("path", { class: `line s${k}`, d: line }, s("title", null, sr.label)));
  coords.forEach(([a, b], i) => {
    svg.appendChild(
      s("circle", { class: `dot s${k}`, cx: a, cy: b, r: 3.5 }, s("title", null, `${points[i].date}: ${sr.label} ${num(Number(points[i][sr.key]))}`)),
    );
  });
}

// A line/area chart over dates: points [{date, ...}], series [{key, label, area}].
// opts: {id, title}
export function lineChart(points, series, opts) {
  const { max, ticks } = scale(Math.max(0, ...points.flatMap((p) => series.map((sr) => Number(p[sr.key]) || 0))));
  const f = frame(620, 220, { l: Math.max(48, 10 + Math.max(...ticks.map((v) => textWidth(num(v))))), r: 14, t: 14, b: 26 });
  const { m, pw, ph } = f;
  const t = points.map((p) => Date.parse(p.date + "T00:00:00Z"));
  const t0 = Math.min(...t);
  const t1 = Math.max(...t);
  const x = (i) => (points.length === 1 || t1 === t0 ? m.l + pw / 2 : m.l + ((t[i] - t0) / (t1 - t0)) * pw);
  const y = (v) => m.t + ph - ((Number(v) || 0) / max) * ph;
  const last = points[points.length - 1];
  const desc = last ? series.map((sr) => `${sr.label} on ${last.date}: ${last[sr.key]}`).join("; ") : "no scans yet";
  const svg = s("svg", { id: opts.id, viewBox: `0 0 ${f.W} ${f.H}`, role: "img", "aria-label": opts.title + ". " + desc });
  yAxis(svg, f, ticks, max);
  if (points.length === 0) {
    svg.appendChild(s("text", { x: f.W / 2, y: f.H / 2, "text-anchor": "middle" }, "no scans yet"));
    return svg;
  }
  dateLabels(svg, f, points, x);
  series.forEach((sr, k) => drawSeries(svg, f, points, sr, k, x, y));
  return svg;
}

// The colour key of a line chart's series.
export function legend(series) {
  return h(
    "ul",
    { class: "legend" },
    series.map((sr, k) => h("li", null, h("span", { class: `sw s${k}`, "aria-hidden": "true" }), sr.label)),
  );
}

// A chart panel: a caption (with an optional note), the chart, and what goes under it.
export function figure(title, note, svg, extra, wide) {
  return h("figure", { class: ["chart panel", wide && "wide"] }, h("figcaption", null, title, note ? h("span", { class: "note" }, " · " + note) : null), svg, extra);
}
