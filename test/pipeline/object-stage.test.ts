// The object stage through the bridge: a synthetic tabletop (test/helpers/synthetic-scene.ts) seen by a camera whose
// pose base_link knows, so every expected value comes from the scene's exact ground truth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RawImage, Vec3 } from '../../src/geometry/types.js';
import { quaternionFromMatrix } from '../../src/geometry/transform.js';
import { covarianceRadius } from '../../src/geometry/uncertainty.js';
import type { BridgeConfig } from '../../src/pipeline/config.js';
import { renderScene, TABLETOP, type Scene } from '../helpers/synthetic-scene.js';
import { CAMERA, STAMP, colorImage, makeBridge } from './fixtures.js';

const scene = renderScene(TABLETOP);
const box = scene.objects.find((o) => o.name === 'box')!;

function depth32(s: Scene): RawImage {
  const { width, height } = s.info;
  return { encoding: '32FC1', width, height, step: width * 4, isBigEndian: false, data: new Uint8Array(s.metres.buffer.slice(0)) };
}

/** Camera optical frame -> base_link (the scene's world: z up, the table at z = 0). */
function toBase(p: Vec3): Vec3 {
  const R = scene.cameraToWorld;
  const o = scene.cameraPosition;
  return {
    x: o.x + R[0]! * p.x + R[1]! * p.y + R[2]! * p.z,
    y: o.y + R[3]! * p.x + R[4]! * p.y + R[5]! * p.z,
    z: o.z + R[6]! * p.x + R[7]! * p.y + R[8]! * p.z,
  };
}

function bridgeOnScene(config?: (c: BridgeConfig) => void) {
  const { bridge } = makeBridge({ config: (c) => { c.depth.noise = { baseM: 0.001, perM2: 0 }; config?.(c); } });
  bridge.ingest({
    kind: 'tf',
    isStatic: true,
    transforms: [{ frameId: 'base_link', childFrameId: CAMERA, stampNs: STAMP, transform: { translation: scene.cameraPosition, rotation: quaternionFromMatrix(scene.cameraToWorld) } }],
  });
  bridge.ingest({ kind: 'camera_info', header: { stampNs: STAMP, frameId: CAMERA }, info: scene.info });
  bridge.ingest({ kind: 'color', header: { stampNs: STAMP, frameId: CAMERA }, image: colorImage(scene.info.width, scene.info.height) });
  bridge.ingest({ kind: 'depth', header: { stampNs: STAMP, frameId: CAMERA }, image: depth32(scene) });
  return bridge;
}

