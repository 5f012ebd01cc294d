// Integrity: verify the whole chain as a background job with a progress bar, name the first
// broken record and why; list the checkpoints and the signed head.

import { api } from '../api.js';
import { h, replace, errorBox, notice, table, time, num } from '../dom.js';

const POLL_MS = 500;

function outcome(job) {
  const r = job.result;
  if (!r) return errorBox(new Error('The verification failed before it finished' + (job.error ? ': ' + job.error : '.')));
  if (r.ok) {
    return notice(
      'Intact. ' + num(r.records_checked) + ' records, ' + num(r.checkpoints_checked) + ' checkpoints and ' + num(r.purged_ranges_checked) + ' purged ranges checked, up to sequence ' + num(r.head_sequence) + '.',
      'success'
    );
  }
  const b = r.first_break || {};
  return h(
    'div',
    { class: 'notice error', role: 'alert', id: 'first-break' },
    h('strong', null, 'The chain is broken. '),
    'First broken record: sequence ' + num(b.sequence),
    b.record_id ? [' (', h('a', { href: '#/record/' + encodeURIComponent(b.record_id) }, b.record_id), ')'] : '',
    '. Reason: ',
    h('span', { class: 'reason' }, b.reason || 'unknown'),
    b.detail ? ' — ' + b.detail : '',
    '. ' + num(r.records_checked) + ' records were checked.'
  );
}

async function follow(box, job) {
  const bar = h('progress', { max: String(Math.max(1, job.records_total || 1)), value: String(job.records_checked || 0), 'aria-label': 'Verification progress' });
  const text = h('p', { 'aria-live': 'polite' });
  replace(box, bar, text);
  for (;;) {
    bar.max = Math.max(1, job.records_total || 1);
    bar.value = Math.min(job.records_checked || 0, bar.max);
    text.textContent = 'Checked ' + num(job.records_checked || 0) + ' of ' + num(job.records_total || 0) + ' records…';
    if (job.state !== 'running') break;
    await new Promise((r) => setTimeout(r, POLL_MS));
    if (!box.isConnected) return;
    job = await api('/api/audit/verifications/' + encodeURIComponent(job.id));
  }
  bar.value = bar.max;
  replace(box, bar, h('p', null, 'Finished ', time(job.finished_at), '.'), outcome(job));
}

async function checkpoints(box) {
  try {
    const page = await api('/api/audit/checkpoints', { query: { limit: 20 } });
    const head = page.head || {};
    replace(
      box,
      h(
        'dl',
        { class: 'head' },
        h('dt', null, 'Chain head'),
        h('dd', null, 'sequence ' + num(head.sequence), head.record_id ? [' · ', h('a', { href: '#/record/' + encodeURIComponent(head.record_id) }, head.record_id)] : ''),
        h('dt', null, 'Last signed checkpoint'),
        h('dd', null, head.signed_by_checkpoint === null || head.signed_by_checkpoint === undefined ? 'none yet' : 'sequence ' + num(head.signed_by_checkpoint))
      ),
      table(
        'The latest checkpoints',
        ['Sequence', 'Created', 'Seal'],
        page.data.map((c) => [num(c.sequence), time(c.created_at), c.seal === 'ed25519' ? 'Ed25519 signature' : c.seal === 'hmac' ? 'HMAC (older)' : String(c.seal || '—')])
      )
    );
  } catch (e) {
    replace(box, errorBox(e));
  }
}

export async function render(view) {
  const progress = h('div', { id: 'verification', 'aria-live': 'polite' });
  const start = h('button', { type: 'button', id: 'verify' }, 'Verify the whole chain');
  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      const job = await api('/api/audit/verifications', { method: 'POST' });
      await follow(progress, job);
    } catch (e) {
      replace(progress, errorBox(e));
    } finally {
      start.disabled = false;
    }
  });
  const cps = h('div', null, h('p', { class: 'loading' }, 'Loading…'));
  replace(
    view,
    h('h1', null, 'Integrity'),
    h('p', null, 'Every record is hash-chained to the one before it, and checkpoints seal the chain at intervals. Verification walks the whole chain against the checkpoints, the purged ranges and the signed head, and names the first record that does not check out.'),
    h('div', { class: 'actions' }, start),
    progress,
    h('h2', null, 'Checkpoints and the signed head'),
    cps
  );
  checkpoints(cps);
}
