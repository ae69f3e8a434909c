/*
 * Review console, data controller: the queue and overview snapshots, the event stream (SSE) and its reconnection,
 * merging items into the store, the once-a-second tick. A change to the open item is passed to the handler that
 * console-main.js registers (the decision controller's), so this module imports no controller.
 */

import { announce, el } from './console-dom.js';
import { concludedAt } from './console-format.js';
import {
  markFresh, nextLoadGen, putItem, removeItem, serverNow, state, update,
} from './console-state.js';
import { api, openEventStream } from './console-api.js';
import { renderQueue, updateCountdowns } from './console-queue.js';
import { renderOverview, renderOverviewUnavailable } from './console-overview.js';

let openItemChanged = () => {};

/** Registers what a change to the open item does: handler(item). */
export function onOpenItemChange(handler) {
  openItemChanged = handler;
}

export function stripDetail(detail) {
  const { params, completion, provider, inputTokens, outputTokens, ...summary } = detail;
  return summary;
}

export async function loadReviews() {
  const gen = nextLoadGen();
  const sentAt = Date.now();
  const r = await api('GET', '/api/reviews');
  if (gen !== state.loadGen || !state.signedIn) return;
  if (r.status !== 200) {
    if (r.status !== 401) announce(`Could not load the queue (${r.status || 'network'}).`);
    return;
  }
  const receivedAt = Date.now();
  const snapshotNow = typeof r.data.now === 'number' ? r.data.now : null;
  if (snapshotNow !== null) update({ skew: snapshotNow - (sentAt + receivedAt) / 2 });
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
  update({ items: fetched });
  renderQueue();
  const open = state.detail && state.items.get(state.detail.id);
  if (open) openItemChanged(open);
}

export async function loadOverview() {
  const r = await api('GET', '/api/overview');
  if (!state.signedIn) return;
  if (r.status === 200) renderOverview(r.data);
  else if (r.status !== 401) renderOverviewUnavailable(r.status);
}

export function openEvents() {
  closeEvents();
  update({ esOpenedOnce: false });
  connect();
}

function connect() {
  if (!state.signedIn) return;
  setConn('connecting');
  const es = openEventStream();
  update({ es });
  es.addEventListener('open', () => {
    if (es !== state.es) return;
    setConn('live');
    update({ esFailures: 0 });
    // Events sent while we were not listening are lost: catch up from the list.
    if (state.esOpenedOnce) loadOverview();
    loadReviews();
    update({ esOpenedOnce: true });
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
      update({ es: null });
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
  update({ esFailures: state.esFailures + 1 });
  const timer = setTimeout(async () => {
    if (!state.signedIn) return;
    const me = await api('GET', '/api/me'); // a 401 ends the session
    if (!state.signedIn) return;
    if (me.status === 200) {
      if (typeof me.data.csrfToken === 'string') update({ csrf: me.data.csrfToken });
      connect();
    } else {
      scheduleReconnect();
    }
  }, delay);
  update({ esTimer: timer });
}

export function closeEvents() {
  clearTimeout(state.esTimer);
  update({ esTimer: null });
  if (state.es) state.es.close();
  update({ es: null });
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
  putItem(item);
  const arrived = item.state === 'pending' && (!known || known.state !== 'pending' || known.stage !== item.stage);
  if (fromEvent && arrived) {
    markFresh(id);
    const what = item.stage === 'response' ? 'response' : 'request';
    announce(`New ${what} to review from ${item.hostId || 'an unknown host'} for ${item.serverName || 'an unknown server'}.`);
  }
  renderQueue();
  if (state.detail && state.detail.id === id) openItemChanged(item, known);
}

let lastPrune = 0;

/** Once a second: the countdowns; every 30 s, items concluded more than 15 minutes ago leave the queue. */
export function tick() {
  updateCountdowns();
  const now = Date.now();
  if (!lastPrune || now - lastPrune > 30000) {
    lastPrune = now;
    const cutoff = serverNow() - 15 * 60 * 1000;
    let removed = false;
    for (const [id, item] of state.items) {
      if (item.state !== 'pending' && concludedAt(item) < cutoff) {
        removeItem(id);
        removed = true;
      }
    }
    if (removed) renderQueue();
  }
}
