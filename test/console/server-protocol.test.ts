// Talking to the console over a real WebSocket: malformed and oversized messages, the error budget, and the
// operator's click -> result -> confirm -> dispatch path against the real Bridge.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startConsole } from '../../src/console/server.js';
import { MAX_JSON_BYTES, MAX_PAYLOAD_BYTES } from '../../src/console/protocol.js';
import { BASE_STAMP_NS, CAMERA_FRAME, makeBridge, pushFrame, TestClient } from './harness.js';

const logs: string[] = [];
const bridge = makeBridge();
const handle = await startConsole(bridge, { port: 0, log: (line) => logs.push(line), previewFps: 30 });
after(() => handle.close());

test('malformed, unknown and oversized messages get error replies; the connection survives', async () => {
  const client = await TestClient.connect(handle.port, handle.token);
  try {
    await client.next('hello');
    const cases: [string | Buffer, string][] = [
      ['{not json', 'bad_json'],
      ['{"type":"teleport"}', 'unknown_type'],
      ['{"type":"click","pixel":[1,2],"mode":"point"}', 'invalid'],
      [JSON.stringify({ type: 'query', query: 'mug', mode: 'point', pad: 'x'.repeat(MAX_JSON_BYTES) }), 'too_large'],
      [Buffer.from([1, 2, 3]), 'binary_not_accepted'],
    ];
    for (const [raw, code] of cases) {
      if (Buffer.isBuffer(raw)) client.ws.send(raw, { binary: true });
      else client.send(raw);
      const error = await client.next('error');
      assert.equal(error.code, code, `for ${String(raw).slice(0, 40)}`);
    }
    assert.match(logs.join('\n'), /invalid: click: frameSeq: required/);
    client.send({ type: 'ping', t: 1 });
    assert.equal((await client.next('pong')).t, 1);
  } finally {
    client.close();
  }
});

test('a frame over the transport limit closes the socket with 1009', async () => {
  const client = await TestClient.connect(handle.port, handle.token);
  await client.next('hello');
  client.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(MAX_PAYLOAD_BYTES + 10) }));
  const { code } = await client.closed;
  assert.equal(code, 1009);
});

test('a client that keeps sending bad messages is disconnected (1008) and the server carries on', async () => {
  const abusive = await TestClient.connect(handle.port, handle.token);
  await abusive.next('hello');
  for (let i = 0; i < 15; i++) abusive.send('garbage');
  const { code, reason } = await abusive.closed;
  assert.equal(code, 1008);
  assert.match(reason, /too many protocol errors/);
  const polite = await TestClient.connect(handle.port, handle.token);
  polite.send({ type: 'ping' });
  await polite.next('pong');
  polite.close();
});

test('message floods are rate limited', async () => {
  const client = await TestClient.connect(handle.port, handle.viewerToken);
  await client.next('hello');
  for (let i = 0; i < 60; i++) client.send({ type: 'ping', t: i });
  const error = await client.next('error');
  assert.equal(error.code, 'rate_limited');
  client.close();
});

