// Erasure and holds: erase a data subject in two steps with a reason (the erasure's own record is
// shown); place and lift legal holds; the retention settings and the next purge.

import { api } from '../api.js';
import { h, replace, errorBox, notice, field, table, time } from '../dom.js';

function erasureForm(box, session) {
  const allTenants = session.roles.includes('auditor-all-tenants');
  const subject = field('Data subject id', h('input', { type: 'text', name: 'subject', required: true, maxlength: '200', autocomplete: 'off' }), 'The id the calls named as safety_identifier or user.');
  const tenant = allTenants ? field('Tenant', h('input', { type: 'text', name: 'tenant', value: 'default' })) : null;
  const reason = field('Reason', h('textarea', { name: 'reason', rows: '2', required: true, maxlength: '1000' }), 'Kept, encrypted, in the erasure\'s audit record.');
  const result = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'stack', 'aria-label': 'Erase a data subject' }, subject.row, tenant ? tenant.row : null, reason.row, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Review the erasure')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const s = subject.input.value.trim();
    const why = reason.input.value.trim();
    if (!s || !why) {
      replace(result, errorBox(new Error('Give the subject id and a reason.')));
      return;
    }
    const t = tenant ? tenant.input.value.trim() || 'default' : session.tenant;
    const confirmInput = field('Type the subject id again to confirm', h('input', { type: 'text', name: 'confirm', autocomplete: 'off' }));
    const erase = h('button', { type: 'button', class: 'danger', id: 'erase-confirm' }, 'Erase this subject');
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    cancel.addEventListener('click', () => replace(result));
    erase.addEventListener('click', async () => {
      if (confirmInput.input.value.trim() !== s) {
        replace(result.querySelector('.confirm-error'), errorBox(new Error('The ids do not match.')));
        return;
      }
      erase.disabled = true;
      try {
        const body = { subject: s, reason: why };
        if (tenant) body.tenant = t;
        const done = await api('/api/audit/erasures', { method: 'POST', body });
        const rec = done.erasure_record || {};
        replace(
          result,
          notice(done.subject_had_key ? 'Erased. The subject\'s key is destroyed; their records stay, and their content now reads "erased".' : 'Recorded. Warden held no key for this subject, so nothing of theirs was readable.', 'success'),
          h('dl', null,
            h('dt', null, 'Tenant'), h('dd', null, done.tenant),
            h('dt', null, 'Erasure record'), h('dd', null, rec.record_id ? h('a', { href: '#/record/' + encodeURIComponent(rec.record_id) }, rec.record_id) : '—'),
            h('dt', null, 'Recorded at'), h('dd', null, time(rec.created_at)))
        );
        form.reset();
      } catch (err) {
        erase.disabled = false;
        replace(result.querySelector('.confirm-error'), errorBox(err));
      }
    });
    replace(
      result,
      h('div', { class: 'notice warning', role: 'alert' },
        h('p', null, h('strong', null, 'This cannot be undone. '), 'The key of data subject "' + s + '" in tenant "' + t + '" will be destroyed on every server. Their records stay and still verify; their content can never be read again.'),
        confirmInput.row,
        h('div', { class: 'confirm-error' }),
        h('div', { class: 'actions' }, erase, cancel))
    );
    confirmInput.input.focus();
  });
  replace(box, form, result);
}

