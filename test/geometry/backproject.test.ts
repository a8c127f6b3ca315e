import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CameraModel } from '../../src/geometry/camera-model.js';
import { DepthImage } from '../../src/geometry/depth-image.js';
import { backproject, liftPixel } from '../../src/geometry/backproject.js';
import { cameraInfo } from '../helpers/camera-info.js';

const model = CameraModel.fromCameraInfo(cameraInfo({ d: [] })); // 640×480, fx 615, cx 322.5

test('depth is Z along the optical axis, not the range along the ray', () => {
  const p = backproject(model, 322.5 + 615, 238.25, 2)!;
  assert.deepEqual(p, { x: 2, y: 0, z: 2 });
  assert.ok(Math.hypot(p.x, p.y, p.z) > 2);
});

test('backproject refuses depths that are not positive finite', () => {
  for (const d of [0, -1, NaN, Infinity]) assert.equal(backproject(model, 10, 10, d), null);
});

test('liftPixel reports outside_image, undistort_failed and no_depth with reasons', () => {
  const depth = DepthImage.fromMetres(640, 480, new Float32Array(640 * 480).fill(1.2));
  const out = liftPixel(model, depth, 640, 10, { windowRadius: 2 });
  assert.equal(out.status, 'outside_image');
  assert.match((out as { reason: string }).reason, /640×480/);
  assert.equal(liftPixel(model, depth, -0.6, 10, { windowRadius: 2 }).status, 'outside_image');

  const folded = CameraModel.fromCameraInfo(cameraInfo({ fx: 300, fy: 300, cx: 319.5, cy: 239.5, d: [-0.5, 0, 0, 0, 0] }));
  const bad = liftPixel(folded, depth, 0, 0, { windowRadius: 2 });
  assert.equal(bad.status, 'undistort_failed');

  const holes = DepthImage.fromMetres(640, 480, new Float32Array(640 * 480).fill(NaN));
  assert.equal(liftPixel(model, holes, 100, 100, { windowRadius: 3 }).status, 'no_depth');

  const sparse = new Float32Array(640 * 480).fill(NaN);
  sparse[100 * 640 + 100] = 1;
  const some = DepthImage.fromMetres(640, 480, sparse);
  const low = liftPixel(model, some, 100, 100, { windowRadius: 1, minValidRatio: 0.5 });
  assert.equal(low.status, 'no_depth');
  assert.match((low as { reason: string }).reason, /11% .* valid/);
  assert.equal(liftPixel(model, some, 100, 100, { windowRadius: 1 }).status, 'ok');
});

test('depth at another resolution is sampled at the same place (pixel-centre scaling)', () => {
  // Half-resolution depth: left half 1 m, right half 3 m; colour pixel 319 -> depth 159.25 (left), 320 -> 159.75 (right).
  const m = new Float32Array(320 * 240);
  for (let r = 0; r < 240; r++) for (let c = 0; c < 320; c++) m[r * 320 + c] = c < 160 ? 1 : 3;
  const depth = DepthImage.fromMetres(320, 240, m);
  const left = liftPixel(model, depth, 318, 100, { windowRadius: 0 });
  const right = liftPixel(model, depth, 321, 100, { windowRadius: 0 });
  assert.ok(left.status === 'ok' && right.status === 'ok');
  assert.equal(left.point.z, 1);
  assert.equal(right.point.z, 3);
  assert.ok(Math.abs(right.point.x - ((321 - 322.5) / 615) * 3) < 1e-12);
});
