// Small DOM helpers: every value reaches the page as text (textContent / attributes), never as HTML.

/** An element with attributes (on* keys add listeners) and children (nodes or text). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces the children of an element. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A readable error box; the message is text, never markup or raw JSON. */
export function errorBox(err) {
  const message = err && err.message ? err.message : String(err);
  return h('div', { class: 'notice error', role: 'alert' }, h('strong', null, 'Something went wrong. '), message);
}

/** A success / information box. */
export function notice(text, kind = 'info') {
  return h('div', { class: 'notice ' + kind, role: 'status' }, text);
}

let ids = 0;
/** A labelled form field; returns {row, input}. */
export function field(label, input, hint) {
  const id = input.id || 'f' + ++ids;
  input.id = id;
  const hintId = hint ? id + '-hint' : null;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  const row = h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('p', { class: 'hint', id: hintId }, hint) : null);
  return { row, input };
}

/** A table with a caption, header cells and rows of cells (nodes or text). */
export function table(caption, headers, rows, attrs) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      attrs || null,
      h('caption', null, caption),
      h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, rows.length === 0 ? h('tr', null, h('td', { colspan: headers.length }, 'Nothing to show.')) : rows.map((r) => h('tr', null, r.map((c) => h('td', null, c)))))
    )
  );
}

/** A timestamp as the reader's local date and time, with the exact instant as a tooltip. */
export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return h('time', { datetime: iso, title: iso }, d.toLocaleString());
}

/** US dollars with up to six decimals (token prices are small). */
export function usd(v) {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  return Number.isFinite(n) ? '$' + n.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 6 }) : String(v);
}

export function num(v) {
  return v === null || v === undefined ? '—' : Number(v).toLocaleString();
}

/** A datetime-local input's value as an ISO instant, or '' when empty. */
export function instantOf(localValue) {
  if (!localValue) return '';
  const d = new Date(localValue);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** An ISO instant as a datetime-local value in the reader's zone. */
export function localOf(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (x) => String(x).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
}

/** A UTC day (yyyy-mm-dd) some days before today. */
export function dayAgo(days) {
  const d = new Date(Date.now() - days * 86400000);
  return d.toISOString().slice(0, 10);
}
