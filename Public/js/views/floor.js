// The floor: every live call first, then the most recent finished ones, updated from the rooms'
// events as they arrive (no polling). Rows are built once and patched in place at most once per
// animation frame, so hundreds of live calls at hundreds of events a second stay smooth. The
// "follow the newest live call" toggle is here; following itself runs for the whole dashboard
// (follow.js), as the call view it opens replaces the floor.

import { dateTime, duration, frameBatcher, h, sentimentLabel, sentimentText, setText, statusWord } from '../dom.js';
import { followToggle } from '../follow.js';

const RECENT_KEPT = 60;
const ALERT_NAMES = { dead_air: 'dead air', over_talk: 'over-talk', negative_sentiment: 'negative streak', keyword: 'keyword', crm_paused: 'CRM paused' };

export function mountFloor(container, { api, socket, announce }) {
  const calls = new Map();
  const dirty = new Set();
  let order = [];
  let orderChanged = false;
  const unknown = new Set();
  let lookupTimer = null;

  const counts = { live: h('strong', {}, '0'), processing: h('strong', {}, '0'), done: h('strong', {}, '0'), alerts: h('strong', {}, '0') };
  const list = h('ol', { class: 'floor-list', 'aria-label': 'Calls, live first' });
  const empty = h('p', { class: 'empty' }, 'No calls yet. Replay one with callpipe replay, or upload a recording.');
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  container.append(
    h('div', { class: 'view-head' },
      h('h1', {}, 'Floor'),
      h('div', { class: 'floor-summary', role: 'status', 'aria-live': 'off' },
        h('span', {}, counts.live, ' live'), h('span', {}, counts.processing, ' processing'),
        h('span', {}, counts.done, ' done'), h('span', {}, counts.alerts, ' alerts')),
      h('span', { class: 'legend', 'aria-hidden': 'true' }, 'talk ratio', h('span', { class: 'sw', style: 'background:var(--agent)' }), 'agent',
        h('span', { class: 'sw', style: 'background:var(--customer)' }), 'customer'),
      followToggle(announce)),
    error,
    h('div', { class: 'floor-head', 'aria-hidden': 'true' },
      h('span', {}, 'Agent'), h('span', {}, 'Customer'), h('span', {}, 'Direction'), h('span', {}, 'Duration'),
      h('span', {}, 'Status'), h('span', {}, 'Sentiment'), h('span', {}, 'Talk ratio'), h('span', {}, 'Alerts')),
    list, empty);

  function ensure(id) {
    let call = calls.get(id);
    if (!call) {
      call = { id, agent: null, customer: null, direction: null, status: 'active', createdAt: null, durationS: null, base: null, sentiment: null, label: null, ratio: null, alerts: new Map(), el: null };
      calls.set(id, call);
      orderChanged = true;
    }
    return call;
  }

  function fill(call, record) {
    call.agent = record.agent_id;
    call.customer = record.customer_id;
    call.direction = record.direction;
    call.createdAt = record.created_at;
    if (record.status && !call.seenStatus) call.status = record.status;
    const metrics = record.metrics;
    if (metrics) {
      if (metrics.duration_s != null) call.durationS = metrics.duration_s;
      if (metrics.sentiment != null && call.sentiment == null) {
        call.sentiment = metrics.sentiment;
        call.label = metrics.sentiment_label;
      }
      const talk = (metrics.agent_talk_s || 0) + (metrics.customer_talk_s || 0);
      if (talk > 0 && call.ratio == null) call.ratio = metrics.agent_talk_s / talk;
    }
    touch(call);
  }

  function touch(call) {
    dirty.add(call.id);
    schedule();
  }

  function onEvent(event) {
    const id = event.session_id;
    if (!id) return;
    const data = event.data || {};
    const known = calls.has(id);
    const call = ensure(id);
    if (!known) lookup(id);
    switch (event.type) {
      case 'call_status':
        if (call.status !== data.status) orderChanged = true;
        call.status = data.status;
        call.seenStatus = true;
        break;
      case 'real_time_insights':
        call.base = { callS: data.call_s, at: performance.now() };
        if (data.talk_ratio && data.talk_ratio.agent != null) call.ratio = data.talk_ratio.agent;
        if (data.sentiment) {
          const score = data.sentiment.customer_average ?? data.sentiment.latest;
          if (score != null) {
            call.sentiment = score;
            call.label = sentimentLabel(score);
          }
        }
        break;
      case 'alert':
        call.alerts.set(data.kind, (call.alerts.get(data.kind) || 0) + 1);
        break;
      case 'summary_update':
        if (data.insights && data.insights.sentiment) {
          call.sentiment = data.insights.sentiment.overall;
          call.label = data.insights.sentiment.label;
        }
        break;
      default:
        return;
    }
    touch(call);
  }

  // Calls first seen in an event: one history request finds the new ones; stragglers one by one.
  function lookup(id) {
    unknown.add(id);
    clearTimeout(lookupTimer);
    lookupTimer = setTimeout(resolveUnknown, 250);
  }

  async function resolveUnknown() {
    const wanted = new Set(unknown);
    unknown.clear();
    try {
      const page = await api.json('/api/calls/history', { page_size: 200 });
      for (const record of page.calls) {
        if (wanted.delete(record.id) || calls.has(record.id)) fill(ensure(record.id), record);
      }
      for (const id of [...wanted].slice(0, 20)) fill(ensure(id), await api.json(`/api/calls/${encodeURIComponent(id)}`));
    } catch (problem) {
      showError(problem);
    }
  }

  function showError(problem) {
    error.hidden = false;
    error.textContent = `Could not load calls: ${problem.message}`;
  }

  function buildRow(call) {
    const cells = {
      agent: h('span', { class: 'who' }), customer: h('span', { class: 'who' }), direction: h('span'),
      dur: h('span', { class: 'dur' }), status: h('span', { class: 'pill' }), sentiment: h('span', { class: 'sent' }),
      ratioA: h('span', { class: 'a' }), ratioC: h('span', { class: 'c' }), ratioText: h('span', { class: 'sr-only' }),
      alerts: h('span', { class: 'alerts-cell' }),
    };
    const link = h('a', { class: 'call-row', href: `#/calls/${encodeURIComponent(call.id)}` },
      cells.agent, cells.customer, cells.direction, cells.dur, h('span', {}, cells.status), cells.sentiment,
      h('span', { class: 'ratio-cell' }, h('span', { class: 'ratio', 'aria-hidden': 'true' }, cells.ratioA, cells.ratioC), cells.ratioText),
      cells.alerts);
    call.el = h('li', { dataset: { id: call.id } }, link);
    call.cells = cells;
    call.link = link;
  }

  function render(call) {
    if (!call.el) buildRow(call);
    const c = call.cells;
    const word = statusWord(call.status);
    setText(c.agent, call.agent ?? '…');
    setText(c.customer, call.customer ?? '–');
    setText(c.direction, call.direction ?? '');
    setText(c.status, word);
    c.status.className = `pill ${word}`;
    call.link.classList.toggle('is-live', word === 'live');
    setText(c.sentiment, sentimentText(call.sentiment, call.label));
    c.sentiment.className = `sent ${call.label || ''}`;
    const ratio = call.ratio;
    c.ratioA.style.width = ratio == null ? '0%' : `${Math.round(ratio * 100)}%`;
    c.ratioC.style.width = ratio == null ? '0%' : `${Math.round((1 - ratio) * 100)}%`;
    setText(c.ratioText, ratio == null ? 'talk ratio unknown' : `agent talks ${Math.round(ratio * 100)}%`);
    const alertText = [...call.alerts].map(([kind, n]) => `${ALERT_NAMES[kind] || kind}${n > 1 ? ` ×${n}` : ''}`).join('|');
    if (c.alerts.dataset.text !== alertText) {
      c.alerts.dataset.text = alertText;
      c.alerts.replaceChildren(...[...call.alerts].map(([kind, n]) =>
        h('span', { class: `badge${kind === 'negative_sentiment' || kind === 'keyword' ? ' severe' : ''}` }, `${ALERT_NAMES[kind] || kind}${n > 1 ? ` ×${n}` : ''}`)));
    }
    tickOne(call);
    call.link.title = call.createdAt ? `Started ${dateTime(call.createdAt)}` : '';
  }

  function liveSeconds(call, now) {
    if (call.base) return call.base.callS + (now - call.base.at) / 1000;
    if (call.createdAt) return (Date.now() - Date.parse(call.createdAt)) / 1000;
    return null;
  }

  function tickOne(call, now = performance.now()) {
    const word = statusWord(call.status);
    const seconds = word === 'live' ? liveSeconds(call, now) : call.durationS ?? call.base?.callS ?? null;
    setText(call.cells.dur, duration(seconds));
  }

  const rank = { live: 0, processing: 1, done: 2, failed: 2 };
  function sortKey(call) {
    return [rank[statusWord(call.status)], -(call.createdAt ? Date.parse(call.createdAt) : Number.MAX_SAFE_INTEGER)];
  }

  function flush() {
    for (const id of dirty) {
      const call = calls.get(id);
      if (call) render(call);
    }
    dirty.clear();
    if (orderChanged) {
      orderChanged = false;
      const sorted = [...calls.values()].sort((a, b) => {
        const [ra, ta] = sortKey(a);
        const [rb, tb] = sortKey(b);
        return ra - rb || ta - tb || (a.id < b.id ? -1 : 1);
      });
      // Keep every live call and the most recent finished ones.
      let finished = 0;
      const kept = sorted.filter((call) => statusWord(call.status) === 'live' || (finished += 1) <= RECENT_KEPT);
      const keptSet = new Set(kept);
      for (const call of sorted) {
        if (!keptSet.has(call)) {
          call.el?.remove();
          calls.delete(call.id);
        }
      }
      const ids = kept.map((call) => call.id);
      if (ids.length !== order.length || ids.some((id, i) => id !== order[i])) {
        for (const call of kept) if (!call.el) render(call);
        list.replaceChildren(...kept.map((call) => call.el));
        order = ids;
      }
      empty.hidden = kept.length > 0;
    }
    summarize();
  }
  const schedule = frameBatcher(flush);

  function summarize() {
    let live = 0;
    let processing = 0;
    let done = 0;
    let alerts = 0;
    for (const call of calls.values()) {
      const word = statusWord(call.status);
      if (word === 'live') live += 1;
      else if (word === 'processing') processing += 1;
      else done += 1;
      for (const n of call.alerts.values()) alerts += n;
    }
    setText(counts.live, live);
    setText(counts.processing, processing);
    setText(counts.done, done);
    setText(counts.alerts, alerts);
  }

  const ticker = setInterval(() => {
    const now = performance.now();
    for (const call of calls.values()) if (call.el && statusWord(call.status) === 'live') tickOne(call, now);
  }, 1000);

  const stop = socket.listen(onEvent);
  Promise.all([
    api.json('/api/calls/history', { page_size: 500, status: 'active' }),
    api.json('/api/calls/history', { page_size: RECENT_KEPT }),
  ]).then(([active, recent]) => {
    for (const record of [...active.calls, ...recent.calls]) fill(ensure(record.id), record);
    orderChanged = true;
    schedule();
  }, showError);
  schedule();

  return () => {
    stop();
    clearInterval(ticker);
    clearTimeout(lookupTimer);
  };
}
