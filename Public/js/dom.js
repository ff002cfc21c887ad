// Small DOM helpers and formatters shared by the views. No framework: elements are built once and
// updated in place, so a busy floor costs only the text that changed.

/** Creates an element: h('a', {href: '#', class: 'x', onclick: fn}, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    // Through the CSSOM: the content security policy refuses inline style attributes.
    else if (key === 'style') el.style.cssText = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Sets an element's text only when it changed (cheap re-renders). */
export function setText(el, text) {
  const value = String(text);
  if (el.textContent !== value) el.textContent = value;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

export function percent(value, digits = 0) {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : `${(value * 100).toFixed(digits)}%`;
}

export function number(value, digits = 0) {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

/** 1536 → "1.5 KB" (sizes of files). */
export function bytes(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const units = ['B', 'KB', 'MB', 'GB'];
  let size = value;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return `${unit ? size.toFixed(1) : size} ${units[unit]}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export function dateTime(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '–' : timeFormat.format(date);
}

/** The label of a sentiment score, as the server labels it (beyond ±0.2 is not neutral). */
export function sentimentLabel(score) {
  if (score === null || score === undefined || !Number.isFinite(score)) return null;
  return score > 0.2 ? 'positive' : score < -0.2 ? 'negative' : 'neutral';
}

/** A sentiment as a coloured, labelled value ("+0.42 positive"). */
export function sentimentText(score, label = sentimentLabel(score)) {
  if (!label) return '–';
  const value = Number.isFinite(score) ? `${score > 0 ? '+' : ''}${score.toFixed(2)} ` : '';
  return `${value}${label}`;
}

/** The dashboard's word for a call's status: live, processing, done or failed. */
export function statusWord(status) {
  if (status === 'active') return 'live';
  if (status === 'ended' || status === 'processing') return 'processing';
  return status === 'done' || status === 'failed' ? status : 'processing';
}

/** The server marks search matches as [word]; shows them as <mark> without trusting any HTML. */
export function highlighted(snippet) {
  const fragment = document.createDocumentFragment();
  const pattern = /\[([^\]]*)\]/g;
  let last = 0;
  for (let match = pattern.exec(snippet); match; match = pattern.exec(snippet)) {
    fragment.append(snippet.slice(last, match.index), h('mark', {}, match[1]));
    last = match.index + match[0].length;
  }
  fragment.append(snippet.slice(last));
  return fragment;
}

/** Runs fn at most once per animation frame, however often it is asked. */
export function frameBatcher(fn) {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      fn();
    });
  };
}

/** Saves a Blob as a file through a temporary link. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "2026-11-24" of a Date, in UTC (the API's dates are UTC days). */
export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

/** "2026-11" of a Date, in UTC; `offset` months later (−1: the month before). */
export function isoMonth(date, offset = 0) {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
}
