/*
 * Review console, API calls: fetch and JSON, the CSRF token and its refresh, the end of the session on a 401.
 */

import { state } from './console-state.js';
import { sessionEnded } from './console-session.js';

/**
 * Calls the console API. Resolves to {status, data, headers}; status 0 means the network failed.
 * A 401 (outside sign-in) ends the session; a 403 csrf_token_invalid refreshes the token and retries once.
 */
export async function api(method, path, body, options = {}) {
  const { auth = true, retryCsrf = true } = options;
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && path !== '/api/login' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    return { status: 0, data: { error: 'network', message: 'The review console could not be reached.' }, headers: null };
  }
  let data = {};
  const text = await response.text().catch(() => '');
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (err) {
      data = { error: 'bad_response', message: text.slice(0, 300) };
    }
  }
  if (data === null || typeof data !== 'object') data = { value: data };
  if (response.status === 401 && auth) {
    sessionEnded();
  } else if (response.status === 403 && data.error === 'csrf_token_invalid' && retryCsrf && method !== 'GET') {
    const me = await api('GET', '/api/me', undefined, { retryCsrf: false });
    if (me.status === 200 && typeof me.data.csrfToken === 'string') {
      state.csrf = me.data.csrfToken;
      return api(method, path, body, { auth, retryCsrf: false });
    }
  }
  return { status: response.status, data, headers: response.headers };
}

export const enc = encodeURIComponent;