const near = (a: Vec3, b: Vec3, tol: number, what: string) =>
  assert.ok(Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z) <= tol, `${what}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);

test('a pick waypoint carries the object: gravity-aligned box, centroid, size, mask outline and a covariance', async () => {
  const bridge = bridgeOnScene();
  const r = await bridge.request({ id: 'o', pixels: [box.pointed], mode: 'pick' });
  assert.equal(r.status, 'ok', r.reason);
  const w = r.waypoints[0]!;
  const o = w.object!;
  assert.ok(o, 'object extent');
  near(o.centroid, toBase(box.visibleCentroid), 0.003, 'centroid');
  const size = [o.box.size.x, o.box.size.y].sort((a, b) => b - a);
  assert.ok(Math.abs(size[0]! - box.size.x) < 0.005 && Math.abs(size[1]! - box.size.y) < 0.005 && Math.abs(o.box.size.z - box.size.z) < 0.005, JSON.stringify(o.box.size));
  // Gravity-aligned: the box's +Z is base_link's +Z, and its bottom is on the table (z = 0).
  const q = o.box.center.orientation;
  assert.ok(Math.abs(q.x) < 1e-9 && Math.abs(q.y) < 1e-9, `box tilted: ${JSON.stringify(q)}`);
  assert.ok(Math.abs(o.box.center.position.z - o.box.size.z / 2) < 0.003, `box bottom at ${o.box.center.position.z - o.box.size.z / 2}`);
  assert.ok(o.pointCount > 0.9 * box.pixelCount && o.validShare === 1);
  assert.ok(o.outline.length > 8 && o.outline.length <= 64 && o.samplePoints.length <= 200);
  assert.ok(o.maskBox.u0 <= box.pointed.u && box.pointed.u <= o.maskBox.u1);
  assert.equal(w.targetKind, 'surface');
  near(w.pose.position, toBase(w.cameraPoint), 1e-9, 'surface pick point');
  const cov = w.covariance!;
  assert.equal(cov.length, 9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(cov[3 * i + j]! - cov[3 * j + i]!) < 1e-15);
  // An explicit pixel (2 px) at ~0.75 m with f = 600 is 2.5 mm across the line of sight; with the 2 mm calibration
  // and 2 mrad × 0.75 m in quadrature the worst direction is √(2.5² + 2² + 1.5²) ≈ 3.5 mm.
  const sigma = covarianceRadius(cov);
  assert.ok(sigma > 0.003 && sigma < 0.0045, `σ ${sigma}`);
});

test("pick_point 'centroid' and 'top' move the point; offsetAboveM makes it a free-space target above it", async () => {
  const centroid = bridgeOnScene((c) => { c.targets.pickPoint = 'centroid'; });
  const rc = await centroid.request({ id: 'c', pixels: [box.pointed], mode: 'pick' });
  assert.equal(rc.status, 'ok', rc.reason);
  near(rc.waypoints[0]!.pose.position, toBase(box.visibleCentroid), 0.003, 'centroid pick');
  // A mean of thousands of points: the pointing term is gone, calibration dominates.
  assert.ok(covarianceRadius(rc.waypoints[0]!.covariance!) < 0.004);

  const top = bridgeOnScene((c) => { c.targets.pickPoint = 'top'; });
  const rt = await top.request({ id: 't', pixels: [box.pointed], mode: 'point', offsetAboveM: 0.05 });
  assert.equal(rt.status, 'ok', rt.reason);
  const w = rt.waypoints[0]!;
  const o = w.object!;
  assert.equal(w.targetKind, 'free_space');
  assert.ok(Math.abs(w.point.z - (box.size.z + 0.05)) < 0.004, `top + 5 cm at z ${w.point.z}`);
  assert.ok(Math.abs(w.point.x - o.box.center.position.x) < 1e-9 && Math.abs(w.point.y - o.box.center.position.y) < 1e-9);
});

test('an optical target frame has no up axis: the box aligns to the table plane and the offset is refused with a note', async () => {
  const bridge = bridgeOnScene();
  const r = await bridge.request({ id: 'opt', pixels: [box.pointed], mode: 'point', targetFrame: CAMERA, offsetAboveM: 0.05 });
  assert.equal(r.status, 'ok', r.reason);
  const w = r.waypoints[0]!;
  assert.ok(w.object);
  // The table's normal stood in for up: the box still has the true height and reaches the table.
  assert.ok(Math.abs(w.object.box.size.z - box.size.z) < 0.005, JSON.stringify(w.object.box.size));
  // Support-plane up is good enough for the offset too, so it is applied along the table's normal.
  assert.equal(w.targetKind, 'free_space');
});

test('offsetAboveM is checked: negative or on a navigate request is a bad_request', async () => {
  const bridge = bridgeOnScene();
  const neg = await bridge.request({ id: 'n', pixels: [box.pointed], mode: 'point', offsetAboveM: -1 });
  assert.equal(neg.status, 'bad_request');
  assert.match(neg.reason, /offsetAboveM must be a non-negative number/);
  const nav = await bridge.request({ id: 'v', pixels: [box.pointed], mode: 'navigate', offsetAboveM: 0.1 });
  assert.equal(nav.status, 'bad_request');
  assert.match(nav.reason, /not navigate/);
});

test('segment.enabled false: no object, the surface point and its covariance remain', async () => {
  const bridge = bridgeOnScene((c) => { c.segment.enabled = false; c.targets.pickPoint = 'centroid'; });
  const r = await bridge.request({ id: 'off', pixels: [box.pointed], mode: 'pick' });
  assert.equal(r.status, 'ok');
  const w = r.waypoints[0]!;
  assert.equal(w.object, null);
  assert.ok(w.covariance);
  near(w.pose.position, toBase(w.cameraPoint), 1e-9, 'surface point');
  assert.match(r.reason, /needs the object's segment/);
});

test('several points: each waypoint carries its own object', async () => {
  const bridge = bridgeOnScene((c) => { c.targets.pickPoint = 'centroid'; });
  const r = await bridge.request({ id: 'm', pixels: scene.objects.map((o) => ({ ...o.pointed, label: o.name })), mode: 'point' });
  assert.equal(r.status, 'ok', r.reason);
  assert.equal(r.waypoints.length, scene.objects.length);
  for (const w of r.waypoints) {
    const truth = scene.objects.find((o) => o.name === w.label)!;
    near(w.point, toBase(truth.visibleCentroid), 0.003, `${w.label} centroid`);
  }
});

test("'closest' and 'best_depth' grow the objects of the points they return, not the model's first ones", async () => {
  // The model lists the farthest object first; with maxPoints 1 the nearest is returned, and it must carry its
  // object (and pick_point 'centroid' must apply to it) rather than fall back to the surface point.
  const byRange = [...scene.objects].sort((a, b) => Math.hypot(b.visibleCentroid.x, b.visibleCentroid.y, b.visibleCentroid.z) - Math.hypot(a.visibleCentroid.x, a.visibleCentroid.y, a.visibleCentroid.z));
  const nearest = byRange.at(-1)!;
  assert.notEqual(byRange[0]!.name, nearest.name);
  const bridge = bridgeOnScene((c) => { c.targets.pickPoint = 'centroid'; c.targets.selection = 'closest'; c.frames.robot = 'base_link'; });
  const r = await bridge.request({ id: 'c', pixels: byRange.map((o) => ({ ...o.pointed, label: o.name })), mode: 'pick', maxPoints: 1 });
  assert.equal(r.status, 'ok', r.reason);
  assert.equal(r.waypoints.length, 1);
  const [w] = r.waypoints;
  assert.equal(w!.label, nearest.name);
  assert.ok(w!.object, 'the returned waypoint has its object');
  near(w!.point, toBase(nearest.visibleCentroid), 0.003, 'centroid');
  assert.doesNotMatch(r.reason ?? '', /needs the object's segment/);
  assert.equal(r.pixelStatus.filter((s) => s === 'over_max_points').length, byRange.length - 1);
});
