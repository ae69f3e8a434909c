/*
 * Review console of the Sampling Broker: the browser side of approval-worker/console-api.md. This module is the
 * entry point: it finds the page's elements, wires their events and the keyboard, then boots (the signed-in page or
 * the sign-in form). The other console-*.js modules are ES modules it loads through its imports.
 *
 * Plain ES2020, no dependencies, no build step. Untrusted data (prompts, names, reasons, tool schemas) only ever
 * reaches the page through textContent, attribute values and createElement: never innerHTML.
 */

import { byId } from './console-dom.js';
import { el } from './console-state.js';
import { api } from './console-api.js';
import { onLoginSubmit, onLogout, showLogin, startApp } from './console-session.js';
import { cancelEdit, startEdit } from './console-editor.js';
import { clearResult, decide } from './console-decision.js';
import { onKeyDown } from './console-keys.js';

function bind() {
  const ids = {
    booting: 'booting', loginView: 'login-view', loginForm: 'login-form', loginReviewer: 'login-reviewer',
    loginPassword: 'login-password', loginSubmit: 'login-submit', loginError: 'login-error', loginNote: 'login-note',
    appView: 'app-view', session: 'session', conn: 'conn', signedInAs: 'signed-in-as', btnHelp: 'btn-help',
    btnLogout: 'btn-logout', queue: 'queue', queuePending: 'queue-pending', queueRecent: 'queue-recent',
    pendingEmpty: 'pending-empty', recentEmpty: 'recent-empty', pendingCount: 'pending-count', colMain: 'col-main',
    noDetail: 'no-detail', detail: 'detail', detailHead: 'detail-head', detailBody: 'detail-body',
    decisionBar: 'decision-bar', decisionResult: 'decision-result', decisionControls: 'decision-controls',
    reason: 'decision-reason', reasonNote: 'reason-note', reasonHint: 'reason-hint', btnApprove: 'btn-approve',
    btnEdit: 'btn-edit', btnDeny: 'btn-deny', btnEditSubmit: 'btn-edit-submit', btnEditCancel: 'btn-edit-cancel',
    overviewRange: 'overview-range', overviewCharts: 'overview-charts', help: 'help', announcer: 'announcer',
  };
  for (const [name, id] of Object.entries(ids)) el[name] = byId(id);

  el.loginForm.addEventListener('submit', onLoginSubmit);
  el.btnLogout.addEventListener('click', onLogout);
  el.btnHelp.addEventListener('click', () => el.help.showModal());
  el.btnApprove.addEventListener('click', () => decide('approve'));
  el.btnEdit.addEventListener('click', () => startEdit());
  el.btnDeny.addEventListener('click', () => decide('deny'));
  el.btnEditSubmit.addEventListener('click', () => decide('edit'));
  el.btnEditCancel.addEventListener('click', () => cancelEdit());
  el.reason.addEventListener('input', () => {
    if (el.decisionResult.getAttribute('data-outcome') === 'reason_required' && el.reason.value.trim()) clearResult();
  });
  document.addEventListener('keydown', onKeyDown);
}

async function boot() {
  bind();
  const r = await api('GET', '/api/me', undefined, { auth: false });
  if (r.status === 200 && typeof r.data.reviewer === 'string' && typeof r.data.csrfToken === 'string') {
    startApp(r.data);
  } else if (r.status === 0) {
    showLogin(null, 'The review console could not be reached. Check that the approval-worker is running, then reload.');
  } else {
    showLogin();
  }
}

boot();
