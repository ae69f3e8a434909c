/*
 * Review console, session controller: the sign-in form, sign-out, starting the signed-in page and tearing it down.
 * console-main.js registers sessionEnded as what a 401 does (console-api.js).
 */

import { el } from './console-dom.js';
import { clearItems, state, update } from './console-state.js';
import { api } from './console-api.js';
import { closeEvents, loadOverview, loadReviews, openEvents, tick } from './console-live.js';
import { renderQueue } from './console-queue.js';
import { closeDetail } from './console-keys.js';

export function showLogin(note, error) {
  teardown();
  el.booting.hidden = true;
  el.appView.hidden = true;
  el.session.hidden = true;
  el.loginView.hidden = false;
  el.loginNote.hidden = !note;
  el.loginNote.textContent = note || '';
  setLoginError(error || null);
  document.title = 'Sign in · Review console';
  (el.loginReviewer.value ? el.loginPassword : el.loginReviewer).focus();
  showSignInMethods();
}

/** The identity provider's link, when the console is set up for it. */
async function showSignInMethods() {
  const r = await api('GET', '/api/sign-in-methods', undefined, { auth: false });
  el.loginSso.hidden = !(r.status === 200 && r.data.identityProvider);
}

function setLoginError(message) {
  el.loginError.hidden = !message;
  el.loginError.textContent = message || '';
}

function retryAfterSeconds(headers) {
  const value = headers && headers.get('Retry-After');
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export async function onLoginSubmit(event) {
  event.preventDefault();
  if (el.loginSubmit.disabled) return;
  const reviewer = el.loginReviewer.value.trim();
  const password = el.loginPassword.value;
  if (!reviewer || !password) {
    setLoginError('Enter your reviewer name and your password.');
    (reviewer ? el.loginPassword : el.loginReviewer).focus();
    return;
  }
  setLoginError(null);
  el.loginSubmit.disabled = true;
  el.loginSubmit.textContent = 'Signing in…';
  const r = await api('POST', '/api/login', { reviewer, password }, { auth: false });
  el.loginSubmit.disabled = false;
  el.loginSubmit.textContent = 'Sign in';
  if (r.status === 200 && typeof r.data.csrfToken === 'string') {
    el.loginPassword.value = '';
    startApp(r.data);
    return;
  }
  el.loginPassword.value = '';
  if (r.status === 401) {
    setLoginError(r.data.message || 'Unknown reviewer or wrong password.');
    el.loginPassword.focus();
  } else if (r.status === 429) {
    const seconds = retryAfterSeconds(r.headers);
    setLoginError(`Too many sign-in attempts.${seconds ? ` Try again in ${seconds} s.` : ' Wait a little and try again.'}`);
  } else if (r.status === 0) {
    setLoginError('The review console could not be reached. Check that the review console service is running, then try again.');
  } else {
    setLoginError(`Sign-in failed (${r.status}${r.data.error ? ` ${r.data.error}` : ''}): ${r.data.message || 'unexpected answer'}.`);
  }
}

export function startApp(me) {
  update({ signedIn: true, reviewer: me.reviewer, csrf: me.csrfToken });
  el.booting.hidden = true;
  el.loginView.hidden = true;
  el.appView.hidden = false;
  el.session.hidden = false;
  el.signedInAs.textContent = me.reviewer;
  renderQueue();
  closeDetail({ restoreFocus: false });
  loadReviews();
  loadOverview();
  openEvents();
  clearInterval(state.tickTimer);
  update({ tickTimer: setInterval(tick, 1000) });
  el.queue.focus({ preventScroll: true });
}

/** Stops everything that belongs to a signed-in session (idempotent). */
function teardown() {
  update({ signedIn: false });
  closeEvents();
  clearInterval(state.tickTimer);
  clearItems();
  update({ tickTimer: null, selectedId: null, detail: null, editing: false, editor: null, busy: false });
  if (el.help && el.help.open) el.help.close();
  if (el.detail) {
    el.detail.hidden = true;
    el.detailHead.replaceChildren();
    el.detailBody.replaceChildren();
    el.queuePending.replaceChildren();
    el.queueRecent.replaceChildren();
  }
}

export function sessionEnded() {
  if (state.signedIn) {
    update({ csrf: null });
    showLogin('Your session has ended. Sign in again to continue.');
  }
}

export async function onLogout() {
  el.btnLogout.disabled = true;
  await api('POST', '/api/logout', undefined, { auth: false });
  el.btnLogout.disabled = false;
  update({ csrf: null, reviewer: null });
  showLogin('You have signed out.');
}
