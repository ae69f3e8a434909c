/*
 * Review console, the state store (bottom layer, imports nothing): the page's one state object and the only module
 * that changes it. Every other module reads `state` and changes it through the functions below (ConsoleModuleLayersTest
 * fails on a write to `state` anywhere else). The page's elements are in console-dom.js.
 */

/** Read it anywhere; change it only through update(), updateDetail() and the other functions of this module. */
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
  editor: null,              // the open editor's fields (console-editor.js)
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

/** Sets top-level fields of the state; a field the state does not have is a programming error. */
export function update(patch) {
  for (const key of Object.keys(patch)) {
    if (!Object.prototype.hasOwnProperty.call(state, key)) throw new Error(`The console state has no field "${key}".`);
  }
  Object.assign(state, patch);
}

/** Sets fields of the open item (nothing when no item is open). */
export function updateDetail(patch) {
  if (state.detail) Object.assign(state.detail, patch);
}

/** Merges fields into the open item's data (the decision answer, a live change). */
export function mergeDetailData(patch) {
  if (state.detail && state.detail.data) Object.assign(state.detail.data, patch);
}

/** A new generation for the queue snapshot: an answer of an older generation is dropped. */
export function nextLoadGen() {
  state.loadGen += 1;
  return state.loadGen;
}

export function putItem(item) {
  state.items.set(item.requestId, item);
}

export function removeItem(id) {
  state.items.delete(id);
}

/** Forgets every item and every highlight (end of the session). */
export function clearItems() {
  state.items.clear();
  state.fresh.clear();
}

/** Highlights the item once, at its next rendering. */
export function markFresh(id) {
  state.fresh.add(id);
}

/** Whether the item is to be highlighted; the highlight is used up. */
export function takeFresh(id) {
  if (!state.fresh.has(id)) return false;
  state.fresh.delete(id);
  return true;
}

/** The open item's summary: the newer of the listed summary and the loaded item. */
export function currentSummary() {
  const d = state.detail;
  if (!d) return null;
  const listed = state.items.get(d.id);
  if (!d.data) return listed || null;
  if (listed && (listed.updatedAt || 0) > (d.data.updatedAt || 0)) return listed;
  return d.data;
}

/** Whether the open item can be decided here (still pending, or pending when it was opened, not decided by us). */
export function actionsAvailable() {
  const d = state.detail;
  if (!d || !d.data || d.decidedByMe) return false;
  const item = currentSummary();
  return (item && item.state === 'pending') || d.openedPending;
}