async function holds(box, session) {
  const allTenants = session.roles.includes('auditor-all-tenants');
  const list = h('div', null, h('p', { class: 'loading' }, 'Loading…'));
  const status = h('div', { 'aria-live': 'polite' });
  const scope = h('select', { name: 'scope' }, h('option', { value: 'subject' }, 'one data subject'), h('option', { value: 'tenant' }, 'a whole tenant'));
  const subject = field('Data subject id', h('input', { type: 'text', name: 'hold-subject', autocomplete: 'off' }), 'Only for a hold on one data subject.');
  const tenant = allTenants ? field('Tenant', h('input', { type: 'text', name: 'hold-tenant', value: 'default' })) : null;
  const reason = field('Reason', h('textarea', { name: 'hold-reason', rows: '2', required: true, maxlength: '1000' }));
  const form = h('form', { class: 'stack', 'aria-label': 'Place a legal hold' }, field('Hold', scope).row, subject.row, tenant ? tenant.row : null, reason.row, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Place the hold')));

  const reload = async () => {
    try {
      const page = await api('/api/audit/holds');
      replace(
        list,
        table(
          'Legal holds',
          ['Covers', 'Tenant', 'Reason', 'Placed', 'Lifted', h('span', { class: 'visually-hidden' }, 'Action')],
          page.data.map((x) => {
            const id = x.id || x.hold_id;
            const active = !x.lifted_at;
            let action = '—';
            if (active) {
              action = h('button', { type: 'button', class: 'secondary small', 'data-hold': id }, 'Lift…');
              action.addEventListener('click', () => lift(id));
            }
            return [
              x.scope === 'TENANT' || x.scope === 'tenant' ? 'the whole tenant' : 'data subject (pseudonym ' + (x.data_subject || x.subject || '') + ')',
              x.tenant || '—',
              x.reason || '—',
              [time(x.placed_at), ' by ', x.placed_by || '—'],
              active ? 'active' : [time(x.lifted_at), ' by ', x.lifted_by || '—', x.lift_reason ? ': ' + x.lift_reason : ''],
              action,
            ];
          })
        )
      );
    } catch (e) {
      replace(list, errorBox(e));
    }
  };
  const lift = (id) => {
    const why = field('Why is hold ' + id + ' lifted?', h('textarea', { name: 'lift-reason', rows: '2', maxlength: '1000' }));
    const go = h('button', { type: 'button', class: 'danger' }, 'Lift the hold');
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    cancel.addEventListener('click', () => replace(status));
    go.addEventListener('click', async () => {
      const r = why.input.value.trim();
      if (!r) {
        why.input.focus();
        return;
      }
      go.disabled = true;
      try {
        await api('/api/audit/holds/' + encodeURIComponent(id), { method: 'DELETE', query: { reason: r } });
        replace(status, notice('The hold was lifted.', 'success'));
        reload();
      } catch (e) {
        go.disabled = false;
        replace(status, errorBox(e));
      }
    });
    replace(status, h('div', { class: 'notice warning' }, why.row, h('div', { class: 'actions' }, go, cancel)));
    why.input.focus();
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { scope: scope.value, reason: reason.input.value.trim() };
    if (scope.value === 'subject') body.subject = subject.input.value.trim();
    if (tenant) body.tenant = tenant.input.value.trim() || 'default';
    try {
      await api('/api/audit/holds', { method: 'POST', body });
      replace(status, notice('The hold was placed.', 'success'));
      form.reset();
      reload();
    } catch (err) {
      replace(status, errorBox(err));
    }
  });
  replace(box, list, status, h('h3', null, 'Place a hold'), form);
  await reload();
}

async function retention(box) {
  try {
    const r = await api('/api/audit/retention');
    const rows = Object.entries(r).map(([k, v]) => [h('dt', null, k.charAt(0).toUpperCase() + k.slice(1).replace(/_/g, ' ')), h('dd', null, k.endsWith('_at') ? time(v) : v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v))]);
    replace(box, h('dl', null, rows));
  } catch (e) {
    replace(box, errorBox(e));
  }
}

export async function render(view, { session }) {
  const erase = h('div');
  const held = h('div');
  const kept = h('div');
  replace(
    view,
    h('h1', null, 'Erasure and holds'),
    h('h2', null, 'Erase a data subject'),
    h('p', null, 'Erasure destroys the subject\'s data key (crypto-shredding). The audit chain stays whole and verifiable; the subject\'s content can no longer be decrypted by anyone.'),
    erase,
    h('h2', null, 'Legal holds'),
    h('p', null, 'While a hold is active, purges keep every record it covers.'),
    held,
    h('h2', null, 'Retention'),
    kept
  );
  erasureForm(erase, session);
  holds(held, session);
  retention(kept);
}
