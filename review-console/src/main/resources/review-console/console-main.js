/*
 * Review console of the Sampling Broker: the browser side of console-api.md. This module is the entry point and the
 * only one index.html loads: it finds the page's elements, wires their events, the keyboard and the handlers that
 * lower layers call back (a 401, a row's click, a change to the open item), then boots (the signed-in page or the
 * sign-in form).
 *
 * The modules are in layers: a module imports from lower layers only, and from its own layer only where
 * ConsoleModuleLayersTest lists the import (the test also fails on a cycle):
 * bottom: console-state.js (the store), console-api.js, console-format.js, console-dom.js;
 * views: console-queue.js, console-overview.js, console-editor.js, console-detail.js;
 * controllers: console-live.js, console-decision.js, console-keys.js, console-session.js;
 * top: this module.
 *
 * Plain ES2020, no dependencies, no build step. Untrusted data (prompts, names, reasons, tool schemas) only ever
 * reaches the page through textContent, attribute values and createElement: never innerHTML.
 */

import { bindElements, el } from './console-dom.js';
import { api, onUnauthorized } from './console-api.js';
import { setQueueActions } from './console-queue.js';
import { setEditorActions } from './console-editor.js';
import { clearResult, setDetailActions } from './console-detail.js';
import { onOpenItemChange } from './console-live.js';
import { cancelEdit, decide, onOpenItemChanged, startEdit } from './console-decision.js';
import { closeDetail, onKeyDown, openDetail } from './console-keys.js';
import { onLoginSubmit, onLogout, sessionEnded, showLogin, startApp } from './console-session.js';

function bind() {
  bindElements({
    booting: 'booting', loginView: 'login-view', loginForm: 'login-form', loginReviewer: 'login-reviewer',
    loginPassword: 'login-password', loginSubmit: 'login-submit', loginError: 'login-error', loginNote: 'login-note',
    loginSso: 'login-sso',
    appView: 'app-view', session: 'session', conn: 'conn', signedInAs: 'signed-in-as', btnHelp: 'btn-help',
    btnLogout: 'btn-logout', queue: 'queue', queuePending: 'queue-pending', queueRecent: 'queue-recent',
    pendingEmpty: 'pending-empty', recentEmpty: 'recent-empty', pendingCount: 'pending-count', colMain: 'col-main',
    noDetail: 'no-detail', detail: 'detail', detailHead: 'detail-head', detailBody: 'detail-body',
    decisionBar: 'decision-bar', decisionResult: 'decision-result', decisionControls: 'decision-controls',
    reason: 'decision-reason', reasonNote: 'reason-note', reasonHint: 'reason-hint', btnApprove: 'btn-approve',
    btnEdit: 'btn-edit', btnDeny: 'btn-deny', btnEditSubmit: 'btn-edit-submit', btnEditCancel: 'btn-edit-cancel',
    overviewRange: 'overview-range', overviewCharts: 'overview-charts', help: 'help', announcer: 'announcer',
  });

  // What lower layers call back: they never import the modules above them.
  onUnauthorized(sessionEnded);
  setQueueActions({ open: (id) => openDetail(id) });
  setDetailActions({ close: () => closeDetail() });
  setEditorActions({ submit: () => decide('edit') });
  onOpenItemChange((item) => onOpenItemChanged(item));

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
    showLogin(null, 'The review console could not be reached. Check that the review console service is running, then reload.');
  } else {
    showLogin();
  }
}

boot();
