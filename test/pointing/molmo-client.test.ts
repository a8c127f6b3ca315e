// MolmoPointer against a real HTTP server (test/helpers/fake-molmo-server.ts) speaking chat completions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { ColorImage } from '../../src/geometry/types.js';
import { MolmoPointer, type MolmoPointerOptions, type RetryInfo } from '../../src/pointing/molmo-client.js';
import { PointingError, type PointingErrorKind } from '../../src/pointing/types.js';
import { startFakeMolmoServer, type FakeMolmoServer } from '../helpers/fake-molmo-server.js';

function rgbImage(width: number, height: number): ColorImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
  return { kind: 'raw', encoding: 'rgb8', width, height, step: width * 3, isBigEndian: false, data };
}

const SMALL = rgbImage(64, 48);
const V2_ANSWER = '<points coords="1 1 500 250" alt="mug">mug</points>';

/** Fast retry timings so the suite stays quick; each test overrides what it proves. */
function pointer(server: FakeMolmoServer | string[], opts: Partial<MolmoPointerOptions> = {}): MolmoPointer {
  return new MolmoPointer({
    endpoints: Array.isArray(server) ? server : [server.url],
    family: 'molmo2',
    model: 'test-model',
    backoffMs: 5,
    maxBackoffMs: 50,
    timeoutMs: 2000,
    random: () => 0.5,
    ...opts,
  });
}

