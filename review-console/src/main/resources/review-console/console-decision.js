/*
 * Review console, decision controller: starting and cancelling an edit, arming a denial, approve / edit / deny and
 * their answers (conflict, expiry, errors, retry), and keeping the open item in step with live changes (console-main.js
 * registers onOpenItemChanged with the data controller).
 */

import { announce, el, h } from './console-dom.js';
import { alreadyDecidedText, fmtTime, hostServer, isPlainObject } from './console-format.js';
import {
  actionsAvailable, currentSummary, mergeDetailData, serverNow, state, update, updateDetail,
} from './console-state.js';
import { api, enc } from './console-api.js';
import { stripDetail, upsertItem } from './console-live.js';
import {
  focusDetailTitle, renderDetail, renderDetailBody, renderDetailHead, setReasonHint, showResult, updateDecisionBar,
} from './console-detail.js';
import { buildEdit } from './console-editor.js';

export function startEdit() {
  if (!actionsAvailable() || state.editing || state.busy) return;
  update({ editing: true, intent: null });
  setReasonHint(null);
  renderDetailBody();
  updateDecisionBar();
  const first = el.detailBody.querySelector('[data-testid="edit-system-prompt"]')
    || el.detailBody.querySelector('[data-testid="edit-message-text"]') || el.detailBody.querySelector('textarea, input');
  if (first) {
    first.focus();
    if (first.tagName === 'TEXTAREA') first.setSelectionRange(first.value.length, first.value.length);
    first.scrollIntoView({ block: 'nearest' });
  }
}

export function cancelEdit() {
  if (!state.editing) return;
  update({ editing: false, editor: null });
  renderDetailBody();
  updateDecisionBar();
  focusDetailTitle();
}

export function armDeny() {
  if (!actionsAvailable() || state.busy) return;
  if (state.editing) cancelEdit();
  update({ intent: 'deny' });
  const response = currentSummary().stage === 'response';
  setReasonHint(`Write why, then press Enter or ${response ? 'Reject' : 'Deny'}: the server is told this reason.`);
  el.reason.focus();
}

const ACTION_DONE = {
  request: {
    approve: ['Approved', 'The request goes on to the model.'],
    edit: ['Edited and approved', 'The edited request goes on to the model.'],
    deny: ['Denied', 'The server gets error -1 (user rejected), with your reason in the error data.'],
  },
  response: {
    approve: ['Delivered', 'The completion was delivered to the server as it is.'],
    edit: ['Edited and delivered', 'The edited completion was delivered to the server.'],
    deny: ['Rejected', 'The server gets error -32003 (response rejected), with your reason in the error data.'],
  },
};

export async function decide(action) {
  const d = state.detail;
  if (!d || !d.data || state.busy || !actionsAvailable()) return;
  const item = currentSummary();
  const stage = item.stage === 'response' ? 'response' : 'request';
  const reason = el.reason.value.trim();
  const body = { stage, action };
  if (action === 'deny') {
    if (!reason) {
      update({ intent: 'deny' });
      showResult('error', 'reason_required', 'A reason is required.',
        stage === 'response' ? 'Say why the response is rejected; the server is told.' : 'Say why the request is denied; the server is told.');
      setReasonHint('Write the reason here, then press Enter.');
      el.reason.focus();
      return;
    }
    body.reason = reason;
  } else if (reason) {
    body.reason = reason;
  }
  if (action === 'edit') {
    if (!state.editing) {
      startEdit();
      return;
    }
    const built = buildEdit();
    if (built.error) {
      showResult('error', 'invalid_edit', 'Cannot send this edit.', built.error);
      if (built.focus) built.focus.focus();
      return;
    }
    Object.assign(body, built.body);
    // Keep the reason after the edit fields, as in the contract's examples.
    if (body.reason !== undefined) {
      const r = body.reason;
      delete body.reason;
      body.reason = r;
    }
  }
  await send(d.id, body);
}

