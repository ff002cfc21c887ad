// "Follow the newest live call": when on (a checkbox on the floor and the call view, remembered in
// localStorage, off by default), each live call that starts opens in the call view. It listens to
// the floor room the whole dashboard joins, for `call_status` "active" — what a live stream's
// start publishes — and acts only while the floor or a call is shown, never over another view.

import { h } from './dom.js';

const KEY = 'callpipe.followNewest';
// The floor replays each known call's latest status on joining (and on every reconnect): a call
// that went live before following began is not a new one. Allowance for the server's clock.
const CLOCK_SKEW_MS = 10_000;

let since = Date.now();

export function following() {
  try {
    return localStorage.getItem(KEY) === 'true';
  } catch {
    return false;
  }
}

function setFollowing(on) {
  try {
    if (on) localStorage.setItem(KEY, 'true');
    else localStorage.removeItem(KEY);
  } catch {
    // Storage refused (private mode): the toggle lasts for this page only.
  }
  since = Date.now();
}

/** Opens each new live call with `open(id)` while following; returns the unsubscribe. */
export function followLiveCalls(socket, open) {
  const seen = new Set();
  since = Date.now();
  return socket.listen((event) => {
    const id = event.session_id;
    if (event.type !== 'call_status' || !id || event.data?.status !== 'active' || seen.has(id)) return;
    seen.add(id);
    if (!following()) return;
    const at = Date.parse(event.at);
    if (Number.isFinite(at) && at < since - CLOCK_SKEW_MS) return;
    // Only over the floor (the default view) or a call: never over history, settings or a form.
    const [view, call] = location.hash.replace(/^#\/?/, '').split('?')[0].split('/');
    if (view === '' || view === 'floor' || (view === 'calls' && call)) open(id);
  });
}

/** The toggle: a labelled checkbox. */
export function followToggle(announce) {
  const box = h('input', { type: 'checkbox', id: 'follow-newest', checked: following() });
  box.addEventListener('change', () => {
    setFollowing(box.checked);
    announce(box.checked ? 'Following the newest live call: each new one opens as it starts.' : 'No longer following new live calls.');
  });
  return h('span', { class: 'follow' }, box, h('label', { for: 'follow-newest' }, 'Follow the newest live call'));
}
