// Audit search: metadata filters, newest or oldest first, a page at a time; a row opens its record.

import { api } from '../api.js';
import { h, replace, errorBox, field, table, time, usd, num, instantOf, localOf } from '../dom.js';

const TEXT_FILTERS = [
  ['principal', 'Principal'],
  ['model', 'Model'],
  ['operation', 'Operation', 'for example chat.completions, responses, audit.read'],
  ['prompt_id', 'Prompt id'],
  ['prompt_version', 'Prompt version'],
  ['pii_type', 'PII type', 'for example EMAIL, PHONE, IBAN'],
  ['guard_action', 'Guard action', 'for example BLOCK, FLAG'],
  ['request_id', 'Request id'],
];
const PAGE = 50;

export async function render(view, { query, session }) {
  const allTenants = session.roles.includes('auditor-all-tenants');
  const inputs = {};
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Audit search filters' });
  const from = field('From', h('input', { type: 'datetime-local', name: 'from', value: localOf(query.get('from')) }), 'default: 7 days ago');
  const to = field('To', h('input', { type: 'datetime-local', name: 'to', value: localOf(query.get('to')) }), 'default: now');
  inputs.from = from.input;
  inputs.to = to.input;
  form.append(from.row, to.row);
  if (allTenants) {
    const t = field('Tenant', h('input', { type: 'text', name: 'tenant', value: query.get('tenant') || '' }));
    inputs.tenant = t.input;
    form.append(t.row);
  }
  for (const [name, label, hint] of TEXT_FILTERS) {
    const f = field(label, h('input', { type: 'text', name, value: query.get(name) || '', autocomplete: 'off' }), hint);
    inputs[name] = f.input;
    form.append(f.row);
  }
  const outcome = h(
    'select',
    { name: 'outcome' },
    ['', 'SUCCEEDED', 'FAILED', 'CANCELLED'].map((o) => h('option', { value: o, selected: (query.get('outcome') || '') === o }, o || 'any'))
  );
  const entry = h(
    'select',
    { name: 'entry_point' },
    ['', 'V1', 'API', 'CDI'].map((o) => h('option', { value: o, selected: (query.get('entry_point') || '') === o }, o || 'any'))
  );
  const sort = h(
    'select',
    { name: 'sort' },
    [
      ['time_desc', 'Newest first'],
      ['time_asc', 'Oldest first'],
    ].map(([v, l]) => h('option', { value: v, selected: (query.get('sort') || 'time_desc') === v }, l))
  );
  inputs.outcome = outcome;
  inputs.entry_point = entry;
  inputs.sort = sort;
  form.append(field('Outcome', outcome).row, field('Entry point', entry).row, field('Order', sort).row);
  form.append(h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Search'), h('a', { href: '#/search', class: 'button secondary' }, 'Clear')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [name, input] of Object.entries(inputs)) {
      const v = name === 'from' || name === 'to' ? instantOf(input.value) : input.value.trim();
      if (v && !(name === 'sort' && v === 'time_desc')) q.set(name, v);
    }
    location.hash = '#/search' + (q.toString() ? '?' + q : '');
  });

  const results = h('section', { 'aria-labelledby': 'results-h', 'aria-live': 'polite' });
  replace(view, h('h1', null, 'Audit search'), form, results);

  const offset = Math.max(0, Number(query.get('offset') || 0) || 0);
  const params = Object.fromEntries(query.entries());
  delete params.offset;
  replace(results, h('h2', { id: 'results-h' }, 'Records'), h('p', { class: 'loading' }, 'Searching…'));
  let page;
  try {
    page = await api('/api/audit', { query: { ...params, offset, limit: PAGE } });
  } catch (e) {
    replace(results, h('h2', { id: 'results-h' }, 'Records'), errorBox(e));
    return;
  }
  const rows = page.data.map((r) => [
    h('a', { href: '#/record/' + encodeURIComponent(r.record_id), class: 'record-link', 'aria-label': 'Open record ' + r.record_id }, time(r.created_at)),
    r.principal || '—',
    r.tenant || '—',
    r.operation || '—',
    r.answered_by || r.requested_model || '—',
    h('span', { class: 'outcome ' + String(r.outcome || '').toLowerCase() }, r.outcome || '—'),
    num(r.tokens_input) + ' / ' + num(r.tokens_output),
    usd(r.cost),
    r.latency_ms === undefined ? '—' : num(r.latency_ms) + ' ms',
    r.pii_found || '—',
  ]);
  const nav = h('div', { class: 'pager' });
  const link = (o, label) => {
    const q = new URLSearchParams(query);
    if (o > 0) q.set('offset', String(o));
    else q.delete('offset');
    return h('a', { href: '#/search' + (q.toString() ? '?' + q : ''), class: 'button secondary' }, label);
  };
  if (offset > 0) nav.append(link(Math.max(0, offset - PAGE), 'Previous page'));
  nav.append(h('span', null, page.data.length === 0 ? 'No records' : 'Records ' + (offset + 1) + '–' + (offset + page.data.length)));
  if (page.has_more) nav.append(link(offset + PAGE, 'Next page'));
  replace(
    results,
    h('h2', { id: 'results-h' }, 'Records'),
    h('p', { class: 'hint' }, 'Created between ', time(page.from), ' and ', time(page.to), '. Metadata only: content is decrypted on a record\'s page, with a reason.'),
    table('Audit records matching the filters', ['Time', 'Principal', 'Tenant', 'Operation', 'Model', 'Outcome', 'Tokens in / out', 'Cost', 'Latency', 'PII found'], rows, { class: 'records' }),
    nav
  );
}
