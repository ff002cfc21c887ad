// Upload: drop a recording (or pick one) to start a call as an agent — POST /api/calls/start,
// then the audio with upload progress — and watch the pipeline take it from there.

import { ApiError } from '../api.js';
import { storeAgentKey, storedAgentKey } from '../auth.js';
import { h } from '../dom.js';
import { StagesPanel, SummaryPanel } from './panels.js';

export function mountUpload(container, { api, socket, announce }) {
  let callID = null;
  let busy = false;
  const file = h('input', { id: 'upload-file', type: 'file', accept: 'audio/*,video/*,.wav,.mp3,.m4a,.ogg,.opus,.flac,.webm,.amr', 'aria-describedby': 'upload-hint' });
  const agentKey = h('input', { id: 'upload-agent-key', type: 'password', autocomplete: 'off', spellcheck: 'false', value: storedAgentKey() || '' });
  const agent = h('input', { id: 'upload-agent', type: 'text', autocomplete: 'off', placeholder: 'from the agent key' });
  const customer = h('input', { id: 'upload-customer', type: 'text', autocomplete: 'off' });
  const direction = h('select', { id: 'upload-direction' }, h('option', { value: 'inbound' }, 'inbound'), h('option', { value: 'outbound' }, 'outbound'));
  const progress = h('progress', { max: '100', value: '0', 'aria-label': 'Upload progress' });
  const progressText = h('span', { role: 'status' }, '');
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const callLink = h('p', { hidden: true });
  const stages = new StagesPanel('Pipeline stages');
  const summary = new SummaryPanel();
  const statusText = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' }, 'Nothing uploaded yet.');
  const drop = h('div', { class: 'drop', id: 'drop-zone' },
    h('p', {}, h('strong', {}, 'Drop a recording here'), ' or choose a file.'),
    h('label', { for: 'upload-file', class: 'sr-only' }, 'Recording file'), file,
    h('p', { id: 'upload-hint', class: 'muted' }, 'Any format FFmpeg reads: WAV, MP3, M4A, Ogg/Opus, FLAC, WebM, AMR. Stereo: agent left, customer right.'));

  container.append(
    h('div', { class: 'view-head' }, h('h1', {}, 'Upload a recording')),
    h('div', { class: 'upload-grid' },
      h('section', { class: 'panel', 'aria-label': 'New call' },
        h('h2', {}, 'New call'),
        h('div', { class: 'form-grid' },
          h('div', {}, h('label', { for: 'upload-agent-key' }, 'Agent key (uploads start a call as an agent)'), agentKey),
          h('div', {}, h('label', { for: 'upload-agent' }, 'Agent id (with an admin key)'), agent),
          h('div', {}, h('label', { for: 'upload-customer' }, 'Customer id'), customer),
          h('div', {}, h('label', { for: 'upload-direction' }, 'Direction'), direction)),
        drop, error,
        h('div', { style: 'margin-top:12px' }, progress, progressText)),
      h('div', { class: 'side' },
        h('section', { class: 'panel', 'aria-label': 'Progress' }, h('h2', {}, 'Progress'), statusText, callLink),
        stages.element, summary.element)));

  const say = (text) => {
    statusText.textContent = text;
    announce(text);
  };

  function fail(problem) {
    error.hidden = false;
    const hint = problem instanceof ApiError && problem.status === 403
      ? ' Paste an agent key above (callpipe keys create --role agent --agent-id NAME; dev mode prints one).'
      : '';
    error.textContent = `${problem.message}${hint}`;
    say('The upload did not go through.');
  }

  async function upload(chosen) {
    if (busy || !chosen) return;
    busy = true;
    error.hidden = true;
    callLink.hidden = true;
    progress.value = 0;
    progressText.textContent = '';
    const key = agentKey.value.trim() || api.key;
    storeAgentKey(agentKey.value.trim());
    try {
      say(`Starting a call for ${chosen.name}…`);
      const body = { direction: direction.value, metadata: { source: 'dashboard upload', file: chosen.name.slice(0, 200) } };
      if (agent.value.trim()) body.agent_id = agent.value.trim();
      if (customer.value.trim()) body.customer_id = customer.value.trim();
      const call = await api.post('/api/calls/start', body, key);
      callID = call.id;
      socket.joinCall(callID);
      say(`Uploading ${chosen.name}…`);
      await api.upload(`/api/calls/${encodeURIComponent(callID)}/audio`, chosen, {
        key,
        onProgress: (fraction) => {
          progress.value = Math.round(fraction * 100);
          progressText.textContent = ` ${Math.round(fraction * 100)}%`;
        },
      });
      progress.value = 100;
      progressText.textContent = ' 100% — stored';
      // The recording is the whole call: end it, so the final summary follows.
      await api.post(`/api/calls/${encodeURIComponent(callID)}/end`, undefined, key);
      callLink.replaceChildren(h('a', { href: `#/calls/${encodeURIComponent(callID)}` }, 'Open the call'));
      callLink.hidden = false;
      say('Uploaded. The pipeline is working on it.');
    } catch (problem) {
      fail(problem);
    } finally {
      busy = false;
    }
  }

  function onEvent(event) {
    if (!callID || event.session_id !== callID) return;
    const data = event.data || {};
    if (event.type === 'audio_processing_status') stages.set(data.stage, data.state, data.error);
    if (event.type === 'summary_update') summary.show(data.insights, data.is_final);
    if (event.type === 'call_status') {
      if (data.status === 'done') say('Done: transcript, insights and summary are ready.');
      else if (data.status === 'failed') fail(new Error(`Processing failed: ${data.failure_reason || 'see the call'}`));
      else statusText.textContent = `Call status: ${data.status}`;
    }
  }

  file.addEventListener('change', () => upload(file.files[0]));
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    upload(event.dataTransfer.files[0]);
  });
  const stop = socket.listen(onEvent);
  return () => {
    stop();
    if (callID) socket.leaveCall(callID);
  };
}
