/*
 * Review console, detail view: the open item (its head, the read-only request or response, or the editor) and the
 * decision bar under it (buttons, reason hint, the answer to a decision). It renders from the store and fetches
 * nothing; loading, opening and deciding are the controllers' (console-keys.js, console-decision.js), and the close
 * button calls the action that console-main.js registers.
 */

import { byId, el, h } from './console-dom.js';
import { displayJson, fmtBytes, fmtDateTime, fmtNum, isPlainObject, prefsText, roleClass } from './console-format.js';
import { actionsAvailable, currentSummary, state, updateDetail } from './console-state.js';
import { countdownEl, stageBadge, stateBadge } from './console-queue.js';
import { requestEditor, responseEditor } from './console-editor.js';

const actions = { close: () => {} };

/** Registers what the close button does. */
export function setDetailActions(handlers) {
  Object.assign(actions, handlers);
}

export function focusDetailTitle() {
  const title = byId('detail-title');
  if (title) title.focus({ preventScroll: true });
}

/** Shows the detail panel in place of the "select an item" note. */
export function showDetailPanel() {
  el.noDetail.hidden = true;
  el.detail.hidden = false;
}

/** Empties and hides the detail panel and its decision answer; the "select an item" note is back. */
export function hideDetailPanel() {
  el.detail.hidden = true;
  el.detailHead.replaceChildren();
  el.detailBody.replaceChildren();
  clearResult();
  el.noDetail.hidden = false;
}

/** After the item loaded: the panel scrolls to its top (and into view on a narrow screen). */
export function scrollDetailToTop() {
  el.colMain.scrollTop = 0;
  if (window.matchMedia('(max-width: 900px)').matches) el.detail.scrollIntoView({ block: 'start' });
}

export function renderDetail() {
  renderDetailHead();
  renderDetailBody();
  updateDecisionBar();
}

export function renderDetailHead() {
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
      h('button', { type: 'button', class: 'ghost close', 'data-testid': 'detail-close', 'aria-keyshortcuts': 'Escape', onclick: () => actions.close() },
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

export function renderDetailBody() {
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

export function updateDecisionBar() {
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

export function setReasonHint(text) {
  el.reasonHint.hidden = !text;
  el.reasonHint.textContent = text || '';
}

/** Hides the answer to a decision (the store forgets which kind was shown). */
export function clearResult() {
  el.decisionResult.hidden = true;
  el.decisionResult.replaceChildren();
  el.decisionResult.className = 'decision-result';
  el.decisionResult.removeAttribute('data-outcome');
  updateDetail({ resultKind: null });
}

/** Shows an answer; kind: ok | conflict | gone | error | retry | pending | info (kept in the store). */
export function showResult(kind, outcome, title, message, extra) {
  el.decisionResult.className = `decision-result result-${kind}`;
  el.decisionResult.setAttribute('data-outcome', outcome);
  el.decisionResult.replaceChildren(...[
    title ? h('strong', { class: 'result-title' }, title) : null,
    message ? h('span', { class: 'result-message' }, message) : null,
    extra || null].filter(Boolean));
  el.decisionResult.hidden = false;
  updateDetail({ resultKind: kind });
  if (el.decisionBar.hidden) el.decisionBar.hidden = false;
  if (kind !== 'pending') el.decisionResult.scrollIntoView({ block: 'nearest' });
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