async function send(id, body) {
  update({ busy: true, lastBody: body });
  setReasonHint(null);
  updateDecisionBar();
  showResult('pending', 'sending', 'Sending the decision…', 'This can take up to 10 s while the decision is applied.');
  const r = await api('POST', `/api/reviews/${enc(id)}/decision`, body);
  update({ busy: false });
  if (!state.signedIn) return;
  const here = state.detail && state.detail.id === id;
  const data = r.data || {};
  const words = ACTION_DONE[body.stage][body.action] || [body.action, ''];

  if (r.status === 200) {
    if (isPlainObject(data) && data.requestId) upsertItem(data, false);
    announce(`${words[0]}: ${hostServer(state.items.get(id))}.`);
    if (!here) return;
    updateDetail({ decidedByMe: true });
    if (isPlainObject(data) && data.requestId) mergeDetailData(data);
    update({ editing: false, editor: null, intent: null });
    el.reason.value = '';
    const changes = data.decision && Array.isArray(data.decision.changes) && data.decision.changes.length
      ? h('ul', { class: 'changes' }, data.decision.changes.map((c) => h('li', null, h('code', null, String(c))))) : null;
    renderDetail();
    const by = (data.decision && data.decision.reviewer) || state.reviewer;
    const at = data.decision && typeof data.decision.decidedAt === 'number' ? ` at ${fmtTime(data.decision.decidedAt)}` : '';
    showResult('ok', 'ok', `${words[0]} by ${by}${at}.`, words[1], changes);
    focusDetailTitle();
    return;
  }
  if (!here) {
    announce(`The decision on ${hostServer(state.items.get(id))} was not applied: ${data.message || r.status}.`);
    return;
  }
  updateDecisionBar();
  const retry = h('button', { type: 'button', class: 'retry', 'data-testid': 'decision-retry', onclick: () => { if (state.detail && state.detail.id === id && !state.busy) send(id, body); } }, 'Try again');
  switch (r.status) {
    case 409:
      if (data.error === 'stage_mismatch') {
        showResult('conflict', 'stage_mismatch', 'The item moved to the other stage.',
          `${data.message || 'It is no longer at this stage.'} Reloading it…`);
        reloadDetail(id);
      } else {
        const theirs = data.decision;
        showResult('conflict', data.error || 'already_decided', data.message || alreadyDecidedText(theirs) || 'Someone else decided first.',
          'Your decision was not applied.');
        reloadDetail(id);
      }
      break;
    case 410: {
      const st = typeof data.state === 'string' ? data.state : null;
      const what = { expired: 'It expired before a decision arrived.', cancelled: 'The server cancelled the request.', abandoned: 'The session that asked went away (abandoned).', answered: 'The server already got its answer (answered).' };
      showResult('gone', data.error || 'no_longer_pending', `No longer pending${st ? `: ${st}` : ''}.`,
        `${(st && what[st]) || data.message || ''} Your decision was not applied.`.trim());
      if (st && state.items.has(id)) {
        const known = state.items.get(id);
        upsertItem({ ...known, state: st, updatedAt: Math.max(known.updatedAt || 0, serverNow()) }, false);
      }
      reloadDetail(id);
      break;
    }
    case 400:
      showResult('error', data.error || 'invalid_decision', 'The console refused this decision.',
        `${data.message || 'The decision is not valid.'}${data.pointer ? ` (field ${data.pointer})` : ''}`);
      focusPointer(data.pointer);
      break;
    case 404:
      showResult('gone', data.error || 'unknown_request', 'This review is unknown.', data.message || 'It may have been removed.');
      break;
    case 503:
      showResult('retry', data.error || 'review_unavailable', 'Not decided: the review service is busy.',
        `${data.message || 'The decision could not be confirmed.'} Nothing was decided by this attempt; try again in a few seconds.`, retry);
      break;
    case 403:
      showResult('error', data.error || 'forbidden', 'The console refused the request.',
        `${data.message || 'Forbidden.'} Reload the page and sign in again if this persists.`);
      break;
    case 413:
      showResult('error', data.error || 'too_large', 'The decision is too large.',
        `${data.message || 'The console takes at most 4 MB.'} Remove large images or text from the edit and try again.`);
      break;
    case 401:
      break; // back at sign-in already
    case 0:
      showResult('retry', 'network', 'The console could not be reached.',
        'The decision may or may not have been applied; the queue will show it when the connection is back. Try again if it is still pending.', retry);
      break;
    default:
      showResult('error', data.error || `http_${r.status}`, `Unexpected answer (${r.status}).`, data.message || 'Try again.', retry);
  }
}

