// The shared test double must itself behave as documented, or every test built on it proves nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeMolmoServer } from '../helpers/fake-molmo-server.js';

const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';

function chatBody(url = `data:image/png;base64,${PNG_1X1}`): string {
  return JSON.stringify({
    model: 'm',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Point to the mug.' }, { type: 'image_url', image_url: { url } }] }],
  });
}

test('fake server: scripted replies in order, then the fallback; requests recorded', async () => {
  const server = await startFakeMolmoServer({ replies: [{ status: 503 }, { answer: 'hello', model: 'other' }], model: 'served' });
  try {
    const post = () => fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: chatBody() });
    assert.equal((await post()).status, 503);
    const ok = (await (await post()).json()) as { model: string; choices: { message: { content: string } }[] };
    assert.deepEqual([ok.model, ok.choices[0]?.message.content], ['other', 'hello']);
    const fallback = (await (await post()).json()) as { model: string; choices: { message: { content: string } }[] };
    assert.deepEqual([fallback.model, fallback.choices[0]?.message.content], ['served', 'There are none.']);
    assert.equal(server.requests.length, 3);
    assert.equal(server.requests[0]?.prompt, 'Point to the mug.');
    assert.equal(server.requests[0]?.imageMime, 'image/png');
    assert.equal(server.requests[0]?.image?.toString('base64'), PNG_1X1);
    const models = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: { id: string }[] };
    assert.equal(models.data[0]?.id, 'served');
    assert.equal(server.modelListCalls, 1);
  } finally {
    await server.close();
  }
});

test('fake server: malformed requests get 400 like vLLM', async () => {
  const server = await startFakeMolmoServer();
  try {
    const bad = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: chatBody('http://example.com/x.jpg') });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /data URI/);
    assert.equal((await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: '{' })).status, 400);
    assert.equal((await fetch(`${server.url}/chat`, { method: 'POST', body: chatBody() })).status, 404);
  } finally {
    await server.close();
  }
});

test('fake server: latency, max in flight, garbage, reset and hang', async () => {
  const server = await startFakeMolmoServer({ latencyMs: 60 });
  try {
    const post = (signal?: AbortSignal) => fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: chatBody(), signal });
    const start = performance.now();
    await Promise.all([post(), post(), post()].map(async (r) => (await r).text()));
    assert.ok(performance.now() - start >= 55);
    assert.equal(server.maxInFlight, 3);
    assert.equal(server.inFlight, 0);

    server.script([{ fail: 'garbage' }, { fail: 'reset' }, { fail: 'hang' }]);
    const garbage = await post();
    assert.equal(garbage.status, 200);
    await assert.rejects(garbage.json() as Promise<unknown>, SyntaxError);
    await assert.rejects(post(), TypeError);
    await assert.rejects(post(AbortSignal.timeout(150)), (e: unknown) => (e as Error).name === 'TimeoutError');
    // The aborted hang is no longer counted as in flight.
    for (let i = 0; i < 50 && server.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(server.inFlight, 0);
  } finally {
    await server.close();
  }
});
