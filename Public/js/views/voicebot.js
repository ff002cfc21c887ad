// Voice bot: a month's KPIs of the ElevenLabs conversations (conversion, outcomes by direction and
// by evaluation criterion, durations, transfers, drop-outs, bot messages, cost, technical errors,
// ratings, the daily trend) and the agent activity of the imported calls, per agent with totals.
// The month (UTC, this one by default) lives in the address: #/voicebot?month=2026-11.

import { lineChart } from '../charts.js';
import { duration, h, isoMonth, number } from '../dom.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const pct = (value) => (value === null || value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(1)}%`);
const amount = (value) => (value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toLocaleString(undefined, { maximumFractionDigits: 2 }));

export function mountVoicebot(container, { api, params }) {
  let stopped = false;
  const chosen = params.get('month') || isoMonth(new Date());
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const status = h('span', { class: 'muted', role: 'status' }, 'Loading…');
  const month = h('input', { id: 'voicebot-month', name: 'month', type: 'month', required: true, value: chosen, pattern: '\\d{4}-\\d{2}', placeholder: 'YYYY-MM' });
  const form = h('form', { class: 'toolbar', 'aria-label': 'Month', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'voicebot-month' }, 'Month (UTC)'), month),
    h('button', { type: 'submit', class: 'primary' }, 'Show'));
  const kpis = h('div', { class: 'kpis', id: 'voicebot-kpis', 'aria-label': 'Voice-bot key figures' });
  const charts = h('div', { class: 'charts' });
  const tables = h('div', { class: 'charts' });
  const activity = h('div', { class: 'table-wrap' });

  container.append(
    h('div', { class: 'view-head' }, h('h1', {}, 'Voice bot'), status),
    form, error,
    h('section', { 'aria-labelledby': 'voicebot-title' }, h('h2', { id: 'voicebot-title' }, `Voice-bot sessions in ${chosen}`), kpis, charts, tables),
    h('section', { 'aria-labelledby': 'activity-title', class: 'activity' },
      h('h2', { id: 'activity-title' }, `Agent activity in ${chosen}`),
      h('p', { class: 'muted' }, 'Calls imported from the connectors, per agent (a voice bot is an agent too).'), activity));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = month.value.trim();
    if (!MONTH.test(next)) {
      error.hidden = false;
      error.textContent = 'Choose a month (YYYY-MM).';
      return;
    }
    location.hash = `#/voicebot?month=${next}`;
  });

  function card(key, label, value, note) {
    return h('div', { class: 'kpi', dataset: { kpi: key } }, h('div', { class: 'k' }, label),
      h('div', { class: 'v' }, value, note ? [' ', h('span', { class: 'note' }, `(${note})`)] : null));
  }

  function panel(title, ...children) {
    return h('figure', { class: 'panel chart' }, h('figcaption', {}, h('h3', {}, title)), ...children);
  }

  /** Rows [name, {successful, failed, unknown}] with their total and rate; `names` the columns'. */
  function outcomesTable(caption, first, rows, names) {
    return h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', { class: 'sr-only' }, caption),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, first), ...names.map((name) => h('th', { scope: 'col', class: 'num' }, name)))),
      h('tbody', {}, rows.map(([name, o]) => {
        const total = (o.successful || 0) + (o.failed || 0) + (o.unknown || 0);
        const conversion = o.conversion_percent ?? (total ? (o.successful / total) * 100 : null);
        return h('tr', { dataset: { name } }, h('th', { scope: 'row' }, name),
          h('td', { class: 'num' }, total), h('td', { class: 'num' }, o.successful ?? 0), h('td', { class: 'num' }, o.failed ?? 0),
          h('td', { class: 'num' }, o.unknown ?? 0), h('td', { class: 'num' }, pct(conversion)));
      }))));
  }

  function render(k) {
    const o = k.outcomes || {};
    const d = k.durations || {};
    kpis.replaceChildren(
      card('sessions', 'Sessions', k.sessions), card('conversion', 'Conversion', pct(k.conversion_percent)),
      card('successful', 'Successful', o.successful ?? 0), card('failed', 'Failed', o.failed ?? 0), card('unknown', 'Unknown', o.unknown ?? 0),
      card('duration', 'Avg duration', duration(d.average_s)), card('duration-range', 'Min / max', `${duration(d.min_s)} / ${duration(d.max_s)}`),
      card('short-long', 'Short / long', `${d.short ?? 0} / ${d.long ?? 0}`),
      card('transfers', 'Transfers to a person', k.transfers ?? 0, pct(k.transfer_percent)),
      card('drop-outs', 'Drop-outs', k.drop_outs ?? 0), card('bot-messages', 'Bot messages / session', number(k.average_bot_messages, 1)),
      card('cost', 'Cost, total', amount(k.cost_total)), card('cost-per-session', 'Cost / session', amount(k.cost_per_session)),
      card('technical-errors', 'Technical errors', k.technical_errors ?? 0, pct(k.error_rate_percent)),
      card('rating', 'Avg rating (1–5)', number(k.average_rating, 2), `${k.ratings ?? 0} rated`));
    const daily = k.daily || [];
    const byDirection = Object.entries(k.by_direction || {});
    const criteria = Object.entries(k.criteria || {}).sort(([a], [b]) => a.localeCompare(b));
    charts.replaceChildren(
      panel('Sessions per day', daily.length ? lineChart({
        points: daily.map((day) => ({ label: day.date.slice(5), y: day.sessions })),
        label: `Sessions per day: ${daily.map((day) => `${day.date} ${day.sessions}`).join(', ')}`,
      }) : h('p', { class: 'muted' }, 'No sessions this month.')),
      panel('Conversion per day', daily.length ? lineChart({
        points: daily.map((day) => ({ label: day.date.slice(5), y: day.conversion_percent })), yMin: 0, yMax: 100,
        format: (v) => `${v.toFixed(0)}%`, label: `Conversion per day: ${daily.map((day) => `${day.date} ${pct(day.conversion_percent)}`).join(', ')}`,
      }) : h('p', { class: 'muted' }, 'No sessions this month.'),
      daily.some((day) => day.technical_errors) ? h('p', { class: 'muted' }, `Technical errors: ${daily.filter((day) => day.technical_errors).map((day) => `${day.date.slice(5)} ${day.technical_errors}`).join(', ')}`) : null));
    tables.replaceChildren(
      panel('By direction', outcomesTable('Outcomes by direction', 'Direction', byDirection, ['Sessions', 'Successful', 'Failed', 'Unknown', 'Conversion'])),
      panel('Evaluation criteria', criteria.length
        ? outcomesTable('Evaluation criteria: pass, fail, unknown', 'Criterion', criteria, ['Evaluated', 'Pass', 'Fail', 'Unknown', 'Pass rate'])
        : h('p', { class: 'muted' }, 'No criteria evaluated.')));
  }

  function renderActivity(report) {
    const columns = ['Total', 'Inbound', 'Outbound', 'Completed', 'Missed', 'Avg duration', 'Efficiency'];
    const cells = (c) => [c.total, c.inbound, c.outbound, c.completed, c.missed].map((n) => h('td', { class: 'num' }, n ?? 0))
      .concat(h('td', { class: 'num' }, duration(c.average_duration_s)), h('td', { class: 'num' }, pct(c.efficiency_percent)));
    const agents = report.agents || [];
    activity.replaceChildren(h('table', { id: 'agent-activity' },
      h('caption', { class: 'sr-only' }, 'Agent activity per agent, with totals'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Agent'), columns.map((name) => h('th', { scope: 'col', class: 'num' }, name)))),
      h('tbody', {}, agents.length ? agents.map((agent) => h('tr', { dataset: { agent: agent.agent_id } },
        h('th', { scope: 'row' }, agent.name || agent.agent_id, agent.email ? h('span', { class: 'muted sub' }, agent.email) : null),
        cells(agent))) : h('tr', {}, h('td', { colspan: columns.length + 1, class: 'muted' }, 'No imported calls this month.'))),
      h('tfoot', {}, h('tr', { class: 'totals' }, h('th', { scope: 'row' }, 'All agents'), cells(report.total || {})))));
  }

  async function load() {
    if (!MONTH.test(chosen)) {
      status.textContent = '';
      error.hidden = false;
      error.textContent = `“${chosen}” is not a month (YYYY-MM).`;
      return;
    }
    const [kpiAnswer, activityAnswer] = await Promise.allSettled([
      api.json('/api/analytics/voicebot', { month: chosen }),
      api.json('/api/analytics/agent-activity', { month: chosen }),
    ]);
    if (stopped) return;
    const problems = [];
    if (kpiAnswer.status === 'fulfilled') render(kpiAnswer.value);
    else problems.push(`voice-bot KPIs: ${kpiAnswer.reason.message}`);
    if (activityAnswer.status === 'fulfilled') renderActivity(activityAnswer.value);
    else problems.push(`agent activity: ${activityAnswer.reason.message}`);
    error.hidden = problems.length === 0;
    error.textContent = problems.length ? `Could not load the ${problems.join('; ')}` : '';
    status.textContent = problems.length ? '' : `Updated ${new Date().toLocaleTimeString()}`;
  }

  load();
  return () => {
    stopped = true;
  };
}
