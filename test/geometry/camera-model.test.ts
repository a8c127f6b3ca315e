import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CameraInfoError, CameraModel } from '../../src/geometry/camera-model.js';
import type { CameraInfo } from '../../src/geometry/types.js';
import { mulberry32 } from '../helpers/prng.js';
import { cameraInfo } from '../helpers/camera-info.js';

/** Realistic and strong lenses of each model (the last three as in the reference fixture). */
const MODELS: Record<string, CameraInfo> = {
  none: cameraInfo({ distortionModel: '', d: [] }),
  plumb_bob_d435: cameraInfo({ d: [0.1272, -0.2606, 0.0006, -0.0004, 0.1084] }),
  plumb_bob_strong: cameraInfo({
    width: 1280, height: 720, fx: 910.2, fy: 909.8, cx: 641.7, cy: 362.1, d: [-0.31, 0.12, 0.0012, -0.0008, -0.02],
  }),
  rational_polynomial: cameraInfo({
    width: 1920, height: 1080, fx: 1400, fy: 1400, cx: 960, cy: 540,
    distortionModel: 'rational_polynomial', d: [0.42, -2.61, 0.0004, -0.0003, 1.52, 0.3, -2.43, 1.44],
  }),
  equidistant: cameraInfo({
    width: 848, height: 800, fx: 286.3, fy: 286.4, cx: 421.9, cy: 398.6,
    distortionModel: 'equidistant', d: [-0.0081, 0.0453, -0.0421, 0.0079],
  }),
};

/** θd(π/2) = the largest distorted radius an equidistant lens maps in front of the camera. */
function equidistantThetaDAt90(d: readonly number[]): number {
  const t = Math.PI / 2;
  return t * (1 + d[0]! * t ** 2 + d[1]! * t ** 4 + d[2]! * t ** 6 + d[3]! * t ** 8);
}

for (const [name, info] of Object.entries(MODELS)) {
  test(`${name}: project ∘ undistort is the identity on random pixels (≤ 1e-9 px)`, () => {
    const model = CameraModel.fromCameraInfo(info);
    const rand = mulberry32(0xc0ffee ^ name.length);
    let worst = 0;
    let invalid = 0;
    for (let i = 0; i < 3000; i++) {
      const u = -0.5 + rand() * model.width;
      const v = -0.5 + rand() * model.height;
      const ray = model.undistort(u, v);
      if (!ray && name === 'equidistant') {
        // This fisheye sees past 90° in its corners; such rays have no x/z form. Only those may fail.
        assert.ok(Math.hypot((u - model.cx) / model.fx, (v - model.cy) / model.fy) > equidistantThetaDAt90(model.d), `(${u}, ${v})`);
        invalid++;
        continue;
      }
      assert.ok(ray, `${name}: pixel (${u}, ${v}) inside the image must undistort`);
      const back = model.project({ x: ray.x * 2.5, y: ray.y * 2.5, z: 2.5 });
      assert.ok(back);
      worst = Math.max(worst, Math.hypot(back.u - u, back.v - v));
    }
    assert.ok(worst <= 1e-9, `worst residual ${worst} px`);
    assert.ok(invalid < 0.3 * 3000, `${invalid} invalid pixels`); // ≈ 23% of this fisheye lies beyond 90°
  });

  test(`${name}: undistort ∘ project is the identity on random rays in view`, () => {
    const model = CameraModel.fromCameraInfo(info);
    const rand = mulberry32(7);
    let checked = 0;
    for (let i = 0; i < 500; i++) {
      const p = { x: (rand() - 0.5) * 1.2, y: (rand() - 0.5) * 0.9, z: 1 };
      const uv = model.project(p);
      if (!uv || !model.contains(uv.u, uv.v)) continue;
      const ray = model.undistort(uv.u, uv.v)!;
      assert.ok(Math.abs(ray.x - p.x) < 1e-9 && Math.abs(ray.y - p.y) < 1e-9, `${JSON.stringify(p)} -> ${JSON.stringify(ray)}`);
      checked++;
    }
    assert.ok(checked > 100);
  });
}

