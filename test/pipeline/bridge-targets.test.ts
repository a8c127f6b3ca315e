import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rotateVector } from '../../src/geometry/transform.js';
import type { Quaternion, Vec3 } from '../../src/geometry/types.js';
import { CAMERA, CX, CY, FX, FY, STAMP, ScriptedPointer, cameraInfo, cameraToBase, colorImage, depthImage, feedFrame, makeBridge, pointing } from './fixtures.js';

function near(a: Vec3, b: Vec3, tol = 1e-6) {
  const d = Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);
  assert.ok(d < tol, `${JSON.stringify(a)} vs ${JSON.stringify(b)} (off by ${d})`);
}
const axis = (q: Quaternion, v: Vec3) => rotateVector(q, v);
/** Independent pinhole maths: pixel + Z -> optical-frame point. */
const pinhole = (u: number, v: number, z: number) => ({ x: ((u - CX) / FX) * z, y: ((v - CY) / FY) * z, z });

test('point mode: an explicit pixel becomes the back-projected point in the target frame', async () => {
  const { bridge } = makeBridge();
  feedFrame(bridge);
  const r = await bridge.request({ id: 'a', pixels: [{ u: 40, v: 10, label: 'cup' }], mode: 'point' });
  assert.equal(r.status, 'ok', r.reason);
  assert.equal(r.reason, '');
  assert.equal(r.targetFrame, 'base_link');
  assert.equal(r.stampNs, STAMP);
  assert.equal(r.cameraFrameId, CAMERA);
  assert.equal(r.model, 'operator click');
  assert.deepEqual(r.pixelStatus, ['ok']);
  const w = r.waypoints[0]!;
  near(w.cameraPoint, pinhole(40, 10, 2));
  near(w.point, cameraToBase(pinhole(40, 10, 2)));
  assert.deepEqual(w.pose.orientation, { x: 0, y: 0, z: 0, w: 1 });
  near(w.pose.position, w.point);
  assert.equal(w.label, 'cup');
  assert.equal(w.frameId, 'base_link');
  assert.equal(w.stampNs, STAMP);
  assert.equal(w.depthM, 2);
  assert.equal(w.validRatio, 1);
  assert.equal(w.preGraspPose, null);
  // A flat wall facing the camera: the normal points back along the optical axis, i.e. base -X.
  near(w.normal!, { x: -1, y: 0, z: 0 }, 1e-6);
  for (const stage of ['snapshot', 'point', 'lift', 'transform', 'target', 'validate'] as const) {
    assert.equal(typeof r.timings[stage], 'number', stage);
  }
});

test('a query goes to the pointer; its pixels, raw text and model come back with the result', async () => {
  const pointer = new ScriptedPointer(async () => pointing([{ u: 20, v: 30 }]));
  const { bridge } = makeBridge({ pointer });
  feedFrame(bridge);
  const r = await bridge.request({ id: 'q', query: 'the mug', mode: 'point' });
  assert.equal(r.status, 'ok', r.reason);
  assert.deepEqual(pointer.queries, ['the mug']);
  assert.equal(r.model, 'scripted-molmo');
  assert.equal(r.rawText, '<point x="50" y="50">mug</point>');
  assert.equal(r.pixels.length, 1);
  near(r.waypoints[0]!.point, cameraToBase(pinhole(20, 30, 2)));
});

test('pick mode: +Z approaches into the surface along the inward normal, pre-grasp backed off', async () => {
  const { bridge } = makeBridge({ config: (c) => (c.targets.preGraspM = 0.15) });
  feedFrame(bridge);
  const r = await bridge.request({ id: 'p', pixels: [{ u: 32, v: 24 }], mode: 'pick' });
  assert.equal(r.status, 'ok', r.reason);
  const w = r.waypoints[0]!;
  const q = w.pose.orientation;
  assert.ok(Math.abs(Math.hypot(q.x, q.y, q.z, q.w) - 1) < 1e-12);
  near(axis(q, { x: 0, y: 0, z: 1 }), { x: 1, y: 0, z: 0 }); // into the wall (base +X)
  near(axis(q, { x: 1, y: 0, z: 0 }), { x: 0, y: 0, z: 1 }); // +X is up
  near(w.preGraspPose!.position, { x: w.point.x - 0.15, y: w.point.y, z: w.point.z });
  assert.ok(w.quality > 0.5, `quality ${w.quality}`);
});

