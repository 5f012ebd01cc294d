// The official OpenAI SDK, pointed at Warden's /v1, must work unchanged.
// Usage: node openai-sdk.mjs [baseURL] [--faults] [--mock=URL]   (default http://localhost:9080/v1)
// --faults: the caller has stubbed the upstream so that model "cut-model" streams are cut mid-way
// (the integration test does); adds the check that such a cut reaches the SDK as an error.
// --mock=URL: the mock upstream's base URL; the idempotency checks then also count upstream calls.
// Prints one line per check and a closing "N passed, N failed" line; exits non-zero on failure.
import OpenAI from 'openai';
import assert from 'node:assert/strict';

const args = process.argv.slice(2);
const faults = args.includes('--faults');
const mockURL = args.find((a) => a.startsWith('--mock='))?.slice('--mock='.length);
const baseURL = args.find((a) => !a.startsWith('--')) ?? process.env.WARDEN_BASE_URL ?? 'http://localhost:9080/v1';
const apiKey = process.env.WARDEN_API_KEY ?? 'wk_devuserkey01_devsecret-devsecret-devsecret-01';
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

// The SDK sends an Idempotency-Key only when its client sets `idempotencyHeader` (OpenAI's client
// leaves it unset); then every POST gets one, kept across the SDK's own retries, and the request
// option `idempotencyKey` chooses it.
class IdempotentOpenAI extends OpenAI {
  idempotencyHeader = 'Idempotency-Key';
}
const idempotentClient = new IdempotentOpenAI({ baseURL, apiKey, maxRetries: 0 });

// How many chat calls whose body contains `marker` reached the mock upstream (null: no mock given).
async function upstreamCalls(marker) {
  if (!mockURL) return null;
  const r = await fetch(`${mockURL}/__admin/requests/count`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'POST', urlPath: '/v1/chat/completions', bodyPatterns: [{ contains: marker }] }),
  });
  return (await r.json()).count;
}

async function assertReplayed(create, marker) {
  const first = await create().withResponse();
  const second = await create().withResponse();
  assert.equal(first.response.headers.get('idempotent-replayed'), null);
  assert.equal(second.response.headers.get('idempotent-replayed'), 'true');
  assert.equal(second.data.id, first.data.id);
  assert.deepEqual(second.data, first.data);
  const calls = await upstreamCalls(marker);
  if (calls !== null) assert.equal(calls, 1, `${calls} upstream calls`);
}

const checks = {
  async 'chat completion'() {
    const c = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello from the SDK' }],
    });
    assert.equal(c.object, 'chat.completion');
    assert.match(c.choices[0].message.content, /Hello from the SDK/);
    assert.ok(c.usage.total_tokens > 0);
    assert.match(c._request_id, /^wrd_/);
  },
  async 'chat completion with a tool'() {
    const c = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', strict: true,
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } } }],
    });
    assert.equal(c.choices[0].finish_reason, 'tool_calls');
    assert.equal(c.choices[0].message.tool_calls[0].function.name, 'get_weather');
    JSON.parse(c.choices[0].message.tool_calls[0].function.arguments);
  },
  async 'responses create, follow-up and retrieve'() {
    const r = await client.responses.create({ model: 'gpt-4.1', instructions: 'Be brief.', input: 'Name a colour' });
    assert.equal(r.status, 'completed');
    assert.match(r.output_text, /Name a colour/);
    const next = await client.responses.create({ model: 'gpt-4.1', previous_response_id: r.id, input: 'Another one' });
    assert.match(next.output_text, /turn 2/);
    const again = await client.responses.retrieve(r.id);
    assert.equal(again.id, r.id);
  },
  async 'embeddings (the SDK asks for base64 and decodes it)'() {
    const e = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'], dimensions: 8 });
    assert.equal(e.data.length, 2);
    assert.equal(e.data[0].embedding.length, 8);
    assert.equal(typeof e.data[0].embedding[0], 'number');
  },
  async 'chat completion stream: text arrives in pieces, usage at the end'() {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Stream a sentence to me please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces = [];
    let usage = null;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta?.content;
      if (piece) pieces.push(piece);
      if (chunk.usage) usage = chunk.usage;
    }
    assert.ok(pieces.length > 3, `only ${pieces.length} pieces`);
    assert.match(pieces.join(''), /Stream a sentence to me please/);
    assert.ok(usage && usage.total_tokens > 0, 'usage present');
  },
  async 'responses stream: typed events, text deltas, completed with usage'() {
    const stream = await client.responses.create({ model: 'gpt-4.1', input: 'Stream a response', stream: true });
    const types = [];
    let text = '';
    let completed = null;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    assert.equal(types[0], 'response.created');
    assert.ok(types.filter((t) => t === 'response.output_text.delta').length > 1);
    assert.match(text, /Stream a response/);
    assert.ok(completed.usage.total_tokens > 0);
  },
  async 'models list'() {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    assert.ok(ids.includes('gpt-4o'));
  },
  async 'the same Idempotency-Key twice: the recorded answer, one upstream call'() {
    const marker = `idem-${crypto.randomUUID()}`;
    const key = crypto.randomUUID();
    await assertReplayed(
      () => client.chat.completions.create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Once only ${marker}` }] },
        { headers: { 'Idempotency-Key': key } }),
      marker);
  },
  async 'the SDK\'s own idempotencyKey option replays too; another body under it is a 409'() {
    const marker = `idem-${crypto.randomUUID()}`;
    const key = `stainless-node-retry-${crypto.randomUUID()}`;
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Keyed by the SDK ${marker}` }] };
    await assertReplayed(() => idempotentClient.chat.completions.create(body, { idempotencyKey: key }), marker);
    await assert.rejects(
      idempotentClient.chat.completions.create({ ...body, messages: [{ role: 'user', content: `Other ${marker}` }] },
        { idempotencyKey: key }),
      (err) => err instanceof OpenAI.ConflictError && err.status === 409 && err.code === 'idempotency_key_reused'
        && err.type === 'invalid_request_error');
  },
  async 'errors arrive as the SDK\'s typed errors'() {
    await assert.rejects(
      client.chat.completions.create({ messages: [{ role: 'user', content: 'no model' }] }),
      (err) => err instanceof OpenAI.BadRequestError && err.status === 400 && err.param === 'model');
    await assert.rejects(
      client.responses.retrieve('resp_unknown'),
      (err) => err instanceof OpenAI.NotFoundError && err.status === 404);
  },
};

if (faults) {
  checks['a stream cut upstream reaches the SDK as an error'] = async () => {
    const stream = await client.chat.completions.create({
      model: 'cut-model',
      messages: [{ role: 'user', content: 'cut me' }],
      stream: true,
    });
    let text = '';
    await assert.rejects(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      })(),
      (err) => err instanceof OpenAI.APIError && /interrupted|ended before/.test(err.message));
    assert.equal(text, 'Half');
  };
}

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
