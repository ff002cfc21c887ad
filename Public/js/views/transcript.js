// The call's transcript as chat bubbles (customer left, agent right). Interim lines are shown
// greyed and replaced by their final line; the list follows new lines unless the reader has
// scrolled up, in which case a button offers to jump back to the latest.

import { duration, h } from '../dom.js';

export class TranscriptView {
  constructor({ onSeek }) {
    this.onSeek = onSeek;
    this.lines = [];
    this.source = null;
    this.follow = true;
    this.seekable = false;
    this.list = h('ol', { class: 'transcript', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Transcript', tabindex: '0' });
    this.empty = h('li', { class: 'muted' }, 'No transcript yet: lines appear here as they are spoken.');
    this.list.append(this.empty);
    this.jump = h('button', { type: 'button', class: 'jump', hidden: true, onclick: () => this.toBottom(true) }, 'Jump to latest ↓');
    this.list.addEventListener('scroll', () => {
      const atBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 40;
      this.follow = atBottom;
      if (atBottom) this.jump.hidden = true;
    }, { passive: true });
    this.element = h('div', { class: 'transcript-wrap' }, this.list, this.jump);
  }

  /** A `transcript_update` (or a stored segment: is_final true, source recording). */
  add(line) {
    const source = line.source || 'recording';
    // The post-call transcript of the recording supersedes the live lines.
    if (source === 'recording' && this.source === 'live') this.reset();
    if (!this.source || source === 'recording') this.source = source;
    if (source === 'live' && this.source === 'recording') return;
    const entry = { speaker: line.speaker || 'unknown', start: line.start_s, end: line.end_s, text: line.text, words: line.words, final: line.is_final !== false };
    if (entry.final) {
      // The final line replaces the interim ones of the same utterance.
      for (const other of this.lines.filter((l) => !l.final && l.speaker === entry.speaker && l.start >= entry.start - 1 && l.start <= entry.end)) {
        this.remove(other);
      }
      if (this.lines.some((l) => l.final && l.speaker === entry.speaker && Math.abs(l.start - entry.start) < 0.05 && l.text === entry.text)) return;
    } else {
      const previous = this.lines.find((l) => !l.final && l.speaker === entry.speaker && Math.abs(l.start - entry.start) < 1);
      if (previous) this.remove(previous);
    }
    this.insert(entry);
  }

  insert(entry) {
    entry.el = this.bubble(entry);
    this.empty.remove();
    let index = this.lines.length;
    while (index > 0 && this.lines[index - 1].start > entry.start) index -= 1;
    const next = this.lines[index];
    this.lines.splice(index, 0, entry);
    this.list.insertBefore(entry.el, next ? next.el : null);
    if (this.follow) this.toBottom(false);
    else this.jump.hidden = false;
  }

  remove(entry) {
    entry.el.remove();
    this.lines.splice(this.lines.indexOf(entry), 1);
  }

  bubble(entry) {
    const who = entry.speaker === 'agent' ? 'Agent' : entry.speaker === 'customer' ? 'Customer' : 'Speaker';
    const stamp = this.seekable
      ? h('button', { type: 'button', class: 'seek', 'aria-label': `Play from ${duration(entry.start)}`, onclick: () => this.onSeek(entry.start) }, duration(entry.start))
      : h('span', {}, duration(entry.start));
    return h('li', { class: `bubble ${entry.speaker}${entry.final ? '' : ' interim'}`, dataset: { start: entry.start } },
      h('span', { class: 'stamp' }, h('strong', {}, who), stamp, entry.final ? null : h('span', {}, '(interim)')),
      h('span', { class: 'text' }, ...this.words(entry)));
  }

  /** The line's text; with word timestamps and a loaded recording, each word plays from itself. */
  words(entry) {
    if (!this.seekable || !Array.isArray(entry.words) || entry.words.length === 0) return [entry.text];
    const parts = [];
    for (const word of entry.words) {
      if (parts.length) parts.push(' ');
      parts.push(h('span', { class: 'word', dataset: { start: word.start_s }, title: `Play from ${duration(word.start_s)}`, onclick: () => this.onSeek(word.start_s) }, word.word));
    }
    return parts;
  }

  /** Replaces everything with the stored transcript's segments. */
  setSegments(segments) {
    this.reset();
    this.source = 'recording';
    for (const segment of segments) this.add({ ...segment, is_final: true, source: 'recording' });
  }

  reset() {
    for (const line of this.lines) line.el.remove();
    this.lines = [];
    this.source = null;
    this.list.append(this.empty);
  }

  /** Turns timestamps into seek buttons once the audio is loaded. */
  enableSeeking() {
    this.seekable = true;
    for (const line of this.lines) {
      const fresh = this.bubble(line);
      line.el.replaceWith(fresh);
      line.el = fresh;
    }
  }

  /** Marks the line being played. */
  highlight(time) {
    for (const line of this.lines) {
      const playing = time >= line.start && time < line.end;
      line.el.classList.toggle('playing', playing);
      for (const word of line.el.querySelectorAll('.word')) {
        const start = Number(word.dataset.start);
        word.classList.toggle('spoken', playing && time >= start);
      }
    }
  }

  toBottom(smooth) {
    this.follow = true;
    this.jump.hidden = true;
    this.list.scrollTo({ top: this.list.scrollHeight, behavior: smooth ? 'smooth' : 'auto' });
  }
}
