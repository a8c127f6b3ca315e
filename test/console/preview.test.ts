// Live preview fan-out: each frame encoded once and the same bytes sent to every client; a slow client loses
// frames (its buffer stays bounded) while the others keep their rate; 20 clients at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { WebSocket } from 'ws';
import { startConsole } from '../../src/console/server.js';
import { decodeFrameMessage } from '../../src/console/wire.js';
import { makeBridge, pushFrame, sleep, TestClient } from './harness.js';

/** Polls `condition` every 20 ms until it holds; fails after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** Waits until `value()` has not changed for 300 ms (at most 5 s). */
async function settled(value: () => number): Promise<void> {
  const end = Date.now() + 5000;
  let last = value();
  while (Date.now() < end) {
    await sleep(300);
    const now = value();
    if (now === last) return;
    last = now;
  }
}

test('frames arrive as binary messages with an exact header and a decodable, downscaled JPEG', async () => {
  const bridge = makeBridge();
  const handle = await startConsole(bridge, { port: 0, log: () => {}, previewFps: 50, previewMaxSide: 200 });
  const ws = new WebSocket(`ws://127.0.0.1:${handle.port}/ws?token=${handle.token}`);
  const first = new Promise<Buffer>((resolve) => ws.on('message', (data: Buffer, isBinary) => isBinary && resolve(data)));
  await new Promise((r) => ws.once('open', r));
  try {
    const stamp = pushFrame(bridge, { index: 7, width: 320, height: 240 });
    const { header, jpeg } = decodeFrameMessage(await first);
    assert.equal(header.seq, bridge.latestFrame()!.seq);
    assert.equal(header.stampNs, stamp);
    assert.deepEqual([header.width, header.height, header.sentWidth, header.sentHeight], [320, 240, 200, 150]);
    const meta = await sharp(jpeg).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 200, 150]);
  } finally {
    ws.terminate();
    await handle.close();
  }
});

test('a client connecting after the last frame still gets it at once', async () => {
  const bridge = makeBridge();
  pushFrame(bridge, { index: 1 });
  const handle = await startConsole(bridge, { port: 0, log: () => {} });
  try {
    const client = await TestClient.connect(handle.port, handle.viewerToken);
    await client.waitFrames(1);
    assert.equal(client.frames[0]!.header.seq, bridge.latestFrame()!.seq);
    client.close();
  } finally {
    await handle.close();
  }
});

test('frames faster than previewFps are coalesced: the newest is encoded, at most fps per second', async () => {
  const bridge = makeBridge();
  const handle = await startConsole(bridge, { port: 0, log: () => {}, previewFps: 5 });
  const client = await TestClient.connect(handle.port, handle.token);
  try {
    await client.next('hello');
    const started = Date.now();
    for (let i = 0; i < 40; i++) {
      pushFrame(bridge, { index: i });
      await sleep(25);
    }
    // The newest frame is the last one shown: wait for it (on a loaded machine its encode can finish late).
    await until(() => client.frames.at(-1)?.header.seq === bridge.latestFrame()!.seq, 5000);
    const seconds = (Date.now() - started) / 1000;
    const stats = handle.stats();
    assert.ok(stats.framesEncoded <= Math.ceil(seconds * 5) + 1, `${stats.framesEncoded} encodes in ${seconds.toFixed(2)} s at 5 fps`);
    assert.ok(stats.framesEncoded >= 3);
    assert.ok(stats.framesSkipped > 0);
    assert.equal(client.frames.at(-1)!.header.seq, bridge.latestFrame()!.seq);
  } finally {
    client.close();
    await handle.close();
  }
});

test('a slow client gets frames dropped with a bounded buffer; the others keep their frame rate', async () => {
  const bridge = makeBridge();
  const bound = 1024 * 1024; // about three noise frames
  const handle = await startConsole(bridge, { port: 0, log: () => {}, previewFps: 30, previewMaxSide: 640, previewQuality: 95, clientBufferBytes: bound, healthIntervalMs: 200 });
  const slow = await TestClient.connect(handle.port, handle.token);
  const fast = [await TestClient.connect(handle.port, handle.token), await TestClient.connect(handle.port, handle.viewerToken)];
  try {
    await slow.next('hello');
    // Stop reading: the kernel's socket buffers fill, then the server's user-space buffer for this client.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    let maxBuffered = 0;
    let frameBytes = 0;
    const until = Date.now() + 3000;
    for (let i = 0; Date.now() < until; i++) {
      pushFrame(bridge, { index: i, width: 640, height: 480, noise: true });
      await sleep(33);
      const s = handle.stats().clientStats.find((c) => c.clientId === slowId(handle));
      if (s) maxBuffered = Math.max(maxBuffered, s.bufferedBytes);
      frameBytes = Math.max(frameBytes, handle.stats().lastEncodeBytes);
    }
    // Let the last encode in flight finish, so the counts below no longer move.
    await settled(() => handle.stats().framesEncoded);
    const stats = handle.stats();
    const slowStats = stats.clientStats.find((c) => c.clientId === slowId(handle))!;
    assert.ok(frameBytes > 100_000, `noise frames are big (${frameBytes} bytes)`);
    assert.ok(slowStats.framesDropped > 0, 'the slow client lost frames');
    assert.ok(maxBuffered <= bound + frameBytes, `slow client's buffer ${maxBuffered} stays within ${bound} + one frame`);
    for (const client of fast) {
      // Everyone else got (nearly) every encoded frame.
      assert.ok(client.frames.length >= stats.framesEncoded - 3, `${client.frames.length} of ${stats.framesEncoded} frames`);
    }
    assert.ok(stats.framesEncoded >= 30, `${stats.framesEncoded} frames encoded in 3 s`);
    // Once it reads again, its health messages tell it how many frames it lost.
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const health = await slow.next('health', (m) => m.you.framesDropped >= slowStats.framesDropped, 5000);
    assert.equal(health.you.framesDropped, slowStats.framesDropped);
    if (process.env.CONSOLE_TEST_VERBOSE) console.log({ maxBuffered, frameBytes, dropped: slowStats.framesDropped, sent: slowStats.framesSent, encoded: stats.framesEncoded });
  } finally {
    slow.close();
    for (const c of fast) c.close();
    await handle.close();
  }

  function slowId(h: typeof handle): number {
    return Math.min(...h.stats().clientStats.map((c) => c.clientId));
  }
});