test('pick mode: the approach comes from the surface the point was lifted from, not a nearer object in the normal window', async () => {
  const { bridge } = makeBridge();
  // A wall at 1 m; a nearer, tilted object wraps the top-left of the 13×13 normal window as an L; the pointed
  // pixel itself has no depth (its 5×5 lift window still sees only the wall).
  const mm = (c: number, r: number) => (c === 32 && r === 24 ? 0 : c <= 29 || r <= 21 ? 600 + 4 * c : 1000);
  feedFrame(bridge, { depth: depthImage(mm) });
  const r = await bridge.request({ id: 'pl', pixels: [{ u: 32, v: 24 }], mode: 'pick' });
  assert.equal(r.status, 'ok', r.reason);
  const w = r.waypoints[0]!;
  assert.equal(w.depthM, 1);
  near(w.normal!, { x: -1, y: 0, z: 0 }, 1e-6); // the wall faces the camera: base -X
  near(axis(w.pose.orientation, { x: 0, y: 0, z: 1 }), { x: 1, y: 0, z: 0 }); // into the wall
});

test('pick mode without a usable normal approaches along the camera ray with lower quality', async () => {
  const { bridge } = makeBridge({ config: (c) => ((c.depth.windowRadius = 0), (c.depth.normalRadius = 1)) });
  // Only the centre pixel has depth: too few points for a plane.
  feedFrame(bridge, { depth: depthImage((c, r) => (c === 32 && r === 24 ? 1500 : 0)) });
  const r = await bridge.request({ id: 'p2', pixels: [{ u: 32, v: 24 }], mode: 'pick' });
  assert.equal(r.status, 'ok', r.reason);
  const w = r.waypoints[0]!;
  assert.equal(w.normal, null);
  const cameraOrigin = { x: 0.1, y: 0, z: 1.2 };
  const ray = { x: w.point.x - cameraOrigin.x, y: w.point.y - cameraOrigin.y, z: w.point.z - cameraOrigin.z };
  const n = Math.hypot(ray.x, ray.y, ray.z);
  near(axis(w.pose.orientation, { x: 0, y: 0, z: 1 }), { x: ray.x / n, y: ray.y / n, z: ray.z / n });
  assert.equal(w.quality, 0.5);
});

test('navigate mode: a floor pose in the navigation frame, standoff short of the object, facing it', async () => {
  const { bridge } = makeBridge({ config: (c) => (c.targets.standoffM = 0.5) });
  // map <- base_link: the robot at (3, 1) in the map, turned 90° left.
  bridge.ingest({
    kind: 'tf',
    isStatic: true,
    transforms: [{ frameId: 'map', childFrameId: 'base_link', stampNs: 0n, transform: { translation: { x: 3, y: 1, z: 0 }, rotation: { x: 0, y: 0, z: Math.SQRT1_2, w: Math.SQRT1_2 } } }],
  });
  feedFrame(bridge);
  const r = await bridge.request({ id: 'n', pixels: [{ u: 31.5, v: 23.5 }], mode: 'navigate' });
  assert.equal(r.status, 'ok', r.reason);
  assert.equal(r.reason, '');
  assert.equal(r.targetFrame, 'map');
  const w = r.waypoints[0]!;
  // The object: 2 m ahead of the camera, which is 0.1 m ahead of base: (2.1, 0, 1.2) in base = (3, 3.1, 1.2) in map.
  near(w.point, { x: 3, y: 3.1, z: 1.2 });
  near(w.pose.position, { x: 3, y: 2.6, z: 0 });
  near(axis(w.pose.orientation, { x: 1, y: 0, z: 0 }), { x: 0, y: 1, z: 0 });
  assert.equal(w.frameId, 'map');
});

