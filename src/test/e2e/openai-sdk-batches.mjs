// The official OpenAI SDK's batch workflow, pointed at Warden's /v1, must work unchanged:
// files.create with a JSONL, batches.create, batches.retrieve until completed, files.content.
// Usage: node openai-sdk-batches.mjs [baseURL] [--mock=URL]   (default http://localhost:9080/v1)
// --mock=URL: the mock upstream's base URL; then also checks that the upload reached it redacted.
// Prints one line per check and a closing "N passed, N failed" line; exits non-zero on failure.
import OpenAI, { toFile } from 'openai';
import assert from 'node:assert/strict';

const args = process.argv.slice(2);
const mockURL = args.find((a) => a.startsWith('--mock='))?.slice('--mock='.length);
const baseURL = args.find((a) => !a.startsWith('--')) ?? process.env.WARDEN_BASE_URL ?? 'http://localhost:9080/v1';
const apiKey = process.env.WARDEN_API_KEY ?? 'wk_devuserkey01_devsecret-devsecret-devsecret-01';
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

const email = 'sdk.batch@example.com';
const marker = `batch-${Date.now()}`;
const lines = [
  { custom_id: 'one', method: 'POST', url: '/v1/chat/completions',
    body: { model: 'gpt-4o-mini', max_completion_tokens: 50, messages: [{ role: 'user', content: `Write to ${email} ${marker}` }] } },
  { custom_id: 'two', method: 'POST', url: '/v1/chat/completions',
    body: { model: 'gpt-4o-mini', max_completion_tokens: 50, messages: [{ role: 'user', content: `Say hello ${marker}` }] } },
];
const jsonl = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

let file;
let batch;
const checks = {
  async 'files.create uploads a batch JSONL'() {
    file = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'batch.jsonl'), purpose: 'batch' });
    assert.equal(file.object, 'file');
    assert.equal(file.purpose, 'batch');
    assert.match(file.id, /^file-/);
  },
  async 'the upstream received it redacted'() {
    if (!mockURL) return;
    const r = await fetch(`${mockURL}/__admin/requests/find`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'POST', urlPath: '/v1/files', bodyPatterns: [{ contains: marker }] }),
    });
    const bodies = (await r.json()).requests.map((q) => q.body);
    assert.equal(bodies.length, 1);
    assert.ok(!bodies[0].includes(email), 'the address left Warden');
    assert.ok(bodies[0].includes('<EMAIL_1>'));
  },
  async 'files.retrieve and files.list show it'() {
    assert.equal((await client.files.retrieve(file.id)).id, file.id);
    const ids = [];
    for await (const f of client.files.list()) ids.push(f.id);
    assert.ok(ids.includes(file.id));
  },
  async 'batches.create, then batches.retrieve until completed'() {
    batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    assert.equal(batch.object, 'batch');
    for (let i = 0; i < 10 && batch.status !== 'completed'; i++) {
      batch = await client.batches.retrieve(batch.id);
    }
    assert.equal(batch.status, 'completed');
    assert.equal(batch.request_counts.completed, 2);
    const ids = [];
    for await (const b of client.batches.list()) ids.push(b.id);
    assert.ok(ids.includes(batch.id));
  },
  async 'files.content gives the output restored'() {
    const text = await (await client.files.content(batch.output_file_id)).text();
    const results = text.trim().split('\n').map((l) => JSON.parse(l));
    const one = results.find((r) => r.custom_id === 'one');
    assert.equal(one.response.status_code, 200);
    assert.match(one.response.body.choices[0].message.content, new RegExp(email.replace('.', '\\.')));
    assert.ok(!text.includes('<EMAIL_'), 'a placeholder was left in the output');
  },
  async 'a bad line is a BadRequestError naming the line'() {
    const bad = jsonl + JSON.stringify({ custom_id: 'three', method: 'POST', url: '/v1/images/generations', body: {} }) + '\n';
    await assert.rejects(
      client.files.create({ file: await toFile(Buffer.from(bad), 'bad.jsonl'), purpose: 'batch' }),
      (err) => err instanceof OpenAI.BadRequestError && /^Line 3: /.test(err.error?.message ?? err.message));
  },
  async 'files.delete removes the input file'() {
    const deleted = await client.files.delete(file.id);
    assert.equal(deleted.deleted, true);
    await assert.rejects(client.files.retrieve(file.id), (err) => err instanceof OpenAI.NotFoundError);
  },
};

let passed = 0;
let failed = 0;
for (const [name, check] of Object.entries(checks)) {
  try {
    await check();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
