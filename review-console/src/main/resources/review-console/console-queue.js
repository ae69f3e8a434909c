/*
 * Review console, queue view: pending and recently concluded rows, countdowns, the selection's highlight. It renders
 * from the store and fetches nothing; opening a row calls the action that console-main.js registers.
 */

import { el, h } from './console-dom.js';
import {
  concludedAt, fmtRemaining, fmtTime, prefsText, stateLabel, tokensText, tokensTitle,
} from './console-format.js';
import { serverNow, state, takeFresh } from './console-state.js';

const actions = { open: () => {} };

/** Registers what a click on a row does: open(requestId). */
export function setQueueActions(handlers) {
  Object.assign(actions, handlers);
}

export function stageBadge(stage) {
  return h('span', { class: `badge stage stage-${stage === 'response' ? 'response' : 'request'}` }, stage === 'response' ? 'response' : 'request');
}

export function stateBadge(item) {
  return h('span', { class: `badge state state-${item.state}`, 'data-testid': 'state-badge' }, stateLabel(item));
}

export function countdownEl(deadline, extraClass) {
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

export function updateCountdowns() {
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
  const button = h('button', { type: 'button', class: 'item-main', onclick: () => actions.open(item.requestId) },
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
  const button = h('button', { type: 'button', class: 'item-main', onclick: () => actions.open(item.requestId) },
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
  if (takeFresh(item.requestId)) classes.push('fresh');
  if (opened) button.setAttribute('aria-current', 'true');
  return h('li', {
    class: classes.join(' '), 'data-testid': 'queue-item', 'data-request-id': item.requestId,
    'data-state': item.state, 'data-stage': item.stage,
  }, button);
}

export function renderQueue() {
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

export function rowButton(id) {
  const li = rowOf(id);
  return li ? li.querySelector('button') : null;
}

/** Highlights the selected row (the store's selectedId is set by the caller); focus moves to it if asked. */
export function paintSelection(id, focus) {
  for (const li of document.querySelectorAll('[data-testid="queue-item"]')) {
    li.classList.toggle('selected', li.getAttribute('data-request-id') === id);
  }
  const button = id && rowButton(id);
  if (button && focus) {
    button.focus({ preventScroll: true });
    button.scrollIntoView({ block: 'nearest' });
  }
}

/** The ids of the rows, in the order shown (pending first). */
export function queueIds() {
  return [...document.querySelectorAll('[data-testid="queue-item"]')].map((li) => li.getAttribute('data-request-id'));
}
