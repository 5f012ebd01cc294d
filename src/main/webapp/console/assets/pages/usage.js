// Usage and cost as charts (Chart.js): spend and tokens per day by a chosen dimension, top
// spenders, budgets as bars, refusals over time, prompt-cache hits per prompt version and latency
// percentiles per model. Each chart has a text summary for screen readers, and a table link.

import { api } from '../api.js';
import { h, replace, errorBox, field, table, usd, num, dayAgo } from '../dom.js';

const PALETTE = ['#1f5fa8', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0f766e', '#a16207', '#be185d', '#475569'];
const charts = [];

function chart(canvas, config) {
  if (typeof window.Chart !== 'function') throw new Error('The chart library did not load.');
  const c = new window.Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...(config.options || {}) } });
  charts.push(c);
  return c;
}

function card(title, description) {
  const body = h('div', { class: 'card-body' }, h('p', { class: 'loading' }, 'Loading…'));
  const el = h('section', { class: 'card', 'aria-label': title }, h('h2', null, title), description ? h('p', { class: 'hint' }, description) : null, body);
  return { el, body };
}

function canvasFor(label) {
  return h('div', { class: 'chart' }, h('canvas', { role: 'img', 'aria-label': label }));
}

/** Rows of {day, key, value} as datasets: the top `top` keys by total, the rest as "other". */
function series(rows, days, top = 7) {
  const totals = new Map();
  for (const r of rows) totals.set(r.key, (totals.get(r.key) || 0) + r.value);
  const keys = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  const shown = keys.slice(0, top);
  const datasets = shown.map((k, i) => ({ label: k, data: days.map(() => 0), backgroundColor: PALETTE[i % PALETTE.length], borderColor: PALETTE[i % PALETTE.length] }));
  if (keys.length > top) datasets.push({ label: 'other', data: days.map(() => 0), backgroundColor: PALETTE[8], borderColor: PALETTE[8] });
  for (const r of rows) {
    const i = days.indexOf(r.day);
    if (i < 0) continue;
    const d = datasets[shown.indexOf(r.key)] || datasets[datasets.length - 1];
    d.data[i] += r.value;
  }
  return datasets;
}

function daysBetween(from, to) {
  const out = [];
  for (let d = new Date(from + 'T00:00:00Z'); d <= new Date(to + 'T00:00:00Z'); d = new Date(d.getTime() + 86400000)) out.push(d.toISOString().slice(0, 10));
  return out;
}

async function spend(body, range, dimension) {
  const report = await api('/api/usage', { query: { from: range.from, to: range.to, group_by: 'day,' + dimension } });
  const days = daysBetween(range.from, range.to);
  const cost = report.rows.map((r) => ({ day: r.day, key: String(r[dimension] ?? '—'), value: Number(r.cost) || 0 }));
  const tokens = report.rows.map((r) => ({ day: r.day, key: String(r[dimension] ?? '—'), value: (r.input_tokens || 0) + (r.output_tokens || 0) }));
  const a = canvasFor('Spend per day by ' + dimension + ', stacked bars; total ' + usd(report.total_cost));
  const b = canvasFor('Tokens per day by ' + dimension + ', stacked bars');
  replace(body, h('p', null, 'Total: ', h('strong', null, usd(report.total_cost)), ' for ' + num(report.total_requests) + ' requests.'), h('div', { class: 'pair' }, a, b));
  chart(a.firstChild, { type: 'bar', data: { labels: days, datasets: series(cost, days) }, options: { scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'USD' } } }, plugins: { title: { display: true, text: 'Spend per day' } } } });
  chart(b.firstChild, { type: 'bar', data: { labels: days, datasets: series(tokens, days) }, options: { scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'tokens' } } }, plugins: { title: { display: true, text: 'Tokens per day' } } } });
}

async function topSpenders(body, range) {
  const report = await api('/api/usage', { query: { from: range.from, to: range.to, group_by: 'principal' } });
  const top = [...report.rows].sort((x, y) => Number(y.cost) - Number(x.cost)).slice(0, 10);
  const c = canvasFor('Top spenders: ' + top.map((r) => r.principal + ' ' + usd(r.cost)).join(', '));
  replace(body, c, table('Top spenders', ['Principal', 'Requests', 'Tokens in / out', 'Cost'], top.map((r) => [r.principal, num(r.requests), num(r.input_tokens) + ' / ' + num(r.output_tokens), usd(r.cost)])));
  chart(c.firstChild, { type: 'bar', data: { labels: top.map((r) => r.principal), datasets: [{ label: 'USD', data: top.map((r) => Number(r.cost)), backgroundColor: PALETTE[0] }] }, options: { indexAxis: 'y', plugins: { legend: { display: false } } } });
}

async function budgets(body) {
  const report = await api('/api/usage/budgets');
  if (report.budgets.length === 0) {
    replace(body, h('p', null, 'No budget is set.'));
    return;
  }
  replace(
    body,
    h('ul', { class: 'budgets' }, report.budgets.map((b) => {
      const limit = b.limit === null || b.limit === undefined ? null : Number(b.limit);
      const spent = Number(b.spent) || 0;
      const reserved = Number(b.reserved) || 0;
      const bar = h('div', { class: 'bar', role: 'img', 'aria-label': usd(spent) + ' spent and ' + usd(reserved) + ' reserved of ' + (limit === null ? 'no limit' : usd(limit)) });
      if (limit) {
        const used = h('span', { class: 'used' });
        const held = h('span', { class: 'reserved' });
        used.style.width = Math.min(100, (spent / limit) * 100) + '%';
        held.style.width = Math.min(100 - Math.min(100, (spent / limit) * 100), (reserved / limit) * 100) + '%';
        bar.append(used, held);
        const share = Number(b.alerted_share);
        if (share > 0) {
          const mark = h('span', { class: 'threshold', title: 'alert raised at ' + Math.round(share * 100) + '%' });
          mark.style.left = Math.min(100, share * 100) + '%';
          bar.append(mark);
        }
      }
      return h('li', null, h('p', null, h('strong', null, b.scope + ' ' + b.subject), ' · ' + b.period + ' from ' + b.period_start), bar, h('p', { class: 'hint' }, usd(spent) + ' spent, ' + usd(reserved) + ' reserved' + (limit === null ? ', no limit' : ' of ' + usd(limit)) + (Number(b.alerted_share) > 0 ? ' · alert raised at ' + Math.round(Number(b.alerted_share) * 100) + '%' : '')));
    }))
  );
}