test('a client that stops reading altogether is disconnected once it passes the hard limit', async () => {
  const bridge = makeBridge();
  const handle = await startConsole(bridge, {
    port: 0,
    log: () => {},
    previewFps: 30,
    previewMaxSide: 640,
    previewQuality: 95,
    clientBufferBytes: 64 * 1024,
    clientMaxBufferBytes: 256 * 1024,
    healthIntervalMs: 50,
  });
  const stuck = await TestClient.connect(handle.port, handle.token);
  (stuck.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  try {
    const until = Date.now() + 6000;
    // Health messages keep coming (they are not dropped) until the buffer passes the hard limit.
    for (let i = 0; Date.now() < until && handle.stats().clients > 0; i++) {
      pushFrame(bridge, { index: i, width: 640, height: 480, noise: true });
      await sleep(33);
    }
    assert.equal(handle.stats().clients, 0, 'the stuck client was closed');
  } finally {
    stuck.close();
    await handle.close();
  }
});

test('20 clients at once all get the frames, the results and health', async () => {
  const bridge = makeBridge();
  const handle = await startConsole(bridge, { port: 0, log: () => {}, previewFps: 20, healthIntervalMs: 100 });
  const clients = await Promise.all(
    Array.from({ length: 20 }, (_, i) => TestClient.connect(handle.port, i === 0 ? handle.token : handle.viewerToken)),
  );
  try {
    await Promise.all(clients.map((c) => c.next('hello')));
    for (let i = 0; i < 10; i++) {
      pushFrame(bridge, { index: i });
      await sleep(60);
    }
    await sleep(150);
    const encoded = handle.stats().framesEncoded;
    assert.ok(encoded >= 8, `${encoded} frames encoded`);
    assert.ok(encoded <= 11, 'one encode per frame, not one per client');
    for (const c of clients) assert.ok(c.frames.length >= encoded - 1, `a client got ${c.frames.length} of ${encoded}`);
    const operator = clients[0]!;
    operator.send({ type: 'click', ref: 'x', pixel: [100, 100], frameSeq: bridge.latestFrame()!.seq, mode: 'point' });
    const { id } = await operator.next('accepted');
    await Promise.all(clients.map((c) => c.next('result', (m) => m.result.id === id)));
    const healths = await Promise.all(clients.map((c) => c.next('health')));
    assert.ok(healths.every((h) => h.console.clients === 20 && typeof h.you.framesSent === 'number'));
    assert.equal(new Set(healths.map((h) => h.you.clientId)).size, 20);
  } finally {
    for (const c of clients) c.close();
    await handle.close();
  }
});

test("a camera's JPEG that needs no downscale goes out byte for byte without an encode; a larger one is downscaled once", async () => {
  const { PreviewFanout } = await import('../../src/console/preview.js');
  const { jpegSize } = await import('../../src/image/compressed-format.js');
  const small = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 90 } } }).jpeg({ quality: 80 }).toBuffer();
  const large = await sharp({ create: { width: 400, height: 100, channels: 3, background: { r: 10, g: 90, b: 200 } } }).jpeg().toBuffer();
  assert.deepEqual(jpegSize(small), { width: 64, height: 48 });
  assert.deepEqual(jpegSize(large), { width: 400, height: 100 });
  assert.equal(jpegSize(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2])), null, 'scan data before any frame header');
  let encodes = 0;
  const delivered: Buffer[] = [];
  const preview = new PreviewFanout({
    fps: 1000,
    maxSide: 200,
    quality: 75,
    encode: async (img, opts) => {
      encodes++;
      assert.equal(opts.resizeKernel, 'linear', "the preview's cheaper downscale");
      const { encodeJpeg } = await import('../../src/image/codec.js');
      return encodeJpeg(img, opts);
    },
    hasClients: () => true,
    deliver: (message) => delivered.push(message),
    log: () => {},
  });
  const frame = (data: Buffer, seq: number) =>
    ({ seq, stampNs: 1n, receivedAtMs: 5, color: { kind: 'compressed', format: 'jpeg', data } }) as unknown as Parameters<typeof preview.offer>[0];
  preview.offer(frame(small, 1));
  await until(() => delivered.length === 1, 2000);
  assert.equal(encodes, 0, 'forwarded, not encoded');
  const first = decodeFrameMessage(delivered[0]!);
  assert.deepEqual(Buffer.from(first.jpeg), small, 'the source bytes');
  assert.deepEqual([first.header.width, first.header.height, first.header.sentWidth, first.header.sentHeight], [64, 48, 64, 48]);
  preview.offer(frame(large, 2));
  await until(() => delivered.length === 2, 2000);
  assert.equal(encodes, 1, 'a downscale needs the encode');
  const second = decodeFrameMessage(delivered[1]!).header;
  assert.deepEqual([second.width, second.height, second.sentWidth, second.sentHeight], [400, 100, 200, 50]);
  assert.equal(preview.framesForwarded, 1);
  preview.stop();
});
