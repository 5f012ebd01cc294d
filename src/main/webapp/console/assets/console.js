// The console: who is signed in, the navigation their roles allow, and a page per hash route
// (#/search, #/record/<id>, #/integrity, #/export, #/erasure, #/usage, #/keys). The server
// enforces every permission again: a hidden link is a convenience, not a control.

import { api, useCsrf } from './api.js';
import { h, replace, errorBox } from './dom.js';

const AUDIT = ['auditor', 'auditor-all-tenants'];
const ADMIN = ['admin'];

const PAGES = [
  { route: 'search', label: 'Audit search', roles: AUDIT, load: () => import('./pages/search.js') },
  { route: 'record', label: 'Record', roles: AUDIT, hidden: true, load: () => import('./pages/record.js') },
  { route: 'integrity', label: 'Integrity', roles: AUDIT, load: () => import('./pages/integrity.js') },
  { route: 'export', label: 'Export', roles: AUDIT, load: () => import('./pages/export.js') },
  { route: 'erasure', label: 'Erasure and holds', roles: AUDIT, load: () => import('./pages/erasure.js') },
  { route: 'usage', label: 'Usage and cost', roles: [...AUDIT, ...ADMIN], load: () => import('./pages/usage.js') },
  { route: 'keys', label: 'API keys', roles: ADMIN, load: () => import('./pages/keys.js') },
];

let session = null;
const main = document.getElementById('main');

function allowed(page) {
  return page.roles.some((r) => session.roles.includes(r));
}

/** The current route: name, path segments after it, and its query. */
function current() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, qs] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || '', args: parts.slice(1), query: new URLSearchParams(qs || '') };
}

function renderNav() {
  const nav = document.getElementById('nav');
  const { name } = current();
  replace(
    nav,
    PAGES.filter((p) => !p.hidden && allowed(p)).map((p) =>
      h('li', null, h('a', { href: '#/' + p.route, 'aria-current': p.route === name ? 'page' : null }, p.label))
    )
  );
  const me = document.getElementById('me');
  replace(
    me,
    h('span', { class: 'who' }, session.principal, h('span', { class: 'roles' }, ' · ' + session.roles.join(', ') + ' · tenant ' + session.tenant)),
    h(
      'form',
      { method: 'post', action: '/console/logout', class: 'logout' },
      h('input', { type: 'hidden', name: 'csrf', value: session.csrf_token }),
      h('button', { type: 'submit', class: 'link' }, 'Sign out')
    )
  );
}

let generation = 0;

async function route() {
  const mine = ++generation;
  renderNav();
  const { name, args, query } = current();
  const visible = PAGES.filter((p) => !p.hidden && allowed(p));
  const page = PAGES.find((p) => p.route === name);
  if (!page) {
    if (visible.length > 0) {
      location.replace('#/' + visible[0].route);
      return;
    }
    replace(main, h('h1', null, 'Nothing to show'), h('p', null, 'Your account (' + session.roles.join(', ') + ') holds no console role. The console is for auditors and administrators; ask your operator for access.'));
    return;
  }
  if (!allowed(page)) {
    replace(main, h('h1', null, page.label), errorBox(new Error('This page needs the role ' + page.roles.join(' or ') + '.')));
    return;
  }
  replace(main, h('p', { class: 'loading' }, 'Loading…'));
  try {
    const module = await page.load();
    if (mine !== generation) return;
    const view = h('div', { class: 'page' });
    replace(main, view);
    document.title = page.label + ' · Warden console';
    await module.render(view, { args, query, session });
  } catch (e) {
    if (mine === generation) replace(main, h('h1', null, page.label), errorBox(e));
  }
}

async function start() {
  try {
    session = await api('/console/session');
  } catch (e) {
    replace(main, h('h1', null, 'Warden console'), errorBox(e));
    return;
  }
  useCsrf(session.csrf_token);
  window.addEventListener('hashchange', route);
  await route();
}

start();