test('operator click -> progress -> result for that frame -> confirm -> dispatch seen by everyone', async () => {
  const operator = await TestClient.connect(handle.port, handle.token);
  const viewer = await TestClient.connect(handle.port, handle.viewerToken);
  try {
    await operator.next('hello');
    await viewer.next('hello');
    const stamp1 = pushFrame(bridge, { index: 1, depthMm: 2000 });
    const frame1 = bridge.latestFrame()!;
    pushFrame(bridge, { index: 2, depthMm: 1000 });
    // The camera summary (calibration in use) streams too.
    const camera = await operator.next('camera');
    assert.equal(camera.camera.frameId, CAMERA_FRAME);
    assert.equal(camera.camera.width, 320);

    // Click on the OLDER frame: the bridge must use that snapshot (depth 2 m), not the latest (1 m).
    operator.send({ type: 'click', ref: 'c1', pixel: [159.5, 119.5], frameSeq: frame1.seq, mode: 'pick' });
    const accepted = await operator.next('accepted', (m) => m.ref === 'c1');
    assert.equal(accepted.kind, 'click');
    const stages: string[] = [];
    const result = (await operator.next('result', (m) => m.result.id === accepted.id)).result;
    for (const m of operator.messages) if (m.type === 'progress' && m.progress.id === accepted.id) stages.push(`${m.progress.stage}:${m.progress.state}`);
    assert.ok(stages.includes('snapshot:start') && stages.includes('lift:done'), stages.join(' '));
    assert.equal(result.status, 'ok', result.reason);
    assert.equal(result.frameSeq, frame1.seq);
    assert.equal(typeof result.stampNs, 'string');
    assert.equal(BigInt(result.stampNs), stamp1, 'the 64-bit stamp arrives exactly');
    assert.ok(stamp1 > BASE_STAMP_NS);
    const waypoint = result.waypoints[0];
    assert.equal(waypoint.frameId, 'base_link');
    assert.ok(Math.abs(waypoint.depthM - 2) < 1e-6, `depth ${waypoint.depthM}`);
    assert.ok(Math.abs(waypoint.point.x - 2) < 1e-6, `x ${waypoint.point.x}`);
    assert.ok(Math.abs(waypoint.point.z - 1) < 1e-3, `z ${waypoint.point.z}`);
    // The viewer sees the same result.
    await viewer.next('result', (m) => m.result.id === accepted.id);

    operator.send({ type: 'confirm', resultId: result.id, waypointIndex: 0 });
    const goal = (await viewer.next('dispatch')).goal;
    assert.equal(goal.resultId, result.id);
    assert.equal(goal.mode, 'pick');
    assert.equal(BigInt(goal.stampNs), stamp1);
    assert.match(goal.by, /console operator #\d+/);

    // Twice is refused by the bridge, and the refusal reaches the operator.
    operator.send({ type: 'confirm', resultId: result.id, waypointIndex: 0 });
    assert.match((await operator.next('error', (m) => m.code === 'dispatch_refused')).message, /already dispatched/);
    operator.send({ type: 'confirm', resultId: 'no-such-result', waypointIndex: 0 });
    assert.match((await operator.next('error', (m) => m.code === 'dispatch_refused')).message, /no result/);

    // A client connecting later gets the history: results and dispatched goals.
    const late = await TestClient.connect(handle.port, handle.viewerToken);
    const history = await late.next('history');
    assert.ok(history.results.some((r: { id: string }) => r.id === result.id));
    assert.ok(history.dispatched.some((g: { resultId: string }) => g.resultId === result.id));
    late.close();
  } finally {
    operator.close();
    viewer.close();
  }
});

test('a click outside the image ends in a clear non-ok result, not a crash', async () => {
  const operator = await TestClient.connect(handle.port, handle.token);
  try {
    pushFrame(bridge, { index: 3 });
    const seq = bridge.latestFrame()!.seq;
    operator.send({ type: 'click', ref: 'c2', pixel: [5000, 10], frameSeq: seq, mode: 'point' });
    const { id } = await operator.next('accepted', (m) => m.ref === 'c2');
    const { result } = await operator.next('result', (m) => m.result.id === id);
    assert.notEqual(result.status, 'ok');
    assert.match(result.reason, /outside/);
  } finally {
    operator.close();
  }
});

test('cancelling an unknown request is an error; cancelling one in flight ends it as cancelled', async () => {
  const slow = makeBridge({
    pointer: {
      name: 'slow',
      point: (_img, _q, opts) =>
        new Promise((_resolve, reject) => opts?.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })))),
    },
  });
  const console2 = await startConsole(slow, { port: 0, log: () => {} });
  const operator = await TestClient.connect(console2.port, console2.token);
  try {
    pushFrame(slow, { index: 1 });
    operator.send({ type: 'cancel', id: 'nothing-here' });
    assert.equal((await operator.next('error')).code, 'unknown_request');
    operator.send({ type: 'query', ref: 'q', query: 'the mug', mode: 'point' });
    const { id } = await operator.next('accepted', (m) => m.ref === 'q');
    await operator.next('progress', (m) => m.progress.id === id && m.progress.stage === 'point' && m.progress.state === 'start');
    operator.send({ type: 'cancel', id });
    const { result } = await operator.next('result', (m) => m.result.id === id);
    assert.equal(result.status, 'cancelled');
    assert.match(result.reason, /^point: cancelled by the operator \(console client \d+\)$/, 'who cancelled, in words');
  } finally {
    operator.close();
    await console2.close();
  }
});

