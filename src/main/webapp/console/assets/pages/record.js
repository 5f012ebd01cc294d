// One audit record: every metadata field; its encrypted content only after an explicit decrypt
// with a stated reason (the read is itself recorded); and who has read it, and why.

import { api } from '../api.js';
import { h, replace, errorBox, notice, field, table, time, usd, num } from '../dom.js';

const GROUPS = [
  ['Who', ['principal', 'tenant', 'data_subject', 'key_subject']],
  ['When', ['created_at', 'started_at', 'latency_ms', 'time_to_first_event_ms']],
  ['Entry', ['entry_point', 'operation', 'streamed', 'request_id', 'upstream_request_id']],
  ['Model', ['requested_model', 'answered_by', 'model_snapshot', 'fallback', 'attempts', 'route_reason']],
  ['Prompt', ['prompt_id', 'prompt_version', 'prompt_hash']],
  ['Tokens and cost', ['tokens_input', 'tokens_cached', 'tokens_output', 'tokens_reasoning', 'cost']],
  ['Outcome', ['outcome', 'error_type']],
  ['Data protection', ['pii_found', 'guard_action', 'guard_score', 'guard_rules', 'uninspected']],
  ['Integrity', ['seq', 'record_id', 'hash', 'record_format']],
];
const LABELS = {
  seq: 'Sequence',
  tokens_input: 'Input tokens',
  tokens_cached: 'Cached input tokens',
  tokens_output: 'Output tokens',
  tokens_reasoning: 'Reasoning tokens',
  latency_ms: 'Latency (ms)',
  time_to_first_event_ms: 'Time to first event (ms)',
  pii_found: 'PII found',
  answered_by: 'Answered by',
  requested_model: 'Requested model',
};

function label(name) {
  return LABELS[name] || name.charAt(0).toUpperCase() + name.slice(1).replace(/_/g, ' ');
}

function value(name, v) {
  if (v === null || v === undefined || v === '') return '—';
  if (name.endsWith('_at')) return time(v);
  if (name === 'cost') return usd(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return num(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function metadata(record) {
  const seen = new Set(['encrypted_fields']);
  const sections = [];
  for (const [title, names] of GROUPS) {
    const present = names.filter((n) => n in record);
    present.forEach((n) => seen.add(n));
    if (present.length === 0) continue;
    sections.push(h('div', { class: 'group' }, h('h3', null, title), h('dl', null, present.map((n) => [h('dt', null, label(n)), h('dd', null, value(n, record[n]))]))));
  }
  const rest = Object.keys(record).filter((n) => !seen.has(n));
  if (rest.length > 0) {
    sections.push(h('div', { class: 'group' }, h('h3', null, 'Other'), h('dl', null, rest.map((n) => [h('dt', null, label(n)), h('dd', null, value(n, record[n]))]))));
  }
  return h('div', { class: 'metadata' }, sections);
}

function contentBlock(title, f) {
  const state = f && f.state ? f.state : 'absent';
  let body;
  if (state === 'present') {
    const v = f.value;
    body = h('pre', { class: 'content', tabindex: '0' }, typeof v === 'string' ? v : JSON.stringify(v, null, 2));
  } else if (state === 'erased') {
    body = h('p', null, 'Erased: the data subject\'s key was destroyed, so this content can no longer be read.');
  } else {
    body = h('p', null, 'None recorded.');
  }
  return h('div', { class: 'group' }, h('h3', null, title), body);
}

async function loadReads(box, id) {
  replace(box, h('p', { class: 'loading' }, 'Loading…'));
  try {
    const reads = await api('/api/audit/' + encodeURIComponent(id) + '/reads');
    replace(
      box,
      table(
        'Reads of this record\'s content',
        ['When', 'Reader', 'Reader\'s tenant', 'Reason', 'Read record'],
        reads.data.map((r) => [
          time(r.at),
          r.reader || '—',
          r.reader_tenant || '—',
          r.reason || 'no reason given (read through the API)',
          r.read_record_id ? h('a', { href: '#/record/' + encodeURIComponent(r.read_record_id) }, r.read_record_id) : '—',
        ])
      )
    );
  } catch (e) {
    replace(box, errorBox(e));
  }
}

export async function render(view, { args, session }) {
  const id = args[0];
  if (!id) {
    replace(view, h('h1', null, 'Record'), errorBox(new Error('No record id in the address. Open a record from the search.')));
    return;
  }
  let record;
  try {
    record = await api('/api/audit/' + encodeURIComponent(id) + '/metadata');
  } catch (e) {
    replace(view, h('h1', null, 'Record'), h('p', null, h('a', { href: '#/search' }, 'Back to the search')), errorBox(e));
    return;
  }
  const auditor = session.roles.includes('auditor') || session.roles.includes('auditor-all-tenants');
  const contentBox = h('div', { id: 'content', 'aria-live': 'polite' });
  const readsBox = h('div', { id: 'reads' });
  const enc = record.encrypted_fields || {};
  const held = ['request', 'answer', 'error'].filter((k) => enc[k]);

  const parts = [
    h('h1', null, 'Record ', h('span', { class: 'mono' }, id)),
    h('p', null, h('a', { href: '#/search' }, 'Back to the search')),
    h('h2', null, 'Metadata'),
    metadata(record),
    h('h2', { id: 'content-h' }, 'Content'),
  ];
  if (!auditor) {
    parts.push(h('p', null, 'Only auditors may decrypt a record\'s content.'));
  } else if (held.length === 0) {
    parts.push(h('p', null, 'This record holds no encrypted content.'));
  } else {
    const reason = field('Reason for reading this content', h('textarea', { name: 'reason', rows: '2', maxlength: '1000', required: true }), 'Required. It is kept with the record of this read, which names you.');
    const form = h(
      'form',
      { class: 'decrypt', 'aria-labelledby': 'content-h' },
      h('p', null, 'The request, answer and error are encrypted (' + held.join(', ') + ' held). Decrypting them is recorded in the audit log with your name and reason.'),
      reason.row,
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'decrypt' }, 'Decrypt and record this read'))
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const why = reason.input.value.trim();
      if (!why) {
        replace(contentBox, errorBox(new Error('Give a reason before decrypting.')));
        reason.input.focus();
        return;
      }
      const button = form.querySelector('button');
      button.disabled = true;
      replace(contentBox, h('p', { class: 'loading' }, 'Decrypting…'));
      try {
        const detail = await api('/api/audit/' + encodeURIComponent(id) + '/decrypt', { method: 'POST', body: { reason: why } });
        const c = detail.content || {};
        replace(contentBox, notice('Your read was recorded.', 'success'), contentBlock('Request (as sent upstream, redacted)', c.request), contentBlock('Answer', c.answer), contentBlock('Error', c.error));
        form.remove();
        loadReads(readsBox, id);
      } catch (err) {
        button.disabled = false;
        replace(contentBox, errorBox(err));
      }
    });
    parts.push(form);
  }
  parts.push(contentBox);
  if (auditor) parts.push(h('h2', null, 'Who read this record'), readsBox);
  replace(view, ...parts);
  if (auditor) loadReads(readsBox, id);
}
