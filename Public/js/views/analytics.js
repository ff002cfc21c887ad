// Analytics: the dashboard API's KPIs as cards and charts (calls per hour, outcomes, agent
// ranking, sentiment over time, talk ratio and silence per agent, talk speed per agent, topics),
// with date-range, agent and source filters, refreshed every 30 seconds while the tab is visible.

import { barChart, donutChart, lineChart } from '../charts.js';
import { duration, h, number, percent } from '../dom.js';
import { apiQuery, filterForm, OUTCOMES } from './filters.js';

const REFRESH_MS = 30_000;
const OUTCOME_COLORS = { resolved: '#15803d', escalated: '#dc2626', callback: '#2563eb', unresolved: '#b45309', voicemail: '#6b7280', dropped: '#7c3aed' };

export function mountAnalytics(container, { api, params }) {
  const query = apiQuery(params, ['from', 'to', 'agent_id', 'source']);
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const kpis = h('div', { class: 'kpis', 'aria-label': 'Key figures' });
  const charts = h('div', { class: 'charts' });
  const updated = h('span', { class: 'muted', role: 'status' }, 'Loading…');
  const auto = h('input', { type: 'checkbox', id: 'auto-refresh', checked: true });
  const form = filterForm({
    params, choices: ['source'], onSubmit: (next) => { location.hash = `#/analytics${next.toString() ? `?${next}` : ''}`; },
  });
  container.append(
    h('div', { class: 'view-head' }, h('h1', {}, 'Analytics'), updated,
      h('span', {}, auto, h('label', { for: 'auto-refresh', style: 'display:inline;margin-left:4px' }, 'Refresh every 30 s')),
      h('button', { type: 'button', onclick: () => load() }, 'Refresh now')),
    form, error, kpis, charts);

  function card(label, value) {
    return h('div', { class: 'kpi' }, h('div', { class: 'k' }, label), h('div', { class: 'v' }, value));
  }

  function chart(title, svg, note) {
    return h('figure', { class: 'panel chart', style: 'margin:0' }, h('figcaption', {}, h('h2', {}, title)), svg, note ? h('p', { class: 'muted' }, note) : null);
  }

  async function load() {
    try {
      const [report, agents, ...outcomeReports] = await Promise.all([
        api.json('/api/analytics/dashboard', query),
        api.json('/api/agents', query),
        ...OUTCOMES.map((outcome) => api.json('/api/analytics/dashboard', { ...query, outcome })),
      ]);
      error.hidden = true;
      render(report, agents.agents, outcomeReports.map((r, i) => ({ label: OUTCOMES[i], value: r.totals.calls, color: OUTCOME_COLORS[OUTCOMES[i]] })));
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
    } catch (problem) {
      error.hidden = false;
      error.textContent = `Could not load analytics: ${problem.message}`;
      updated.textContent = '';
    }
  }

  function render(report, agents, outcomes) {
    const t = report.totals;
    kpis.replaceChildren(
      card('Calls', t.calls), card('Inbound / outbound', `${t.inbound} / ${t.outbound}`),
      card('Resolution rate', percent(report.resolution_rate)), card('Escalations', t.escalations),
      card('Avg handle time', duration(report.handle_time.average_s)), card('Median handle time', duration(report.handle_time.median_s)),
      card('Talk ratio (agent)', percent(report.talk_ratio)), card('Avg silence', `${number(report.average_silence_pct, 1)}%`),
      card('Interruptions / call', number(report.interruptions_per_call, 2)), card('Avg sentiment', number(report.sentiment.average, 2)),
      card('Agent talk speed', report.agent_talk_speed_wpm == null ? '–' : `${number(report.agent_talk_speed_wpm)} wpm`),
      card('Customer’s share of questions', percent(report.customer_question_share)),
      card('Missed / dropped', `${t.missed} / ${t.dropped}`), card('Short / long', `${t.short_calls} / ${t.long_calls}`),
      card('Failed', t.failed), card('Peak hour (UTC)', report.peak_hour == null ? '–' : `${String(report.peak_hour).padStart(2, '0')}:00`),
      card('AI cost', `$${report.ai_cost.total_usd.toFixed(2)}`));
    const ranked = [...agents].sort((a, b) => (b.resolution_rate ?? -1) - (a.resolution_rate ?? -1) || b.calls - a.calls).slice(0, 12);
    const byDay = report.calls_per_day.map((d) => ({ label: d.date.slice(5), y: d.average_sentiment }));
    charts.replaceChildren(
      chart('Calls per hour (UTC)', lineChart({
        points: report.calls_per_hour.map((p) => ({ label: String(p.hour).padStart(2, '0'), y: p.calls })),
        label: `Calls per hour of day; peak at ${report.peak_hour ?? 'none'}`,
      })),
      chart('Outcomes', donutChart({ slices: outcomes, label: `Outcomes: ${outcomes.map((o) => `${o.label} ${o.value}`).join(', ')}` })),
      chart('Agent ranking: resolution rate', barChart({
        rows: ranked.map((a) => ({ label: `${a.agent_id} (${a.calls})`, values: [a.resolution_rate == null ? null : a.resolution_rate * 100] })),
        series: [{ name: 'resolution rate', color: '#15803d', format: (v) => `${v.toFixed(0)}%` }], max: 100,
        label: `Agents by resolution rate: ${ranked.map((a) => `${a.agent_id} ${percent(a.resolution_rate)}`).join(', ')}`,
      }), 'In brackets: calls handled.'),
      chart('Sentiment over time', byDay.length ? lineChart({
        points: byDay, yMin: -1, yMax: 1, zero: true, format: (v) => v.toFixed(1), label: 'Average sentiment per day',
      }) : h('p', { class: 'muted' }, 'No calls in this range.')),
      chart('Talk ratio and silence per agent', barChart({
        rows: agents.slice(0, 12).map((a) => ({ label: a.agent_id, values: [a.talk_ratio == null ? null : a.talk_ratio * 100, a.average_silence_pct] })),
        series: [
          { name: 'agent talk ratio', color: 'var(--agent)', format: (v) => `${v.toFixed(0)}%` },
          { name: 'silence', color: '#9ca3af', format: (v) => `${v.toFixed(1)}%` },
        ], max: 100, label: 'Agent talk ratio and silence share per agent',
      }), 'Blue: the agent’s share of talk. Grey: share of the call in silence.'),
      chart('Talk speed per agent', barChart({
        rows: agents.slice(0, 12).map((a) => ({ label: a.agent_id, values: [a.agent_talk_speed_wpm ?? null] })),
        series: [{ name: 'agent talk speed', color: 'var(--agent)', format: (v) => `${v.toFixed(0)} wpm` }],
        label: `Agent talk speed in words per minute: ${agents.slice(0, 12).map((a) => `${a.agent_id} ${number(a.agent_talk_speed_wpm)}`).join(', ')}`,
      }), 'Mean over the agent’s calls of the words per minute of the agent’s own talk time.'),
      chart('Sentiment', donutChart({
        slices: [
          { label: 'positive', value: report.sentiment.positive, color: 'var(--pos)' },
          { label: 'neutral', value: report.sentiment.neutral, color: 'var(--neu)' },
          { label: 'negative', value: report.sentiment.negative, color: 'var(--neg)' },
        ], label: `Sentiment: ${report.sentiment.positive} positive, ${report.sentiment.neutral} neutral, ${report.sentiment.negative} negative`,
      })),
      chart('Top topics', barChart({
        rows: report.top_topics.slice(0, 10).map((topic) => ({ label: topic.topic, values: [topic.calls] })),
        series: [{ name: 'calls', color: '#7c3aed', format: (v) => String(v) }], label: 'Top topics by calls',
      })));
  }

  load();
  api.json('/api/agents').then((data) => {
    const list = container.querySelector('#agent-list');
    if (list) list.replaceChildren(...data.agents.map((a) => h('option', { value: a.agent_id })));
  }, () => {});
  const timer = setInterval(() => {
    if (auto.checked && document.visibilityState === 'visible') load();
  }, REFRESH_MS);
  return () => clearInterval(timer);
}