test('hello tells the run (boot id), what answers queries and what receives goals; results carry their request time', async () => {
  const other = await startConsole(makeBridge(), { port: 0, log: () => {}, dispatchSink: 'the ROS 2 node molmo_waypoints' });
  const operator = await TestClient.connect(handle.port, handle.token);
  const second = await TestClient.connect(other.port, other.token);
  try {
    const hello = (await operator.next('hello')).config;
    assert.match(hello.bootId, /^[0-9a-f]{16}$/);
    assert.equal(hello.queryBackend, null, 'no pointer: clicks only');
    assert.equal(hello.dispatchSink, null, 'nothing receives goals');
    assert.equal(hello.frameHoldMs, 300_000);
    const otherHello = (await second.next('hello')).config;
    assert.notEqual(otherHello.bootId, hello.bootId, 'another server run, another boot id');
    assert.equal(otherHello.dispatchSink, 'the ROS 2 node molmo_waypoints');

    pushFrame(bridge, { index: 4 });
    const before = Date.now();
    operator.send({ type: 'click', ref: 't', pixel: [100, 100], frameSeq: bridge.latestFrame()!.seq, mode: 'point' });
    const { id } = await operator.next('accepted', (m) => m.ref === 't');
    const message = await operator.next('result', (m) => m.result.id === id);
    assert.ok(message.requestedAtMs >= before && message.requestedAtMs <= Date.now(), `requestedAtMs ${message.requestedAtMs}`);
    const late = await TestClient.connect(handle.port, handle.viewerToken);
    assert.equal((await late.next('history')).requestedAtMs[id], message.requestedAtMs, 'the history keeps request times');
    late.close();
  } finally {
    operator.close();
    second.close();
    await other.close();
  }
});

test('a frame the page froze on stays liftable after the store moved on: clicks hold it, and so does a hold message', async () => {
  const small = makeBridge({ tweak: (c) => (c.store.size = 2) });
  const consoleSmall = await startConsole(small, { port: 0, log: () => {}, previewHoldMs: 0 });
  const operator = await TestClient.connect(consoleSmall.port, consoleSmall.token);
  try {
    pushFrame(small, { index: 1 });
    const clicked = small.latestFrame()!.seq;
    pushFrame(small, { index: 2 });
    const selected = small.latestFrame()!.seq;
    operator.send({ type: 'click', ref: 'a', pixel: [100, 100], frameSeq: clicked, mode: 'point' });
    assert.equal((await operator.next('result')).result.status, 'ok');
    operator.send({ type: 'hold', frameSeq: selected });
    assert.deepEqual(await operator.next('held'), { type: 'held', frameSeq: selected, held: true, forMs: 300_000 });
    for (let i = 3; i < 8; i++) pushFrame(small, { index: i });
    for (const [ref, seq] of [['b', clicked], ['c', selected]] as const) {
      operator.send({ type: 'click', ref, pixel: [120, 90], frameSeq: seq, mode: 'point' });
      const { result } = await operator.next('result');
      assert.equal(result.status, 'ok', `frame #${seq}: ${result.reason}`);
      assert.equal(result.frameSeq, seq);
    }
    operator.send({ type: 'hold', frameSeq: 3 });
    assert.equal((await operator.next('held')).held, false, 'a frame already gone cannot be held');
  } finally {
    operator.close();
    await consoleSmall.close();
  }
});

test('offsetAboveM on a click or query reaches the request (a free-space target above the point); out of 0..2 m is invalid', async () => {
  const operator = await TestClient.connect(handle.port, handle.token);
  try {
    await operator.next('hello');
    pushFrame(bridge, { index: 40, depthMm: 2000 });
    const seq = bridge.latestFrame()!.seq;
    operator.send({ type: 'click', ref: 'o1', pixel: [159.5, 119.5], frameSeq: seq, mode: 'point', offsetAboveM: 0.25 });
    const { id } = await operator.next('accepted', (m) => m.ref === 'o1');
    const { result } = await operator.next('result', (m) => m.result.id === id);
    assert.equal(result.status, 'ok', result.reason);
    const w = result.waypoints[0];
    assert.equal(w.targetKind, 'free_space');
    assert.ok(Math.abs(w.point.z - 1.25) < 1e-3, `0.25 m above the point at z 1 (base_link), got z ${w.point.z}`);

    for (const [message, pattern] of [
      [{ type: 'click', ref: 'o2', pixel: [1, 1], frameSeq: seq, mode: 'point', offsetAboveM: 2.5 }, /click: offsetAboveM: must be in \[0, 2\], got 2\.5/],
      [{ type: 'query', ref: 'o3', query: 'mug', mode: 'pick', offsetAboveM: -0.1 }, /query: offsetAboveM: must be in \[0, 2\], got -0\.1/],
      [{ type: 'query', ref: 'o4', query: 'mug', mode: 'pick', offsetAboveM: '0.1' }, /query: offsetAboveM: must be a finite number/],
    ] as const) {
      operator.send(message);
      const error = await operator.next('error', (m) => m.ref === message.ref);
      assert.equal(error.code, 'invalid');
      assert.match(error.message, pattern);
    }
  } finally {
    operator.close();
  }
});
