// Sources: one card per connector (Dialpad, ElevenLabs) — enabled, masked key, target, schedule,
// last and next run, why it is paused — with "Run now", and the sync log below. Polled every 2 s
// while a run is running, not at all otherwise.

import { dateTime, h, setText } from '../dom.js';
import { CONNECTORS, connectorName, runCounts, runPill, runWindow } from './connectors.js';

const POLL_MS = 2_000;
const LOG_SIZE = 50;

export function mountSources(container, { api, announce }) {
  let timer = null;
  let stopped = false;
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const updated = h('span', { class: 'muted', role: 'status' }, 'Loading…');
  const cards = new Map(CONNECTORS.map((connector) => [connector.kind, card(connector)]));
  const log = h('tbody');
  const logEmpty = h('p', { class: 'muted' }, 'No sync has run yet.');

  container.append(
    h('div', { class: 'view-head' }, h('h1', {}, 'Sources'), updated,
      h('button', { type: 'button', onclick: () => load() }, 'Refresh now'),
      h('a', { href: '#/settings' }, 'Connector settings')),
    error,
    h('div', { class: 'connector-cards' }, [...cards.values()].map((c) => c.element)),
    h('section', { 'aria-labelledby': 'sync-log-title' },
      h('h2', { id: 'sync-log-title' }, 'Sync log'),
      h('div', { class: 'table-wrap' }, h('table', { id: 'sync-log' },
        h('caption', { class: 'sr-only' }, 'Sync runs, newest first'),
        h('thead', {}, h('tr', {}, ['Started', 'Source', 'Trigger', 'Status', 'Window', 'Pages', 'New', 'Updated', 'Failed', 'Error']
          .map((name) => h('th', { scope: 'col', class: ['Pages', 'New', 'Updated', 'Failed'].includes(name) ? 'num' : null }, name)))),
        log)),
      logEmpty));

  /** A connector's card, built once and updated in place (its button keeps focus across polls). */
  function card({ kind, name, target }) {
    const id = (field) => `source-${kind}-${field}`;
    const fields = {
      enabled: h('dd', { id: id('enabled') }), key: h('dd', { id: id('key') }), target: h('dd', { id: id('target') }),
      schedule: h('dd', { id: id('schedule') }), last: h('dd', { id: id('last') }), next: h('dd', { id: id('next') }),
    };
    const paused = h('p', { class: 'paused', hidden: true });
    const message = h('p', { id: id('message'), class: 'run-message', role: 'status' });
    const button = h('button', { type: 'button', class: 'primary', 'aria-label': `Run now (${name})`, 'aria-describedby': id('message'), onclick: () => runNow(kind, name, button, message) }, 'Run now');
    const element = h('section', { class: 'panel connector-card', dataset: { kind }, 'aria-labelledby': id('title') },
      h('h2', { id: id('title') }, name),
      paused,
      h('dl', { class: 'facts' },
        h('dt', {}, 'Enabled'), fields.enabled, h('dt', {}, 'API key'), fields.key,
        h('dt', {}, target), fields.target, h('dt', {}, 'Schedule (UTC)'), fields.schedule,
        h('dt', {}, 'Last run'), fields.last, h('dt', {}, 'Next run'), fields.next),
      h('div', { class: 'toolbar' }, button), message);
    return { element, fields, paused, button };
  }

  function show(connector) {
    const c = cards.get(connector.kind);
    if (!c) return;
    const f = c.fields;
    setText(f.enabled, connector.enabled ? 'yes' : 'no');
    setText(f.key, connector.api_key || 'not set');
    setText(f.target, connector.target_id || 'not set');
    setText(f.schedule, connector.schedule || '–');
    setText(f.next, connector.enabled && connector.next_run_at ? dateTime(connector.next_run_at) : '–');
    const run = connector.last_run;
    const lastText = run ? `${run.status}|${run.started_at}|${runCounts(run)}|${run.error || ''}` : '';
    if (f.last.dataset.text !== lastText) {
      f.last.dataset.text = lastText;
      f.last.replaceChildren(...(run
        ? [runPill(run.status), ' ', dateTime(run.started_at), h('br'), runCounts(run), ...(run.error ? [h('br'), h('span', { class: 'error run-error' }, run.error)] : [])]
        : ['never']));
    }
    c.paused.hidden = !connector.paused_reason;
    setText(c.paused, connector.paused_reason ? `Paused: ${connector.paused_reason}` : '');
    c.element.classList.toggle('is-paused', Boolean(connector.paused_reason));
  }

  function row(run) {
    return h('tr', { dataset: { id: run.id, kind: run.kind, status: run.status } },
      h('td', {}, dateTime(run.started_at)), h('td', {}, connectorName(run.kind)),
      h('td', {}, run.trigger), h('td', {}, runPill(run.status)), h('td', {}, runWindow(run)),
      h('td', { class: 'num' }, run.pages ?? '–'), h('td', { class: 'num' }, run.calls_new ?? 0),
      h('td', { class: 'num' }, run.calls_updated ?? 0), h('td', { class: 'num' }, run.calls_failed ?? 0),
      h('td', { class: 'wrap' }, run.error || ''));
  }

  async function load() {
    clearTimeout(timer);
    try {
      const [connectors, runs] = await Promise.all([
        api.json('/api/connectors'), api.json('/api/connectors/sync-runs', { limit: LOG_SIZE })]);
      if (stopped) return;
      error.hidden = true;
      for (const connector of connectors.connectors) show(connector);
      log.replaceChildren(...runs.runs.map(row));
      logEmpty.hidden = runs.runs.length > 0;
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
      const running = runs.runs.some((run) => run.status === 'running')
        || connectors.connectors.some((connector) => connector.last_run?.status === 'running');
      if (running) timer = setTimeout(load, POLL_MS);
    } catch (problem) {
      if (stopped) return;
      error.hidden = false;
      error.textContent = `Could not load the connectors: ${problem.message}`;
      updated.textContent = '';
    }
  }

  async function runNow(kind, name, button, message) {
    button.disabled = true;
    message.className = 'run-message';
    message.setAttribute('role', 'status');
    try {
      await api.post(`/api/connectors/${kind}/sync`, {});
      message.textContent = `${name}: sync started.`;
      announce(`${name} sync started.`);
    } catch (problem) {
      // A 409 is expected (a run already going, or no key or target yet): said as the server says it.
      message.className = 'run-message error';
      message.setAttribute('role', 'alert');
      const hint = problem.code === 'not_configured' ? ' Set the key and the target in the settings.'
        : problem.code === 'sync_running' ? ' Its progress is in the sync log.' : '';
      message.textContent = `${problem.message}${hint && !/[.!?]$/.test(problem.message) ? '.' : ''}${hint}`;
    } finally {
      button.disabled = false;
    }
    if (!stopped) load();
  }

  load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
