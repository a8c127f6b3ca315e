import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DispatchError } from '../../src/pipeline/bridge.js';
import { defaultConfig } from '../../src/pipeline/config.js';
import type { DispatchedGoal, FrameSnapshot, Progress } from '../../src/pipeline/types.js';
import type { PointerHealth } from '../../src/pointing/types.js';
import { CAMERA, FakeClock, STAMP, ScriptedPointer, cameraInfo, colorImage, depthImage, feedFrame, makeBridge, pointing } from './fixtures.js';

const px = [{ u: 32, v: 24 }];

test("'frame' is emitted per synced snapshot; latestFrame and frameBySeq find them", () => {
  const { bridge } = makeBridge();
  const frames: FrameSnapshot[] = [];
  bridge.on('frame', (f: FrameSnapshot) => frames.push(f));
  feedFrame(bridge);
  feedFrame(bridge, { stampNs: STAMP + 33_000_000n });
  assert.deepEqual(frames.map((f) => f.seq), [1, 2]);
  assert.equal(frames[1]!.stampNs, STAMP + 33_000_000n);
  assert.equal(frames[1]!.frameId, CAMERA);
  assert.equal(bridge.latestFrame()?.seq, 2);
  assert.equal(bridge.frameBySeq(1)?.stampNs, STAMP);
  assert.equal(bridge.frameBySeq(9), null);
});

test("'progress' reports start and done of every stage in order", async () => {
  const { bridge } = makeBridge();
  feedFrame(bridge);
  const events: string[] = [];
  bridge.on('progress', (p: Progress) => events.push(`${p.id}:${p.stage}:${p.state}`));
  await bridge.request({ id: 'r', pixels: px, mode: 'point' });
  const stages = ['snapshot', 'point', 'lift', 'transform', 'target', 'validate'];
  assert.deepEqual(events, stages.flatMap((s) => [`r:${s}:start`, `r:${s}:done`]));
});

test('dispatch turns an ok waypoint into a goal once; refuses unknown, failed and repeated dispatches', async () => {
  const clock = new FakeClock(5000);
  const { bridge } = makeBridge({ clock });
  feedFrame(bridge);
  const ok = await bridge.request({ id: 'ok', pixels: [{ u: 10, v: 10 }, { u: 50, v: 40 }], mode: 'pick' });
  const bad = await bridge.request({ id: 'bad', pixels: px, mode: 'point', targetFrame: 'nowhere' });
  assert.equal(bad.status, 'tf_error');
  const goals: DispatchedGoal[] = [];
  bridge.on('dispatch', (g: DispatchedGoal) => goals.push(g));
  const goal = bridge.dispatch('ok', 1, 'console');
  assert.deepEqual(goal, {
    resultId: 'ok',
    waypointIndex: 1,
    mode: 'pick',
    frameId: 'base_link',
    stampNs: STAMP,
    pose: ok.waypoints[1]!.pose,
    preGraspPose: ok.waypoints[1]!.preGraspPose,
    label: ok.waypoints[1]!.label,
    by: 'console',
    atMs: 5000,
  });
  assert.deepEqual(goals, [goal]);
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof DispatchError);
      return `${err.code}: ${err.message}`;
    }
    assert.fail('expected dispatch to throw');
  };
  assert.match(code(() => bridge.dispatch('ok', 0, 'ros')), /^already_dispatched: .*waypoint 1 by console/);
  assert.match(code(() => bridge.dispatch('nope', 0, 'ros')), /^unknown_result/);
  assert.match(code(() => bridge.dispatch('bad', 0, 'ros')), /^not_ok: result 'bad' is tf_error/);
  await bridge.request({ id: 'ok2', pixels: px, mode: 'point' });
  assert.match(code(() => bridge.dispatch('ok2', 3, 'ros')), /^no_waypoint: .*has 1/);
});

test('dispatch refuses a result older than dispatch.max_age_ms (stale): the scene may have changed since', async () => {
  const clock = new FakeClock(10_000);
  const { bridge } = makeBridge({ clock, config: (c) => (c.dispatch.maxAgeMs = 60_000) });
  feedFrame(bridge);
  for (const id of ['fresh', 'edge', 'old']) await bridge.request({ id, pixels: px, mode: 'pick' });
  clock.ms += 60_000; // exactly at the limit: still accepted
  assert.equal(bridge.dispatch('edge', 0, 'console').resultId, 'edge');
  clock.ms += 1; // an hour or a millisecond over: refused
  assert.throws(
    () => bridge.dispatch('old', 0, 'console'),
    (err: unknown) => err instanceof DispatchError && err.code === 'stale' && /^result 'old' finished 60\.0 s ago, over dispatch\.max_age_ms \(60000 ms\)/.test(err.message),
  );
  feedFrame(bridge, { stampNs: STAMP + 60_001_000_000n });
  await bridge.request({ id: 'new', pixels: px, mode: 'pick' });
  assert.equal(bridge.dispatch('new', 0, 'console').resultId, 'new', 'age counts from when the result finished');
  // Refusing does not mark it dispatched: it stays refused for being stale.
  assert.throws(() => bridge.dispatch('old', 0, 'console'), /dispatch\.max_age_ms/);
  assert.equal(defaultConfig().dispatch.maxAgeMs, 60_000);
});

