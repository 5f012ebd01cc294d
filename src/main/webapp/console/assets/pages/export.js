// Export: choose a range, download the signed export, and read how to check it offline.

import { api } from '../api.js';
import { h, replace, field, instantOf, localOf, errorBox } from '../dom.js';

export async function render(view, { session }) {
  const now = new Date();
  const dayAgo = new Date(now.getTime() - 86400000);
  const from = field('From', h('input', { type: 'datetime-local', name: 'from', value: localOf(dayAgo.toISOString()) }));
  const to = field('To', h('input', { type: 'datetime-local', name: 'to', value: localOf(now.toISOString()) }));
  const allTenants = session.roles.includes('auditor-all-tenants');
  const tenant = allTenants ? field('Tenant', h('input', { type: 'text', name: 'tenant' }), 'empty: every tenant') : null;
  const link = h('a', { class: 'button', id: 'download', download: 'warden-audit-export.zip' }, 'Download the export');
  const problem = h('div', { 'aria-live': 'polite' });
  const update = () => {
    const q = new URLSearchParams();
    const f = instantOf(from.input.value);
    const t = instantOf(to.input.value);
    if (f) q.set('from', f);
    if (t) q.set('to', t);
    if (tenant && tenant.input.value.trim()) q.set('tenant', tenant.input.value.trim());
    link.href = '/api/audit/export' + (q.toString() ? '?' + q : '');
    replace(problem);
    if (f && t && f >= t) replace(problem, errorBox(new Error('"From" must be before "To".')));
  };
  [from.input, to.input, tenant && tenant.input].filter(Boolean).forEach((i) => i.addEventListener('input', update));
  update();
  const keyLink = h('a', { href: '/api/audit/public-key', download: 'warden-audit-public-key.json' }, 'Download the public key');
  const keyState = h('span');
  replace(
    view,
    h('h1', null, 'Export'),
    h('p', null, 'An export is a zip of the records created in the range, each with its decrypted content, and a manifest signed by Warden. Downloading it is recorded in the audit log with your name.'),
    h('form', { class: 'filters', 'aria-label': 'Export range' }, from.row, to.row, tenant ? tenant.row : null),
    problem,
    h('div', { class: 'actions' }, link),
    h('h2', null, 'Check it offline'),
    h('ol', null,
      h('li', null, keyLink, ' ', keyState, ' (Ed25519; it can check signatures but not make them). Compare it with the copy your operators gave you.'),
      h('li', null, 'Take ', h('code', null, 'warden-audit-verify.jar'), ' from the Warden build (', h('code', null, 'target/warden-audit-verify.jar'), '). It needs only Java: no Maven, source or database.'),
      h('li', null, 'Run ', h('code', null, 'java -jar warden-audit-verify.jar warden-audit-export.zip warden-audit-public-key.json')),
      h('li', null, 'It prints ', h('code', null, 'OK: …'), ' and exits with 0, or ', h('code', null, 'BROKEN: line N: REASON …'), ' naming the first line that does not check out, and exits with 1.')
    )
  );
  try {
    await api('/api/audit/public-key');
  } catch (e) {
    keyState.textContent = e.status === 404 ? '(none configured: this Warden seals with a MAC key only)' : '(' + e.message + ')';
  }
}
