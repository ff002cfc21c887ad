// Settings: a form per connector — API key, target (Dialpad's department, ElevenLabs' agent), base
// URL, schedule and whether it runs. Save sends only what changed (PUT /api/connectors/{kind}).
// The key is write-only: the server shows it masked, the field is empty after a save, and the key
// goes nowhere but the request's body.

import { h } from '../dom.js';
import { CONNECTORS } from './connectors.js';

export function mountSettings(container, { api, announce }) {
  let stopped = false;
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const forms = new Map(CONNECTORS.map((connector) => [connector.kind, connectorForm(connector)]));

  container.append(
    h('div', { class: 'view-head' }, h('h1', {}, 'Settings'), h('a', { href: '#/sources' }, 'Sources and sync log')),
    h('p', { class: 'muted' }, 'Where CallPipe pulls calls from. Keys are stored sealed on the server and only ever shown masked.'),
    error,
    h('div', { class: 'connector-cards' }, [...forms.values()].map((form) => form.element)));

  function connectorForm({ kind, name, target, baseURL }) {
    const id = (field) => `settings-${kind}-${field}`;
    let current = null;
    const key = h('input', { id: id('api-key'), name: 'api_key', type: 'password', autocomplete: 'new-password', spellcheck: 'false', 'aria-describedby': id('api-key-hint') });
    const remove = h('input', { id: id('remove-key'), type: 'checkbox' });
    const targetInput = h('input', { id: id('target'), name: 'target_id', type: 'text', autocomplete: 'off', spellcheck: 'false' });
    const base = h('input', { id: id('base-url'), name: 'base_url', type: 'url', autocomplete: 'off', spellcheck: 'false', placeholder: baseURL, 'aria-describedby': id('base-url-hint') });
    const schedule = h('input', { id: id('schedule'), name: 'schedule', type: 'text', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': id('schedule-hint') });
    const enabled = h('input', { id: id('enabled'), type: 'checkbox' });
    const save = h('button', { type: 'submit', class: 'primary' }, 'Save');
    const status = h('p', { class: 'muted', role: 'status' });
    const problem = h('p', { class: 'error', role: 'alert', hidden: true });
    const fieldset = h('fieldset', { disabled: true },
      h('div', { class: 'form-grid' },
        h('div', {}, h('label', { for: id('api-key') }, 'API key'), key,
          h('p', { id: id('api-key-hint'), class: 'hint muted' }, 'Empty: keep the stored key.')),
        h('div', {}, h('label', { for: id('target') }, target), targetInput),
        h('div', {}, h('label', { for: id('base-url') }, 'Base URL'), base,
          h('p', { id: id('base-url-hint'), class: 'hint muted' }, 'A new base URL needs the API key again: the stored key is never sent elsewhere.')),
        h('div', {}, h('label', { for: id('schedule') }, 'Schedule (cron, UTC)'), schedule,
          h('p', { id: id('schedule-hint'), class: 'hint muted' }, 'Minute hour day month weekday: 0 2 * * * is daily at 02:00.'))),
      h('div', { class: 'checks' },
        h('span', {}, remove, h('label', { for: id('remove-key') }, 'Remove the stored key')),
        h('span', {}, enabled, h('label', { for: id('enabled') }, 'Enabled (runs on its schedule)'))),
      h('div', { class: 'toolbar' }, save));
    const form = h('form', { id: `settings-${kind}`, novalidate: true, 'aria-labelledby': id('title') }, fieldset, problem, status);
    const element = h('section', { class: 'panel connector-card', dataset: { kind } }, h('h2', { id: id('title') }, name), form);

    remove.addEventListener('change', () => {
      key.disabled = remove.checked;
      if (remove.checked) key.value = '';
    });

    function fill(connector) {
      current = connector;
      key.value = '';
      key.disabled = false;
      key.placeholder = connector.api_key || 'not set';
      remove.checked = false;
      remove.disabled = !connector.api_key;
      targetInput.value = connector.target_id || '';
      base.value = connector.base_url || '';
      schedule.value = connector.schedule || '';
      enabled.checked = Boolean(connector.enabled);
      fieldset.disabled = false;
    }

    /** Only the fields that differ from the stored connector (a field left out keeps its value). */
    function changes() {
      const body = {};
      if (remove.checked) body.api_key = '';
      else if (key.value.trim()) body.api_key = key.value.trim();
      const text = (field, input) => {
        const value = input.value.trim();
        if (value !== (current[field] || '')) body[field] = value;
      };
      text('target_id', targetInput);
      text('base_url', base);
      text('schedule', schedule);
      if (enabled.checked !== Boolean(current.enabled)) body.enabled = enabled.checked;
      return body;
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!current) return;
      problem.hidden = true;
      const body = changes();
      if (Object.keys(body).length === 0) {
        status.textContent = 'Nothing changed.';
        return;
      }
      save.disabled = true;
      status.textContent = 'Saving…';
      try {
        const saved = await api.put(`/api/connectors/${kind}`, body);
        if (stopped) return;
        fill(saved);
        status.textContent = body.api_key === '' ? `${name} saved; its key is removed.` : `${name} saved.`;
        announce(status.textContent);
      } catch (failure) {
        status.textContent = '';
        problem.hidden = false;
        problem.textContent = failure.message;
      } finally {
        save.disabled = false;
      }
    });

    return { element, fill };
  }

  api.json('/api/connectors').then((data) => {
    if (stopped) return;
    for (const connector of data.connectors) forms.get(connector.kind)?.fill(connector);
  }, (problem) => {
    error.hidden = false;
    error.textContent = `Could not load the connectors: ${problem.message}`;
  });
  return () => {
    stopped = true;
  };
}