async function withServer(opts: Parameters<typeof startFakeMolmoServer>[0], fn: (s: FakeMolmoServer) => Promise<void>): Promise<void> {
  const server = await startFakeMolmoServer(opts);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

function isPointingError(kind: PointingErrorKind, check: (e: PointingError) => boolean = () => true) {
  return (e: unknown) => {
    assert.ok(e instanceof PointingError, `expected PointingError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    return check(e);
  };
}

/** A URL where nothing listens (a server's port right after it closed). */
async function deadUrl(): Promise<string> {
  const s = await startFakeMolmoServer();
  await s.close();
  return s.url;
}

test('request shape: text then data-URI image, model, max_tokens, temperature 0, bearer key; data URI is the size sent', async () => {
  await withServer({ replies: [{ answer: V2_ANSWER, model: 'allenai/Molmo2-8B' }] }, async (server) => {
    const r = await pointer(server, { maxSide: 640, apiKey: 'sk-test' }).point(rgbImage(1280, 720), 'red mug');
    const req = server.requests[0]!;
    assert.equal(req.headers.authorization, 'Bearer sk-test');
    const body = req.body as { model: string; max_tokens: number; temperature: number; messages: { role: string; content: { type: string }[] }[] };
    assert.equal(body.model, 'test-model');
    assert.equal(body.max_tokens, 1024);
    assert.equal(body.temperature, 0);
    assert.deepEqual(body.messages[0]!.content.map((c) => c.type), ['text', 'image_url']);
    assert.equal(req.prompt, 'Point to the red mug.');
    assert.equal(req.imageMime, 'image/jpeg');
    const meta = await sharp(req.image!).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 640, 360]);
    // 500‰, 250‰ of the image sent = the same fraction of the full-size grid: u = 0.5·1280 − 0.5, v = 0.25·720 − 0.5
    // (fractions from the image's corner, integers at pixel centres).
    assert.deepEqual(r.points.map((p) => [p.u, p.v, p.label]), [[639.5, 179.5, 'mug']]);
    assert.equal(r.rawText, V2_ANSWER);
    assert.equal(r.model, 'allenai/Molmo2-8B');
    for (const step of ['encode', 'queue', 'request', 'parse', 'total']) assert.ok(r.timings[step]! >= 0, step);
    assert.deepEqual(pointer(server).health().endpoints.map((e) => e.healthy), [true]);
  });
});

test('without a configured model the served name is read once from /v1/models', async () => {
  await withServer({ model: 'served-name' }, async (server) => {
    const p = pointer(server, { model: undefined, family: 'molmo' });
    await Promise.all([p.point(SMALL, 'cup'), p.point(SMALL, 'cup')]);
    await p.point(SMALL, 'the cup');
    assert.equal(server.modelListCalls, 1);
    assert.deepEqual(server.requests.map((r) => (r.body as { model: string }).model), ['served-name', 'served-name', 'served-name']);
    assert.equal(server.requests[2]!.prompt, 'pointing: Point to the cup');
  });
});

test('retries 5xx with growing backoff, then succeeds', async () => {
  await withServer({ replies: [{ status: 503 }, { status: 502 }, { answer: V2_ANSWER }] }, async (server) => {
    const retries: RetryInfo[] = [];
    const p = pointer(server, { backoffMs: 40, maxBackoffMs: 1000, random: () => 0.5, onRetry: (info) => retries.push(info) });
    const r = await p.point(SMALL, 'mug');
    assert.equal(r.points.length, 1);
    assert.equal(server.requests.length, 3);
    // Equal jitter with random 0.5: 3/4 of 40 ms, then of 80 ms.
    assert.deepEqual(retries.map((i) => [i.attempt, i.delayMs, i.error.details.status]), [[2, 30, 503], [3, 60, 502]]);
    // And the server really saw the waits (a lower bound: a loaded machine only adds).
    const [a, b, c] = server.requests.map((q) => q.receivedAtMs) as [number, number, number];
    assert.ok(b - a >= 28 && c - b >= 58, `waits ${b - a}, ${c - b}`);
  });
});

test('gives up after the configured retries with the last status', async () => {
  await withServer({ fallback: { status: 500 } }, async (server) => {
    const p = pointer(server, { retries: 2 });
    await assert.rejects(p.point(SMALL, 'mug'), isPointingError('http_status', (e) => e.details.status === 500 && e.details.attempts === 3 && /after 3 attempts/.test(e.message)));
    assert.equal(server.requests.length, 3);
    const health = p.health().endpoints[0]!;
    assert.deepEqual([health.healthy, /HTTP 500/.test(health.lastError ?? '')], [false, true]);
  });
});

test('does not retry other 4xx and keeps the server\'s reason', async () => {
  await withServer({ replies: [{ status: 404, body: JSON.stringify({ error: { message: 'The model `x` does not exist.' } }) }] }, async (server) => {
    const p = pointer(server);
    await assert.rejects(p.point(SMALL, 'mug'), isPointingError('http_status', (e) => e.details.status === 404 && /does not exist/.test(e.message) && e.details.attempts === 1));
    assert.equal(server.requests.length, 1);
  });
});

test('429 honours Retry-After, bounded by maxBackoffMs', async () => {
  await withServer({ replies: [{ status: 429, headers: { 'retry-after': '1' } }, { answer: V2_ANSWER }] }, async (server) => {
    const retries: RetryInfo[] = [];
    await pointer(server, { backoffMs: 1, maxBackoffMs: 200, onRetry: (i) => retries.push(i) }).point(SMALL, 'mug');
    // Retry-After 1 s beats the ~1 ms backoff but is bounded at 200 ms.
    assert.deepEqual(retries.map((i) => [i.delayMs, i.error.details.status]), [[200, 429]]);
    const gap = server.requests[1]!.receivedAtMs - server.requests[0]!.receivedAtMs;
    assert.ok(gap >= 195, `waited ${gap} ms`);
  });
});

test('a reset connection is retried; garbage is a bad_response and is not', async () => {
  await withServer({ replies: [{ fail: 'reset' }, { answer: V2_ANSWER }] }, async (server) => {
    assert.equal((await pointer(server).point(SMALL, 'mug')).points.length, 1);
    assert.equal(server.requests.length, 2);
  });
  await withServer({ replies: [{ fail: 'garbage' }] }, async (server) => {
    await assert.rejects(pointer(server).point(SMALL, 'mug'), isPointingError('bad_response', (e) => /not JSON/.test(e.message)));
    assert.equal(server.requests.length, 1);
  });
  await withServer({ replies: [{ status: 200, body: JSON.stringify({ choices: [] }) }] }, async (server) => {
    await assert.rejects(pointer(server).point(SMALL, 'mug'), isPointingError('bad_response', (e) => /no choices/.test(e.message)));
  });
});

test('an unreachable endpoint is an unreachable error naming the cause', async () => {
  const url = await deadUrl();
  await assert.rejects(pointer([url], { retries: 1 }).point(SMALL, 'mug'), isPointingError('unreachable', (e) => /ECONNREFUSED/.test(e.message) && e.details.attempts === 2));
});

test('a hung server times out per attempt; the connection is closed', async () => {
  await withServer({ fallback: { fail: 'hang' } }, async (server) => {
    const start = performance.now();
    await assert.rejects(pointer(server, { timeoutMs: 150 }).point(SMALL, 'mug'), isPointingError('timeout', (e) => /within 150 ms/.test(e.message)));
    const took = performance.now() - start;
    assert.ok(took >= 140 && took < 2500, `took ${took} ms`);
    assert.equal(server.requests.length, 1);
    for (let i = 0; i < 50 && server.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(server.inFlight, 0);
  });
});

test('cancel: before start, during the request, and during a backoff wait', async () => {
  await withServer({ fallback: { fail: 'hang' } }, async (server) => {
    const p = pointer(server, { timeoutMs: 10_000 });
    await assert.rejects(p.point(SMALL, 'mug', { signal: AbortSignal.abort() }), isPointingError('cancelled'));
    assert.equal(server.requests.length, 0);
    const start = performance.now();
    await assert.rejects(p.point(SMALL, 'mug', { signal: AbortSignal.timeout(60) }), isPointingError('cancelled'));
    assert.ok(performance.now() - start < 2500, 'the cancel ended the 10 s request');
    // A cancel is not the endpoint's fault.
    assert.equal(p.health().endpoints[0]!.healthy, true);
  });
  await withServer({ fallback: { status: 503 } }, async (server) => {
    const start = performance.now();
    const p = pointer(server, { backoffMs: 5000, maxBackoffMs: 5000 });
    await assert.rejects(p.point(SMALL, 'mug', { signal: AbortSignal.timeout(100) }), isPointingError('cancelled'));
    assert.ok(performance.now() - start < 2500, 'the 5 s backoff wait ended at the cancel');
    assert.equal(server.requests.length, 1);
  });
});

test('cancel while queued frees the place without sending anything', async () => {
  await withServer({ replies: [{ fail: 'hang' }] }, async (server) => {
    const p = pointer(server, { concurrency: 1, timeoutMs: 10_000 });
    const first = new AbortController();
    const running = p.point(SMALL, 'first', { signal: first.signal });
    const queued = new AbortController();
    const waiting = p.point(SMALL, 'second', { signal: queued.signal });
    const third = p.point(SMALL, 'third');
    await new Promise((r) => setTimeout(r, 50));
    queued.abort();
    await assert.rejects(waiting, isPointingError('cancelled'));
    assert.equal(server.requests.length, 1);
    first.abort();
    await assert.rejects(running, isPointingError('cancelled'));
    // The slot went to the third request, not to the cancelled second.
    await third;
    assert.deepEqual(server.requests.map((r) => r.prompt), ['Point to the first.', 'Point to the third.']);
  });
});

test('cancel while the frame is still encoding and the queue is full', async () => {
  await withServer({ replies: [{ fail: 'hang' }] }, async (server) => {
    const p = pointer(server, { concurrency: 1, timeoutMs: 10_000 });
    const first = new AbortController();
    const running = p.point(SMALL, 'first', { signal: first.signal });
    await new Promise((r) => setTimeout(r, 30));
    const queued = new AbortController();
    const waiting = p.point(rgbImage(1920, 1080), 'second', { signal: queued.signal });
    queued.abort();
    await assert.rejects(waiting, isPointingError('cancelled'));
    first.abort();
    await assert.rejects(running, isPointingError('cancelled'));
    assert.equal(server.requests.length, 1);
  });
});

test('fails over to a second endpoint at once, avoids the failed one, retries it after the cooldown', async () => {
  const sick = await startFakeMolmoServer({ replies: [{ status: 503 }], fallback: { answer: V2_ANSWER } });
  const good = await startFakeMolmoServer({ fallback: { answer: V2_ANSWER } });
  try {
    const retries: RetryInfo[] = [];
    const p = pointer([sick.url, good.url], { backoffMs: 1000, maxBackoffMs: 1000, cooldownMs: 150, onRetry: (i) => retries.push(i) });
    assert.equal((await p.point(SMALL, 'mug')).points.length, 1);
    assert.deepEqual(retries.map((i) => [i.endpoint, i.delayMs]), [[good.url, 0]], 'failover to a healthy endpoint does not back off');
    assert.deepEqual(p.health().endpoints.map((e) => e.healthy), [false, true]);
    await p.point(SMALL, 'mug');
    assert.deepEqual([sick.requests.length, good.requests.length], [1, 2]);
    await new Promise((r) => setTimeout(r, 170));
    await p.point(SMALL, 'mug');
    assert.deepEqual([sick.requests.length, good.requests.length], [2, 2]);
    assert.deepEqual(p.health().endpoints.map((e) => e.healthy), [true, true]);
  } finally {
    await sick.close();
    await good.close();
  }
});

test('failover from an endpoint that refuses connections', async () => {
  await withServer({ fallback: { answer: V2_ANSWER } }, async (server) => {
    const p = pointer([await deadUrl(), server.url]);
    assert.equal((await p.point(SMALL, 'mug')).points.length, 1);
    assert.match(p.health().endpoints[0]!.lastError ?? '', /unreachable/);
  });
});

test('the concurrency cap holds (counted by the server) and the queue is FIFO', async () => {
  await withServer({ latencyMs: 60, fallback: { answer: V2_ANSWER } }, async (server) => {
    const p = pointer(server, { concurrency: 3 });
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => p.point(SMALL, `q${i}`)));
    assert.equal(results.length, 7);
    assert.equal(server.maxInFlight, 3);
    // FIFO: waves of three in call order (within a wave, connections may arrive in any order).
    const waves = [0, 3, 6].map((from) => server.requests.slice(from, from + 3).map((r) => r.prompt).sort());
    assert.deepEqual(waves, [[0, 1, 2], [3, 4, 5], [6]].map((w) => w.map((i) => `Point to the q${i}.`)));
    assert.ok(results[6]!.timings.queue! > 50, 'the last request waited in the queue');
  });
});

test('a bad image fails as bad_image before any request', async () => {
  await withServer({}, async (server) => {
    await assert.rejects(pointer(server).point({ ...(SMALL as ColorImage & { kind: 'raw' }), encoding: 'yuv422' }, 'mug'), isPointingError('bad_image', (e) => /yuv422/.test(e.message)));
    assert.equal(server.requests.length, 0);
  });
});

test('finish_reason length marks the answer truncated; other images\' points are dropped', async () => {
  await withServer(
    { replies: [{ answer: 'There are 2 <points coords="1 1 100 100;2 1 900 900">cup</points>', finishReason: 'length' }] },
    async (server) => {
      const r = await pointer(server).point(SMALL, 'cup');
      // 100‰ of the 64-pixel-wide frame: 0.1·64 − 0.5.
      assert.deepEqual([r.truncated, r.count, r.points.length, r.points[0]!.u], [true, 2, 1, 5.9]);
    },
  );
});

test('constructor rejects unusable options', () => {
  assert.throws(() => new MolmoPointer({ endpoints: [], family: 'molmo' }), /at least one model endpoint/);
  assert.throws(() => new MolmoPointer({ endpoints: ['not a url'], family: 'molmo' }), /not a valid URL/);
  assert.throws(() => new MolmoPointer({ endpoints: ['ftp://x'], family: 'molmo' }), /http/);
  assert.throws(() => new MolmoPointer({ endpoints: ['http://x'], family: 'qwen' as 'molmo' }), /family/);
  assert.throws(() => new MolmoPointer({ endpoints: ['http://x'], family: 'molmo', concurrency: 0 }), /concurrency/);
  assert.throws(() => new MolmoPointer({ endpoints: ['http://x'], family: 'molmo', retries: -1 }), /retries/);
  assert.throws(() => new MolmoPointer({ endpoints: ['http://x'], family: 'molmo', timeoutMs: 0 }), /timeoutMs/);
});

test('parallel queries about one frame share one JPEG encode', async () => {
  await withServer({ fallback: { answer: V2_ANSWER } }, async (server) => {
    const p = pointer(server);
    const frame = rgbImage(640, 480);
    await Promise.all([p.point(frame, 'a'), p.point(frame, 'b'), p.point(frame, 'c')]);
    const images = server.requests.map((r) => r.image!);
    assert.equal(images.length, 3);
    assert.ok(images.every((img) => img.equals(images[0]!)));
    // A different frame object is encoded on its own (here: different content, so different bytes).
    const other = rgbImage(640, 480) as ColorImage & { kind: 'raw' };
    other.data.fill(200);
    await p.point(other, 'a');
    assert.ok(!server.requests[3]!.image!.equals(images[0]!));
  });
});

test('an oversized answer is refused as bad_response without buffering it all, declared or streamed', async () => {
  const limit = 1 << 20;
  await withServer({ replies: [{ huge: 5 << 20 }, { huge: 5 << 20, declareLength: true }] }, async (server) => {
    const p = pointer(server, { maxResponseBytes: limit });
    await assert.rejects(p.point(SMALL, 'mug'), isPointingError('bad_response', (e) => /answer over 1048576 bytes/.test(e.message) && e.details.attempts === 1));
    // The client hung up soon after the limit (socket buffers let a little more through), not after 5 MiB.
    for (let i = 0; i < 50 && server.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(server.hugeBytesSent < 4 << 20, `server wrote ${server.hugeBytesSent} bytes`);
    const before = server.hugeBytesSent;
    await assert.rejects(p.point(SMALL, 'mug'), isPointingError('bad_response', (e) => /answer over 1048576 bytes/.test(e.message)));
    assert.equal(server.requests.length, 2);
    assert.ok(server.hugeBytesSent - before < 4 << 20, 'a declared length over the limit is refused before reading the body');
    assert.equal(p.health().endpoints[0]!.healthy, false);
  });
});

test('a hung endpoint times out and the same request fails over to an untried one at once', async () => {
  const hung = await startFakeMolmoServer({ fallback: { fail: 'hang' } });
  const good = await startFakeMolmoServer({ fallback: { answer: V2_ANSWER } });
  try {
    const retries: RetryInfo[] = [];
    const p = pointer([hung.url, good.url], { timeoutMs: 150, backoffMs: 1000, maxBackoffMs: 1000, onRetry: (i) => retries.push(i) });
    const start = performance.now();
    assert.equal((await p.point(SMALL, 'mug')).points.length, 1);
    assert.ok(performance.now() - start < 900, 'no backoff wait before the failover');
    assert.deepEqual(retries.map((i) => [i.attempt, i.endpoint, i.delayMs, i.error.kind]), [[2, good.url, 0, 'timeout']]);
    assert.deepEqual([hung.requests.length, good.requests.length], [1, 1]);
    assert.deepEqual(p.health().endpoints.map((e) => e.healthy), [false, true]);
    // A timeout is not retried on the endpoint that timed out, nor without retries left.
    await assert.rejects(pointer([hung.url, good.url], { timeoutMs: 100, retries: 0 }).point(SMALL, 'mug'), isPointingError('timeout'));
    assert.deepEqual([hung.requests.length, good.requests.length], [2, 1]);
  } finally {
    await hung.close();
    await good.close();
  }
});

test('a caller cancel after the endpoint stayed silent past stallMs marks it unhealthy; the next request goes elsewhere', async () => {
  const hung = await startFakeMolmoServer({ fallback: { fail: 'hang' } });
  const good = await startFakeMolmoServer({ fallback: { answer: V2_ANSWER } });
  try {
    // The caller's deadline (250 ms) is far shorter than the per-attempt timeout: the timeout never fires.
    const p = pointer([hung.url, good.url], { timeoutMs: 60_000, stallMs: 100 });
    await assert.rejects(p.point(SMALL, 'mug', { signal: AbortSignal.timeout(250) }), isPointingError('cancelled'));
    const [a, b] = p.health().endpoints;
    assert.equal(a!.healthy, false);
    assert.match(a!.lastError ?? '', /gave no answer in \d+ ms/);
    assert.equal(b!.healthy, true);
    assert.equal((await p.point(SMALL, 'mug', { signal: AbortSignal.timeout(2000) })).points.length, 1);
    assert.deepEqual([hung.requests.length, good.requests.length], [1, 1]);
  } finally {
    await hung.close();
    await good.close();
  }
});

test('an endpoint\'s query string reaches the server but never health() or error messages', async () => {
  await withServer({ replies: [{ status: 503 }] }, async (server) => {
    const p = pointer([`${server.url}/v1?key=s3cret`], { retries: 0 });
    await assert.rejects(p.point(SMALL, 'mug'), isPointingError('http_status', (e) => !e.message.includes('s3cret') && e.details.endpoint === `${server.url}/v1`));
    assert.ok(!JSON.stringify(p.health()).includes('s3cret'), JSON.stringify(p.health()));
    assert.deepEqual(server.requests.map((r) => r.url), ['/v1/chat/completions?key=s3cret']);
  });
  assert.throws(() => pointer([`http://user:s3cret@127.0.0.1:1`]), (e: Error) => /credentials/.test(e.message) && !e.message.includes('s3cret'));
});

test('a failed model-name lookup is not remembered: the next request asks again', async () => {
  await withServer({ model: 'served-name', modelListStatuses: [503] }, async (server) => {
    const p = pointer(server, { model: undefined });
    await p.point(SMALL, 'a');
    await p.point(SMALL, 'b');
    await p.point(SMALL, 'c');
    // The 503 left the field out once; the second lookup found the name, which is then kept.
    assert.deepEqual(server.requests.map((r) => (r.body as { model?: string }).model), [undefined, 'served-name', 'served-name']);
    assert.equal(server.modelListCalls, 2);
  });
});

test('a bad answer fails over within the request to an endpoint not yet tried', async () => {
  const broken = await startFakeMolmoServer({ fallback: { fail: 'garbage' } });
  const good = await startFakeMolmoServer({ fallback: { answer: V2_ANSWER } });
  try {
    const retries: RetryInfo[] = [];
    const p = pointer([broken.url, good.url], { onRetry: (i) => retries.push(i) });
    assert.equal((await p.point(SMALL, 'mug')).points.length, 1);
    assert.deepEqual(retries.map((i) => [i.endpoint, i.delayMs, i.error.kind]), [[good.url, 0, 'bad_response']]);
    assert.deepEqual(p.health().endpoints.map((e) => e.healthy), [false, true]);
    assert.deepEqual([broken.requests.length, good.requests.length], [1, 1]);
  } finally {
    await broken.close();
    await good.close();
  }
});
