// Every case of test/fixtures/backproject_dev.json (reference values: converged inverse of OpenCV's models).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CameraModel } from '../../src/geometry/camera-model.js';
import { DepthImage } from '../../src/geometry/depth-image.js';
import { backproject, liftPixel } from '../../src/geometry/backproject.js';
import type { CameraInfo, RawImage } from '../../src/geometry/types.js';

interface Case {
  camera: { name: string; width: number; height: number; K: number[]; distortion_model: string; D: number[] };
  pixel: [number, number];
  depth: { encoding: '16UC1' | '32FC1'; value: number | string; unit: string };
  expected_xyz_m: [number, number, number] | null;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/backproject_dev.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

function info(c: Case['camera']): CameraInfo {
  return {
    width: c.width,
    height: c.height,
    distortionModel: c.distortion_model,
    d: c.D,
    k: c.K,
    r: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    p: [c.K[0]!, 0, c.K[2]!, 0, 0, c.K[4]!, c.K[5]!, 0, 0, 0, 1, 0],
    binningX: 0,
    binningY: 0,
    roi: { xOffset: 0, yOffset: 0, width: 0, height: 0, doRectify: false },
  };
}

/** A uniform depth image holding the case's raw value in its own encoding (little endian). */
function uniformDepth(c: Case): RawImage {
  const { width, height } = c.camera;
  const raw = typeof c.depth.value === 'string' ? Number(c.depth.value.replace('Inf', 'Infinity')) : c.depth.value;
  if (c.depth.encoding === '16UC1') {
    const px = new Uint16Array(width * height).fill(raw);
    return { encoding: '16UC1', width, height, step: width * 2, isBigEndian: false, data: new Uint8Array(px.buffer) };
  }
  const px = new Float32Array(width * height).fill(raw);
  return { encoding: '32FC1', width, height, step: width * 4, isBigEndian: false, data: new Uint8Array(px.buffer) };
}

test('fixture has the documented 32 cases, 3 of them invalid', () => {
  assert.equal(fixture.cases.length, 32);
  assert.equal(fixture.cases.filter((c) => c.expected_xyz_m === null).length, 3);
});

for (const [i, c] of fixture.cases.entries()) {
  const label = `case ${i}: ${c.camera.name} pixel (${c.pixel.map((p) => p.toFixed(2)).join(', ')}) ${c.depth.encoding} ${c.depth.value}`;
  test(label, () => {
    const model = CameraModel.fromCameraInfo(info(c.camera));
    const depth = DepthImage.fromImage(uniformDepth(c));
    const [u, v] = c.pixel;
    for (const windowRadius of [0, 3]) {
      const lifted = liftPixel(model, depth, u, v, { windowRadius });
      if (c.expected_xyz_m === null) {
        assert.equal(lifted.status, 'no_depth');
        continue;
      }
      assert.equal(lifted.status, 'ok', JSON.stringify(lifted));
      if (lifted.status !== 'ok') return;
      const [ex, ey, ez] = c.expected_xyz_m;
      assert.ok(Math.abs(lifted.point.x - ex) <= 1e-6, `x ${lifted.point.x} vs ${ex}`);
      assert.ok(Math.abs(lifted.point.y - ey) <= 1e-6, `y ${lifted.point.y} vs ${ey}`);
      assert.ok(Math.abs(lifted.point.z - ez) <= 1e-6, `z ${lifted.point.z} vs ${ez}`);
      assert.equal(lifted.sample.validRatio, 1);
      // backproject with the known depth agrees, and the point projects back onto the pixel.
      const direct = backproject(model, u, v, ez)!;
      assert.ok(Math.abs(direct.x - ex) <= 1e-6 && Math.abs(direct.y - ey) <= 1e-6);
      const uv = model.project(direct)!;
      assert.ok(Math.hypot(uv.u - u, uv.v - v) <= 1e-9, `re-projection ${uv.u}, ${uv.v}`);
    }
  });
}
