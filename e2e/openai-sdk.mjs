// The official OpenAI SDK, pointed at Warden's /v1, must work unchanged.
// Usage: node openai-sdk.mjs [baseURL]   (default http://localhost:9080/v1)
// Prints one line per check and a closing "N passed, N failed" line; exits non-zero on failure.
import OpenAI from 'openai';
import assert from 'node:assert/strict';

const baseURL = process.argv[2] ?? process.env.WARDEN_BASE_URL ?? 'http://localhost:9080/v1';
const client = new OpenAI({ baseURL, apiKey: process.env.WARDEN_API_KEY ?? 'warden-caller-key', maxRetries: 0 });

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
  async 'models list'() {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    assert.ok(ids.includes('gpt-4o'));
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