async function refusals(body, range) {
  const report = await api('/api/usage/refusals', { query: { from: range.from, to: range.to } });
  const days = daysBetween(range.from, range.to);
  const kinds = ['budget', 'rate_limit', 'pii', 'guard', 'other'];
  const datasets = kinds.map((k, i) => ({ label: k.replace('_', ' '), data: days.map((d) => report.data.filter((r) => r.day === d && r.kind === k).reduce((s, r) => s + r.count, 0)), backgroundColor: PALETTE[i] }));
  const total = report.data.reduce((s, r) => s + r.count, 0);
  const c = canvasFor('Refusals per day by kind; ' + total + ' in all');
  replace(body, h('p', null, num(total) + ' refused calls in the range.'), c);
  chart(c.firstChild, { type: 'bar', data: { labels: days, datasets }, options: { scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } } });
}

async function cache(body, range) {
  const report = await api('/api/usage', { query: { from: range.from, to: range.to, group_by: 'prompt_id,prompt_version' } });
  const rows = report.rows.filter((r) => r.prompt_id);
  if (rows.length === 0) {
    replace(body, h('p', null, 'No call in the range used a versioned prompt.'));
    return;
  }
  const labels = rows.map((r) => r.prompt_id + ' ' + r.prompt_version);
  const c = canvasFor('Prompt-cache hit ratio per prompt version: ' + rows.map((r, i) => labels[i] + ' ' + Math.round((Number(r.cached_share) || 0) * 100) + '%').join(', '));
  replace(body, c);
  chart(c.firstChild, { type: 'bar', data: { labels, datasets: [{ label: 'cached share of input tokens', data: rows.map((r) => Math.round((Number(r.cached_share) || 0) * 1000) / 10), backgroundColor: PALETTE[2] }] }, options: { scales: { y: { min: 0, max: 100, title: { display: true, text: '%' } } } } });
}

async function latency(body, range) {
  const report = await api('/api/usage/latency', { query: { from: range.from, to: range.to } });
  if (report.data.length === 0) {
    replace(body, h('p', null, 'No call in the range.'));
    return;
  }
  const labels = report.data.map((r) => r.model);
  const c = canvasFor('Latency percentiles per model: ' + report.data.map((r) => r.model + ' p50 ' + r.p50_ms + ' ms, p95 ' + r.p95_ms + ' ms, p99 ' + r.p99_ms + ' ms').join('; '));
  replace(body, c);
  chart(c.firstChild, {
    type: 'bar',
    data: { labels, datasets: [['p50', 'p50_ms', 0], ['p95', 'p95_ms', 1], ['p99', 'p99_ms', 4]].map(([l, k, i]) => ({ label: l, data: report.data.map((r) => r[k]), backgroundColor: PALETTE[i] })) },
    options: { scales: { y: { title: { display: true, text: 'ms' } } } },
  });
}

export async function render(view) {
  while (charts.length) charts.pop().destroy();
  const from = field('From (UTC day)', h('input', { type: 'date', name: 'from', value: dayAgo(29) }));
  const to = field('To (UTC day)', h('input', { type: 'date', name: 'to', value: dayAgo(0) }));
  const dimension = h('select', { name: 'dimension' }, [['tenant', 'tenant'], ['principal', 'user'], ['model', 'model'], ['prompt_version', 'prompt version']].map(([v, l]) => h('option', { value: v }, l)));
  const form = h('form', { class: 'filters', 'aria-label': 'Usage range' }, from.row, to.row, field('Split by', dimension).row, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show')));
  const cards = h('div', { class: 'cards' });
  replace(view, h('h1', null, 'Usage and cost'), form, cards);
  const draw = () => {
    while (charts.length) charts.pop().destroy();
    const range = { from: from.input.value, to: to.input.value };
    const parts = [
      [card('Spend and tokens per day', 'Stacked by ' + dimension.selectedOptions[0].textContent + '; the top seven, the rest as "other".'), (b) => spend(b, range, dimension.value)],
      [card('Top spenders'), (b) => topSpenders(b, range)],
      [card('Budgets', 'Spent (solid) and reserved by calls in flight (light), against the limit; the mark is the alert threshold reached.'), (b) => budgets(b)],
      [card('Refusals', 'Calls refused for budget, rate limit, personal data or the guard.'), (b) => refusals(b, range)],
      [card('Prompt-cache hits', 'The share of input tokens served from the provider\'s prompt cache, per prompt version.'), (b) => cache(b, range)],
      [card('Latency per model', 'Percentiles of the time Warden took to answer.'), (b) => latency(b, range)],
    ];
    replace(cards, parts.map(([c]) => c.el));
    for (const [c, fill] of parts) fill(c.body).catch((e) => replace(c.body, errorBox(e)));
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    draw();
  });
  draw();
}
