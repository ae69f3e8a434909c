/*
 * Review console, editor view (edit & approve, edit & deliver): the form, whose fields it keeps in the store, and
 * the edited params or result it builds from them. Submitting calls the action that console-main.js registers;
 * starting and cancelling an edit are the decision controller's (console-decision.js).
 */

import { h } from './console-dom.js';
import { isPlainObject, roleClass } from './console-format.js';
import { state, update } from './console-state.js';

const actions = { submit: () => {} };

/** Registers what submitting the editor does (Ctrl+Enter in a field, Enter in an input). */
export function setEditorActions(handlers) {
  Object.assign(actions, handlers);
}

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

export function requestEditor(data) {
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
  update({
    editor: { kind: 'request', sys, sysInit: sys.value, texts, max, maxInit: max.value, forced, raw, rawInit: raw.value },
  });
  return h('form', { id: 'editor', class: 'editor', 'data-testid': 'editor', onsubmit: (e) => { e.preventDefault(); actions.submit(); } },
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

export function responseEditor(data) {
  const completion = isPlainObject(data.completion) ? data.completion : { role: 'assistant', content: { type: 'text', text: '' } };
  const texts = [];
  const model = h('input', { id: 'edit-model', 'data-testid': 'edit-model', type: 'text', autocomplete: 'off', spellcheck: 'false' });
  model.value = typeof completion.model === 'string' ? completion.model : '';
  const raw = textArea('edit-raw', 'edit-raw-json', JSON.stringify(completion, null, 2), { class: 'mono' });
  raw.rows = 12;
  const content = h('fieldset', { class: 'msg-edit role-assistant' },
    h('legend', null, `Completion · ${completion.role || 'assistant'}`),
    contentEditors(completion.content, 0, 'edit-c', texts));
  update({ editor: { kind: 'response', texts, model, modelInit: model.value, raw, rawInit: raw.value } });
  return h('form', { id: 'editor', class: 'editor', 'data-testid': 'editor', onsubmit: (e) => { e.preventDefault(); actions.submit(); } },
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
export function buildEdit() {
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
