// The call view's side panels: live numbers, alerts, the post-call insights, talk speed and
// questions, pipeline stages and CRM deliveries. Each owns its element and takes data as it comes.

import { lineChart } from '../charts.js';
import { duration, h, number, percent, sentimentText } from '../dom.js';

const STAGES = ['analyze', 'transcribe', 'enrich', 'summarize', 'deliver'];

function section(title, ...children) {
  return h('section', { class: 'panel', 'aria-label': title }, h('h2', {}, title), ...children);
}

/** Talk time per speaker, the silence timer, over-talk, and the sentiment trend. */
export class LivePanel {
  constructor() {
    this.bars = h('div', { class: 'bars' });
    this.silence = h('span', { class: 'big', 'aria-label': 'Current silence' }, '0:00');
    this.facts = h('dl', { class: 'facts' });
    this.trend = h('div', { class: 'chart' }, h('p', { class: 'muted' }, 'The sentiment trend appears after the first lines.'));
    this.element = section('Live',
      this.bars,
      h('p', {}, h('span', { class: 'muted' }, 'Silence now '), this.silence),
      this.facts,
      h('h3', {}, 'Sentiment trend'), this.trend);
    this.base = null;
    this.showTalk({});
  }

  /** Talk seconds per speaker (live insights, or the recording's analysis). */
  showTalk(talk) {
    const total = Object.values(talk).reduce((a, b) => a + b, 0);
    this.bars.replaceChildren(...['agent', 'customer'].map((speaker) => {
      const seconds = talk[speaker] || 0;
      const share = total > 0 ? seconds / total : 0;
      return h('div', { class: 'bar-row' },
        h('span', {}, speaker === 'agent' ? 'Agent' : 'Customer'),
        h('span', { class: 'bar', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': Math.round(share * 100), 'aria-label': `${speaker} share of talk` },
          h('span', { style: `width:${(share * 100).toFixed(1)}%;background:var(--${speaker})` })),
        h('span', {}, `${duration(seconds)} · ${percent(share)}`));
    }));
  }

  update(insights) {
    this.showTalk(insights.talk_s || {});
    this.live = insights.connected !== false;
    this.base = { silence: insights.current_silence_s || 0, at: performance.now(), quiet: (insights.speaking || []).length === 0 };
    this.tick();
    const interruptions = insights.interruptions || {};
    this.facts.replaceChildren(
      h('dt', {}, 'Call time'), h('dd', {}, duration(insights.call_s)),
      h('dt', {}, 'Silence, total'), h('dd', {}, duration(insights.silence_s)),
      h('dt', {}, 'Over-talk'), h('dd', {}, `${number(insights.over_talk_s, 1)} s`),
      h('dt', {}, 'Interruptions'), h('dd', {}, `agent ${interruptions.agent || 0}, customer ${interruptions.customer || 0}`),
      h('dt', {}, 'Speaking'), h('dd', {}, (insights.speaking || []).join(', ') || 'nobody'),
      h('dt', {}, 'Transcription lag'), h('dd', {}, `${number(insights.transcription?.lag_s, 1)} s`));
    const trend = insights.sentiment?.trend || [];
    if (trend.length) {
      this.trend.replaceChildren(lineChart({
        points: trend.map((p) => ({ label: duration(p.at_s), y: p.score })), label: `Sentiment trend, latest ${sentimentText(insights.sentiment.latest)}`,
        yMin: -1, yMax: 1, height: 150, zero: true, format: (v) => v.toFixed(1),
      }));
    }
  }

  /** Runs the silence timer between insight updates (every second). */
  tick() {
    if (!this.base) return;
    const extra = this.base.quiet && this.live ? (performance.now() - this.base.at) / 1000 : 0;
    this.silence.textContent = duration(this.base.silence + extra);
  }

  ended() {
    this.live = false;
  }
}

/** Alerts as they fire, newest first, announced to screen readers. */
export class AlertsPanel {
  constructor() {
    this.list = h('ul', { class: 'alerts', 'aria-live': 'assertive', 'aria-relevant': 'additions' });
    this.none = h('p', { class: 'muted' }, 'No alerts.');
    this.element = section('Alerts', this.none, this.list);
  }

  add(alert) {
    this.none.hidden = true;
    this.list.prepend(h('li', { dataset: { kind: alert.kind } }, h('strong', {}, `${duration(alert.at_s)} `), alert.message || alert.kind));
  }
}

/** Summary, key points, action items, outcome, topics and per-quarter sentiment. */
export class SummaryPanel {
  constructor() {
    this.body = h('div', {}, h('p', { class: 'muted' }, 'The summary follows the call.'));
    this.element = section('Summary', this.body);
  }

