// Small DOM helpers: elements are built with textContent, never innerHTML, so nothing the server
// or a user typed can become markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const ICONS = {
  home: 'M3 11.5 12 4l9 7.5V20a1 1 0 0 1-1 1h-5v-6h-6v6H4a1 1 0 0 1-1-1z',
  pay: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM14 14h2v2h-2zM18 14h2v2h-2zM14 18h2v2h-2zM18 18h2v2h-2z',
  scan: 'M3 8V4h4M17 4h4v4M21 16v4h-4M7 20H3v-4M3 12h18',
  wallet: 'M3 7h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2zM3 7l13-3v3M16 13h2',
  me: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 4-6 8-6s8 2 8 6',
  back: 'M15 5l-7 7 7 7',
  close: 'M6 6l12 12M18 6 6 18',
  search: 'M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM16 16l5 5',
  check: 'M5 12l5 5 9-10',
  topup: 'M12 5v14M5 12h14',
  bill: 'M6 3h12v18l-3-2-3 2-3-2-3 2zM9 8h6M9 12h6',
};

export function icon(name, cls = 'icon') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', cls);
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', ICONS[name] || '');
  svg.append(path);
  return svg;
}

/** An image element showing SVG text from the server (QR codes, barcodes). */
export function svgImage(svgText, alt, cls) {
  return h('img', { class: cls, alt, src: 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svgText) });
}

export function toast(message, kind = 'info') {
  const root = document.getElementById('toast-root');
  const el = h('div', { class: 'toast toast-' + kind, role: 'status' }, message);
  root.append(el);
  setTimeout(() => el.remove(), 3000);
}

/** "¥12.30" from "12.30"; signed amounts keep their sign in front. */
export function yuan(amount) {
  const s = String(amount);
  if (s.startsWith('-') || s.startsWith('+')) return s[0] + '¥' + s.slice(1);
  return '¥' + s;
}

export function when(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' '
    + pad(d.getHours()) + ':' + pad(d.getMinutes());
}

/** A screen header with an optional back button. */
export function header(title, onBack) {
  return h('header', { class: 'topbar' },
    onBack ? h('button', { class: 'topbar-back', 'aria-label': 'Back', onclick: onBack }, icon('back')) : null,
    h('h1', {}, title));
}

/** Replaces a container's children. */
export function mount(container, ...children) {
  container.replaceChildren(...children.flat().filter(Boolean));
}
