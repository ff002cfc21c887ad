// The supervisor's API key: kept in session storage (gone when the tab closes), never logged and
// never put in a URL except the WebSocket's ?token= that the API supports.

const KEY = 'callpipe.key';
const AGENT_KEY = 'callpipe.agentKey';

export function storedKey() {
  return sessionStorage.getItem(KEY);
}

export function storeKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function forgetKeys() {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(AGENT_KEY);
}

/** The agent key the upload view starts calls with, if one was given. */
export function storedAgentKey() {
  return sessionStorage.getItem(AGENT_KEY);
}

export function storeAgentKey(key) {
  if (key) sessionStorage.setItem(AGENT_KEY, key);
  else sessionStorage.removeItem(AGENT_KEY);
}

/** Takes ?token=KEY from the address bar (the link `callpipe serve` prints) and removes it from
 * the address and the history at once, so it is not bookmarked, shared or sent as a referrer. */
export function takeKeyFromAddress() {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (token === null) return null;
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  return token.trim() || null;
}