  show(insights, isFinal) {
    if (!insights) return;
    const quarters = insights.sentiment?.quarters || [];
    this.body.replaceChildren(
      h('p', { class: 'summary-text' }, insights.summary || '(no summary)'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Outcome'), h('dd', { class: 'outcome' }, insights.outcome || '–'),
        h('dt', {}, 'Sentiment'), h('dd', { class: `sent ${insights.sentiment?.label || ''}` }, sentimentText(insights.sentiment?.overall, insights.sentiment?.label)),
        h('dt', {}, 'Analyzer'), h('dd', {}, `${insights.analyzer || '–'}${isFinal ? '' : ' (provisional)'}`)),
      h('h3', {}, 'Topics'),
      insights.topics?.length ? h('ul', { class: 'chips' }, insights.topics.map((t) => h('li', {}, t))) : h('p', { class: 'muted' }, 'None.'),
      h('h3', {}, 'Key points'),
      list(insights.key_points, (point) => point),
      h('h3', {}, 'Action items'),
      list(insights.action_items, (item) => `${item.text} (${item.owner}${item.due ? `, ${item.due}` : ''})`),
      h('h3', {}, 'Sentiment per quarter'),
      h('div', { class: 'bars' }, quarters.map((q, i) => h('div', { class: 'bar-row' },
        h('span', {}, `Q${i + 1}`),
        h('span', { class: 'bar', title: q === null ? 'no customer speech' : q.toFixed(2) },
          h('span', { style: `width:${q === null ? 0 : (Math.abs(q) * 100).toFixed(0)}%;background:var(--${q === null ? 'neu' : q > 0.2 ? 'pos' : q < -0.2 ? 'neg' : 'neu'})` })),
        h('span', {}, q === null ? '–' : `${q > 0 ? '+' : ''}${q.toFixed(2)}`)))));
  }
}

const PARTY_NAMES = { agent: 'Agent', customer: 'Customer', unknown: 'Both (mono)' };

/** Talk speed (words per minute of each party's own talk time), words and questions per party,
 * and the customer's share of the questions; dashes until there is a transcript. */
export class ConversationPanel {
  constructor() {
    this.body = h('div', {}, h('p', { class: 'muted' }, 'Talk speed and questions follow the transcript.'));
    this.element = h('section', { class: 'panel conversation', 'aria-label': 'Talk speed and questions' },
      h('h2', {}, 'Talk speed and questions'), this.body);
  }

  show(conversation) {
    if (!conversation) return;
    const order = Object.keys(PARTY_NAMES);
    const parties = Object.entries(conversation.speakers || {})
      .sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
    if (!parties.length) return;
    const rows = parties.map(([speaker, party]) => h('tr', { dataset: { speaker } },
      h('th', { scope: 'row' }, PARTY_NAMES[speaker] || speaker),
      h('td', { class: 'num wpm' }, party.talk_speed_wpm == null ? '–' : `${number(party.talk_speed_wpm)} wpm`),
      h('td', { class: 'num' }, party.words ?? '–'),
      h('td', { class: 'num' }, party.questions ?? '–')));
    this.body.replaceChildren(...[
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Speaker'), h('th', { class: 'num' }, 'Talk speed'), h('th', { class: 'num' }, 'Words'), h('th', { class: 'num' }, 'Questions'))),
        h('tbody', {}, rows))),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Customer’s share of questions'),
        h('dd', { class: 'question-share' }, percent(conversation.customer_question_share))),
      conversation.questions == null ? h('p', { class: 'muted' }, 'No transcript yet: words and questions are not known.') : null,
    ].filter(Boolean));
  }
}

function list(items, text) {
  if (!items || items.length === 0) return h('p', { class: 'muted' }, 'None.');
  return h('ul', {}, items.map((item) => h('li', {}, text(item))));
}

/** Where each pipeline stage stands. */
export class StagesPanel {
  constructor(title = 'Pipeline') {
    this.items = new Map(STAGES.map((stage) => [stage, h('li', { dataset: { stage, state: 'waiting' } }, h('span', {}, stage), h('span', { class: 'state' }, 'waiting'))]));
    this.list = h('ol', { class: 'stages' }, [...this.items.values()]);
    this.element = section(title, this.list);
  }

  set(stage, state, error) {
    const item = this.items.get(stage);
    if (!item) return;
    item.dataset.state = state;
    item.querySelector('.state').textContent = error ? `${state}: ${error}` : state;
  }

  fromJobs(jobs) {
    for (const job of jobs || []) this.set(job.stage, job.state === 'running' ? 'started' : job.state, job.last_error);
  }
}

/** The call's CRM deliveries, one row per target. */
export class CRMPanel {
  constructor() {
    this.rows = new Map();
    this.body = h('tbody');
    this.none = h('p', { class: 'muted' }, 'No deliveries yet.');
    this.element = section('CRM delivery', this.none,
      h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Target'), h('th', {}, 'State'), h('th', { class: 'num' }, 'Attempts'), h('th', {}, 'Detail'))), this.body)));
  }

  set(delivery) {
    const id = delivery.delivery_id || delivery.id;
    const row = h('tr', { dataset: { state: delivery.state } },
      h('td', {}, `${delivery.target} (${delivery.kind})`), h('td', {}, delivery.state),
      h('td', { class: 'num' }, delivery.attempts), h('td', {}, delivery.last_error || delivery.remote_id || ''));
    const previous = this.rows.get(id);
    if (previous) previous.replaceWith(row);
    else this.body.append(row);
    this.rows.set(id, row);
    this.none.hidden = true;
  }
}
