/*
 * Review console, navigation controller: the keyboard shortcuts (the help dialog in index.html lists them), moving
 * the selection, opening an item (it loads it) and closing it.
 */

import { el } from './console-dom.js';
import { isPlainObject } from './console-format.js';
import { actionsAvailable, state, update, updateDetail } from './console-state.js';
import { api, enc } from './console-api.js';
import { stripDetail, upsertItem } from './console-live.js';
import { paintSelection, queueIds, renderQueue, rowButton } from './console-queue.js';
import {
  clearResult, focusDetailTitle, hideDetailPanel, renderDetail, scrollDetailToTop, setReasonHint, showDetailPanel,
} from './console-detail.js';
import { armDeny, cancelEdit, decide, startEdit } from './console-decision.js';

function select(id, focus) {
  update({ selectedId: id });
  paintSelection(id, focus);
}

function moveSelection(delta) {
  const ids = queueIds();
  if (!ids.length) return;
  const current = ids.indexOf(state.selectedId);
  const next = current < 0 ? (delta > 0 ? 0 : ids.length - 1) : Math.max(0, Math.min(ids.length - 1, current + delta));
  select(ids[next], true);
}

export async function openDetail(id, options = {}) {
  const { keepResult = false, focus = true } = options;
  update({
    detail: { id, data: null, loading: true, error: null, openedPending: false, decidedByMe: false },
    editing: false,
    editor: null,
    intent: null,
    lastBody: null,
  });
  select(id, false);
  renderQueue();
  showDetailPanel();
  if (!keepResult) {
    clearResult();
    el.reason.value = '';
  }
  setReasonHint(null);
  renderDetail();
  if (focus) focusDetailTitle();
  const r = await api('GET', `/api/reviews/${enc(id)}`);
  if (!state.detail || state.detail.id !== id) return; // another item was opened meanwhile
  updateDetail({ loading: false });
  if (r.status === 200 && isPlainObject(r.data)) {
    updateDetail({ data: r.data, openedPending: r.data.state === 'pending' });
    upsertItem(stripDetail(r.data), false);
  } else if (r.status === 404) {
    updateDetail({ error: 'This review is unknown: it may have been removed.' });
  } else if (r.status !== 401) {
    updateDetail({ error: `The item could not be loaded (${r.status || 'network'}): ${r.data.message || 'try again'}.` });
  }
  const hadFocus = el.detail.contains(document.activeElement);
  renderDetail();
  if (focus && hadFocus) focusDetailTitle();
  scrollDetailToTop();
}

export function closeDetail(options = {}) {
  const { restoreFocus = true } = options;
  const id = state.detail && state.detail.id;
  update({ detail: null, editing: false, editor: null, intent: null });
  hideDetailPanel();
  renderQueue();
  if (restoreFocus) {
    const button = id && rowButton(id);
    if (button) button.focus();
    else el.queue.focus({ preventScroll: true });
  }
}

function isTyping(target) {
  if (!target || !(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  if (target.tagName === 'INPUT') return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file'].includes(target.type);
  return false;
}

export function onKeyDown(event) {
  if (!state.signedIn || event.defaultPrevented || event.isComposing) return;
  const { key, target } = event;
  if (el.help.open) {
    if (key === '?') {
      event.preventDefault();
      el.help.close();
    }
    return;
  }
  if ((event.ctrlKey || event.metaKey) && key === 'Enter' && state.editing && el.detailBody.contains(target)) {
    event.preventDefault();
    decide('edit');
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (isTyping(target)) {
    if (target === el.reason && key === 'Enter') {
      event.preventDefault();
      if (state.intent === 'deny' && el.reason.value.trim()) decide('deny');
      else if (!state.editing && el.reason.value.trim()) setReasonHint('Enter here sends a denial only after d or Deny; use the buttons to approve.');
      return;
    }
    if (key === 'Escape') {
      event.preventDefault();
      target.blur();
      if (state.detail) focusDetailTitle();
    }
    return;
  }
  const inQueue = el.queue.contains(target) || target === document.body || target === document.documentElement;
  switch (key) {
    case 'j':
    case 'ArrowDown':
      if (key === 'ArrowDown' && !inQueue) return;
      event.preventDefault();
      moveSelection(1);
      break;
    case 'k':
    case 'ArrowUp':
      if (key === 'ArrowUp' && !inQueue) return;
      event.preventDefault();
      moveSelection(-1);
      break;
    case 'Enter':
      if (target instanceof Element && target.closest('button, a, summary, [role="button"]')) return; // native activation
      if (state.selectedId && !(state.detail && state.detail.id === state.selectedId)) {
        event.preventDefault();
        openDetail(state.selectedId);
      }
      break;
    case 'Escape':
      event.preventDefault();
      if (state.editing) cancelEdit();
      else if (state.detail) closeDetail();
      break;
    case 'a':
      if (state.detail && !state.editing && actionsAvailable()) {
        event.preventDefault();
        decide('approve');
      }
      break;
    case 'e':
      if (state.detail && actionsAvailable()) {
        event.preventDefault();
        startEdit();
      }
      break;
    case 'd':
      if (state.detail && actionsAvailable()) {
        event.preventDefault();
        armDeny();
      }
      break;
    case '?':
      event.preventDefault();
      el.help.showModal();
      break;
    default:
  }
}
