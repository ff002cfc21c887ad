// The filter bar shared by history and analytics: date range, agent, and optional choices (the
// source among them: CallPipe's own calls or a connector's). Its values live in the address
// (#/view?from=...), so a filtered view can be reloaded or shared.

import { h, isoDay } from '../dom.js';

export const OUTCOMES = ['resolved', 'escalated', 'callback', 'unresolved', 'voicemail', 'dropped'];
export const SENTIMENTS = ['positive', 'neutral', 'negative'];
export const DIRECTIONS = ['inbound', 'outbound'];
/** Where a call came from (its `source`), as the filter and the history name it. */
export const SOURCES = { callpipe: 'CallPipe', dialpad: 'Dialpad', elevenlabs: 'ElevenLabs' };

function sourceChoice(value) {
  return h('div', { class: 'field' },
    h('label', { for: 'filter-source' }, 'Source'),
    h('select', { id: 'filter-source', name: 'source' }, h('option', { value: '' }, 'All'),
      Object.entries(SOURCES).map(([key, name]) => h('option', { value: key, selected: key === value }, name))));
}

function choice(name, label, options, value) {
  const id = `filter-${name}`;
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name }, h('option', { value: '' }, 'Any'), options.map((o) => h('option', { value: o, selected: o === value }, o))));
}

function input(name, label, type, value, extra = {}) {
  const id = `filter-${name}`;
  return h('div', { class: 'field' }, h('label', { for: id }, label), h('input', { id, name, type, value: value || '', ...extra }));
}

/** A <form> of filters; `choices` picks which optional selects to show. */
export function filterForm({ params, choices = [], onSubmit, agents = [], extra = [] }) {
  const datalist = h('datalist', { id: 'agent-list' }, agents.map((a) => h('option', { value: a })));
  const fields = [
    input('from', 'From', 'date', params.get('from')),
    input('to', 'To (inclusive)', 'date', params.get('to')),
    input('agent_id', 'Agent', 'text', params.get('agent_id'), { list: 'agent-list', autocomplete: 'off', placeholder: 'any agent' }),
    choices.includes('direction') ? choice('direction', 'Direction', DIRECTIONS, params.get('direction')) : null,
    choices.includes('outcome') ? choice('outcome', 'Outcome', OUTCOMES, params.get('outcome')) : null,
    choices.includes('sentiment') ? choice('sentiment', 'Sentiment', SENTIMENTS, params.get('sentiment')) : null,
    choices.includes('source') ? sourceChoice(params.get('source')) : null,
  ];
  const form = h('form', { class: 'toolbar', role: 'search', 'aria-label': 'Filters' }, ...extra, ...fields, datalist,
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
    h('button', { type: 'reset' }, 'Clear'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit(values(form));
  });
  form.addEventListener('reset', () => setTimeout(() => onSubmit(new URLSearchParams())));
  return form;
}

function values(form) {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) if (String(value).trim()) params.set(key, String(value).trim());
  return params;
}

/** The API's query from the form's: `to` is exclusive there, so the day after the one picked. */
export function apiQuery(params, keys) {
  const query = {};
  for (const key of keys) if (params.get(key)) query[key] = params.get(key);
  if (query.to) {
    const next = new Date(`${query.to}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    query.to = isoDay(next);
  }
  return query;
}
