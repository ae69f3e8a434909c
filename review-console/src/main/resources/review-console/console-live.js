/*
 * Review console, data and live events: the queue and overview snapshots, the event stream (SSE) and its
 * reconnection, merging items into the state.
 */

import { h } from './console-dom.js';
import { announce, el, state } from './console-state.js';
import { api } from './console-api.js';
import { renderQueue } from './console-queue.js';
import { onOpenItemChanged } from './console-decision.js';
import { renderOverview } from './console-overview.js';

export function stripDetail(detail) {
  const { params, completion, provider, inputTokens, outputTokens, ...summary } = detail;
  return summary;
}

export async function loadReviews() {
  const gen = ++state.loadGen;
  const sentAt = Date.now();
  const r = await api('GET', '/api/reviews');
  if (gen !== state.loadGen || !state.signedIn) return;
  if (r.status !== 200) {
    if (r.status !== 401) announce(`Could not load the queue (${r.status || 'network'}).`);
    return;
  }
  const receivedAt = Date.now();
  const snapshotNow = typeof r.data.now === 'number' ? r.data.now : null;
  if (snapshotNow !== null) state.skew = snapshotNow - (sentAt + receivedAt) / 2;
  const fetched = new Map();
  for (const item of Array.isArray(r.data.items) ? r.data.items : []) {
    if (item && typeof item.requestId === 'string') fetched.set(item.requestId, item);
  }
  for (const [id, known] of state.items) {
    const got = fetched.get(id);
    if (got) {
      if ((known.updatedAt || 0) > (got.updatedAt || 0)) fetched.set(id, known);
    } else if (snapshotNow !== null && (known.updatedAt || 0) > snapshotNow) {
      fetched.set(id, known); // arrived on the stream after the snapshot was taken
    }
  }
  state.items = fetched;
  renderQueue();
  const open = state.detail && state.items.get(state.detail.id);
  if (open) onOpenItemChanged(open);
}

export async function loadOverview() {
  const r = await api('GET', '/api/overview');
  if (!state.signedIn) return;
  if (r.status === 200) renderOverview(r.data);
  else if (r.status !== 401) {
    el.overviewCharts.replaceChildren(h('p', { class: 'muted' }, `The overview is not available (${r.status || 'network'}).`));
  }
}

export function openEvents() {
  closeEvents();
  state.esOpenedOnce = false;
  connect();
}

function connect() {
  if (!state.signedIn) return;
  setConn('connecting');
  const es = new EventSource('/api/events');
  state.es = es;
  es.addEventListener('open', () => {
    if (es !== state.es) return;
    setConn('live');
    state.esFailures = 0;
    // Events sent while we were not listening are lost: catch up from the list.
    if (state.esOpenedOnce) loadOverview();
    loadReviews();
    state.esOpenedOnce = true;
  });
  es.addEventListener('item', (event) => {
    if (es !== state.es) return;
    const item = parseJson(event.data);
    if (item && typeof item.requestId === 'string') upsertItem(item, true);
  });
  es.addEventListener('overview', (event) => {
    if (es !== state.es) return;
    const overview = parseJson(event.data);
    if (overview) renderOverview(overview);
  });
  es.addEventListener('error', () => {
    if (es !== state.es) return;
    if (es.readyState === EventSource.CLOSED) {
      // The browser gave up (an HTTP error such as 401, or a wrong content type): check the session, retry later.
      es.close();
      state.es = null;
      setConn('offline');
      scheduleReconnect();
    } else {
      setConn('reconnecting');
    }
  });
}

function scheduleReconnect() {
  clearTimeout(state.esTimer);
  const delay = Math.min(30000, 1000 * 2 ** Math.min(state.esFailures, 5));
  state.esFailures += 1;
  state.esTimer = setTimeout(async () => {
    if (!state.signedIn) return;
    const me = await api('GET', '/api/me'); // a 401 ends the session
    if (!state.signedIn) return;
    if (me.status === 200) {
      if (typeof me.data.csrfToken === 'string') state.csrf = me.data.csrfToken;
      connect();
    } else {
      scheduleReconnect();
    }
  }, delay);
}

export function closeEvents() {
  clearTimeout(state.esTimer);
  state.esTimer = null;
  if (state.es) state.es.close();
  state.es = null;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (err) {
    return null;
  }
}

function setConn(kind) {
  const words = {
    connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline, retrying',
  };
  el.conn.className = `conn conn-${kind}`;
  el.conn.textContent = words[kind] || kind;
  el.conn.title = kind === 'live' ? 'Receiving changes as they happen' : 'Live updates are interrupted; the queue may be stale';
}

export function upsertItem(item, fromEvent) {
  const id = item.requestId;
  const known = state.items.get(id);
  if (known && (known.updatedAt || 0) > (item.updatedAt || 0)) return; // older news
  state.items.set(id, item);
  const arrived = item.state === 'pending' && (!known || known.state !== 'pending' || known.stage !== item.stage);
  if (fromEvent && arrived) {
    state.fresh.add(id);
    const what = item.stage === 'response' ? 'response' : 'request';
    announce(`New ${what} to review from ${item.hostId || 'an unknown host'} for ${item.serverName || 'an unknown server'}.`);
  }
  renderQueue();
  if (state.detail && state.detail.id === id) onOpenItemChanged(item, known);
}
