/*
 * Review console, shared state: the one state object, the page's elements (found by console-main.js), the
 * server clock and the screen reader announcer.
 */

export const state = {
  signedIn: false,
  reviewer: null,
  csrf: null,
  items: new Map(),          // requestId -> summary
  skew: 0,                   // server clock minus client clock (ms)
  selectedId: null,
  fresh: new Set(),          // ids to highlight once (just arrived)
  detail: null,              // {id, data, loading, error, openedPending, decidedByMe, resultKind}
  editing: false,
  editor: null,
  intent: null,              // 'deny' after `d` / a deny without reason
  busy: false,
  lastBody: null,            // last decision body, for "Try again"
  es: null,
  esOpenedOnce: false,
  esFailures: 0,
  esTimer: null,
  tickTimer: null,
  loadGen: 0,
};

export const serverNow = () => Date.now() + state.skew;

export const el = {};

export function announce(text) {
  el.announcer.textContent = '';
  setTimeout(() => { el.announcer.textContent = text; }, 50);
}