function focusPointer(pointer) {
  const ed = state.editor;
  if (!state.editing || !ed || typeof pointer !== 'string') return;
  let m;
  let target = null;
  if (/maxTokens/.test(pointer)) target = ed.max;
  else if (/systemPrompt/.test(pointer)) target = ed.sys;
  else if (/model/.test(pointer) && ed.model) target = ed.model;
  else if ((m = /messages\/(\d+)/.exec(pointer))) target = (ed.texts.find((t) => t.mi === Number(m[1])) || {}).el;
  else if (/content/.test(pointer) && ed.texts.length) target = ed.texts[0].el;
  if (!target && ed.raw) {
    ed.raw.closest('details').open = true;
    target = ed.raw;
  }
  if (target) target.focus();
}

/** Fetches the open item again, keeping what the decision bar says. */
async function reloadDetail(id) {
  const r = await api('GET', `/api/reviews/${enc(id)}`);
  if (!state.detail || state.detail.id !== id || r.status !== 200 || !isPlainObject(r.data)) return;
  const stageChanged = state.detail.data && state.detail.data.stage !== r.data.stage;
  updateDetail({ data: r.data, openedPending: r.data.state === 'pending' });
  if (stageChanged) updateDetail({ decidedByMe: false });
  update({ editing: state.editing && !stageChanged && r.data.state === 'pending' });
  if (!state.editing) update({ editor: null });
  upsertItem(stripDetail(r.data), false);
  if (!state.editing) renderDetailBody();
  renderDetailHead();
  updateDecisionBar();
}

/** Something changed about the open item (live event or list reload). */
export function onOpenItemChanged(item) {
  const d = state.detail;
  if (!d || !d.data || d.id !== item.requestId) return;
  const before = d.data;
  const concludedNow = before.state === 'pending' && item.state !== 'pending' && item.stage === before.stage;
  if (item.stage !== before.stage && item.state === 'pending') {
    // e.g. the request was approved and the response is now held: show the response stage.
    if (state.busy) return;
    reloadDetail(d.id).then(() => {
      if (state.detail && state.detail.id === item.requestId) {
        showResult('info', 'stage_changed', 'The response is now waiting for review.', 'The model answered; the completion is shown below.');
      }
    });
    return;
  }
  renderDetailHead();
  if (concludedNow && !state.busy && !d.decidedByMe && d.resultKind !== 'ok'
      && d.resultKind !== 'conflict' && d.resultKind !== 'gone') {
    const decision = item.decision;
    if (decision && decision.reviewer === state.reviewer && ['approved', 'edited', 'denied'].includes(item.state)) {
      showResult('info', 'decided_elsewhere', `Decided by you elsewhere at ${fmtTime(decision.decidedAt)} (${decision.action}).`, 'This window did not send it.');
    } else if (decision && ['approved', 'edited', 'denied'].includes(item.state)) {
      showResult('conflict', 'already_decided', alreadyDecidedText(decision), decision.reason ? `Reason: ${decision.reason}` : null);
    } else {
      const what = { expired: 'This item expired before a decision.', cancelled: 'The server cancelled this request.', abandoned: 'The session that asked went away (abandoned).', answered: 'The server already got its answer (answered).' };
      showResult('gone', 'no_longer_pending', `No longer pending: ${item.state}.`, what[item.state] || null);
    }
    // Keep the detail body's data in step (decision section) unless the reviewer is editing.
    mergeDetailData(item);
    if (!state.editing) renderDetailBody();
  }
  updateDecisionBar();
}
