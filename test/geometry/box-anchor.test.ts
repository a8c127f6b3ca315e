// boxAnchor: the pixel of a box that is lifted. A chair-like object whose box centre looks through the object onto
// the wall must be anchored on the object; an object filling its box stays at the centre.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boxAnchor } from '../../src/geometry/box-anchor.js';
import { CameraModel } from '../../src/geometry/camera-model.js';
import { DepthImage } from '../../src/geometry/depth-image.js';
import { cameraInfo } from '../helpers/camera-info.js';

const W = 640;
const H = 480;
const model = CameraModel.fromCameraInfo(cameraInfo());

function depth(f: (u: number, v: number) => number, w = W, h = H): DepthImage {
  const m = new Float32Array(w * h);
  for (let v = 0; v < h; v++) for (let u = 0; u < w; u++) m[v * w + u] = f(u, v);
  return DepthImage.fromMetres(w, h, m);
}

// A frame (a ring 30 px thick) at 1.2 m in front of a wall at 2.5 m: the box centre sees the wall.
const box = { u0: 200, v0: 100, u1: 400, v1: 300 };
const onRing = (u: number, v: number) => u >= 200 && u <= 400 && v >= 100 && v <= 300 && (u < 230 || u > 370 || v < 130 || v > 270);
const ringScene = depth((u, v) => (onRing(u, v) ? 1.2 : 2.5));

test('a box whose centre sees the wall behind the object is anchored on the object, as near the centre as it can', () => {
  const a = boxAnchor(model, ringScene, box);
  assert.ok(a);
  assert.equal(ringScene.at(a.u, a.v), Math.fround(1.2), 'the anchor lies on the object');
  assert.ok(a.minM === a.maxM && a.maxM === Math.fround(1.2), 'the cluster is the object only');
  // The ring's inner edge is 70 px from the centre (300, 200) in each direction; the anchor is on it, one pixel in
  // from the edge at most (its 3×3 neighbourhood must be mostly on the object).
  const d = Math.max(Math.abs(a.u - 300), Math.abs(a.v - 200));
  assert.ok(d >= 71 && d <= 72, `anchor (${a.u}, ${a.v}) is ${d} px from the centre`);
});

test('an object filling its box keeps the centre pixel', () => {
  const scene = depth((u, v) => (u >= 200 && u <= 400 && v >= 100 && v <= 300 ? 1 + (u - 200) * 0.0005 : 3));
  assert.deepEqual(
    (({ u, v }) => ({ u, v }))(boxAnchor(model, scene, box)!),
    { u: 300, v: 200 },
  );
});

test('the foreground wins over the wall even where the wall fills more of the box; holes are skipped', () => {
  // Object: a vertical bar (40 px of the box's 200) at 1 m, off centre; the centre column has no depth at all.
  const scene = depth((u, v) => (u === 300 ? NaN : u >= 320 && u < 360 && v >= 100 && v <= 300 ? 1 : 2));
  const a = boxAnchor(model, scene, box);
  assert.ok(a);
  assert.equal(scene.at(a.u, a.v), 1);
  assert.equal(a.v, 200);
  assert.equal(a.u, 320, 'the bar column nearest the centre (its 3×3 neighbourhood is 6/9 on the bar)');
});

test('no valid depth in the box: null (the caller lifts the box centre and reports no depth)', () => {
  assert.equal(boxAnchor(model, depth(() => NaN), box), null);
  assert.equal(boxAnchor(model, ringScene, { u0: NaN, v0: 0, u1: 10, v1: 10 }), null);
});

test('a depth image at half the colour resolution: the anchor comes back on the colour grid', () => {
  const half = depth((u, v) => (onRing(u * 2, v * 2) ? 1.2 : 2.5), W / 2, H / 2);
  const a = boxAnchor(model, half, box);
  assert.ok(a);
  assert.equal(half.at(Math.round((a.u + 0.5) / 2 - 0.5), Math.round((a.v + 0.5) / 2 - 0.5)), Math.fround(1.2));
  assert.ok(a.u >= 200 && a.u <= 400 && a.v >= 100 && a.v <= 300);
});