test('only the last resultsKept results can be dispatched', async () => {
  const { bridge } = makeBridge({ config: (c) => (c.resultsKept = 2) });
  feedFrame(bridge);
  for (const id of ['a', 'b', 'c']) await bridge.request({ id, pixels: px, mode: 'point' });
  assert.equal(bridge.resultById('a'), null);
  assert.throws(() => bridge.dispatch('a', 0, 't'), /no result 'a' \(the bridge keeps the last 2\)/);
  assert.equal(bridge.dispatch('c', 0, 't').resultId, 'c');
});

test('health: input counts, rates and ages, TF connectivity, latency percentiles, statuses, pointer health', async () => {
  const clock = new FakeClock(0);
  const endpoints: PointerHealth = { backend: 'molmo', endpoints: [{ url: 'http://gpu:8000', healthy: true, lastError: null, lastLatencyMs: 800 }] };
  const pointer = Object.assign(
    new ScriptedPointer(async () => {
      clock.ms += 40; // the model takes 40 ms of (fake) time
      return pointing(px);
    }),
    { health: () => endpoints },
  );
  const { bridge } = makeBridge({ pointer, clock, config: (c) => (c.healthWindowMs = 1000) });
  let h = bridge.health();
  assert.equal(h.tf.targetFrameConnected, false);
  assert.equal(h.inputs.color.ageMs, null);
  for (let i = 0; i < 20; i++) {
    feedFrame(bridge, { stampNs: STAMP + BigInt(i) * 100_000_000n });
    clock.ms += 100; // 10 Hz
  }
  // An unmatched colour frame is dropped from the sync queue eventually; here it only waits.
  bridge.ingest({ kind: 'color', header: { stampNs: STAMP - 1n, frameId: CAMERA }, image: colorImage() });
  await bridge.request({ id: 'a', query: 'mug', mode: 'point' });
  await bridge.request({ id: 'b', query: 'mug', mode: 'point', targetFrame: 'nowhere' });
  h = bridge.health();
  assert.equal(h.inputs.synced.count, 20);
  assert.equal(h.inputs.color.count, 21);
  assert.ok(Math.abs(h.inputs.depth.rateHz - 10) < 1.5, `depth rate ${h.inputs.depth.rateHz}`);
  assert.equal(h.inputs.depth.ageMs, 180);
  assert.equal(h.tf.targetFrame, 'base_link');
  assert.equal(h.tf.targetFrameConnected, true);
  assert.deepEqual(h.tf.frames, ['base_link', CAMERA]);
  assert.deepEqual(h.model, endpoints);
  assert.deepEqual(h.requests, { inFlight: 0, total: 2, byStatus: { ok: 1, tf_error: 1 } });
  assert.equal(h.latencyMs.count, 2);
  assert.equal(h.latencyMs.p50, 40);
  assert.equal(typeof h.dropped.sync, 'number');
});

test('health counts sync drops', () => {
  const { bridge } = makeBridge({ config: (c) => (c.sync.queueSize = 2) });
  for (let i = 0; i < 5; i++) bridge.ingest({ kind: 'depth', header: { stampNs: STAMP + BigInt(i) * 1_000_000_000n, frameId: CAMERA }, image: depthImage(() => 1) });
  assert.equal(bridge.health().dropped.sync, 3);
});

test('a refused TF message is reported as an input warning, not thrown', () => {
  const { bridge } = makeBridge();
  const warnings: { kind: string; message: string }[] = [];
  bridge.on('input_warning', (w: { kind: string; message: string }) => warnings.push(w));
  bridge.ingest({
    kind: 'tf',
    isStatic: true,
    transforms: [{ frameId: 'a', childFrameId: 'b', stampNs: 0n, transform: { translation: { x: 0, y: 0, z: 0 }, rotation: { x: 0, y: 0, z: 0, w: 0 } } }],
  });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!.message, /a <- b/);
  bridge.ingest({ kind: 'camera_info', header: { stampNs: STAMP, frameId: CAMERA }, info: cameraInfo() });
});

test("'request' is emitted on submission and 'result' carries the snapshot used, even after the store moved on", async () => {
  const { bridge } = makeBridge({ config: (c) => (c.store.size = 1) });
  feedFrame(bridge);
  const requests: string[] = [];
  const snapshots: (FrameSnapshot | null)[] = [];
  bridge.on('request', (r: { id: string }) => requests.push(r.id));
  bridge.on('result', (_r: unknown, s: FrameSnapshot | null) => snapshots.push(s));
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const pointer = new ScriptedPointer(async () => (await gate, pointing(px)));
  const slow = makeBridge({ pointer, config: (c) => (c.store.size = 1) }).bridge;
  slow.on('result', (_r: unknown, s: FrameSnapshot | null) => snapshots.push(s));
  feedFrame(slow);
  const pending = slow.request({ id: 'late', query: 'mug', mode: 'point' });
  await new Promise((r) => setTimeout(r, 5));
  feedFrame(slow, { stampNs: STAMP + 1_000_000_000n }); // evicts frame #1
  release();
  assert.equal((await pending).frameSeq, 1);
  await bridge.request({ id: 'r', pixels: px, mode: 'point' });
  await bridge.request({ id: 'nf', pixels: px, mode: 'point', frameSeq: 7 });
  assert.deepEqual(requests, ['r', 'nf']);
  assert.deepEqual(snapshots.map((s) => s?.seq ?? null), [1, 1, null]);
  assert.equal(snapshots[0]!.stampNs, STAMP);
});
