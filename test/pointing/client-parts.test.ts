// The Molmo client's small parts: prompts, backoff, Retry-After, the concurrency limiter, the endpoint pool,
// and the chat-completions body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, parseRetryAfter, sleep } from '../../src/pointing/backoff.js';
import { buildChatBody, errorBodySummary, jpegDataUri, readChatAnswer } from '../../src/pointing/chat-completions.js';
import { EndpointPool, endpointUrls, normalizeBaseUrl } from '../../src/pointing/endpoint-pool.js';
import { ConcurrencyLimiter } from '../../src/pointing/limiter.js';
import { DEFAULT_PROMPTS, renderPrompt } from '../../src/pointing/prompts.js';

test('prompts: default per family, article added unless the query has a determiner', () => {
  assert.equal(renderPrompt(DEFAULT_PROMPTS.molmo, 'red mug'), 'pointing: Point to the red mug');
  assert.equal(renderPrompt(DEFAULT_PROMPTS.molmo2, ' red mug. '), 'Point to the red mug.');
  assert.equal(renderPrompt(DEFAULT_PROMPTS.molmo2, 'all chairs'), 'Point to all chairs.');
  assert.equal(renderPrompt(DEFAULT_PROMPTS.molmo2, 'The door handle'), 'Point to The door handle.');
  assert.equal(renderPrompt('How many {query} are there?', 'apples'), 'How many apples are there?');
  assert.equal(renderPrompt('point_count: {query} {object}', 'cups'), 'point_count: cups the cups');
});

test('backoff: equal jitter between half and all of the doubling delay, capped', () => {
  const opts = (r: number) => ({ baseMs: 100, maxMs: 1000, random: () => r });
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelay(n, opts(0))), [50, 100, 200, 400, 500]);
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelay(n, opts(1))), [100, 200, 400, 800, 1000]);
});

