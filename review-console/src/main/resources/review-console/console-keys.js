/*
 * Review console, keyboard shortcuts (the help dialog in index.html lists them).
 */

import { el, state } from './console-state.js';
import { moveSelection } from './console-queue.js';
import { closeDetail, focusDetailTitle, openDetail } from './console-detail.js';
import { cancelEdit, startEdit } from './console-editor.js';
import { actionsAvailable, armDeny, decide, setReasonHint } from './console-decision.js';

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
