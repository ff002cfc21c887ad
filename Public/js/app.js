// The dashboard's entry point: sign-in, the connection indicator, following the newest live call,
// and a hash router that mounts one view at a time (#/floor, #/calls/ID, #/history, #/analytics,
// #/voicebot, #/upload, #/sources, #/archives, #/settings).

import { Api, ApiError } from './api.js';
import { forgetKeys, storeKey, storedKey, takeKeyFromAddress } from './auth.js';
import { followLiveCalls } from './follow.js';
import { RoomSocket } from './socket.js';
import { mountFloor } from './views/floor.js';
import { mountCall } from './views/call.js';
import { mountHistory } from './views/history.js';
import { mountAnalytics } from './views/analytics.js';
import { mountUpload } from './views/upload.js';
import { mountVoicebot } from './views/voicebot.js';
import { mountSources } from './views/sources.js';
import { mountArchives } from './views/archives.js';
import { mountSettings } from './views/settings.js';

const $ = (id) => document.getElementById(id);
const STATE_TEXT = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…', closed: 'Offline' };

let session = null;

/** Announces a message to screen readers (new alerts, finished uploads). */
function announce(text) {
  const region = $('announcer');
  region.textContent = '';
  requestAnimationFrame(() => { region.textContent = text; });
}

/** Checks a key against the API: the history route needs any valid key. */
async function verify(key) {
  await new Api(key).json('/api/calls/history', { page_size: 1 });
}

function showLogin(message) {
  $('login').hidden = false;
  $('view').hidden = true;
  $('nav').hidden = true;
  $('session').hidden = true;
  const error = $('login-error');
  error.hidden = !message;
  error.textContent = message || '';
  $('login-key').focus();
}

function start(key) {
  storeKey(key);
  const api = new Api(key);
  const indicator = $('connection');
  const socket = new RoomSocket(key, {
    onState: (state, delay) => {
      indicator.dataset.state = state;
      indicator.textContent = state === 'reconnecting' && delay ? `Reconnecting in ${Math.ceil(delay / 1000)} s…` : STATE_TEXT[state];
    },
    onRefused: () => verify(key).catch((error) => {
      if (error instanceof ApiError && error.status === 401) signOut('Your key is no longer valid. Sign in again.');
    }),
  });
  socket.joinFloor();
  socket.connect();
  const unfollow = followLiveCalls(socket, (id) => {
    location.hash = `#/calls/${encodeURIComponent(id)}`;
    announce('A new live call started: showing it.');
  });
  session = { api, socket, unmount: null, announce, unfollow };
  $('login').hidden = true;
  $('view').hidden = false;
  $('nav').hidden = false;
  $('session').hidden = false;
  route();
}

function signOut(message) {
  if (session) {
    if (session.unmount) session.unmount();
    session.unfollow();
    session.socket.close();
    session = null;
  }
  forgetKeys();
  $('view').replaceChildren();
  showLogin(message);
}

function route() {
  if (!session) return;
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean);
  const params = new URLSearchParams(query);
  const views = {
    floor: () => mountFloor,
    calls: () => (parts[1] ? mountCall : mountHistory),
    history: () => mountHistory,
    analytics: () => mountAnalytics,
    upload: () => mountUpload,
    voicebot: () => mountVoicebot,
    sources: () => mountSources,
    archives: () => mountArchives,
    settings: () => mountSettings,
  };
  const name = views[parts[0]] ? parts[0] : 'floor';
  const mount = views[name]();
  if (session.unmount) session.unmount();
  const container = $('view');
  container.replaceChildren();
  const current = name === 'calls' && parts[1] ? 'floor' : name === 'calls' ? 'history' : name;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  session.unmount = mount(container, { ...session, params, id: parts[1] ? decodeURIComponent(parts[1]) : null }) || null;
  const heading = container.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
    document.title = `${heading.textContent} · CallPipe`;
  }
}

async function signIn(key, { fromForm = false } = {}) {
  try {
    await verify(key);
    start(key);
  } catch (error) {
    const message = error instanceof ApiError && error.status === 401
      ? `That key was refused: ${error.message}.`
      : error.message;
    showLogin(message);
    if (fromForm) $('login-key').select();
  }
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const key = $('login-key').value.trim();
  if (!key) return showLogin('Enter an API key.');
  signIn(key, { fromForm: true });
});
$('signout').addEventListener('click', () => signOut());
window.addEventListener('hashchange', route);

const fromAddress = takeKeyFromAddress();
const known = fromAddress || storedKey();
if (known) {
  $('login').hidden = true;
  signIn(known);
} else {
  showLogin();
}