test('navigate mode: an unknown robot frame falls back to the camera, and the reason says so', async () => {
  const { bridge } = makeBridge({ config: (c) => ((c.frames.navigation = 'base_link'), (c.frames.robot = 'chassis')) });
  feedFrame(bridge);
  const r = await bridge.request({ id: 'n2', pixels: [{ u: 31.5, v: 23.5 }], mode: 'navigate' });
  assert.equal(r.status, 'ok', r.reason);
  assert.match(r.reason, /robot frame 'chassis' is unknown to TF: the stand-off is measured from the camera/);
  near(r.waypoints[0]!.pose.position, { x: 2.1 - 0.6, y: 0, z: 0 });
});

test('several points: ranked by the selection policy and capped by maxPoints; pixelStatus says why', async () => {
  // Left half 3 m, right half 1 m.
  const depth = depthImage((c) => (c < 32 ? 3000 : 1000));
  const pointer = new ScriptedPointer(async () => pointing([{ u: 10, v: 20, label: 'far' }, { u: 50, v: 20, label: 'near' }, { u: 10, v: 42, label: 'far2' }]));
  const { bridge } = makeBridge({ pointer, config: (c) => (c.targets.selection = 'closest') });
  feedFrame(bridge, { depth });
  const r = await bridge.request({ id: 's', query: 'cups', mode: 'point', maxPoints: 2 });
  assert.equal(r.status, 'ok', r.reason);
  // Closest to the robot base (on the floor under the camera): 'far2' is lower on the wall than 'far', so nearer.
  assert.deepEqual(r.waypoints.map((w) => [w.rank, w.label]), [[0, 'near'], [1, 'far2']]);
  assert.deepEqual(r.pixelStatus, ['over_max_points', 'ok', 'ok']);
  assert.equal(r.pixels.length, 3);
});

test('depth at half the colour resolution is scaled onto the colour grid', async () => {
  const { bridge } = makeBridge();
  feedFrame(bridge, { depth: depthImage(() => 2500, 32, 24) });
  const r = await bridge.request({ id: 'h', pixels: [{ u: 10, v: 40 }], mode: 'point' });
  assert.equal(r.status, 'ok', r.reason);
  near(r.waypoints[0]!.cameraPoint, pinhole(10, 40, 2.5));
});

test('camera info for another resolution of the same camera is scaled to the colour image', async () => {
  const { bridge } = makeBridge();
  feedFrame(bridge, { info: cameraInfo(128, 96) });
  const r = await bridge.request({ id: 'ci', pixels: [{ u: 5, v: 7 }], mode: 'point' });
  assert.equal(r.status, 'ok', r.reason);
  near(r.waypoints[0]!.cameraPoint, pinhole(5, 7, 2));
});

test('a model point just past the border (x = 100%) is snapped onto the image', async () => {
  const pointer = new ScriptedPointer(async () => pointing([{ u: 64, v: 48 }]));
  const { bridge } = makeBridge({ pointer });
  feedFrame(bridge, { color: colorImage() });
  const r = await bridge.request({ id: 'edge', query: 'corner', mode: 'point' });
  assert.equal(r.status, 'ok', r.reason);
  near(r.waypoints[0]!.cameraPoint, pinhole(63, 47, 2));
  assert.deepEqual(r.waypoints[0]!.pixel, { u: 64, v: 48 });
});

test('model points inside the image but off the pixel-centre grid at the border are lifted where they are, not snapped', async () => {
  // x = 0 % is u = −0.5 (the image's left edge), x = 100 % − ε is just under W − 0.5: both inside the image.
  const inside = [{ u: -0.3, v: 10 }, { u: 63.4, v: 47.2 }, { u: 10, v: -0.5 }];
  const pointer = new ScriptedPointer(async () => pointing(inside));
  const { bridge } = makeBridge({ pointer });
  feedFrame(bridge);
  const r = await bridge.request({ id: 'in', query: 'edge', mode: 'point' });
  assert.equal(r.status, 'ok', r.reason);
  assert.deepEqual(r.pixelStatus, ['ok', 'ok', 'ok']);
  for (const [i, p] of inside.entries()) near(r.waypoints[i]!.cameraPoint, pinhole(p.u, p.v, 2));
  // Just outside (within the 1 px snap distance), per axis: snapped onto the border pixel centre.
  const outside = new ScriptedPointer(async () => pointing([{ u: -0.6, v: 47.2 }]));
  const b2 = makeBridge({ pointer: outside }).bridge;
  feedFrame(b2);
  const r2 = await b2.request({ id: 'out', query: 'edge', mode: 'point' });
  assert.equal(r2.status, 'ok', r2.reason);
  near(r2.waypoints[0]!.cameraPoint, pinhole(0, 47.2, 2));
});

