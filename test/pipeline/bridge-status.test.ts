import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PointingError, type Pointer } from '../../src/pointing/types.js';
import { RESULT_STATUSES, type PointResult, type Progress } from '../../src/pipeline/types.js';
import { CAMERA, CAMERA_IN_BASE, FakeClock, STAMP, ScriptedPointer, colorImage, depthImage, feedFrame, hang, makeBridge, pointing } from './fixtures.js';

const px = [{ u: 32, v: 24 }];

test('no_frame before any synchronised frame, naming the inputs seen', async () => {
  const { bridge } = makeBridge();
  bridge.ingest({ kind: 'color', header: { stampNs: STAMP, frameId: CAMERA }, image: colorImage() });
  const r = await bridge.request({ id: 'x', pixels: px, mode: 'point' });
  assert.equal(r.status, 'no_frame');
  assert.match(r.reason, /^snapshot: .*colour 1, depth 0, camera_info 0/);
  assert.equal(r.stampNs, null);
});

test('stale_frame when the newest snapshot is older than max age (injected clock)', async () => {
  const clock = new FakeClock();
  const { bridge } = makeBridge({ clock, config: (c) => (c.store.maxAgeMs = 1000) });
  feedFrame(bridge);
  clock.ms += 1000;
  assert.equal((await bridge.request({ id: 'fresh', pixels: px, mode: 'point' })).status, 'ok');
  clock.ms += 1;
  const r = await bridge.request({ id: 'old', pixels: px, mode: 'point' });
  assert.equal(r.status, 'stale_frame');
  assert.match(r.reason, /#1\) is 1\.0 s old, over the 1000 ms limit/);
});

test('stale_frame for a frame seq that the store no longer holds; an old held seq still works', async () => {
  const { bridge } = makeBridge({ config: (c) => (c.store.size = 2) });
  for (let i = 0; i < 3; i++) feedFrame(bridge, { stampNs: STAMP + BigInt(i) * 100_000_000n });
  assert.equal((await bridge.request({ id: 'a', pixels: px, mode: 'point', frameSeq: 2 })).status, 'ok');
  const r = await bridge.request({ id: 'b', pixels: px, mode: 'point', frameSeq: 1 });
  assert.equal(r.status, 'stale_frame');
  assert.match(r.reason, /#1 is no longer held \(the store keeps #2\.\.#3\)/);
});

test('holdFrame keeps a frame a console shows liftable after the ring moved on, for the time asked (injected clock)', async () => {
  const clock = new FakeClock();
  const { bridge } = makeBridge({ clock, config: (c) => (c.store.size = 2) });
  feedFrame(bridge);
  assert.equal(bridge.holdFrame(1, 5000), true);
  assert.equal(bridge.holdFrame(7, 5000), false, 'no such frame');
  for (let i = 1; i < 5; i++) feedFrame(bridge, { stampNs: STAMP + BigInt(i) * 100_000_000n });
  clock.ms += 4000;
  const held = await bridge.request({ id: 'h', pixels: px, mode: 'point', frameSeq: 1 });
  assert.equal(held.status, 'ok', held.reason);
  assert.equal(held.stampNs, STAMP, 'lifted on the frame that was clicked');
  clock.ms += 1001;
  assert.equal((await bridge.request({ id: 'h2', pixels: px, mode: 'point', frameSeq: 1 })).status, 'stale_frame', 'the hold ended');
});

test('no_depth at a pixel without valid depth, and outside the accepted depth range', async () => {
  const { bridge } = makeBridge({ config: (c) => (c.depth.maxM = 4) });
  feedFrame(bridge, { depth: depthImage((c) => (c < 20 ? 0 : c < 40 ? 5000 : 1000)) });
  const r = await bridge.request({ id: 'd', pixels: [{ u: 5, v: 5 }, { u: 30, v: 5 }], mode: 'point' });
  assert.equal(r.status, 'no_depth');
  assert.deepEqual(r.pixelStatus, ['no_depth', 'out_of_range']);
  assert.match(r.reason, /^lift: no usable depth at any of the 2 pixels: .*; depth 5\.000 m .* outside the accepted 0\.1\.\.4 m/);
  const ok = await bridge.request({ id: 'd2', pixels: [{ u: 5, v: 5 }, { u: 50, v: 5 }], mode: 'point' });
  assert.equal(ok.status, 'ok');
  assert.deepEqual(ok.pixelStatus, ['no_depth', 'ok']);
});

test('tf_error for a target frame TF does not know, saying which frames and why', async () => {
  const { bridge } = makeBridge();
  feedFrame(bridge);
  const r = await bridge.request({ id: 't', pixels: px, mode: 'point', targetFrame: 'tool0' });
  assert.equal(r.status, 'tf_error');
  assert.match(r.reason, /^transform: cannot transform 'camera_color_optical_frame' -> 'tool0' .*\(unknown frame\): target frame 'tool0' does not exist/);
});

test('tf_error for disconnected frames', async () => {
  const { bridge } = makeBridge();
  bridge.ingest({ kind: 'tf', isStatic: true, transforms: [{ ...CAMERA_IN_BASE, frameId: 'odom', childFrameId: 'other' }] });
  feedFrame(bridge);
  const r = await bridge.request({ id: 't', pixels: px, mode: 'point', targetFrame: 'odom' });
  assert.equal(r.status, 'tf_error');
  assert.match(r.reason, /frames not connected/);
});

test('TF only from another time: tf_error, or the latest transform when the fallback is configured', async () => {
  const dynamic = { ...CAMERA_IN_BASE, stampNs: STAMP - 5_000_000_000n };
  for (const fallback of [false, true]) {
    const { bridge } = makeBridge({ config: (c) => (c.tf.fallbackToLatest = fallback) });
    bridge.ingest({ kind: 'tf', isStatic: false, transforms: [dynamic] });
    feedFrame(bridge, { tf: false });
    const r = await bridge.request({ id: 't', pixels: px, mode: 'point' });
    if (!fallback) {
      assert.equal(r.status, 'tf_error');
      assert.match(r.reason, /no transform at the image stamp/);
      assert.equal(r.tfFallback, false);
    } else {
      assert.equal(r.status, 'ok', r.reason);
      assert.equal(r.tfFallback, true);
      assert.match(r.reason, /used the latest transform \(-5000 ms from the image\) as configured/);
    }
  }
});

test('model_timeout when the pointer reports a timeout, and when it outlives the point stage deadline', async () => {
  const timingOut = new ScriptedPointer(async () => {
    throw new PointingError('timeout', 'no answer from http://gpu:8000 within 20000 ms');
  });
  let { bridge } = makeBridge({ pointer: timingOut });
  feedFrame(bridge);
  let r = await bridge.request({ id: 'm', query: 'mug', mode: 'point' });
  assert.equal(r.status, 'model_timeout');
  assert.match(r.reason, /^point: timeout: no answer/);

  let sawAbort = false;
  const hanging = new ScriptedPointer((_q, o) => {
    o.signal?.addEventListener('abort', () => (sawAbort = true));
    return hang(o);
  });
  ({ bridge } = makeBridge({ pointer: hanging, config: (c) => (c.timeouts.stageMs.point = 30) }));
  feedFrame(bridge);
  r = await bridge.request({ id: 'm2', query: 'mug', mode: 'point' });
  assert.equal(r.status, 'model_timeout');
  assert.match(r.reason, /^point: the pointer did not answer within the stage deadline of 30 ms/);
  assert.equal(sawAbort, true, 'the pointer is told to stop');
});

test('model_error and no_points from the pointer; bad_image is bad_input', async () => {
  const cases: [() => Promise<ReturnType<typeof pointing>>, string, RegExp][] = [
    [async () => { throw new PointingError('http_status', 'HTTP 500 from http://gpu:8000', { status: 500 }); }, 'model_error', /^point: http_status: HTTP 500/],
    [async () => { throw new PointingError('unreachable', 'connection refused'); }, 'model_error', /unreachable/],
    [async () => { throw new PointingError('bad_image', 'not a JPEG'); }, 'bad_input', /bad_image: not a JPEG/],
    [async () => pointing([], { none: true, rawText: 'There are none.' }), 'no_points', /^point: the model says there is no 'mug' in the image/],
    [async () => pointing([], { count: 3 }), 'no_points', /counted 3 'mug' but gave no points/],
    [async () => pointing([], { rawText: 'I see a mug.' }), 'no_points', /no points: "I see a mug\."/],
  ];
  for (const [answer, status, reason] of cases) {
    const { bridge } = makeBridge({ pointer: new ScriptedPointer(answer) });
    feedFrame(bridge);
    const r = await bridge.request({ id: 'e', query: 'mug', mode: 'point' });
    assert.equal(r.status, status, r.reason);
    assert.match(r.reason, reason);
  }
});

test('cancel(id) and the caller signal end a request as cancelled, even if the pointer ignores its signal', async () => {
  const pointer = new ScriptedPointer((_q, o) => hang(o, true));
  const { bridge } = makeBridge({ pointer });
  feedFrame(bridge);
  const started = new Promise<void>((resolve) => bridge.on('progress', (p: Progress) => p.stage === 'point' && p.state === 'start' && resolve()));
  const pending = bridge.request({ id: 'c1', query: 'mug', mode: 'point' });
  await started;
  // A second request with the same id is refused and must not end the first one's tracking.
  assert.equal((await bridge.request({ id: 'c1', query: 'mug', mode: 'point' })).status, 'bad_request');
  assert.deepEqual(bridge.inFlightIds(), ['c1']);
  assert.equal(bridge.cancel('c1'), true);
  const r = await pending;
  assert.equal(r.status, 'cancelled');
  assert.equal(r.reason, 'point: cancelled by a cancel request');
  assert.equal(bridge.cancel('c1'), false, 'no longer in flight');
  assert.deepEqual(bridge.inFlightIds(), []);

  const ac = new AbortController();
  const p2 = bridge.request({ id: 'c2', query: 'mug', mode: 'point' }, { signal: ac.signal });
  setTimeout(() => ac.abort(), 5);
  const r2 = await p2;
  assert.equal(r2.status, 'cancelled');
  assert.match(r2.reason, /caller's signal/);

  const before = new AbortController();
  before.abort();
  assert.equal((await bridge.request({ id: 'c3', pixels: px, mode: 'point' }, { signal: before.signal })).status, 'cancelled');
});

test('a cancel() that returns true always ends the request cancelled, even right after the last stage', async () => {
  const { bridge } = makeBridge();
  feedFrame(bridge);
  let accepted: boolean | null = null;
  // The last stage's 'done' event is the latest moment the request is still in flight.
  bridge.on('progress', (p: Progress) => {
    if (p.id === 'late' && p.stage === 'validate' && p.state === 'done') accepted = bridge.cancel('late');
  });
  const r = await bridge.request({ id: 'late', pixels: px, mode: 'point' });
  assert.equal(accepted, true);
  assert.equal(r.status, 'cancelled', 'cancel() said yes, so the result must not be ok');
  assert.deepEqual(r.waypoints, []);
  assert.match(r.reason, /cancelled by a cancel request/);
});

test('deadline_exceeded when the overall request deadline passes', async () => {
  const { bridge } = makeBridge({ pointer: new ScriptedPointer((_q, o) => hang(o)) });
  feedFrame(bridge);
  const r = await bridge.request({ id: 'dl', query: 'mug', mode: 'point', deadlineMs: 20 });
  assert.equal(r.status, 'deadline_exceeded');
  assert.match(r.reason, /^point: the request's deadline of 20 ms passed/);
});

test('out_of_workspace when every point lies outside the box; points inside are kept', async () => {
  const { bridge } = makeBridge({
    config: (c) => (c.workspace = { frame: '', min: { x: 0, y: -0.5, z: 0 }, max: { x: 1.5, y: 0.5, z: 2 } }),
  });
  feedFrame(bridge, { depth: depthImage((c) => (c < 32 ? 1000 : 3000)) });
  const r = await bridge.request({ id: 'w', pixels: [{ u: 40, v: 24 }], mode: 'pick' });
  assert.equal(r.status, 'out_of_workspace');
  assert.match(r.reason, /^validate: point 1 is outside the workspace in 'base_link': x = 3\.100 m above max 1\.500 m/);
  const ok = await bridge.request({ id: 'w2', pixels: [{ u: 40, v: 24 }, { u: 28, v: 24 }], mode: 'point' });
  assert.equal(ok.status, 'ok');
  assert.deepEqual(ok.pixelStatus, ['out_of_workspace', 'ok']);
});

test('a pick whose pre-grasp pose lies outside the workspace is out_of_workspace, naming the pre-grasp', async () => {
  // The wall is 2 m ahead of the camera (base x = 2.1); the approach is +X, so the pre-grasp lies at x = 2.0.
  const box = { min: { x: 2.05, y: -1, z: 0 }, max: { x: 3, y: 1, z: 2 } };
  for (const [frame, name] of [['', 'base_link'], [CAMERA, CAMERA]] as const) {
    const { bridge } = makeBridge({
      config: (c) => {
        c.targets.preGraspM = 0.1;
        // The same box in the camera frame for the second run: base x -> optical z, base y -> -x, base z -> 1.2 - y.
        c.workspace = frame === '' ? { frame, ...box } : { frame, min: { x: -1, y: -0.8, z: 1.95 }, max: { x: 1, y: 1.2, z: 2.9 } };
      },
    });
    feedFrame(bridge);
    const r = await bridge.request({ id: 'pg', pixels: px, mode: 'pick' });
    assert.equal(r.status, 'out_of_workspace', `${frame || 'target frame'}: ${r.reason}`);
    assert.match(r.reason, new RegExp(`^validate: point 1's pre-grasp pose is outside the workspace in '${name}': `));
    assert.deepEqual(r.pixelStatus, ['out_of_workspace']);
    // The grasp point alone is inside: point mode (no pre-grasp) is accepted.
    assert.equal((await bridge.request({ id: 'pt', pixels: px, mode: 'point' })).status, 'ok');
  }
});

test('a workspace in another frame is checked through TF', async () => {
  const { bridge } = makeBridge({
    config: (c) => (c.workspace = { frame: CAMERA, min: { x: -1, y: -1, z: 0 }, max: { x: 1, y: 1, z: 1.5 } }),
  });
  feedFrame(bridge);
  const r = await bridge.request({ id: 'w', pixels: px, mode: 'point' });
  assert.equal(r.status, 'out_of_workspace');
  assert.match(r.reason, /in 'camera_color_optical_frame': z = 2\.000 m above max 1\.500 m/);
});

test('bad_request: malformed requests are refused with the field named', async () => {
  const { bridge } = makeBridge();
  feedFrame(bridge);
  const cases: [unknown, RegExp][] = [
    [{ id: '', pixels: px, mode: 'point' }, /id must be a non-empty string/],
    [{ id: 'a', pixels: px, mode: 'fly' }, /mode must be one of point, pick, navigate, got "fly"/],
    [{ id: 'a', mode: 'point' }, /give a query or at least one pixel/],
    [{ id: 'a', pixels: [{ u: NaN, v: 1 }], mode: 'point' }, /pixels\[0\] must have finite numbers/],
    [{ id: 'a', pixels: px, mode: 'point', maxPoints: 0 }, /maxPoints must be a positive integer/],
    [{ id: 'a', pixels: px, mode: 'point', deadlineMs: -1 }, /deadlineMs must be a positive number/],
    [{ id: 'a', query: 'mug', mode: 'point' }, /no pointing model is configured/],
    [{ id: 'a', pixels: [{ u: 64, v: 10 }], mode: 'point' }, /^point: pixels\[0\] \(64, 10\) is outside the 64x48 colour image/],
  ];
  for (const [req, reason] of cases) {
    const r = await bridge.request(req as never);
    assert.equal(r.status, 'bad_request', JSON.stringify(req));
    assert.match(r.reason, reason);
  }
});

test('a second request with the id of one in flight is refused; the first is unaffected', async () => {
  let release!: () => void;
  const pointer = new ScriptedPointer(() => new Promise((resolve) => (release = () => resolve(pointing(px)))));
  const { bridge } = makeBridge({ pointer });
  feedFrame(bridge);
  const first = bridge.request({ id: 'same', query: 'mug', mode: 'point' });
  await new Promise((r) => setTimeout(r, 5));
  const second = await bridge.request({ id: 'same', query: 'mug', mode: 'point' });
  assert.equal(second.status, 'bad_request');
  assert.match(second.reason, /already in flight/);
  release();
  assert.equal((await first).status, 'ok');
});

test('a pointer failing with something other than a PointingError is a model_error naming the failure, not internal_error', async () => {
  const syncThrow: Pointer = {
    name: 'sync-thrower',
    point: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'dims')");
    },
  };
  const cases: [Pointer, RegExp][] = [
    [new ScriptedPointer(async () => { throw new Error('session.run: out of memory'); }), /^point: the pointer 'scripted' failed: Error: session\.run: out of memory$/],
    [syncThrow, /^point: the pointer 'sync-thrower' failed: TypeError: Cannot read properties of undefined \(reading 'dims'\)$/],
    [new ScriptedPointer(async () => undefined as never), /^point: the pointer 'scripted' gave no answer object with points/],
  ];
  for (const [pointer, reason] of cases) {
    const { bridge } = makeBridge({ pointer });
    feedFrame(bridge);
    const r = await bridge.request({ id: 'm2', query: 'mug', mode: 'point' });
    assert.equal(r.status, 'model_error', r.reason);
    assert.match(r.reason, reason);
  }
});

test('bad_input: depth from another frame, or a different aspect ratio', async () => {
  let { bridge } = makeBridge();
  feedFrame(bridge, { depthFrame: 'camera_depth_optical_frame' });
  let r = await bridge.request({ id: 'b', pixels: px, mode: 'point' });
  assert.equal(r.status, 'bad_input');
  assert.match(r.reason, /^snapshot: depth frame 'camera_depth_optical_frame' is not the colour frame/);

  ({ bridge } = makeBridge());
  feedFrame(bridge, { depth: depthImage(() => 1000, 64, 64) });
  r = await bridge.request({ id: 'b', pixels: px, mode: 'point' });
  assert.equal(r.status, 'bad_input');
  assert.match(r.reason, /depth image is 64x64 but the colour image is 64x48/);
});

test('every status the bridge produces is in RESULT_STATUSES and each request ends exactly once', async () => {
  const { bridge } = makeBridge();
  const seen: PointResult[] = [];
  bridge.on('result', (r: PointResult) => seen.push(r));
  bridge.on('result', () => {
    throw new Error('a listener that throws');
  });
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  feedFrame(bridge);
  const results = await Promise.all([
    bridge.request({ id: '1', pixels: px, mode: 'point' }),
    bridge.request({ id: '2', pixels: px, mode: 'point', targetFrame: 'nowhere' }),
    bridge.request({ id: '3', mode: 'point' } as never),
  ]);
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  assert.deepEqual(results.map((r) => r.status), ['ok', 'tf_error', 'bad_request']);
  assert.deepEqual(seen.map((r) => r.id).sort(), ['1', '2', '3']);
  for (const r of results) assert.ok(RESULT_STATUSES.includes(r.status));
  assert.ok(warnings.some((w) => /'result' listener threw/.test(w)));
});

test('a deadline beyond the timer range does not fire at once', async () => {
  const pointer = new ScriptedPointer(() => new Promise((resolve) => setTimeout(() => resolve(pointing(px)), 10)));
  const { bridge } = makeBridge({ pointer, config: (c) => (c.timeouts.stageMs.point = 1e12) });
  feedFrame(bridge);
  const r = await bridge.request({ id: 'far', query: 'mug', mode: 'point', deadlineMs: 1e12 });
  assert.equal(r.status, 'ok', r.reason);
});
