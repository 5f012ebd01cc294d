// Integrity: verify every chain of the log as a background job with a progress bar, name the
// first broken record and why; list the checkpoints and each chain's signed head.

import { api } from '../api.js';
import { h, replace, errorBox, notice, table, time, num } from '../dom.js';

const POLL_MS = 500;

function outcome(job) {
  const r = job.result;
  if (!r) return errorBox(new Error('The verification failed before it finished' + (job.error ? ': ' + job.error : '.')));
  if (r.ok) {
    return notice(
      'Intact. ' + num(r.records_checked) + ' records, ' + num(r.checkpoints_checked) + ' checkpoints and ' + num(r.purged_ranges_checked) + ' purged ranges checked, in every chain.',
      'success'
    );
  }
  const b = r.first_break || {};
  return h(
    'div',
    { class: 'notice error', role: 'alert', id: 'first-break' },
    h('strong', null, 'The chain is broken. '),
    'First broken record: chain ' + num(b.chain) + ', sequence ' + num(b.sequence),
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
    const heads = page.heads || [];
    const newest = page.head || {};
    replace(
      box,
      h(
        'dl',
        { class: 'head' },
        h('dt', null, 'Chain heads'),
        h('dd', null, num(heads.length) + (heads.length === 1 ? ' chain' : ' chains') + '; the newest record is in chain ' + num(newest.chain), newest.record_id ? [' · ', h('a', { href: '#/record/' + encodeURIComponent(newest.record_id) }, newest.record_id)] : '')
      ),
      table(
        'The head of each chain',
        ['Chain', 'Sequence', 'Newest record', 'Signed by a checkpoint'],
        heads.map((x) => [
          num(x.chain),
          num(x.sequence),
          x.record_id ? h('a', { href: '#/record/' + encodeURIComponent(x.record_id) }, x.record_id) : '—',
          x.signed_by_checkpoint === null || x.signed_by_checkpoint === undefined ? 'not yet' : 'yes'
        ])
      ),
      table(
        'The latest checkpoints',
        ['Chain', 'Sequence', 'Chains vouched for', 'Created', 'Seal'],
        page.data.map((c) => [num(c.chain), num(c.sequence), c.chains ? num(c.chains) : '—', time(c.created_at), c.seal === 'ed25519' ? 'Ed25519 signature' : c.seal === 'hmac' ? 'HMAC (older)' : String(c.seal || '—')])
      )
    );
  } catch (e) {
    replace(box, errorBox(e));
  }
}

export async function render(view) {
  const progress = h('div', { id: 'verification', 'aria-live': 'polite' });
  const start = h('button', { type: 'button', id: 'verify' }, 'Verify every chain');
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
    h('p', null, 'The log is split into a few hash chains, so that servers writing at the same moment do not wait for each other. Every record is hash-chained to the one before it in its chain, and checkpoints seal every chain at intervals, each naming how many chains there are. Verification walks each chain against its checkpoints, purged ranges and signed head, and names the first record that does not check out.'),
    h('div', { class: 'actions' }, start),
    progress,
    h('h2', null, 'Checkpoints and the signed heads'),
    cps
  );
  checkpoints(cps);
}