test("'closest' ranks by distance from the robot frame (frames.robot via TF), from the camera only when TF lacks it", async () => {
  // The camera is 1.2 m up looking along base +X. The upper half of the wall is nearer the camera (1.9 m), the lower
  // half farther (2.0 m), but a low point is nearer the robot base's origin on the floor.
  const depth = depthImage((_c, r) => (r < 24 ? 1900 : 2000));
  const pixels = [{ u: 31.5, v: 2, label: 'high' }, { u: 31.5, v: 45, label: 'low' }];
  const ranked = async (robot: string) => {
    const { bridge } = makeBridge({ config: (c) => ((c.targets.selection = 'closest'), (c.frames.target = 'base_link'), (c.frames.robot = robot)) });
    feedFrame(bridge, { depth });
    const r = await bridge.request({ id: 'cl', pixels, mode: 'point' });
    assert.equal(r.status, 'ok', r.reason);
    return r;
  };
  const high = cameraToBase(pinhole(31.5, 2, 1.9));
  const low = cameraToBase(pinhole(31.5, 45, 2));
  const fromCamera = (p: Vec3) => Math.hypot(p.x - 0.1, p.y, p.z - 1.2);
  assert.ok(fromCamera(high) < fromCamera(low) && Math.hypot(low.x, low.y, low.z) < Math.hypot(high.x, high.y, high.z), 'the scene means something');

  const byRobot = await ranked('base_link');
  assert.deepEqual(byRobot.waypoints.map((w) => w.label), ['low', 'high']);
  assert.equal(byRobot.reason, '');
  const byCamera = await ranked('robot_base');
  assert.deepEqual(byCamera.waypoints.map((w) => w.label), ['high', 'low']);
  assert.match(byCamera.reason, /robot frame 'robot_base' is unknown to TF: 'closest' ranks by distance from the camera/);
});

test('only the first targets.max_candidates model points are lifted; the rest are over_max_candidates and the reason says so', async () => {
  // A model answer with thousands of points must not block the event loop lifting them all.
  const many = Array.from({ length: 2000 }, (_, i) => ({ u: i % 64, v: Math.floor(i / 64) % 48, label: `p${i}` }));
  const pointer = new ScriptedPointer(async () => pointing(many));
  const { bridge, config } = makeBridge({ pointer });
  assert.equal(config.targets.maxCandidates, 256, 'the default');
  feedFrame(bridge);
  const r = await bridge.request({ id: 'many', query: 'dots', mode: 'point' });
  assert.equal(r.status, 'ok', r.reason);
  assert.equal(r.pixels.length, 2000, 'every point the model gave is still reported');
  const count = (s: string) => r.pixelStatus.filter((x) => x === s).length;
  assert.deepEqual([count('ok'), count('over_max_points'), count('over_max_candidates')], [10, 246, 1744]);
  assert.ok(r.pixelStatus.slice(256).every((x) => x === 'over_max_candidates'), 'the model order decides which are kept');
  assert.match(r.reason, /^lifted the first 256 of the 2000 points \(targets\.max_candidates\)$/);

  const small = makeBridge({ pointer, config: (c) => (c.targets.maxCandidates = 3) }).bridge;
  feedFrame(small);
  const r3 = await small.request({ id: 'three', query: 'dots', mode: 'point' });
  assert.deepEqual(r3.waypoints.map((w) => w.label), ['p0', 'p1', 'p2']);
});
