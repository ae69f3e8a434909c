/*
 * Review console of the Sampling Broker: the browser side of approval-worker/console-api.md.
 *
 * Plain ES2020, no dependencies. Untrusted data (prompts, names, reasons, tool schemas) only ever reaches the page
 * through textContent, attribute values and createElement: never innerHTML.
 */
'use strict';

(() => {
  // ---------------------------------------------------------------------------------------------------------------
  // Small DOM helpers

  const byId = (id) => document.getElementById(id);

  /** createElement with attributes ('class', 'text', 'value', on<event> handlers, anything else as an attribute). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    applyAttrs(el, attrs, false);
    appendAll(el, children);
    return el;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';

  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG_NS, tag);
    applyAttrs(el, attrs, true);
    appendAll(el, children);
    return el;
  }

  function applyAttrs(el, attrs, isSvg) {
    if (!attrs) return;
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') {
        if (isSvg) el.setAttribute('class', value); else el.className = value;
      } else if (key === 'text') {
        el.textContent = String(value);
      } else if (key === 'value') {
        el.value = String(value);
      } else if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2), value);
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }

  function appendAll(el, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Formatting

  const numberFormat = new Intl.NumberFormat();
  const fmtNum = (n) => (typeof n === 'number' && Number.isFinite(n) ? numberFormat.format(n) : '—');

  function fmtCompact(n) {
    if (typeof n !== 'number' || !Number.isFinite(n)) return '—';
    const abs = Math.abs(n);
    if (abs >= 1e6) return `${(n / 1e6).toFixed(abs >= 1e7 ? 0 : 1)}M`;
    if (abs >= 1e4) return `${Math.round(n / 1e3)}k`;
    if (abs >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
    return String(n);
  }

  function fmtTime(ms) {
    if (typeof ms !== 'number') return '—';
    return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  }

  function fmtDateTime(ms) {
    if (typeof ms !== 'number') return '—';
    const d = new Date(ms);
    return `${d.toLocaleDateString([], { year: 'numeric', month: 'short', day: 'numeric' })} ${fmtTime(ms)}`;
  }

  function fmtBytes(n) {
    if (n < 1024) return `${n} B`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
    return `${(n / 1024 / 1024).toFixed(1)} MB`;
  }

  function fmtRemaining(ms) {
    if (ms <= 0) return 'expired';
    const total = Math.ceil(ms / 1000);
    if (total < 60) return `${total} s`;
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = total % 60;
    if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
    return `${minutes}:${String(seconds).padStart(2, '0')}`;
  }

  const fmtPriority = (v) => (Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100).replace(/^0\./, '.'));

  function hintNames(prefs) {
    const hints = prefs && Array.isArray(prefs.hints) ? prefs.hints : [];
    return hints.map((hint) => (typeof hint === 'string' ? hint : hint && hint.name)).filter((n) => typeof n === 'string' && n);
  }

  function prefsText(prefs) {
    if (!prefs || typeof prefs !== 'object') return 'no preference';
    const parts = [];
    const hints = hintNames(prefs);
    if (hints.length) parts.push(hints.join(', '));
    const priorities = [['cost', prefs.costPriority], ['speed', prefs.speedPriority], ['intelligence', prefs.intelligencePriority]]
      .filter(([, v]) => typeof v === 'number')
      .map(([name, v]) => `${name} ${fmtPriority(v)}`);
    if (priorities.length) parts.push(priorities.join(' · '));
    return parts.length ? parts.join(' — ') : 'no preference';
  }

  function tokensText(item) {
    let text = `${fmtNum(item.promptTokens)} + ${fmtNum(item.maxTokens)}`;
    if (item.stage === 'response' && typeof item.completionTokens === 'number') text += ` · ${fmtNum(item.completionTokens)} out`;
    return text;
  }

  function tokensTitle(item) {
    let text = `about ${fmtNum(item.promptTokens)} prompt tokens (estimate) + up to ${fmtNum(item.maxTokens)} completion tokens`;
    if (item.stage === 'response' && typeof item.completionTokens === 'number') text += `; the model wrote ${fmtNum(item.completionTokens)}`;
    return text;
  }

  /** Pretty JSON for display; very long strings (base64 payloads) are shortened. */
  function displayJson(value) {
    try {
      const text = JSON.stringify(value, (key, v) => (typeof v === 'string' && v.length > 4000
        ? `${v.slice(0, 120)}… (${fmtNum(v.length)} characters)` : v), 2);
      return text === undefined ? String(value) : text;
    } catch (err) {
      return String(value);
    }
  }

  const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

  const STATE_WORDS = {
    pending: 'pending', approved: 'approved', edited: 'edited', denied: 'denied',
    expired: 'expired', cancelled: 'cancelled', abandoned: 'abandoned',
  };

  function stateLabel(item) {
    if (item && item.stage === 'response') {
      if (item.state === 'approved') return 'delivered';
      if (item.state === 'denied') return 'rejected';
    }
    return STATE_WORDS[item && item.state] || String(item && item.state);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // State

  const state = {
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

  const serverNow = () => Date.now() + state.skew;

  const el = {};

  // ---------------------------------------------------------------------------------------------------------------
  // API

  /**
   * Calls the console API. Resolves to {status, data, headers}; status 0 means the network failed.
   * A 401 (outside sign-in) ends the session; a 403 csrf_token_invalid refreshes the token and retries once.
   */
  async function api(method, path, body, options = {}) {
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

  const enc = encodeURIComponent;

  // ---------------------------------------------------------------------------------------------------------------
  // Sign-in, sign-out, session

  function showLogin(note, error) {
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

  async function onLoginSubmit(event) {
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
      setLoginError('The review console could not be reached. Check that the approval-worker is running, then try again.');
    } else {
      setLoginError(`Sign-in failed (${r.status}${r.data.error ? ` ${r.data.error}` : ''}): ${r.data.message || 'unexpected answer'}.`);
    }
  }

  function startApp(me) {
    state.signedIn = true;
    state.reviewer = me.reviewer;
    state.csrf = me.csrfToken;
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
    state.tickTimer = setInterval(tick, 1000);
    el.queue.focus({ preventScroll: true });
  }

  /** Stops everything that belongs to a signed-in session (idempotent). */
  function teardown() {
    state.signedIn = false;
    closeEvents();
    clearInterval(state.tickTimer);
    state.tickTimer = null;
    state.items.clear();
    state.fresh.clear();
    state.selectedId = null;
    state.detail = null;
    state.editing = false;
    state.editor = null;
    state.busy = false;
    if (el.help && el.help.open) el.help.close();
    if (el.detail) {
      el.detail.hidden = true;
      el.detailHead.replaceChildren();
      el.detailBody.replaceChildren();
      el.queuePending.replaceChildren();
      el.queueRecent.replaceChildren();
    }
  }

  function sessionEnded() {
    if (state.signedIn) {
      state.csrf = null;
      showLogin('Your session has ended. Sign in again to continue.');
    }
  }

  async function onLogout() {
    el.btnLogout.disabled = true;
    await api('POST', '/api/logout', undefined, { auth: false });
    el.btnLogout.disabled = false;
    state.csrf = null;
    state.reviewer = null;
    showLogin('You have signed out.');
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Data loading and live events

  function stripDetail(detail) {
    const { params, completion, provider, inputTokens, outputTokens, ...summary } = detail;
    return summary;
  }

  async function loadReviews() {
    const gen = ++state.loadGen;
    const sentAt = Date.now();
    const r = await api('GET', '/api/reviews');
    if (gen !== state.loadGen || !state.signedIn) return;
    if (r.status !== 200) {
      if (r.status !== 401) announce(`Could not load the queue (${r.status || 'network'}).`);
      return;
    }
    const receivedAt = Date.now();
    const snapshotNow = typeof r.data.now === 'number' ? r.data.now : null;
    if (snapshotNow !== null) state.skew = snapshotNow - (sentAt + receivedAt) / 2;
    const fetched = new Map();
    for (const item of Array.isArray(r.data.items) ? r.data.items : []) {
      if (item && typeof item.requestId === 'string') fetched.set(item.requestId, item);
    }
    for (const [id, known] of state.items) {
      const got = fetched.get(id);
      if (got) {
        if ((known.updatedAt || 0) > (got.updatedAt || 0)) fetched.set(id, known);
      } else if (snapshotNow !== null && (known.updatedAt || 0) > snapshotNow) {
        fetched.set(id, known); // arrived on the stream after the snapshot was taken
      }
    }
    state.items = fetched;
    renderQueue();
    const open = state.detail && state.items.get(state.detail.id);
    if (open) onOpenItemChanged(open);
  }

  async function loadOverview() {
    const r = await api('GET', '/api/overview');
    if (!state.signedIn) return;
    if (r.status === 200) renderOverview(r.data);
    else if (r.status !== 401) {
      el.overviewCharts.replaceChildren(h('p', { class: 'muted' }, `The overview is not available (${r.status || 'network'}).`));
    }
  }

  function openEvents() {
    closeEvents();
    state.esOpenedOnce = false;
    connect();
  }

  function connect() {
    if (!state.signedIn) return;
    setConn('connecting');
    const es = new EventSource('/api/events');
    state.es = es;
    es.addEventListener('open', () => {
      if (es !== state.es) return;
      setConn('live');
      state.esFailures = 0;
      // Events sent while we were not listening are lost: catch up from the list.
      if (state.esOpenedOnce) loadOverview();
      loadReviews();
      state.esOpenedOnce = true;
    });
    es.addEventListener('item', (event) => {
      if (es !== state.es) return;
      const item = parseJson(event.data);
      if (item && typeof item.requestId === 'string') upsertItem(item, true);
    });
    es.addEventListener('overview', (event) => {
      if (es !== state.es) return;
      const overview = parseJson(event.data);
      if (overview) renderOverview(overview);
    });
    es.addEventListener('error', () => {
      if (es !== state.es) return;
      if (es.readyState === EventSource.CLOSED) {
        // The browser gave up (an HTTP error such as 401, or a wrong content type): check the session, retry later.
        es.close();
        state.es = null;
        setConn('offline');
        scheduleReconnect();
      } else {
        setConn('reconnecting');
      }
    });
  }

  function scheduleReconnect() {
    clearTimeout(state.esTimer);
    const delay = Math.min(30000, 1000 * 2 ** Math.min(state.esFailures, 5));
    state.esFailures += 1;
    state.esTimer = setTimeout(async () => {
      if (!state.signedIn) return;
      const me = await api('GET', '/api/me'); // a 401 ends the session
      if (!state.signedIn) return;
      if (me.status === 200) {
        if (typeof me.data.csrfToken === 'string') state.csrf = me.data.csrfToken;
        connect();
      } else {
        scheduleReconnect();
      }
    }, delay);
  }

  function closeEvents() {
    clearTimeout(state.esTimer);
    state.esTimer = null;
    if (state.es) state.es.close();
    state.es = null;
  }

  function parseJson(text) {
    try {
      return JSON.parse(text);
    } catch (err) {
      return null;
    }
  }

  function setConn(kind) {
    const words = {
      connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline, retrying',
    };
    el.conn.className = `conn conn-${kind}`;
    el.conn.textContent = words[kind] || kind;
    el.conn.title = kind === 'live' ? 'Receiving changes as they happen' : 'Live updates are interrupted; the queue may be stale';
  }

  function upsertItem(item, fromEvent) {
    const id = item.requestId;
    const known = state.items.get(id);
    if (known && (known.updatedAt || 0) > (item.updatedAt || 0)) return; // older news
    state.items.set(id, item);
    const arrived = item.state === 'pending' && (!known || known.state !== 'pending' || known.stage !== item.stage);
    if (fromEvent && arrived) {
      state.fresh.add(id);
      const what = item.stage === 'response' ? 'response' : 'request';
      announce(`New ${what} to review from ${item.hostId || 'an unknown host'} for ${item.serverName || 'an unknown server'}.`);
    }
    renderQueue();
    if (state.detail && state.detail.id === id) onOpenItemChanged(item, known);
  }

  function announce(text) {
    el.announcer.textContent = '';
    setTimeout(() => { el.announcer.textContent = text; }, 50);
  }

  function concludedAt(item) {
    return (item.decision && item.decision.decidedAt) || item.updatedAt || 0;
  }

  function tick() {
    updateCountdowns();
    const now = Date.now();
    if (!tick.lastPrune || now - tick.lastPrune > 30000) {
      tick.lastPrune = now;
      const cutoff = serverNow() - 15 * 60 * 1000;
      let removed = false;
      for (const [id, item] of state.items) {
        if (item.state !== 'pending' && concludedAt(item) < cutoff) {
          state.items.delete(id);
          removed = true;
        }
      }
      if (removed) renderQueue();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Queue

  function stageBadge(stage) {
    return h('span', { class: `badge stage stage-${stage === 'response' ? 'response' : 'request'}` }, stage === 'response' ? 'response' : 'request');
  }

  function stateBadge(item) {
    return h('span', { class: `badge state state-${item.state}`, 'data-testid': 'state-badge' }, stateLabel(item));
  }

  function countdownEl(deadline, extraClass) {
    const span = h('span', {
      class: `countdown${extraClass ? ` ${extraClass}` : ''}`, 'data-testid': 'countdown',
      'data-deadline': typeof deadline === 'number' ? deadline : null,
      title: typeof deadline === 'number' ? `Deadline ${fmtTime(deadline)}` : 'No deadline',
    });
    paintCountdown(span);
    return span;
  }

  function paintCountdown(span) {
    const deadline = Number(span.getAttribute('data-deadline'));
    if (!span.hasAttribute('data-deadline') || !Number.isFinite(deadline)) {
      span.textContent = '—';
      return;
    }
    const left = deadline - serverNow();
    const text = fmtRemaining(left);
    if (span.textContent !== text) span.textContent = text;
    span.classList.toggle('urgent', left > 0 && left < 10000);
    span.classList.toggle('expired', left <= 0);
  }

  function updateCountdowns() {
    for (const span of document.querySelectorAll('.countdown[data-deadline]')) paintCountdown(span);
  }

  function sortedItems() {
    const all = [...state.items.values()];
    const pending = all.filter((i) => i.state === 'pending')
      .sort((a, b) => (a.deadline ?? Infinity) - (b.deadline ?? Infinity) || (a.heldAt || 0) - (b.heldAt || 0));
    const recent = all.filter((i) => i.state !== 'pending').sort((a, b) => concludedAt(b) - concludedAt(a));
    return { pending, recent };
  }

  function field(label, ...value) {
    return h('span', { class: 'kv' }, h('span', { class: 'k' }, label), h('span', { class: 'v' }, ...value));
  }

  function wideField(label, ...value) {
    const span = field(label, ...value);
    span.classList.add('wide');
    return span;
  }

  function pendingRow(item) {
    const tool = item.triggeringToolCall;
    const button = h('button', { type: 'button', class: 'item-main', onclick: () => openDetail(item.requestId) },
      h('span', { class: 'line1' },
        stageBadge(item.stage),
        h('span', { class: 'route' },
          h('span', { class: 'host' }, item.hostId || 'unknown host'),
          h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' › '),
          h('span', { class: 'server' }, item.serverName || 'unknown server')),
        countdownEl(item.deadline)),
      h('span', { class: 'grid' },
        wideField('tool', tool ? h('code', null, tool) : h('em', { class: 'muted' }, 'unknown')),
        wideField('model', h('span', { title: prefsText(item.modelPreferences) }, prefsText(item.modelPreferences)),
          item.forcedModel ? h('span', { class: 'forced' }, ` → ${item.forcedModel}`) : null),
        field('tokens', h('span', { title: tokensTitle(item) }, tokensText(item))),
        field('held by', h('code', null, item.heldBy || '—'))),
      item.holdReason ? h('span', { class: 'hold-reason' }, item.holdReason) : null);
    return queueLi(item, button);
  }

  function recentRow(item) {
    const decision = item.decision;
    const button = h('button', { type: 'button', class: 'item-main', onclick: () => openDetail(item.requestId) },
      h('span', { class: 'line1' },
        stateBadge(item),
        stageBadge(item.stage),
        h('span', { class: 'route' },
          h('span', { class: 'host' }, item.hostId || 'unknown host'),
          h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' › '),
          h('span', { class: 'server' }, item.serverName || 'unknown server')),
        h('span', { class: 'when muted' }, fmtTime(concludedAt(item)))),
      h('span', { class: 'grid' },
        field('reviewer', decision && decision.reviewer ? decision.reviewer : h('em', { class: 'muted' }, 'none')),
        wideField('reason', decision && decision.reason ? decision.reason : h('em', { class: 'muted' }, '—'))));
    return queueLi(item, button);
  }

  function queueLi(item, button) {
    const selected = state.selectedId === item.requestId;
    const opened = state.detail && state.detail.id === item.requestId;
    const classes = ['item', `state-${item.state}`];
    if (selected) classes.push('selected');
    if (opened) classes.push('opened');
    if (state.fresh.has(item.requestId)) {
      classes.push('fresh');
      state.fresh.delete(item.requestId);
    }
    if (opened) button.setAttribute('aria-current', 'true');
    return h('li', {
      class: classes.join(' '), 'data-testid': 'queue-item', 'data-request-id': item.requestId,
      'data-state': item.state, 'data-stage': item.stage,
    }, button);
  }

  function renderQueue() {
    const { pending, recent } = sortedItems();
    const active = document.activeElement;
    const focusedLi = active && active.closest ? active.closest('[data-testid="queue-item"]') : null;
    const focusedId = focusedLi ? focusedLi.getAttribute('data-request-id') : null;
    el.queuePending.replaceChildren(...pending.map(pendingRow));
    el.queueRecent.replaceChildren(...recent.map(recentRow));
    el.pendingEmpty.hidden = pending.length > 0;
    el.recentEmpty.hidden = recent.length > 0;
    el.pendingCount.textContent = String(pending.length);
    if (state.signedIn) document.title = pending.length ? `(${pending.length}) Review console` : 'Review console';
    if (focusedId) {
      const button = rowButton(focusedId);
      if (button) button.focus({ preventScroll: true });
    }
  }

  function rowOf(id) {
    for (const li of document.querySelectorAll('[data-testid="queue-item"]')) {
      if (li.getAttribute('data-request-id') === id) return li;
    }
    return null;
  }

  function rowButton(id) {
    const li = rowOf(id);
    return li ? li.querySelector('button') : null;
  }

  function setSelected(id, focus) {
    state.selectedId = id;
    for (const li of document.querySelectorAll('[data-testid="queue-item"]')) {
      li.classList.toggle('selected', li.getAttribute('data-request-id') === id);
    }
    const button = id && rowButton(id);
    if (button && focus) {
      button.focus({ preventScroll: true });
      button.scrollIntoView({ block: 'nearest' });
    }
  }

  function moveSelection(delta) {
    const ids = [...document.querySelectorAll('[data-testid="queue-item"]')].map((li) => li.getAttribute('data-request-id'));
    if (!ids.length) return;
    const current = ids.indexOf(state.selectedId);
    const next = current < 0 ? (delta > 0 ? 0 : ids.length - 1) : Math.max(0, Math.min(ids.length - 1, current + delta));
    setSelected(ids[next], true);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Detail

  function currentSummary() {
    const d = state.detail;
    if (!d) return null;
    const listed = state.items.get(d.id);
    if (!d.data) return listed || null;
    if (listed && (listed.updatedAt || 0) > (d.data.updatedAt || 0)) return listed;
    return d.data;
  }

  async function openDetail(id, options = {}) {
    const { keepResult = false, focus = true } = options;
    state.detail = { id, data: null, loading: true, error: null, openedPending: false, decidedByMe: false };
    state.editing = false;
    state.editor = null;
    state.intent = null;
    state.lastBody = null;
    setSelected(id, false);
    renderQueue();
    el.noDetail.hidden = true;
    el.detail.hidden = false;
    if (!keepResult) {
      clearResult();
      el.reason.value = '';
    }
    setReasonHint(null);
    renderDetail();
    if (focus) focusDetailTitle();
    const r = await api('GET', `/api/reviews/${enc(id)}`);
    if (!state.detail || state.detail.id !== id) return; // another item was opened meanwhile
    state.detail.loading = false;
    if (r.status === 200 && isPlainObject(r.data)) {
      state.detail.data = r.data;
      state.detail.openedPending = r.data.state === 'pending';
      upsertItem(stripDetail(r.data), false);
    } else if (r.status === 404) {
      state.detail.error = 'This review is unknown: it may have been removed.';
    } else if (r.status !== 401) {
      state.detail.error = `The item could not be loaded (${r.status || 'network'}): ${r.data.message || 'try again'}.`;
    }
    const hadFocus = el.detail.contains(document.activeElement);
    renderDetail();
    if (focus && hadFocus) focusDetailTitle();
    el.colMain.scrollTop = 0;
    if (window.matchMedia('(max-width: 900px)').matches) el.detail.scrollIntoView({ block: 'start' });
  }

  function focusDetailTitle() {
    const title = byId('detail-title');
    if (title) title.focus({ preventScroll: true });
  }

  function closeDetail(options = {}) {
    const { restoreFocus = true } = options;
    const id = state.detail && state.detail.id;
    state.detail = null;
    state.editing = false;
    state.editor = null;
    state.intent = null;
    el.detail.hidden = true;
    el.detailHead.replaceChildren();
    el.detailBody.replaceChildren();
    clearResult();
    el.noDetail.hidden = false;
    renderQueue();
    if (restoreFocus) {
      const button = id && rowButton(id);
      if (button) button.focus();
      else el.queue.focus({ preventScroll: true });
    }
  }

  function renderDetail() {
    renderDetailHead();
    renderDetailBody();
    updateDecisionBar();
  }

  function renderDetailHead() {
    const d = state.detail;
    if (!d) return;
    const item = currentSummary();
    const titleHadFocus = document.activeElement && document.activeElement.id === 'detail-title';
    const title = !item ? 'Loading…' : item.stage === 'response' ? 'Response review' : 'Request review';
    const pending = item && item.state === 'pending';
    const head = [
      h('div', { class: 'head-row' },
        h('h2', { id: 'detail-title', tabindex: '-1' }, title),
        item ? stageBadge(item.stage) : null,
        item ? stateBadge(item) : null,
        pending ? h('span', { class: 'head-countdown' }, 'time left ', countdownEl(item.deadline, 'big')) : null,
        h('button', { type: 'button', class: 'ghost close', 'data-testid': 'detail-close', 'aria-keyshortcuts': 'Escape', onclick: () => closeDetail() },
          'Close ', h('kbd', null, 'Esc'))),
    ];
    if (item) {
      head.push(h('p', { class: 'head-meta' },
        h('span', { class: 'host' }, item.hostId || 'unknown host'),
        h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' › '),
        h('span', { class: 'server' }, item.serverName || 'unknown server'),
        h('span', { class: 'sep' }, ' · tool '),
        item.triggeringToolCall ? h('code', null, item.triggeringToolCall) : h('em', null, 'unknown')));
      head.push(h('p', { class: 'head-hold' }, 'Held by ', h('code', null, item.heldBy || '—'),
        item.holdReason ? ` — ${item.holdReason}` : ''));
    }
    el.detailHead.replaceChildren(...head);
    if (titleHadFocus) focusDetailTitle();
  }

  function renderDetailBody() {
    const d = state.detail;
    if (!d) return;
    if (d.loading && !d.data) {
      el.detailBody.replaceChildren(h('p', { class: 'muted' }, 'Loading the item…'));
    } else if (d.error && !d.data) {
      el.detailBody.replaceChildren(h('p', { class: 'form-error' }, d.error));
    } else if (state.editing) {
      el.detailBody.replaceChildren(d.data.stage === 'response' ? responseEditor(d.data) : requestEditor(d.data));
    } else {
      el.detailBody.replaceChildren(...detailView(d.data));
    }
  }

  function section(title, ...content) {
    return h('section', { class: 'block-section' }, h('h3', null, title), ...content);
  }

  function dl(pairs) {
    return h('dl', { class: 'facts' }, pairs.filter(Boolean).map(([k, v]) => h('div', { class: 'fact' }, h('dt', null, k), h('dd', null, v))));
  }

  function detailView(data) {
    const params = isPlainObject(data.params) ? data.params : {};
    const parts = [];
    if (data.decision) parts.push(decisionSection(data));
    if (data.stage === 'response') parts.push(completionSection(data));
    parts.push(requestFacts(data, params));
    parts.push(section('System prompt', typeof params.systemPrompt === 'string' && params.systemPrompt !== ''
      ? h('pre', { class: 'text-block system', 'data-testid': 'prompt-system' }, params.systemPrompt)
      : h('p', { class: 'muted' }, 'None.')));
    parts.push(messagesSection(params));
    if (Array.isArray(params.tools) && params.tools.length) parts.push(toolsSection(params));
    if (params.metadata !== undefined) parts.push(section('Metadata', h('pre', { class: 'json' }, displayJson(params.metadata))));
    const known = new Set(['messages', 'systemPrompt', 'maxTokens', 'modelPreferences', 'includeContext', 'temperature',
      'stopSequences', 'metadata', 'tools', 'toolChoice']);
    const rest = Object.fromEntries(Object.entries(params).filter(([k]) => !known.has(k)));
    if (Object.keys(rest).length) parts.push(section('Other parameters', h('pre', { class: 'json' }, displayJson(rest))));
    return parts;
  }

  function decisionSection(data) {
    const decision = data.decision;
    const actionWords = data.stage === 'response'
      ? { approve: 'delivered as is', edit: 'edited and delivered', deny: 'rejected' }
      : { approve: 'approved', edit: 'edited and approved', deny: 'denied' };
    return section('Decision', dl([
      ['Outcome', actionWords[decision.action] || decision.action || '—'],
      ['Reviewer', decision.reviewer || '—'],
      ['At', fmtDateTime(decision.decidedAt)],
      ['Reason', decision.reason || h('em', { class: 'muted' }, 'none given')],
      Array.isArray(decision.changes) && decision.changes.length
        ? ['Changes', h('ul', { class: 'changes' }, decision.changes.map((c) => h('li', null, h('code', null, String(c)))))]
        : null,
    ]));
  }

  function requestFacts(data, params) {
    const prefs = isPlainObject(params.modelPreferences) ? params.modelPreferences : data.modelPreferences;
    return section('Request', dl([
      ['Max tokens', fmtNum(typeof params.maxTokens === 'number' ? params.maxTokens : data.maxTokens)],
      ['Prompt tokens', `about ${fmtNum(data.promptTokens)} (estimate)`],
      ['Model preferences', prefsText(prefs)],
      ['Forced model', data.forcedModel ? h('code', null, data.forcedModel) : h('em', { class: 'muted' }, 'none')],
      ['Include context', params.includeContext ? h('code', null, String(params.includeContext)) : h('span', null, 'none ', h('span', { class: 'muted' }, '(absent)'))],
      ['Temperature', typeof params.temperature === 'number' ? String(params.temperature) : h('em', { class: 'muted' }, 'not set')],
      ['Stop sequences', Array.isArray(params.stopSequences) && params.stopSequences.length
        ? h('span', { class: 'stops' }, params.stopSequences.map((x) => h('code', null, JSON.stringify(x))))
        : h('em', { class: 'muted' }, 'none')],
      ['Contents', `${fmtNum(data.messageCount)} message(s), ${fmtNum(data.imageCount)} image(s), ${fmtNum(data.toolCount)} tool(s)`],
      ['Response review', data.reviewResponse ? 'yes: the answer is held for review too' : 'no'],
      ['Requested', fmtDateTime(data.requestedAt)],
      ['Held', fmtDateTime(data.heldAt)],
      ['Deadline', fmtDateTime(data.deadline)],
      ['Session', h('code', { class: 'id' }, data.sessionId || '—')],
      ['Request id', h('code', { class: 'id', 'data-testid': 'detail-request-id' }, data.requestId)],
    ]));
  }

  function completionSection(data) {
    const completion = isPlainObject(data.completion) ? data.completion : null;
    if (!completion) return section('Completion', h('p', { class: 'muted' }, 'The completion is not available.'));
    const known = new Set(['role', 'content', 'model', 'stopReason']);
    const rest = Object.fromEntries(Object.entries(completion).filter(([k]) => !known.has(k)));
    return h('section', { class: 'block-section completion', 'data-testid': 'completion' },
      h('h3', null, 'Completion (waiting to be delivered)'),
      dl([
        ['Model', completion.model ? h('code', null, String(completion.model)) : '—'],
        ['Stop reason', completion.stopReason ? h('code', null, String(completion.stopReason)) : '—'],
        ['Provider', data.provider ? h('code', null, String(data.provider)) : '—'],
        ['Token usage', `${fmtNum(data.inputTokens)} in · ${fmtNum(data.outputTokens)} out`
          + (typeof data.completionTokens === 'number' ? ` (reported: ${fmtNum(data.completionTokens)})` : '')],
      ]),
      h('article', { class: `message role-${roleClass(completion.role)}` },
        h('h4', { class: 'message-role' }, completion.role || 'assistant'),
        renderBlocks(completion.content, 'completion-text')),
      Object.keys(rest).length ? h('pre', { class: 'json' }, displayJson(rest)) : null);
  }

  const roleClass = (role) => (role === 'user' || role === 'assistant' ? role : 'other');

  function messagesSection(params) {
    const messages = Array.isArray(params.messages) ? params.messages : [];
    if (!messages.length) return section('Messages', h('p', { class: 'muted' }, 'No messages.'));
    return section(`Messages (${messages.length})`, messages.map((message, index) => {
      const m = isPlainObject(message) ? message : { content: message };
      return h('article', { class: `message role-${roleClass(m.role)}`, 'data-testid': 'prompt-message' },
        h('h4', { class: 'message-role' }, `${index + 1} · ${m.role || 'unknown role'}`),
        renderBlocks(m.content, 'prompt-text'));
    }));
  }

  function renderBlocks(content, textTestId) {
    const blocks = Array.isArray(content) ? content : content === undefined || content === null ? [] : [content];
    if (!blocks.length) return h('p', { class: 'muted' }, 'No content.');
    return blocks.map((block) => renderBlock(block, textTestId));
  }

  function blockLabel(...parts) {
    return h('div', { class: 'block-label' }, ...parts);
  }

  function renderBlock(block, textTestId) {
    if (!isPlainObject(block)) return h('pre', { class: 'json' }, displayJson(block));
    switch (block.type) {
      case 'text':
        return h('pre', { class: 'text-block', 'data-testid': textTestId }, typeof block.text === 'string' ? block.text : displayJson(block.text));
      case 'image':
        return mediaBlock(block, 'image');
      case 'audio':
        return mediaBlock(block, 'audio');
      case 'tool_use':
        return h('div', { class: 'block tool-use' },
          blockLabel('Tool use ', h('code', null, String(block.name ?? '?')), block.id ? h('span', { class: 'muted' }, ` id ${block.id}`) : null),
          h('pre', { class: 'json' }, displayJson(block.input ?? {})));
      case 'tool_result': {
        const { type, toolUseId, ...rest } = block;
        return h('div', { class: `block tool-result${block.isError ? ' is-error' : ''}` },
          blockLabel('Tool result', toolUseId ? h('span', { class: 'muted' }, ` for ${toolUseId}`) : null, block.isError ? h('strong', { class: 'err' }, ' (error)') : null),
          h('pre', { class: 'json' }, displayJson(rest)));
      }
      default:
        return h('div', { class: 'block other' },
          blockLabel(`${typeof block.type === 'string' ? block.type : 'unknown'} block`),
          h('pre', { class: 'json' }, displayJson(block)));
    }
  }

  function mediaBlock(block, kind) {
    const mime = typeof block.mimeType === 'string' ? block.mimeType.trim().toLowerCase() : '';
    const data = typeof block.data === 'string' ? block.data.replace(/\s+/g, '') : '';
    const mimeOk = new RegExp(`^${kind}/[a-z0-9][a-z0-9.+-]*$`).test(mime);
    const dataOk = data.length > 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(data);
    const bytes = Math.floor((data.length * 3) / 4);
    const label = `${kind === 'image' ? 'Image' : 'Audio'} · ${mime || 'no MIME type'} · ${fmtBytes(bytes)}`;
    if (!mimeOk || !dataOk) {
      return h('div', { class: 'block media refused' }, blockLabel(label),
        h('p', { class: 'warn' }, mimeOk ? 'Not shown: the data is not valid base64.' : `Not shown: "${mime}" is not a ${kind}/* type.`));
    }
    const url = `data:${mime};base64,${data}`;
    const media = kind === 'image'
      ? h('img', { src: url, alt: `Image from the prompt (${mime}, ${fmtBytes(bytes)})`, 'data-testid': 'prompt-image', decoding: 'async' })
      : h('audio', { controls: true, preload: 'metadata', src: url, 'data-testid': 'prompt-audio' });
    return h('figure', { class: `block media ${kind}` }, media, h('figcaption', null, label));
  }

  function toolsSection(params) {
    return section(`Tools (${params.tools.length})`,
      params.toolChoice !== undefined ? h('p', null, 'Tool choice: ', h('code', null, displayJson(params.toolChoice))) : null,
      params.tools.map((tool) => {
        const t = isPlainObject(tool) ? tool : {};
        const { name, description, inputSchema, ...rest } = t;
        return h('div', { class: 'tool', 'data-testid': 'prompt-tool' },
          h('h4', null, h('code', null, String(name ?? '(no name)'))),
          description ? h('p', { class: 'tool-desc' }, String(description)) : h('p', { class: 'muted' }, 'No description.'),
          h('details', { open: true }, h('summary', null, 'Input schema'), h('pre', { class: 'json' }, displayJson(inputSchema ?? {}))),
          Object.keys(rest).length ? h('pre', { class: 'json' }, displayJson(rest)) : null);
      }));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Editors

  function rowsFor(text) {
    const lines = String(text || '').split('\n').length;
    const wrapped = Math.ceil(String(text || '').length / 90);
    return Math.min(18, Math.max(3, lines + 1, wrapped + 1));
  }

  function textArea(id, testid, value, attrs) {
    const ta = h('textarea', { id, 'data-testid': testid, rows: rowsFor(value), spellcheck: 'false', ...attrs });
    ta.value = value;
    return ta;
  }

  function blockKind(block) {
    if (!isPlainObject(block)) return 'content';
    if (block.type === 'image' || block.type === 'audio') return `${block.type} (${block.mimeType || 'no type'})`;
    return `${block.type || 'unknown'} block`;
  }

  /** Text blocks of a content value (single block or array) as editable textareas. */
  function contentEditors(content, mi, prefix, texts) {
    const isArray = Array.isArray(content);
    const blocks = isArray ? content : [content];
    const textCount = blocks.filter((b) => isPlainObject(b) && b.type === 'text').length;
    return blocks.map((block, bi) => {
      if (isPlainObject(block) && block.type === 'text') {
        const id = `${prefix}-${mi}-${bi}`;
        const ta = textArea(id, 'edit-message-text', typeof block.text === 'string' ? block.text : '',
          { 'data-message-index': mi, 'data-block-index': bi });
        texts.push({ el: ta, mi, bi, init: ta.value });
        return h('div', { class: 'field' }, h('label', { for: id }, textCount > 1 ? `Text block ${bi + 1}` : 'Text'), ta);
      }
      return h('p', { class: 'field readonly muted' }, `${blockKind(block)}: not editable here (use the raw JSON).`);
    });
  }

  function requestEditor(data) {
    const params = isPlainObject(data.params) ? data.params : {};
    const texts = [];
    const sys = textArea('edit-sys', 'edit-system-prompt', typeof params.systemPrompt === 'string' ? params.systemPrompt : '', {});
    const messages = Array.isArray(params.messages) ? params.messages : [];
    const max = h('input', { id: 'edit-max', 'data-testid': 'edit-max-tokens', type: 'number', min: '1', step: '1', inputmode: 'numeric' });
    max.value = typeof params.maxTokens === 'number' ? String(params.maxTokens) : '';
    const forced = h('input', { id: 'edit-forced', 'data-testid': 'edit-forced-model', type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. offline-echo' });
    forced.value = data.forcedModel || '';
    const raw = textArea('edit-raw', 'edit-raw-json', JSON.stringify(params, null, 2), { class: 'mono' });
    raw.rows = 14;
    state.editor = {
      kind: 'request', sys, sysInit: sys.value, texts, max, maxInit: max.value, forced, raw, rawInit: raw.value,
    };
    return h('form', { id: 'editor', class: 'editor', 'data-testid': 'editor', onsubmit: (e) => { e.preventDefault(); decide('edit'); } },
      h('p', { class: 'editor-intro' }, 'Change what the model will see, then ', h('strong', null, 'Approve edited request'),
        '. Only the fields you change are replaced; everything else is sent as the server asked.'),
      h('div', { class: 'field-row' },
        h('div', { class: 'field' }, h('label', { for: 'edit-max' }, 'Max tokens'), max),
        h('div', { class: 'field grow' }, h('label', { for: 'edit-forced' }, 'Force model ', h('span', { class: 'muted' }, '(empty: the preferences decide)')), forced)),
      h('div', { class: 'field' }, h('label', { for: 'edit-sys' }, 'System prompt'), sys),
      messages.map((message, mi) => {
        const m = isPlainObject(message) ? message : {};
        return h('fieldset', { class: `msg-edit role-${roleClass(m.role)}` },
          h('legend', null, `Message ${mi + 1} · ${m.role || 'unknown role'}`),
          contentEditors(m.content, mi, 'edit-m', texts));
      }),
      h('details', { class: 'advanced' },
        h('summary', null, 'Advanced: the whole params as JSON'),
        h('p', { class: 'muted small' }, 'Edit anything here (tools, temperature, includeContext, …). The fields above are applied on top of this JSON.'),
        h('label', { for: 'edit-raw', class: 'sr-only' }, 'Params as JSON'), raw),
      h('button', { type: 'submit', hidden: true, tabindex: '-1' }, 'Submit'));
  }

  function responseEditor(data) {
    const completion = isPlainObject(data.completion) ? data.completion : { role: 'assistant', content: { type: 'text', text: '' } };
    const texts = [];
    const model = h('input', { id: 'edit-model', 'data-testid': 'edit-model', type: 'text', autocomplete: 'off', spellcheck: 'false' });
    model.value = typeof completion.model === 'string' ? completion.model : '';
    const raw = textArea('edit-raw', 'edit-raw-json', JSON.stringify(completion, null, 2), { class: 'mono' });
    raw.rows = 12;
    const content = h('fieldset', { class: 'msg-edit role-assistant' },
      h('legend', null, `Completion · ${completion.role || 'assistant'}`),
      contentEditors(completion.content, 0, 'edit-c', texts));
    state.editor = { kind: 'response', texts, model, modelInit: model.value, raw, rawInit: raw.value };
    return h('form', { id: 'editor', class: 'editor', 'data-testid': 'editor', onsubmit: (e) => { e.preventDefault(); decide('edit'); } },
      h('p', { class: 'editor-intro' }, 'Change what the server receives, then ', h('strong', null, 'Deliver edited response'), '.'),
      content,
      h('div', { class: 'field' }, h('label', { for: 'edit-model' }, 'Model (as reported to the server)'), model),
      h('details', { class: 'advanced' },
        h('summary', null, 'Advanced: the whole result as JSON'),
        h('p', { class: 'muted small' }, 'The fields above are applied on top of this JSON.'),
        h('label', { for: 'edit-raw', class: 'sr-only' }, 'Result as JSON'), raw),
      h('button', { type: 'submit', hidden: true, tabindex: '-1' }, 'Submit'));
  }

  function parseRaw(ed, what) {
    if (ed.raw.value === ed.rawInit) return { value: null };
    let value;
    try {
      value = JSON.parse(ed.raw.value);
    } catch (err) {
      return { error: `The raw JSON is not valid: ${err.message}`, focus: ed.raw };
    }
    if (!isPlainObject(value)) return { error: `The raw JSON must be an object (the whole ${what}).`, focus: ed.raw };
    return { value };
  }

  function applyTextEdits(base, texts, locate) {
    for (const t of texts) {
      if (t.el.value === t.init) continue;
      const content = locate(base, t.mi);
      const block = Array.isArray(content) ? content[t.bi] : t.bi === 0 ? content : undefined;
      if (!isPlainObject(block) || block.type !== 'text') {
        return { error: 'A text you edited is no longer a text block in the raw JSON; edit it in one place only.', focus: t.el };
      }
      block.text = t.el.value;
    }
    return null;
  }

  /** The edited params (request) or result (response): the original with only the changed fields replaced. */
  function buildEdit() {
    const ed = state.editor;
    const data = state.detail.data;
    if (!ed) return { error: 'Nothing is being edited.' };
    if (ed.raw.closest('details') && ed.raw.value !== ed.rawInit) ed.raw.closest('details').open = true;
    if (ed.kind === 'request') {
      const raw = parseRaw(ed, 'params');
      if (raw.error) return raw;
      const params = raw.value || structuredClone(isPlainObject(data.params) ? data.params : {});
      if (ed.sys.value !== ed.sysInit) {
        if (ed.sys.value === '') delete params.systemPrompt;
        else params.systemPrompt = ed.sys.value;
      }
      const textError = applyTextEdits(params, ed.texts, (base, mi) => (Array.isArray(base.messages) && isPlainObject(base.messages[mi]) ? base.messages[mi].content : undefined));
      if (textError) return textError;
      const maxText = ed.max.value.trim();
      if (maxText !== ed.maxInit || ed.max.validity.badInput) {
        const n = Number(maxText);
        if (!maxText || !Number.isInteger(n) || n < 1) return { error: 'Max tokens must be a whole number, at least 1.', focus: ed.max };
        params.maxTokens = n;
      }
      const body = { params };
      const forced = ed.forced.value.trim();
      if (forced) body.forcedModel = forced;
      return { body };
    }
    const raw = parseRaw(ed, 'result');
    if (raw.error) return raw;
    const result = raw.value || structuredClone(isPlainObject(data.completion) ? data.completion : {});
    const textError = applyTextEdits(result, ed.texts, (base) => base.content);
    if (textError) return textError;
    if (ed.model.value.trim() !== ed.modelInit.trim()) {
      if (!ed.model.value.trim()) return { error: 'The model name cannot be empty.', focus: ed.model };
      result.model = ed.model.value.trim();
    }
    return { body: { result } };
  }

  function startEdit() {
    if (!actionsAvailable() || state.editing || state.busy) return;
    state.editing = true;
    state.intent = null;
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

  function cancelEdit() {
    if (!state.editing) return;
    state.editing = false;
    state.editor = null;
    renderDetailBody();
    updateDecisionBar();
    focusDetailTitle();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Decision bar and decisions

  function actionsAvailable() {
    const d = state.detail;
    if (!d || !d.data || d.decidedByMe) return false;
    const item = currentSummary();
    return (item && item.state === 'pending') || d.openedPending;
  }

  function updateDecisionBar() {
    const d = state.detail;
    const item = currentSummary();
    const response = item && item.stage === 'response';
    const available = actionsAvailable();
    el.decisionControls.hidden = !available;
    el.btnApprove.firstChild.textContent = response ? 'Deliver ' : 'Approve ';
    el.btnEdit.firstChild.textContent = response ? 'Edit & deliver ' : 'Edit & approve ';
    el.btnDeny.firstChild.textContent = response ? 'Reject ' : 'Deny ';
    el.btnEditSubmit.textContent = response ? 'Deliver edited response' : 'Approve edited request';
    el.reasonNote.textContent = response ? '(required to reject, optional otherwise)' : '(required to deny, optional otherwise)';
    const editing = state.editing;
    el.btnApprove.hidden = editing;
    el.btnEdit.hidden = editing;
    el.btnDeny.hidden = editing;
    el.btnEditSubmit.hidden = !editing;
    el.btnEditCancel.hidden = !editing;
    const stale = available && item && item.state !== 'pending';
    el.decisionControls.classList.toggle('stale', Boolean(stale));
    for (const b of [el.btnApprove, el.btnEdit, el.btnDeny, el.btnEditSubmit, el.btnEditCancel]) b.disabled = state.busy;
    el.reason.disabled = state.busy;
    el.decisionBar.hidden = !d || (!available && el.decisionResult.hidden);
  }

  function setReasonHint(text) {
    el.reasonHint.hidden = !text;
    el.reasonHint.textContent = text || '';
  }

  function clearResult() {
    el.decisionResult.hidden = true;
    el.decisionResult.replaceChildren();
    el.decisionResult.className = 'decision-result';
    el.decisionResult.removeAttribute('data-outcome');
    if (state.detail) state.detail.resultKind = null;
  }

  /** kind: ok | conflict | gone | error | retry | pending | info. */
  function showResult(kind, outcome, title, message, extra) {
    el.decisionResult.className = `decision-result result-${kind}`;
    el.decisionResult.setAttribute('data-outcome', outcome);
    el.decisionResult.replaceChildren(...[
      title ? h('strong', { class: 'result-title' }, title) : null,
      message ? h('span', { class: 'result-message' }, message) : null,
      extra || null].filter(Boolean));
    el.decisionResult.hidden = false;
    if (state.detail) state.detail.resultKind = kind;
    if (el.decisionBar.hidden) el.decisionBar.hidden = false;
    if (kind !== 'pending') el.decisionResult.scrollIntoView({ block: 'nearest' });
  }

  function armDeny() {
    if (!actionsAvailable() || state.busy) return;
    if (state.editing) cancelEdit();
    state.intent = 'deny';
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

  async function decide(action) {
    const d = state.detail;
    if (!d || !d.data || state.busy || !actionsAvailable()) return;
    const item = currentSummary();
    const stage = item.stage === 'response' ? 'response' : 'request';
    const reason = el.reason.value.trim();
    const body = { stage, action };
    if (action === 'deny') {
      if (!reason) {
        state.intent = 'deny';
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
    state.busy = true;
    state.lastBody = body;
    setReasonHint(null);
    updateDecisionBar();
    showResult('pending', 'sending', 'Sending the decision…', 'This can take up to 10 s while the decision is applied.');
    const r = await api('POST', `/api/reviews/${enc(id)}/decision`, body);
    state.busy = false;
    if (!state.signedIn) return;
    const here = state.detail && state.detail.id === id;
    const data = r.data || {};
    const words = ACTION_DONE[body.stage][body.action] || [body.action, ''];

    if (r.status === 200) {
      if (isPlainObject(data) && data.requestId) upsertItem(data, false);
      announce(`${words[0]}: ${hostServer(state.items.get(id))}.`);
      if (!here) return;
      state.detail.decidedByMe = true;
      if (isPlainObject(data) && data.requestId) Object.assign(state.detail.data, data);
      state.editing = false;
      state.editor = null;
      state.intent = null;
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
        const what = { expired: 'It expired before a decision arrived.', cancelled: 'The server cancelled the request.', abandoned: 'The session that asked went away (abandoned).' };
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

  function hostServer(item) {
    return item ? `${item.hostId || 'unknown host'} › ${item.serverName || 'unknown server'}` : 'the item';
  }

  function alreadyDecidedText(decision) {
    if (!isPlainObject(decision)) return null;
    return `Already decided by ${decision.reviewer || 'someone'}${decision.decidedAt ? ` at ${fmtTime(decision.decidedAt)}` : ''}${decision.action ? ` (${decision.action})` : ''}`;
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
    state.detail.data = r.data;
    state.detail.openedPending = r.data.state === 'pending';
    if (stageChanged) state.detail.decidedByMe = false;
    state.editing = state.editing && !stageChanged && r.data.state === 'pending';
    if (!state.editing) state.editor = null;
    upsertItem(stripDetail(r.data), false);
    if (!state.editing) renderDetailBody();
    renderDetailHead();
    updateDecisionBar();
  }

  /** Something changed about the open item (live event or list reload). */
  function onOpenItemChanged(item) {
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
        const what = { expired: 'This item expired before a decision.', cancelled: 'The server cancelled this request.', abandoned: 'The session that asked went away (abandoned).' };
        showResult('gone', 'no_longer_pending', `No longer pending: ${item.state}.`, what[item.state] || null);
      }
      // Keep the detail body's data in step (decision section) unless the reviewer is editing.
      Object.assign(d.data, item);
      if (!state.editing) renderDetailBody();
    }
    updateDecisionBar();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Overview charts (inline SVG)

  const OUTCOME_ORDER = ['APPROVED', 'AMENDED', 'DENIED', 'HELD_FOR_REVIEW', 'approved', 'edited', 'denied', 'expired', 'cancelled', 'abandoned'];

  function outcomeClass(name) {
    const key = String(name).toLowerCase();
    const map = {
      approved: 'c-approved', amended: 'c-edited', edited: 'c-edited', denied: 'c-denied', held_for_review: 'c-held',
      expired: 'c-expired', cancelled: 'c-cancelled', abandoned: 'c-cancelled',
    };
    return map[key] || 'c-neutral';
  }

  function outcomeEntries(obj) {
    if (!isPlainObject(obj)) return [];
    return Object.entries(obj)
      .filter(([, v]) => typeof v === 'number')
      .sort(([a], [b]) => {
        const ia = OUTCOME_ORDER.indexOf(a);
        const ib = OUTCOME_ORDER.indexOf(b);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
      })
      .map(([name, value]) => ({ name, label: name.toLowerCase().replace(/_/g, ' '), value, cls: outcomeClass(name) }));
  }

  function topEntries(list, valueKey) {
    if (!Array.isArray(list)) return [];
    return list.filter((e) => isPlainObject(e) && typeof e[valueKey] === 'number')
      .sort((a, b) => b[valueKey] - a[valueKey])
      .slice(0, 8)
      .map((e) => ({ name: String(e.name), label: String(e.name), value: e[valueKey], cls: 'c-tokens' }));
  }

  function niceCeil(n) {
    if (n <= 1) return 1;
    const p = 10 ** Math.floor(Math.log10(n));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= n) return m * p;
    return 10 * p;
  }

  function truncate(text, max) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  }

  function rpmChart(points) {
    const list = Array.isArray(points) ? points.filter((p) => isPlainObject(p)) : [];
    const W = 720; const H = 150; const L = 30; const R = 6; const T = 8; const B = 22;
    const pw = W - L - R; const ph = H - T - B;
    const counts = list.map((p) => (typeof p.count === 'number' ? p.count : 0));
    const total = counts.reduce((a, b) => a + b, 0);
    const peak = Math.max(0, ...counts);
    const top = niceCeil(Math.max(1, peak));
    const peakAt = list[counts.indexOf(peak)];
    const label = list.length
      ? `Requests per minute over the last hour: ${fmtNum(total)} in total, at most ${fmtNum(peak)} in a minute${peak && peakAt ? ` (${fmtTime(peakAt.minute)})` : ''}.`
      : 'Requests per minute: no data.';
    const chart = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': label, 'data-testid': 'chart-requests' },
      s('title', null, label));
    for (const v of [0, top / 2, top]) {
      const y = T + ph - (v / top) * ph;
      chart.append(s('line', { x1: L, x2: W - R, y1: y, y2: y, class: v === 0 ? 'axis' : 'gridline' }));
      chart.append(s('text', { x: L - 4, y: y + 3.5, class: 'tick', 'text-anchor': 'end' }, fmtCompact(v)));
    }
    const n = Math.max(list.length, 1);
    const bw = pw / n;
    list.forEach((p, i) => {
      const c = counts[i];
      const bh = (c / top) * ph;
      const rect = s('rect', {
        x: (L + i * bw + 0.4).toFixed(2), y: (T + ph - bh).toFixed(2), width: Math.max(bw - 0.8, 0.6).toFixed(2),
        height: Math.max(bh, 0).toFixed(2), class: 'bar c-requests',
      }, s('title', null, `${fmtTime(p.minute).slice(0, 5)}: ${fmtNum(c)} request${c === 1 ? '' : 's'}`));
      chart.append(rect);
    });
    chart.append(s('text', { x: L, y: H - 6, class: 'tick' }, '−60 min'));
    chart.append(s('text', { x: L + pw / 2, y: H - 6, class: 'tick', 'text-anchor': 'middle' }, '−30'));
    chart.append(s('text', { x: W - R, y: H - 6, class: 'tick', 'text-anchor': 'end' }, 'now'));
    return chart;
  }

  function hbarChart(entries, name, emptyText) {
    if (!entries.length) return h('p', { class: 'muted small chart-empty' }, emptyText);
    const W = 360; const rowH = 22; const L = 122; const R = 46;
    const H = entries.length * rowH + 4;
    const max = Math.max(1, ...entries.map((e) => e.value));
    const label = `${name}: ${entries.map((e) => `${e.label} ${fmtNum(e.value)}`).join(', ')}.`;
    const chart = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart hbar', role: 'img', 'aria-label': label }, s('title', null, label));
    entries.forEach((e, i) => {
      const y = 2 + i * rowH;
      const bw = (e.value / max) * (W - L - R);
      chart.append(s('text', { x: L - 6, y: y + rowH / 2 + 4, class: 'label', 'text-anchor': 'end' },
        truncate(e.label, 19), s('title', null, e.name)));
      chart.append(s('rect', { x: L, y: y + 4, width: Math.max(bw, e.value > 0 ? 1.5 : 0).toFixed(2), height: rowH - 8, rx: 2, class: `bar ${e.cls}` },
        s('title', null, `${e.name}: ${fmtNum(e.value)}`)));
      chart.append(s('text', { x: L + bw + 5, y: y + rowH / 2 + 4, class: 'value' }, fmtCompact(e.value)));
    });
    return chart;
  }

  function chartCard(title, chart, wide) {
    return h('figure', { class: `chart-card${wide ? ' wide' : ''}` }, h('figcaption', null, title), chart);
  }

  function renderOverview(o) {
    if (!isPlainObject(o)) return;
    el.overviewRange.textContent = typeof o.since === 'number' && typeof o.until === 'number'
      ? `${fmtTime(o.since).slice(0, 5)}–${fmtTime(o.until).slice(0, 5)}, updated ${fmtTime(Date.now())}` : '';
    el.overviewCharts.replaceChildren(
      chartCard('Requests per minute', rpmChart(o.requestsPerMinute), true),
      chartCard('Policy decisions', hbarChart(outcomeEntries(o.decisionsByOutcome), 'Policy decisions by outcome', 'No decisions.')),
      chartCard('Human reviews', hbarChart(outcomeEntries(o.reviewsByOutcome), 'Reviews by outcome', 'No reviews.')),
      chartCard('Tokens by host', hbarChart(topEntries(o.tokensByHost, 'tokens'), 'Tokens by host, top 8', 'No tokens used.')),
      chartCard('Tokens by server', hbarChart(topEntries(o.tokensByServer, 'tokens'), 'Tokens by server, top 8', 'No tokens used.')));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Keyboard

  function isTyping(target) {
    if (!target || !(target instanceof Element)) return false;
    if (target.isContentEditable) return true;
    if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
    if (target.tagName === 'INPUT') return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file'].includes(target.type);
    return false;
  }

  function onKeyDown(event) {
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

  // ---------------------------------------------------------------------------------------------------------------
  // Start

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
})();
