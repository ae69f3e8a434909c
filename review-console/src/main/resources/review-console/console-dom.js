/*
 * Review console, DOM helpers: createElement and createElementNS with attributes and children.
 */

export const byId = (id) => document.getElementById(id);

/** createElement with attributes ('class', 'text', 'value', on<event> handlers, anything else as an attribute). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  applyAttrs(el, attrs, false);
  appendAll(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s(tag, attrs, ...children) {
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
