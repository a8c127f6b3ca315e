// The object segment, its box and support planes on the committed synthetic scenes (test/helpers/synthetic-scene.ts):
// exact ground truth, rendered without and with the noise model's noise and holes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CameraModel } from '../../src/geometry/camera-model.js';
import { DepthImage } from '../../src/geometry/depth-image.js';
import { DEFAULT_DEPTH_NOISE, type DepthNoiseModel } from '../../src/geometry/depth-noise.js';
import { traceOutline } from '../../src/geometry/mask-outline.js';
import { segmentObject } from '../../src/geometry/segment.js';
import { scoreObject } from '../helpers/segment-score.js';
import { renderScene, TABLETOP, type ObjectTruth, type Scene } from '../helpers/synthetic-scene.js';

/** Exact depth: the model only has to cover float rounding and the step of tilted surfaces. */
const EXACT: DepthNoiseModel = { baseM: 0.001, perM2: 0 };

function run(scene: Scene, o: ObjectTruth, noise: DepthNoiseModel, box?: { u0: number; v0: number; u1: number; v1: number }) {
  const r = scoreObject(scene, o, noise, box);
  assert.ok(r, `${o.name}: no segment`);
  return r;
}

test('noise-free tabletop: every object has mask IoU >= 0.9, centroid within 3 mm, box size within 5 mm', () => {
  const scene = renderScene(TABLETOP);
  for (const o of scene.objects) {
    const r = run(scene, o, EXACT);
    assert.ok(r.iou >= 0.9, `${o.name}: IoU ${r.iou.toFixed(3)}`);
    assert.ok(r.centroidErrM <= 0.003, `${o.name}: centroid off by ${(r.centroidErrM * 1000).toFixed(2)} mm`);
    assert.ok(r.sizeErrM <= 0.005, `${o.name}: size off by ${(r.sizeErrM * 1000).toFixed(2)} mm (${JSON.stringify(r.fit.box.size)} vs ${JSON.stringify(o.size)})`);
    assert.ok(r.fit.restsOn, `${o.name}: the box should reach down to the table`);
    assert.equal(r.seg.validShare, 1);
  }
});

test('with D435-like noise and holes the segment stays on the object (IoU >= 0.85, centroid within 5 mm)', () => {
  const scene = renderScene({ ...TABLETOP, noise: { model: DEFAULT_DEPTH_NOISE, dropout: 0.02, edgeDropout: 0.5, seed: 7 } });
  for (const o of scene.objects) {
    const r = run(scene, o, DEFAULT_DEPTH_NOISE);
    assert.ok(r.iou >= 0.85, `${o.name}: IoU ${r.iou.toFixed(3)}`);
    assert.ok(r.centroidErrM <= 0.005, `${o.name}: centroid off by ${(r.centroidErrM * 1000).toFixed(2)} mm`);
    assert.ok(r.seg.validShare > 0.9 && r.seg.validShare < 1, `${o.name}: valid share ${r.seg.validShare}`);
  }
});

test('the pointer box bounds the growth', () => {
  const scene = renderScene(TABLETOP);
  const o = scene.objects[0]!;
  // A box over the left half of the object only.
  const box = { u0: o.pointed.u - 30, v0: o.pointed.v - 200, u1: o.pointed.u, v1: o.pointed.v + 200 };
  const r = run(scene, o, EXACT, box);
  for (const i of r.seg.pixels) assert.ok(i % scene.info.width <= box.u1 + 0.1 * 30 + 2 + 1, `pixel column ${i % scene.info.width} beyond the box`);
  assert.ok(r.seg.pixels.length < o.pixelCount * 0.8);
});

