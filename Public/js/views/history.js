// History and search: the paginated call table with filters (the source among them; an imported
// call says where it came from), full-text search with the matches highlighted, and the CSV
// export of the filtered calls.

import { dateTime, duration, h, highlighted, saveBlob, sentimentText, statusWord } from '../dom.js';
import { apiQuery, filterForm, SOURCES } from './filters.js';

const PAGE_SIZE = 25;
const FILTERS = ['from', 'to', 'agent_id', 'direction', 'outcome', 'sentiment', 'source'];

export function mountHistory(container, { api, params }) {
  const page = Math.max(1, Number(params.get('page')) || 1);
  const query = params.get('q') || '';
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const results = h('section', { 'aria-label': 'Search results', hidden: !query });
  const body = h('tbody');
  const status = h('p', { class: 'muted', role: 'status', id: 'history-status' }, 'Loading…');
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  const search = h('div', { class: 'field' },
    h('label', { for: 'filter-q' }, 'Search transcripts and summaries'),
    h('input', { id: 'filter-q', name: 'q', type: 'search', value: query, placeholder: 'e.g. router refund' }));

  const go = (next) => {
    location.hash = `#/history${next.toString() ? `?${next}` : ''}`;
  };
  const form = filterForm({ params, choices: ['direction', 'outcome', 'sentiment', 'source'], onSubmit: go, extra: [search] });
  const exportButton = h('button', { type: 'button', onclick: exportCSV }, 'Export CSV');

  container.append(
    h('div', { class: 'view-head' }, h('h1', {}, 'History'), exportButton),
    form, error, results,
    h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', { class: 'sr-only' }, 'Calls, newest first'),
      h('thead', {}, h('tr', {}, ['Started', 'Agent', 'Customer', 'Direction', 'Duration', 'Status', 'Outcome', 'Sentiment']
        .map((name) => h('th', { scope: 'col', class: name === 'Duration' ? 'num' : null }, name)))),
      body)),
    status, pager);

  function showError(problem) {
    error.hidden = false;
    error.textContent = problem.message;
  }

  async function loadPage() {
    try {
      const data = await api.json('/api/calls/history', { ...apiQuery(params, FILTERS), page, page_size: PAGE_SIZE });
      body.replaceChildren(...data.calls.map(row));
      const pages = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
      status.textContent = data.total === 0 ? 'No calls match.' : `${data.total} calls · page ${page} of ${pages}`;
      const link = (label, target, disabled) => {
        const next = new URLSearchParams(params);
        next.set('page', String(target));
        return h('button', { type: 'button', disabled, onclick: () => go(next) }, label);
      };
      pager.replaceChildren(link('← Newer', page - 1, page <= 1), link('Older →', page + 1, page >= pages));
    } catch (problem) {
      status.textContent = '';
      showError(problem);
    }
  }

  function row(call) {
    const m = call.metrics || {};
    const word = statusWord(call.status);
    // Calls a connector imported say where from; CallPipe's own say nothing.
    const source = call.source && call.source !== 'callpipe'
      ? h('span', { class: 'source-tag', dataset: { source: call.source } }, SOURCES[call.source] || call.source) : null;
    return h('tr', { dataset: { source: call.source || 'callpipe' } },
      h('td', {}, h('a', { href: `#/calls/${encodeURIComponent(call.id)}` }, dateTime(call.created_at)), source),
      h('td', {}, call.agent_id), h('td', {}, call.customer_id || '–'), h('td', {}, call.direction),
      h('td', { class: 'num' }, duration(m.duration_s)),
      h('td', {}, h('span', { class: `pill ${word}` }, word)),
      h('td', {}, m.outcome || '–'),
      h('td', { class: `sent ${m.sentiment_label || ''}` }, sentimentText(m.sentiment, m.sentiment_label)));
  }

  async function loadSearch() {
    if (!query) return;
    results.replaceChildren(h('h2', {}, `Matches for “${query}”`), h('p', { class: 'muted' }, 'Searching…'));
    try {
      const data = await api.json('/api/calls/search', { q: query });
      results.replaceChildren(h('h2', {}, `Matches for “${query}”`),
        data.results.length === 0
          ? h('p', { class: 'muted' }, 'Nothing matches.')
          : h('ul', { class: 'results' }, data.results.map((hit) => h('li', {},
            h('a', { href: `#/calls/${encodeURIComponent(hit.call_id)}` }, hit.call_id), ' ',
            h('span', { class: 'muted' }, `(${hit.kind})`), h('div', {}, highlighted(hit.snippet))))));
    } catch (problem) {
      results.replaceChildren();
      showError(problem);
    }
  }

  async function exportCSV() {
    exportButton.disabled = true;
    try {
      const blob = await api.blob('/api/calls/export.csv', apiQuery(params, FILTERS), 'text/csv');
      saveBlob(blob, 'callpipe-calls.csv');
    } catch (problem) {
      showError(problem);
    } finally {
      exportButton.disabled = false;
    }
  }

  loadSearch();
  loadPage();
  api.json('/api/agents').then((data) => {
    const list = container.querySelector('#agent-list');
    if (list) list.replaceChildren(...data.agents.map((a) => h('option', { value: a.agent_id })));
  }, () => {});
  return null;
}
