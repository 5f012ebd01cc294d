// Administration: API keys (list, create with the secret shown once, revoke) and the read-only
// model price table.

import { api } from '../api.js';
import { h, replace, errorBox, notice, field, table, time, usd } from '../dom.js';

function numberOrNull(input) {
  const v = input.value.trim();
  return v === '' ? undefined : Number(v);
}

async function list(box, status) {
  try {
    const page = await api('/api/keys', { query: { include_revoked: true, limit: 200 } });
    replace(
      box,
      table(
        'API keys, newest first',
        ['Key', 'Name', 'Owner', 'Tenant', 'Models', 'Created', 'Expires', 'State', h('span', { class: 'visually-hidden' }, 'Action')],
        page.data.map((k) => {
          let action = '—';
          if (k.active) {
            action = h('button', { type: 'button', class: 'secondary small', 'data-key': k.id }, 'Revoke…');
            action.addEventListener('click', () => {
              const go = h('button', { type: 'button', class: 'danger', id: 'revoke-confirm' }, 'Revoke ' + k.id);
              const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
              cancel.addEventListener('click', () => replace(status));
              go.addEventListener('click', async () => {
                go.disabled = true;
                try {
                  await api('/api/keys/' + encodeURIComponent(k.id), { method: 'DELETE' });
                  replace(status, notice('Key ' + k.id + ' is revoked.', 'success'));
                  list(box, status);
                } catch (e) {
                  go.disabled = false;
                  replace(status, errorBox(e));
                }
              });
              replace(status, h('div', { class: 'notice warning', role: 'alert' }, h('p', null, 'Every caller using key ' + k.id + ' (' + (k.name || 'unnamed') + ', owner ' + k.owner + ') will be refused from now on.'), h('div', { class: 'actions' }, go, cancel)));
              go.focus();
            });
          }
          return [
            h('span', { class: 'mono' }, k.id + ' ' + (k.hint || '')),
            k.name || '—',
            k.owner,
            k.tenant,
            k.models && k.models.length ? k.models.join(', ') : 'any',
            time(k.created_at),
            time(k.expires_at),
            k.active ? 'active' : k.revoked_at ? 'revoked' : 'expired',
            action,
          ];
        }),
        { class: 'keys' }
      ),
      page.has_more ? h('p', { class: 'hint' }, 'Showing the newest 200 keys.') : null
    );
  } catch (e) {
    replace(box, errorBox(e));
  }
}

function createForm(box, listBox, status, session) {
  const name = field('Name', h('input', { type: 'text', name: 'name', required: true, maxlength: '100' }));
  const owner = field('Owner', h('input', { type: 'text', name: 'owner', value: session.principal, required: true }), session.roles.includes('key-delegate') ? 'The principal the key acts as.' : 'You may create keys owned by yourself only (role key-delegate: others too).');
  const tenant = field('Tenant', h('input', { type: 'text', name: 'tenant', value: session.tenant }));
  const models = field('Models', h('input', { type: 'text', name: 'models' }), 'Comma-separated; empty: any model.');
  const daily = field('Daily budget (USD)', h('input', { type: 'number', name: 'daily', min: '0', step: '0.01' }));
  const monthly = field('Monthly budget (USD)', h('input', { type: 'number', name: 'monthly', min: '0', step: '0.01' }));
  const rpm = field('Requests per minute', h('input', { type: 'number', name: 'rpm', min: '1', step: '1' }));
  const expires = field('Expires', h('input', { type: 'date', name: 'expires' }), 'Empty: the default lifetime.');
  const secret = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'filters', 'aria-label': 'Create an API key' }, name.row, owner.row, tenant.row, models.row, daily.row, monthly.row, rpm.row, expires.row, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create the key')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { name: name.input.value.trim(), owner: owner.input.value.trim() };
    if (tenant.input.value.trim()) body.tenant = tenant.input.value.trim();
    const m = models.input.value.split(',').map((x) => x.trim()).filter(Boolean);
    if (m.length) body.models = m;
    const d = numberOrNull(daily.input);
    const mo = numberOrNull(monthly.input);
    const r = numberOrNull(rpm.input);
    if (d !== undefined) body.daily_budget_usd = d;
    if (mo !== undefined) body.monthly_budget_usd = mo;
    if (r !== undefined) body.requests_per_minute = r;
    if (expires.input.value) body.expires_at = new Date(expires.input.value + 'T23:59:59Z').toISOString();
    try {
      const created = await api('/api/keys', { method: 'POST', body });
      const shown = h('code', { id: 'new-key', class: 'secret' }, created.key);
      const done = h('button', { type: 'button', class: 'secondary' }, 'I have stored it: hide the key');
      done.addEventListener('click', () => replace(secret, notice('The key is hidden. Warden keeps only its hash.', 'info')));
      replace(secret, h('div', { class: 'notice success', role: 'status' }, h('p', null, 'Key ' + created.id + ' created. Copy it now: it is shown only this once.'), shown, h('div', { class: 'actions' }, done)));
      form.reset();
      owner.input.value = session.principal;
      tenant.input.value = session.tenant;
      list(listBox, status);
    } catch (err) {
      replace(secret, errorBox(err));
    }
  });
  replace(box, form, secret);
}

async function prices(box) {
  try {
    const t = await api('/api/usage/prices');
    replace(box, table('Prices per ' + Number(t.per_tokens).toLocaleString() + ' tokens (' + t.currency + ')', ['Model', 'From', 'Input', 'Cached input', 'Output', 'Batch discount'], t.prices.map((p) => [p.model, p.effective_from, usd(p.input), usd(p.cached_input), usd(p.output), String(p.batch_discount)])));
  } catch (e) {
    replace(box, errorBox(e));
  }
}

export async function render(view, { session }) {
  const listBox = h('div', null, h('p', { class: 'loading' }, 'Loading…'));
  const status = h('div', { 'aria-live': 'polite' });
  const create = h('div');
  const priceBox = h('div', null, h('p', { class: 'loading' }, 'Loading…'));
  replace(view, h('h1', null, 'API keys'), h('h2', null, 'Create a key'), create, h('h2', null, 'Keys'), status, listBox, h('h2', null, 'Models and prices'), priceBox);
  createForm(create, listBox, status, session);
  list(listBox, status);
  prices(priceBox);
}