test('a pixel beyond the fold of a plumb_bob lens is invalid, never a wrong ray', () => {
  // k1 = -0.5 folds at r ≈ 0.816 (r·(1 - 0.5 r²) peaks at 0.544): distorted radii above 0.544 have no preimage.
  const model = CameraModel.fromCameraInfo(cameraInfo({ fx: 300, fy: 300, cx: 319.5, cy: 239.5, d: [-0.5, 0, 0, 0, 0] }));
  assert.equal(model.undistort(319.5 + 0.6 * 300, 239.5), null);
  assert.equal(model.undistort(-0.4, -0.4), null); // corner, r_d ≈ 1.33
  // Just inside the peak it converges to the root on the increasing branch (r < 0.816), not the folded one.
  const ray = model.undistort(319.5 + 0.5 * 300, 239.5)!;
  assert.ok(ray.x > 0 && ray.x < 0.8165);
  assert.ok(Math.abs(ray.x * (1 - 0.5 * ray.x * ray.x) - 0.5) < 1e-12);
  // A point whose ray lies past the fold would project onto a wrong pixel: project refuses it.
  assert.equal(model.project({ x: 1.5, y: 0, z: 1 }), null);
  assert.ok(model.project({ x: 0.5, y: 0, z: 1 }));
});

test('an equidistant pixel beyond 90° (or the fold of θd) is invalid', () => {
  const model = CameraModel.fromCameraInfo(
    cameraInfo({ width: 2000, height: 2000, fx: 300, fy: 300, cx: 999.5, cy: 999.5, distortionModel: 'equidistant', d: [0, 0, 0, 0] }),
  );
  // θd = θ for zero coefficients: a radius of 1.6 × f is θ = 1.6 rad > π/2.
  assert.equal(model.undistort(999.5 + 1.6 * 300, 999.5), null);
  const ok = model.undistort(999.5 + 1.5 * 300, 999.5)!;
  assert.ok(Math.abs(ok.x - Math.tan(1.5)) < 1e-9);
  assert.equal(model.project({ x: 0, y: 0, z: -1 }), null);
});

test('undistortion converges where a 5-iteration fixed point (OpenCV default) does not', () => {
  const model = CameraModel.fromCameraInfo(MODELS.plumb_bob_strong!);
  const [k1, k2, p1, p2, k3] = [-0.31, 0.12, 0.0012, -0.0008, -0.02];
  const xd = (10 - 641.7) / 910.2;
  const yd = (12 - 362.1) / 909.8;
  let x = xd, y = yd;
  for (let i = 0; i < 5; i++) {
    const r2 = x * x + y * y;
    const icdist = 1 / (1 + ((k3 * r2 + k2) * r2 + k1) * r2);
    const dx = 2 * p1 * x * y + p2 * (r2 + 2 * x * x);
    const dy = p1 * (r2 + 2 * y * y) + 2 * p2 * x * y;
    x = (xd - dx) * icdist;
    y = (yd - dy) * icdist;
  }
  const fivePx = model.project({ x, y, z: 1 })!;
  const ours = model.undistort(10, 12)!;
  const oursPx = model.project({ x: ours.x, y: ours.y, z: 1 })!;
  assert.ok(Math.hypot(fivePx.u - 10, fivePx.v - 12) > 0.3, 'the 5-iteration answer is 0.4 px off in the corner');
  assert.ok(Math.hypot(oursPx.u - 10, oursPx.v - 12) < 1e-9);
});

test('contains: pixel centres at integers, image spans [-0.5, size - 0.5)', () => {
  const model = CameraModel.fromCameraInfo(MODELS.none!);
  assert.ok(model.contains(-0.5, -0.5));
  assert.ok(model.contains(639.49, 479.49));
  assert.ok(!model.contains(639.5, 0));
  assert.ok(!model.contains(0, 479.5));
  assert.ok(!model.contains(-0.51, 0));
  assert.ok(!model.contains(NaN, 0));
  assert.equal(model.undistort(NaN, 3), null);
});

test('rectified images use P and no distortion', () => {
  const info = cameraInfo({ d: [-0.3, 0.1, 0, 0, 0], p: [600, 0, 320, 0, 0, 601, 240, 0, 0, 0, 1, 0] });
  const model = CameraModel.fromCameraInfo(info, { rectified: true });
  assert.equal(model.distortionModel, 'none');
  assert.deepEqual(model.undistort(920, 240), { x: 1, y: 0 });
  const raw = CameraModel.fromCameraInfo(info);
  assert.notDeepEqual(raw.undistort(920, 240), { x: 1, y: 0 });
  assert.throws(() => CameraModel.fromCameraInfo(cameraInfo({ p: new Array(12).fill(0) }), { rectified: true }), /camera info: p:/);
});

test('binning and ROI shift and scale K as image_geometry does', () => {
  const full = CameraModel.fromCameraInfo(cameraInfo({ d: [] }));
  const binned = CameraModel.fromCameraInfo(
    cameraInfo({ d: [], binningX: 2, binningY: 2, roi: { xOffset: 100, yOffset: 40, width: 400, height: 300, doRectify: false } }),
  );
  assert.equal(binned.width, 200);
  assert.equal(binned.height, 150);
  assert.equal(binned.fx, 615 / 2);
  assert.equal(binned.cx, (322.5 - 100) / 2);
  assert.equal(binned.cy, (238.25 - 40) / 2);
  const p = { x: 0.1, y: -0.05, z: 1.5 };
  const a = full.project(p)!;
  const b = binned.project(p)!;
  assert.ok(Math.abs(b.u - (a.u - 100) / 2) < 1e-12 && Math.abs(b.v - (a.v - 40) / 2) < 1e-12);
});

