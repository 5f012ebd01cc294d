// The official OpenAI SDK's Conversations API, pointed at Warden's /v1, must work unchanged.
// Usage: node openai-sdk-conversations.mjs [baseURL] [--mock=URL]   (default http://localhost:9080/v1)
// --mock=URL: the mock upstream's base URL; then also checks that the upstream got placeholders.
// Prints one line per check and a closing "N passed, N failed" line; exits non-zero on failure.
import OpenAI from 'openai';
import assert from 'node:assert/strict';

const args = process.argv.slice(2);
const mockURL = args.find((a) => a.startsWith('--mock='))?.slice('--mock='.length);
const baseURL = args.find((a) => !a.startsWith('--')) ?? process.env.WARDEN_BASE_URL ?? 'http://localhost:9080/v1';
const apiKey = process.env.WARDEN_API_KEY ?? 'wk_devuserkey01_devsecret-devsecret-devsecret-01';
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

const EMAIL = 'ada.sdk@example.com';
let conversation;

// The bodies of the requests to `path` that reached the mock upstream (null: no mock given).
async function upstreamBodies(path) {
  if (!mockURL) return null;
  const r = await fetch(`${mockURL}/__admin/requests/find`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'POST', urlPath: path, bodyPatterns: [{ contains: 'sdk-check' }] }),
  });
  return (await r.json()).requests.map((req) => req.body);
}

const checks = {
  async 'conversations.create with personal data'() {
    conversation = await client.conversations.create({
      metadata: { topic: 'sdk-check' },
      items: [{ type: 'message', role: 'user', content: `sdk-check: my email is ${EMAIL}` }],
    });
    assert.equal(conversation.object, 'conversation');
    assert.match(conversation.id, /^conv_/);
    assert.equal(conversation.metadata.topic, 'sdk-check');
    const sent = await upstreamBodies('/v1/conversations');
    if (sent !== null) {
      assert.equal(sent.length, 1, `${sent.length} upstream calls`);
      assert.ok(!sent[0].includes(EMAIL), 'the upstream got the address');
      assert.ok(sent[0].includes('<EMAIL_1>'), sent[0]);
    }
  },
  async 'conversations.items.list restores the items'() {
    const page = await client.conversations.items.list(conversation.id, { order: 'asc' });
    assert.equal(page.data.length, 1);
    assert.equal(page.data[0].type, 'message');
    assert.equal(page.data[0].content[0].text, `sdk-check: my email is ${EMAIL}`);
  },
  async 'responses.create({conversation}) answers within it'() {
    const response = await client.responses.create({
      model: 'gpt-4o-mini',
      conversation: conversation.id,
      input: `sdk-check: write to ${EMAIL}`,
    });
    assert.equal(response.object, 'response');
    assert.equal(response.conversation.id, conversation.id);
    assert.equal(response.output_text, `Mock answer to: sdk-check: write to ${EMAIL}`);
    const items = [];
    for await (const item of client.conversations.items.list(conversation.id, { order: 'asc', limit: 2 })) {
      items.push(item);
    }
    assert.equal(items.length, 3, 'the first item, the turn and its answer');
    assert.equal(items[2].role, 'assistant');
    const sent = await upstreamBodies('/v1/responses');
    if (sent !== null) {
      assert.equal(sent.length, 1);
      assert.ok(sent[0].includes('sdk-check: write to <EMAIL_1>'), sent[0]);
    }
  },
  async 'conversations.retrieve, update and delete'() {
    const seen = await client.conversations.retrieve(conversation.id);
    assert.equal(seen.id, conversation.id);
    const updated = await client.conversations.update(conversation.id, { metadata: { topic: 'done' } });
    assert.equal(updated.metadata.topic, 'done');
    const deleted = await client.conversations.delete(conversation.id);
    assert.equal(deleted.deleted, true);
  },
  async 'an unknown conversation is a typed 404'() {
    await assert.rejects(
      client.conversations.retrieve('conv_unknown'),
      (err) => err instanceof OpenAI.NotFoundError && err.status === 404);
    await assert.rejects(
      client.responses.create({ model: 'gpt-4o-mini', conversation: 'conv_unknown', input: 'hi' }),
      (err) => err instanceof OpenAI.NotFoundError && err.param === 'conversation');
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
