/*
 * Review console, API calls (bottom layer, imports only the store): fetch and JSON, the CSRF token and its refresh,
 * the event stream. A 401 calls the handler that console-main.js registers (the session ends): this module never
 * imports a controller.
 */

import { state, update } from './console-state.js';

let unauthorized = () => {};

/** Registers what a 401 outside sign-in does (console-main.js: the session ends). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

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
    unauthorized();
  } else if (response.status === 403 && data.error === 'csrf_token_invalid' && retryCsrf && method !== 'GET') {
    const me = await api('GET', '/api/me', undefined, { retryCsrf: false });
    if (me.status === 200 && typeof me.data.csrfToken === 'string') {
      update({ csrf: me.data.csrfToken });
      return api(method, path, body, { auth, retryCsrf: false });
    }
  }
  return { status: response.status, data, headers: response.headers };
}

export const enc = encodeURIComponent;

/** The server's event stream (Server-Sent Events): items and overviews as they change. */
export function openEventStream() {
  return new EventSource('/api/events');
}