test('scaledTo keeps pixel areas: ray of u equals ray of (u + 0.5)·s - 0.5', () => {
  for (const name of ['none', 'plumb_bob_d435', 'equidistant']) {
    const model = CameraModel.fromCameraInfo(MODELS[name]!);
    const half = model.scaledTo(model.width / 2, model.height / 2);
    assert.equal(half.width, model.width / 2);
    assert.equal(half.fx, model.fx / 2);
    assert.equal(half.cx, (model.cx + 0.5) / 2 - 0.5);
    for (const [u, v] of [[150, 120], [100, 200], [model.width - 200, model.height - 150]] as const) {
      const r1 = model.undistort(u, v)!;
      const r2 = half.undistort((u + 0.5) / 2 - 0.5, (v + 0.5) / 2 - 0.5)!;
      assert.ok(Math.abs(r1.x - r2.x) < 1e-12 && Math.abs(r1.y - r2.y) < 1e-12, `${name} (${u}, ${v})`);
    }
    assert.equal(model.scaledTo(model.width, model.height), model);
  }
  assert.throws(() => CameraModel.fromCameraInfo(MODELS.none!).scaledTo(0, 10), CameraInfoError);
});

test('skew in K is part of the model', () => {
  const model = CameraModel.fromCameraInfo(cameraInfo({ k: [600, 2, 320, 0, 600, 240, 0, 0, 1], d: [0.1, -0.2, 0, 0, 0] }));
  const uv = model.project({ x: 0.2, y: 0.3, z: 1 })!;
  const ray = model.undistort(uv.u, uv.v)!;
  assert.ok(Math.abs(ray.x - 0.2) < 1e-12 && Math.abs(ray.y - 0.3) < 1e-12);
});

test('validation names the field', () => {
  const cases: [Partial<CameraInfo>, string][] = [
    [{ width: 0 }, 'width'],
    [{ height: -3 }, 'height'],
    [{ width: 10.5 }, 'width'],
    [{ k: new Array(9).fill(0) }, 'k'],
    [{ k: [-600, 0, 320, 0, 600, 240, 0, 0, 1] }, 'k'],
    [{ k: [600, 0, 320, 0, 600, 240, 0, 0, 2] }, 'k'],
    [{ k: [600, 0, 320] }, 'k'],
    [{ k: [600, 0, 320, 0, NaN, 240, 0, 0, 1] }, 'k'],
    [{ d: [0.1, 0.2, 0, 0] }, 'd'],
    [{ distortionModel: 'rational_polynomial', d: [0.1, 0.2, 0, 0, 0] }, 'd'],
    [{ distortionModel: 'equidistant', d: [0.1, 0.2, 0, 0, 0] }, 'd'],
    [{ d: [0.1, Infinity, 0, 0, 0] }, 'd'],
    [{ distortionModel: 'kb8', d: [0.1, 0, 0, 0, 0, 0, 0, 0] }, 'distortion_model'],
    [{ distortionModel: 'none', d: [0.1, 0, 0, 0, 0] }, 'distortion_model'],
    [{ r: [1, 0, 0] }, 'r'],
    [{ binningX: -1 }, 'binning_x'],
    [{ roi: { xOffset: 600, yOffset: 0, width: 100, height: 100, doRectify: false } }, 'roi'],
  ];
  for (const [over, field] of cases) {
    assert.throws(
      () => CameraModel.fromCameraInfo(cameraInfo(over)),
      (e: unknown) => e instanceof CameraInfoError && e.field === field && e.message.includes(field),
      `${JSON.stringify(over)} should fail on ${field}`,
    );
  }
});

test('empty or all-zero d means no distortion; aliases of equidistant are accepted', () => {
  assert.equal(CameraModel.fromCameraInfo(cameraInfo({ d: [] })).distortionModel, 'none');
  assert.equal(CameraModel.fromCameraInfo(cameraInfo({ d: [0, 0, 0, 0, 0] })).distortionModel, 'none');
  const warned = CameraModel.fromCameraInfo(cameraInfo({ distortionModel: 'plumb_bob', d: [] }));
  assert.equal(warned.warnings.length, 1);
  assert.equal(CameraModel.fromCameraInfo(cameraInfo({ distortionModel: 'fisheye', d: [0.1, 0, 0, 0] })).distortionModel, 'equidistant');
});
