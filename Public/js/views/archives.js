// Archives: a month of every call as CSV (POST /api/archives; again for the same month replaces
// it), the archives made so far, and their download — fetched with the key in a header and saved
// from a Blob, as the history's CSV export is.

import { bytes, dateTime, h, isoMonth, saveBlob } from '../dom.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function mountArchives(container, { api, announce }) {
  let stopped = false;
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const status = h('p', { class: 'muted', role: 'status' });
  // The month the schedule archives by default: the one before this one (UTC).
  const month = h('input', { id: 'archive-month', name: 'month', type: 'month', required: true, value: isoMonth(new Date(), -1), min: '2000-01', max: '2999-12', pattern: '\\d{4}-\\d{2}', placeholder: 'YYYY-MM' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Archive month');
  const body = h('tbody');
  const empty = h('p', { class: 'muted' }, 'No month archived yet.');
  const form = h('form', { class: 'toolbar', 'aria-label': 'Archive a month', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'archive-month' }, 'Month (UTC)'), month), submit);

  container.append(
    h('div', { class: 'view-head' }, h('h1', {}, 'Archives')),
    h('p', { class: 'muted' }, 'A month of every call, all sources, as the CSV export writes it. Archiving a month again replaces its archive.'),
    form, error, status,
    h('div', { class: 'table-wrap' }, h('table', { id: 'archives' },
      h('caption', { class: 'sr-only' }, 'Archives, newest month first'),
      h('thead', {}, h('tr', {}, ['Month', 'Calls', 'Size', 'SHA-256', 'Created', 'File']
        .map((name) => h('th', { scope: 'col', class: name === 'Calls' || name === 'Size' ? 'num' : null }, name)))),
      body)),
    empty);

  function showError(problem) {
    error.hidden = false;
    error.textContent = problem.message;
  }

  function row(archive) {
    const download = h('button', { type: 'button', class: 'link', 'aria-label': `Download ${archive.file_name}` }, 'Download');
    download.addEventListener('click', async () => {
      download.disabled = true;
      try {
        const blob = await api.blob(`/api/archives/${encodeURIComponent(archive.id)}/download`, null, 'text/csv');
        saveBlob(blob, archive.file_name || `calls-${archive.month}.csv`);
      } catch (problem) {
        showError(problem);
      } finally {
        download.disabled = false;
      }
    });
    return h('tr', { dataset: { month: archive.month } },
      h('th', { scope: 'row' }, archive.month), h('td', { class: 'num' }, archive.calls),
      h('td', { class: 'num' }, bytes(archive.bytes)),
      h('td', {}, h('code', { title: archive.sha256 }, (archive.sha256 || '').slice(0, 12))),
      h('td', {}, dateTime(archive.created_at)), h('td', {}, download));
  }

  async function load() {
    try {
      const data = await api.json('/api/archives');
      if (stopped) return;
      body.replaceChildren(...data.archives.map(row));
      empty.hidden = data.archives.length > 0;
    } catch (problem) {
      if (!stopped) showError(problem);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = month.value.trim();
    error.hidden = true;
    if (!MONTH.test(chosen)) return showError(new Error('Choose a month (YYYY-MM).'));
    submit.disabled = true;
    status.textContent = `Archiving ${chosen}…`;
    try {
      const archive = await api.post('/api/archives', { month: chosen });
      if (stopped) return;
      await load();
      status.textContent = `Archived ${archive.month}: ${archive.calls} calls, ${bytes(archive.bytes)}.`;
      announce(status.textContent);
    } catch (problem) {
      status.textContent = '';
      showError(problem);
    } finally {
      submit.disabled = false;
    }
  });

  load();
  return () => {
    stopped = true;
  };
}
