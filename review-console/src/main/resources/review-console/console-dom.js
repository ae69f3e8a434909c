/*
 * Review console, DOM helpers (bottom layer, imports nothing): the page's elements by name (found once by
 * console-main.js), createElement and createElementNS with attributes and children, the screen reader announcer.
 */

export const byId = (id) => document.getElementById(id);

/** The page's elements by name; filled once by bindElements(), read everywhere. */
export const el = {};

/** Finds the page's elements: names -> element ids. */
export function bindElements(ids) {
  for (const [name, id] of Object.entries(ids)) el[name] = byId(id);
}

export function announce(text) {
  el.announcer.textContent = '';
  setTimeout(() => { el.announcer.textContent = text; }, 50);
}

/** createElement with attributes ('class', 'text', 'value', on<event> handlers, anything else as an attribute). */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  applyAttrs(node, attrs, false);
  appendAll(node, children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  applyAttrs(node, attrs, true);
  appendAll(node, children);
  return node;
}

function applyAttrs(node, attrs, isSvg) {
  if (!attrs) return;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') {
      if (isSvg) node.setAttribute('class', value); else node.className = value;
    } else if (key === 'text') {
      node.textContent = String(value);
    } else if (key === 'value') {
      node.value = String(value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

function appendAll(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
}
