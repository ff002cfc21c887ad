// What the connector views share: the two connectors' names and the word for their target, and a
// sync run's status and counts as the sources view shows them (docs/connectors.md, "HTTP API").

import { dateTime, h } from '../dom.js';

export const CONNECTORS = [
  { kind: 'dialpad', name: 'Dialpad', target: 'Department id', baseURL: 'https://dialpad.com' },
  { kind: 'elevenlabs', name: 'ElevenLabs', target: 'Agent id', baseURL: 'https://api.elevenlabs.io' },
];

export const connectorName = (kind) => CONNECTORS.find((c) => c.kind === kind)?.name || kind;

/** A run's status as a pill: running, succeeded, failed or paused. */
export function runPill(status) {
  return h('span', { class: `pill run-${status}` }, status);
}

/** "290 new · 3 updated · 0 failed". */
export function runCounts(run) {
  return `${run.calls_new ?? 0} new · ${run.calls_updated ?? 0} updated · ${run.calls_failed ?? 0} failed`;
}

/** The period a run reads: "1 Nov 2026, 00:00 – 8 Nov 2026, 02:00". */
export function runWindow(run) {
  return `${dateTime(run.window_from)} – ${dateTime(run.window_to)}`;
}