test('one bridging pixel does not carry the growth into the background', () => {
  // A flat square 0.5 m away in front of a wall at 0.8 m, joined by a one-pixel ramp of intermediate depths.
  const W = 80, H = 60;
  const m = new Float32Array(W * H).fill(0.8);
  for (let r = 20; r < 40; r++) for (let c = 20; c < 40; c++) m[r * W + c] = 0.5;
  for (let k = 0; k < 30; k++) m[30 * W + 40 + k] = 0.5 + (0.3 * (k + 1)) / 30; // 1 cm steps
  const model = CameraModel.fromIntrinsics({ width: W, height: H, fx: 80, fy: 80, cx: 39.5, cy: 29.5 });
  const depth = DepthImage.fromMetres(W, H, m);
  const seg = segmentObject(model, depth, 30, 30, { noise: { baseM: 0.004, perM2: 0 }, anchorM: 0.5, seedRadius: 1 })!;
  // The square, at most the ramp's first pixel (it touches three square pixels), never the wall.
  assert.ok(seg.pixels.length >= 400 && seg.pixels.length <= 401, `${seg.pixels.length} pixels`);
  for (const i of seg.pixels) assert.ok(m[i]! <= 0.52, `pixel ${i} at ${m[i]} m joined`);
});

test('no seed without depth on the lifted surface', () => {
  const scene = renderScene(TABLETOP);
  const model = CameraModel.fromCameraInfo(scene.info);
  const o = scene.objects[0]!;
  assert.equal(segmentObject(model, scene.depth, o.pointed.u, o.pointed.v, { noise: EXACT, anchorM: 3, seedRadius: 2 }), null);
});

test('outline: the boundary of a rectangle and of an L shape, clockwise from the first raster pixel', () => {
  const W = 6, H = 5;
  const mask = new Uint8Array(W * H);
  for (let r = 1; r <= 3; r++) for (let c = 1; c <= 4; c++) mask[r * W + c] = 1;
  const rect = traceOutline(mask, W, H, 1 * W + 1).map((i) => [i % W, Math.floor(i / W)]);
  assert.deepEqual(rect, [[1, 1], [2, 1], [3, 1], [4, 1], [4, 2], [4, 3], [3, 3], [2, 3], [1, 3], [1, 2]]);
  mask[1 * W + 3] = mask[1 * W + 4] = mask[2 * W + 3] = mask[2 * W + 4] = 0;
  const l = traceOutline(mask, W, H, 1 * W + 1).map((i) => [i % W, Math.floor(i / W)]);
  // The one-pixel-thick foot is walked out and back.
  assert.deepEqual(l, [[1, 1], [2, 1], [2, 2], [3, 3], [4, 3], [3, 3], [2, 3], [1, 3], [1, 2]]);
});

test('a point on the bare table or the wall is no object: growth that spreads to the size limit over one plane gives none', () => {
  const scene = renderScene(TABLETOP);
  const model = CameraModel.fromCameraInfo(scene.info);
  const { width } = scene.info;
  // Pixels far from every object: the table near the bottom edge, the wall near the top.
  const clear = (u: number, v: number) => {
    for (let dv = -40; dv <= 40; dv++) for (let du = -40; du <= 40; du++) assert.equal(scene.labels[(v + dv) * width + (u + du)], 0, `(${u}, ${v}) is near an object`);
    return { u, v, z: scene.metres[v * width + u]! };
  };
  for (const [what, p] of [['table', clear(320, 430)], ['wall', clear(320, 50)]] as const) {
    assert.ok(Number.isFinite(p.z), `${what}: depth at the pixel`);
    for (const noise of [EXACT, DEFAULT_DEPTH_NOISE]) {
      assert.equal(segmentObject(model, scene.depth, p.u, p.v, { noise, anchorM: p.z, seedRadius: 2 }), null, `${what}: no object`);
    }
  }
  // A flat object's face is bounded: the box's top face, clicked without a pointer box, is still the box.
  const o = scene.objects.find((x) => x.name === 'box')!;
  assert.ok(segmentObject(model, scene.depth, o.pointed.u, o.pointed.v, { noise: EXACT, anchorM: scene.metres[o.pointed.v * width + o.pointed.u]!, seedRadius: 2 }));
});
