// One call: the live transcript and numbers while it runs, then the summary, the insights, the
// CRM deliveries and the recording, whose player follows the transcript (click a time to seek).

import { ApiError } from '../api.js';
import { dateTime, duration, h, saveBlob, setText, statusWord } from '../dom.js';
import { followToggle } from '../follow.js';
import { AlertsPanel, ConversationPanel, CRMPanel, LivePanel, StagesPanel, SummaryPanel } from './panels.js';
import { TranscriptView } from './transcript.js';

export function mountCall(container, { api, socket, id, announce }) {
  const seen = new Set();
  let status = null;
  let audioLoaded = false;
  let refreshTimer = null;
  let stopped = false;

  const audio = h('audio', { controls: true, preload: 'metadata', 'aria-label': 'Call recording' });
  const transcript = new TranscriptView({ onSeek: (time) => { audio.currentTime = time; audio.play().catch(() => {}); } });
  const live = new LivePanel();
  const alerts = new AlertsPanel();
  const summary = new SummaryPanel();
  const conversation = new ConversationPanel();
  const stages = new StagesPanel();
  const crm = new CRMPanel();
  const pill = h('span', { class: 'pill' }, '…');
  const meta = h('div', { class: 'call-meta' });
  const heading = h('h1', {}, 'Call');
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const audioNote = h('p', { class: 'muted' }, 'The recording can be played once the call has been stored.');
  const format = h('select', { id: 'transcript-format', 'aria-label': 'Transcript format' },
    ['txt', 'srt', 'vtt', 'json'].map((f) => h('option', { value: f }, f.toUpperCase())));
  const download = h('button', { type: 'button', onclick: downloadTranscript }, 'Download transcript');

  container.append(
    h('p', { class: 'call-top' }, h('a', { href: '#/floor' }, '← Floor'), followToggle(announce)),
    h('div', { class: 'view-head' }, heading, pill, meta),
    error,
    h('div', { class: 'call-grid' },
      h('section', { class: 'panel transcript-panel', 'aria-labelledby': 'transcript-title' },
        h('div', { class: 'toolbar' }, h('h2', { id: 'transcript-title' }, 'Transcript'), format, download),
        transcript.element),
      h('div', { class: 'side' },
        live.element, alerts.element,
        h('section', { class: 'panel', 'aria-label': 'Recording' }, h('h2', {}, 'Recording'), audioNote, audio),
        summary.element, conversation.element, stages.element, crm.element)));

  audio.addEventListener('timeupdate', () => transcript.highlight(audio.currentTime));

  function showStatus(value) {
    status = value;
    const word = statusWord(value);
    setText(pill, word);
    pill.className = `pill ${word}`;
    if (word !== 'live') live.ended();
  }

  function showError(problem) {
    error.hidden = false;
    error.textContent = problem.message;
  }

  async function load() {
    try {
      const call = await api.json(`/api/calls/${encodeURIComponent(id)}`);
      if (stopped) return;
      heading.textContent = `Call with ${call.customer_id || 'a customer'}`;
      meta.replaceChildren(...[
        h('span', {}, h('span', { class: 'muted' }, 'Agent '), call.agent_id),
        h('span', {}, call.direction),
        h('span', {}, h('span', { class: 'muted' }, 'Started '), dateTime(call.created_at)),
        call.analysis ? h('span', {}, h('span', { class: 'muted' }, 'Length '), duration(call.analysis.duration_s)) : null,
        call.failure_reason ? h('span', { class: 'error' }, call.failure_reason) : null].filter(Boolean));
      showStatus(call.status);
      if (call.transcript?.segments?.length) transcript.setSegments(call.transcript.segments);
      if (call.insights) summary.show(call.insights, call.is_final);
      conversation.show(call.conversation);
      if (call.analysis?.speakers) {
        live.showTalk(Object.fromEntries(Object.entries(call.analysis.speakers).map(([speaker, s]) => [speaker, s.talk_s])));
      }
      stages.fromJobs(call.jobs);
      for (const delivery of call.crm_deliveries || []) crm.set(delivery);
      if (call.recordings?.length && statusWord(call.status) !== 'live') loadAudio();
    } catch (problem) {
      if (problem instanceof ApiError && problem.status === 404) heading.textContent = 'Call not found';
      showError(problem);
    }
  }

  async function loadAudio() {
    if (audioLoaded) return;
    audioLoaded = true;
    try {
      // Fetched with the key in a header (an <audio src> could only carry it in the URL).
      const blob = await api.blob(`/api/calls/${encodeURIComponent(id)}/recording`, null, 'audio/*');
      if (stopped) return;
      audio.src = URL.createObjectURL(blob);
      audioNote.textContent = 'Click a time in the transcript to play from there.';
      transcript.enableSeeking();
    } catch (problem) {
      audioLoaded = false;
      audioNote.textContent = `The recording cannot be played: ${problem.message}`;
    }
  }

  async function downloadTranscript() {
    const chosen = format.value;
    try {
      const blob = await api.blob(`/api/calls/${encodeURIComponent(id)}/transcript`, { format: chosen });
      saveBlob(blob, `${id}.${chosen}`);
    } catch (problem) {
      showError(problem);
    }
  }

  function onEvent(event) {
    // The room replays its state on joining, so an event can come twice: the same seq, type and
    // time. Two nodes publishing for one call at the same moment can give two events one seq
    // (docs/ARCHITECTURE.md §15): those differ in type or time and both count.
    const key = `${event.seq}|${event.type}|${event.at}`;
    if (event.session_id !== id || seen.has(key)) return;
    seen.add(key);
    const data = event.data || {};
    switch (event.type) {
      case 'call_status':
        showStatus(data.status);
        if (data.status === 'done' || data.status === 'failed') {
          announce(`The call is ${data.status}.`);
          // The final transcript (with sentiment), insights and deliveries: read them once more.
          clearTimeout(refreshTimer);
          refreshTimer = setTimeout(load, 300);
        }
        break;
      case 'transcript_update':
        transcript.add(data);
        break;
      case 'real_time_insights':
        live.update(data);
        break;
      case 'alert':
        alerts.add(data);
        break;
      case 'summary_update':
        summary.show(data.insights, data.is_final);
        break;
      case 'audio_processing_status':
        stages.set(data.stage, data.state, data.error);
        break;
      case 'crm_delivery':
        crm.set(data);
        break;
      default:
    }
  }

  const stop = socket.listen(onEvent);
  socket.joinCall(id);
  const ticker = setInterval(() => live.tick(), 1000);
  load();

  return () => {
    stopped = true;
    stop();
    socket.leaveCall(id);
    clearInterval(ticker);
    clearTimeout(refreshTimer);
    if (audio.src) URL.revokeObjectURL(audio.src);
  };
}