test('Retry-After: seconds or an HTTP date; nonsense is ignored', () => {
  assert.equal(parseRetryAfter('2'), 2000);
  assert.equal(parseRetryAfter(' 0 '), 0);
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:03 GMT', now), 3000);
  assert.equal(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon'), null);
  assert.equal(parseRetryAfter(null), null);
});

test('sleep ends early with the signal', async () => {
  const start = performance.now();
  await assert.rejects(sleep(5000, AbortSignal.timeout(20)));
  assert.ok(performance.now() - start < 2500);
  await sleep(1);
});

test('limiter: at most max at once, FIFO, aborted waiters leave the queue, double release is harmless', async () => {
  const limiter = new ConcurrencyLimiter(2);
  const a = await limiter.acquire();
  const b = await limiter.acquire();
  const order: string[] = [];
  const c = limiter.acquire().then((free) => (order.push('c'), free));
  const ac = new AbortController();
  const d = limiter.acquire(ac.signal);
  const e = limiter.acquire().then((free) => (order.push('e'), free));
  assert.deepEqual([limiter.inFlight, limiter.queued], [2, 3]);
  ac.abort();
  await assert.rejects(d);
  assert.equal(limiter.queued, 2);
  a();
  a();
  (await c)();
  b();
  (await e)();
  assert.deepEqual(order, ['c', 'e']);
  assert.deepEqual([limiter.inFlight, limiter.queued], [0, 0]);
  assert.throws(() => new ConcurrencyLimiter(0), RangeError);
});

test('endpoint URLs: base, trailing slash, /v1 and full path mean the same server', () => {
  for (const url of ['http://gpu:8000', 'http://gpu:8000/', 'http://gpu:8000/v1', 'http://gpu:8000/v1/', 'http://gpu:8000/v1/chat/completions']) {
    assert.equal(normalizeBaseUrl(url), 'http://gpu:8000', url);
  }
  assert.equal(normalizeBaseUrl('https://host/proxy/v1'), 'https://host/proxy');
});

test('endpoint URLs: a hosted prefix (…/openai, …/chat/completions) is kept; Moondream\'s point route', () => {
  const gemini = 'https://generativelanguage.googleapis.com/v1beta/openai';
  for (const url of [gemini, `${gemini}/`, `${gemini}/chat/completions`]) {
    assert.deepEqual(endpointUrls(url), { chatUrl: `${gemini}/chat/completions`, modelsUrl: `${gemini}/models`, pointUrl: `${gemini}/point` }, url);
  }
  assert.deepEqual(endpointUrls('http://gpu:8000/v1/chat/completions?k=1'), {
    chatUrl: 'http://gpu:8000/v1/chat/completions?k=1',
    modelsUrl: 'http://gpu:8000/v1/models?k=1',
    pointUrl: 'http://gpu:8000/v1/point?k=1',
  });
  assert.equal(endpointUrls('https://api.moondream.ai/v1').pointUrl, 'https://api.moondream.ai/v1/point');
});

test('endpoint URLs with user:password@ are refused without echoing the password; queries are kept but never shown', () => {
  for (const url of ['https://user:s3cret@gpu.example/v1', 'http://s3cret@gpu:8000', 'https://user:s3cret@gpu.example:bad']) {
    assert.throws(() => new EndpointPool([url], 100), (e: Error) => {
      assert.ok(!e.message.includes('s3cret'), e.message);
      return /credentials|not a valid URL/.test(e.message);
    });
  }
  assert.throws(() => new EndpointPool(['https://user:s3cret@gpu.example/v1'], 100), /remove them and set the API key instead \(apiKey, model\.api_key or MOLMO_API_KEY/);
  const [e] = new EndpointPool(['https://gpu.example/v1?api-version=2&key=s3cret#frag'], 100).endpoints;
  assert.equal(e!.url, 'https://gpu.example/v1');
  assert.equal(e!.chatUrl, 'https://gpu.example/v1/chat/completions?api-version=2&key=s3cret');
  assert.equal(e!.modelsUrl, 'https://gpu.example/v1/models?api-version=2&key=s3cret');
});

test('endpoint pool: configured order, skip failed, cooldown, least recently failed as last resort', () => {
  let now = 0;
  const pool = new EndpointPool(['http://a', 'http://b', 'http://c'], 100, () => now);
  const [a, b, c] = pool.endpoints as [typeof pool.endpoints[0], typeof pool.endpoints[0], typeof pool.endpoints[0]];
  assert.equal(pool.pick(), a);
  pool.markFailure(a, 'boom');
  assert.equal(pool.pick(), b);
  assert.equal(pool.pick(new Set([b])), c);
  now = 10;
  pool.markFailure(b, 'boom');
  now = 20;
  pool.markFailure(c, 'boom');
  now = 50;
  assert.equal(pool.pick(), a, 'all failed: the one that failed longest ago');
  now = 105;
  assert.equal(pool.pick(), a, 'cooled down');
  pool.markSuccess(a, 12);
  assert.deepEqual([a.healthy, a.lastLatencyMs, a.lastError], [true, 12, 'boom']);
  assert.equal(pool.pick(new Set([a, b, c])), a, 'everything avoided: still answers');
});

test('chat body and answers', () => {
  const uri = jpegDataUri(Buffer.from([1, 2, 3]));
  assert.equal(uri.toString('latin1'), 'data:image/jpeg;base64,AQID');
  // Prompts with quotes, NULs and non-ASCII survive the byte splicing.
  const prompt = 'Point to the "caf\u00E9" \u0000 mug \u{1F600}';
  const chunks = buildChatBody({ model: undefined, prompt, imageDataUri: uri, maxTokens: 7, extraBody: { stop: ['<|endoftext|>'] } });
  assert.equal(chunks[1], uri, 'the data URI is sent as it is, not copied');
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  assert.equal('model' in body, false);
  assert.deepEqual(body.messages[0].content, [
    { type: 'text', text: prompt },
    { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AQID' } },
  ]);
  assert.equal(JSON.parse(Buffer.concat(buildChatBody({ model: 'm', prompt: 'p', imageDataUri: uri, maxTokens: 1 })).toString()).model, 'm');
  assert.deepEqual([body.max_tokens, body.temperature, body.stop], [7, 0, ['<|endoftext|>']]);
  assert.deepEqual(readChatAnswer(JSON.stringify({ model: 'm', choices: [{ message: { content: 'hi' }, finish_reason: 'length' }] })), { text: 'hi', model: 'm', finishReason: 'length' });
  assert.deepEqual(readChatAnswer(JSON.stringify({ choices: [{ message: { content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] } }] })), { text: 'ab', model: null, finishReason: null });
  assert.match(readChatAnswer('{"choices":[{"message":{}}]}') as string, /no choices\[0\]\.message\.content/);
  assert.match(readChatAnswer('null') as string, /not a JSON object/);
  assert.equal(errorBodySummary('{"error":{"message":"bad model"}}'), 'bad model');
  assert.equal(errorBodySummary('{"detail":"Not Found"}'), 'Not Found');
  assert.equal(errorBodySummary('<html>\n oops </html>'), '<html> oops </html>');
});
