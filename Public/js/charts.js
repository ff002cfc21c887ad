// SVG charts drawn by hand: a line (with area), a donut and horizontal (grouped) bars. Each is
// an <svg role="img"> with a text summary for screen readers and <title> tooltips per mark.

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    // Through the CSSOM (the content security policy refuses inline style attributes); colours
    // given as CSS variables only resolve as style properties.
    if (key === 'style') el.style.cssText = value;
    else if (key === 'fill' && String(value).startsWith('var(')) el.style.fill = value;
    else el.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function frame(width, height, label) {
  return s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, preserveAspectRatio: 'xMidYMid meet' });
}

const round = (value) => Math.round(value * 10) / 10;

/**
 * A line over points [{label, y}] (y may be null: a gap). yMin/yMax fix the scale (sentiment is
 * −1…1); format shows values on the axis and in tooltips.
 */
export function lineChart({ points, label, width = 480, height = 200, yMin, yMax, format = (v) => String(v), zero = false }) {
  const svg = frame(width, height, label);
  const pad = { l: 40, r: 10, t: 10, b: 24 };
  const values = points.map((p) => p.y).filter((y) => y !== null && y !== undefined && Number.isFinite(y));
  const lo = yMin ?? Math.min(0, ...values);
  let hi = yMax ?? Math.max(1, ...values);
  if (hi === lo) hi = lo + 1;
  const innerW = width - pad.l - pad.r;
  const innerH = height - pad.t - pad.b;
  const x = (i) => pad.l + (points.length <= 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (v) => pad.t + innerH - ((v - lo) / (hi - lo)) * innerH;
  for (let k = 0; k <= 4; k += 1) {
    const v = lo + ((hi - lo) * k) / 4;
    svg.append(s('line', { class: 'grid', x1: pad.l, x2: width - pad.r, y1: round(y(v)), y2: round(y(v)) }));
    svg.append(s('text', { x: pad.l - 6, y: round(y(v)) + 4, 'text-anchor': 'end' }, format(v)));
  }
  if (zero && lo < 0 && hi > 0) svg.append(s('line', { class: 'zero', x1: pad.l, x2: width - pad.r, y1: round(y(0)), y2: round(y(0)) }));
  const step = Math.max(1, Math.ceil(points.length / 8));
  points.forEach((p, i) => {
    if (i % step === 0 || i === points.length - 1) {
      svg.append(s('text', { x: round(x(i)), y: height - 6, 'text-anchor': 'middle' }, p.label));
    }
  });
  // Runs of defined points become one path each.
  let run = [];
  const flush = () => {
    if (run.length > 1) {
      const d = run.map(([px, py], k) => `${k ? 'L' : 'M'}${round(px)},${round(py)}`).join('');
      const base = round(y(Math.max(lo, Math.min(hi, 0))));
      svg.append(s('path', { class: 'area', d: `${d}L${round(run[run.length - 1][0])},${base}L${round(run[0][0])},${base}Z` }));
      svg.append(s('path', { class: 'line', d }));
    }
    run = [];
  };
  points.forEach((p, i) => {
    if (p.y === null || p.y === undefined || !Number.isFinite(p.y)) return flush();
    run.push([x(i), y(p.y)]);
  });
  flush();
  points.forEach((p, i) => {
    if (p.y === null || p.y === undefined || !Number.isFinite(p.y)) return;
    svg.append(s('circle', { cx: round(x(i)), cy: round(y(p.y)), r: points.length > 40 ? 1.5 : 3, fill: 'var(--accent)' },
      s('title', {}, `${p.label}: ${format(p.y)}`)));
  });
  return svg;
}

/** A donut of slices [{label, value, color}] with a legend and the total in the middle. */
export function donutChart({ slices, label, size = 200, center }) {
  const total = slices.reduce((sum, slice) => sum + slice.value, 0);
  const width = size + 170;
  const svg = frame(width, size, label);
  const r = size / 2 - 6;
  const inner = r * 0.6;
  const cx = size / 2;
  const cy = size / 2;
  let angle = -Math.PI / 2;
  const point = (radius, a) => `${round(cx + radius * Math.cos(a))},${round(cy + radius * Math.sin(a))}`;
  if (total === 0) svg.append(s('circle', { cx, cy, r: (r + inner) / 2, fill: 'none', stroke: '#e5e7eb', 'stroke-width': r - inner }));
  for (const slice of slices) {
    if (slice.value <= 0) continue;
    const sweep = (slice.value / total) * Math.PI * 2;
    const end = angle + Math.min(sweep, Math.PI * 2 - 1e-4);
    const large = sweep > Math.PI ? 1 : 0;
    const d = `M${point(r, angle)}A${r},${r} 0 ${large} 1 ${point(r, end)}L${point(inner, end)}A${inner},${inner} 0 ${large} 0 ${point(inner, angle)}Z`;
    svg.append(s('path', { d, fill: slice.color }, s('title', {}, `${slice.label}: ${slice.value} (${Math.round((slice.value / total) * 100)}%)`)));
    angle += sweep;
  }
  svg.append(s('text', { x: cx, y: cy + 6, 'text-anchor': 'middle', style: 'font-size:20px;font-weight:700;fill:var(--ink)' }, center ?? total));
  slices.forEach((slice, i) => {
    const ly = 20 + i * 22;
    svg.append(s('rect', { x: size + 12, y: ly - 10, width: 12, height: 12, rx: 2, fill: slice.color }));
    svg.append(s('text', { x: size + 30, y: ly, style: 'font-size:12px;fill:var(--ink)' }, `${slice.label} · ${slice.value}`));
  });
  return svg;
}

/**
 * Horizontal bars: rows [{label, values: [number|null, ...]}] with one bar per series
 * [{name, color, format}], all on one scale 0…max.
 */
export function barChart({ rows, series, label, max, width = 480, barHeight = 14 }) {
  const gap = 10;
  const rowHeight = series.length * (barHeight + 2) + gap;
  const height = Math.max(40, rows.length * rowHeight + 10);
  const svg = frame(width, height, label);
  const left = 90;
  const right = 60;
  const scaleMax = max ?? Math.max(1e-9, ...rows.flatMap((row) => row.values.filter(Number.isFinite)));
  rows.forEach((row, i) => {
    const top = 5 + i * rowHeight;
    svg.append(s('text', { x: left - 8, y: top + (series.length * (barHeight + 2)) / 2 + 4, 'text-anchor': 'end', style: 'fill:var(--ink)' }, row.label));
    series.forEach((serie, k) => {
      const value = row.values[k];
      const y = top + k * (barHeight + 2);
      const w = Number.isFinite(value) ? Math.max(0, (value / scaleMax) * (width - left - right)) : 0;
      svg.append(s('rect', { x: left, y, width: round(w), height: barHeight, rx: 3, fill: serie.color },
        s('title', {}, `${row.label} · ${serie.name}: ${Number.isFinite(value) ? serie.format(value) : 'no data'}`)));
      svg.append(s('text', { x: left + round(w) + 4, y: y + barHeight - 3 }, Number.isFinite(value) ? serie.format(value) : '–'));
    });
  });
  return svg;
}
