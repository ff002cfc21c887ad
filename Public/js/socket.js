// The supervisor rooms (WS /ws): one connection for the whole dashboard. It reconnects with
// exponential backoff and jitter, joins again what it had joined, and reports its state
// (connecting, open, reconnecting, closed) for the indicator in the top bar.

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

export class RoomSocket {
  constructor(key, { onState = () => {}, onRefused = () => {} } = {}) {
    this.key = key;
    this.onState = onState;
    this.onRefused = onRefused;
    this.listeners = new Set();
    this.calls = new Set();
    this.floor = false;
    this.attempt = 0;
    this.stopped = false;
    this.ws = null;
    this.timer = null;
    this.everOpened = false;
  }

  /** fn(event) for every room event: {type, session_id, seq, at, data}. Returns an unsubscribe. */
  listen(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  connect() {
    this.stopped = false;
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}/ws?token=${encodeURIComponent(this.key)}`);
    this.ws = ws;
    ws.addEventListener('open', () => {
      this.attempt = 0;
      this.everOpened = true;
      this.setState('open');
      if (this.floor) this.send({ type: 'join_floor' });
      for (const id of this.calls) this.send({ type: 'join_call_session', session_id: id });
    });
    ws.addEventListener('message', (message) => {
      if (typeof message.data !== 'string') return;
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      for (const fn of this.listeners) fn(event);
    });
    ws.addEventListener('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return this.setState('closed');
      this.scheduleReconnect();
    });
  }

  scheduleReconnect() {
    const delay = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt += 1;
    this.setState('reconnecting', delay);
    // Never opened: the key may have been revoked; the app checks and signs out if so.
    if (!this.everOpened && this.attempt >= 3) this.onRefused();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  close() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close(1000, 'signed out');
    this.setState('closed');
  }

  joinFloor() {
    this.floor = true;
    this.send({ type: 'join_floor' });
  }

  joinCall(id) {
    this.calls.add(id);
    this.send({ type: 'join_call_session', session_id: id });
  }

  leaveCall(id) {
    this.calls.delete(id);
    this.send({ type: 'leave_call_session', session_id: id });
  }

  send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  setState(state, delay) {
    this.state = state;
    this.onState(state, delay);
  }
}
