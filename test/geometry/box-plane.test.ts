import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DepthImage } from '../../src/geometry/depth-image.js';
import { fitOrientedBox } from '../../src/geometry/oriented-box.js';
import { findSupportPlanes, planeDistance } from '../../src/geometry/support-plane.js';
import { matrixFromQuaternion } from '../../src/geometry/transform.js';
import { mulberry32 } from '../helpers/prng.js';

/** Points filling a box of the given size, rotated by yaw about +z, centred at c. */
function boxPoints(size: [number, number, number], yaw: number, c: [number, number, number], n: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const out = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    // Corners are included so the extents are exact.
    const s = i < 8 ? [(i & 1) - 0.5, ((i >> 1) & 1) - 0.5, ((i >> 2) & 1) - 0.5] : [rand() - 0.5, rand() - 0.5, rand() - 0.5];
    const x = s[0]! * size[0], y = s[1]! * size[1], z = s[2]! * size[2];
    out[3 * i] = c[0] + Math.cos(yaw) * x - Math.sin(yaw) * y;
    out[3 * i + 1] = c[1] + Math.sin(yaw) * x + Math.cos(yaw) * y;
    out[3 * i + 2] = c[2] + z;
  }
  return out;
}

test('gravity-aligned: +Z is up, +X along the long side, exact size and centre for a yawed box', () => {
  const fit = fitOrientedBox(boxPoints([0.3, 0.1, 0.2], 0.6, [1, 2, 0.5], 2000, 1), { x: 0, y: 0, z: 1 });
  assert.ok(Math.abs(fit.box.size.x - 0.3) < 1e-9 && Math.abs(fit.box.size.y - 0.1) < 1e-9 && Math.abs(fit.box.size.z - 0.2) < 1e-9, JSON.stringify(fit.box.size));
  const R = matrixFromQuaternion(fit.box.center.orientation);
  assert.ok(Math.abs(R[8]! - 1) < 1e-12, 'box +Z is up');
  assert.ok(Math.abs(Math.abs(R[0]! * Math.cos(0.6) + R[3]! * Math.sin(0.6)) - 1) < 1e-9, 'box +X along the long side');
  const p = fit.box.center.position;
  assert.ok(Math.hypot(p.x - 1, p.y - 2, p.z - 0.5) < 1e-9);
  assert.equal(fit.restsOn, null);
});

test('without up: the principal axes, largest first, right-handed', () => {
  const fit = fitOrientedBox(boxPoints([0.4, 0.05, 0.15], 0.3, [0, 0, 1], 4000, 2), null);
  assert.ok(fit.box.size.x > fit.box.size.y && fit.box.size.y > fit.box.size.z, JSON.stringify(fit.box.size));
  assert.ok(Math.abs(fit.box.size.x - 0.4) < 0.01);
  const [ax, ay, az] = fit.axes;
  const cross = { x: ax.y * ay.z - ax.z * ay.y, y: ax.z * ay.x - ax.x * ay.z, z: ax.x * ay.y - ax.y * ay.x };
  assert.ok(Math.hypot(cross.x - az.x, cross.y - az.y, cross.z - az.z) < 1e-9);
});

test('an object hovering above its support plane within maxGapM reaches down to it; beyond, it does not', () => {
  const table = { normal: { x: 0, y: 0, z: 1 }, d: 0, inliers: 100 };
  const low = fitOrientedBox(boxPoints([0.1, 0.08, 0.1], 0, [0, 0, 0.06], 500, 3), { x: 0, y: 0, z: 1 }, [table]);
  assert.equal(low.restsOn, table);
  assert.ok(Math.abs(low.box.size.z - 0.11) < 1e-9 && Math.abs(low.box.center.position.z - 0.055) < 1e-9);
  const high = fitOrientedBox(boxPoints([0.1, 0.08, 0.1], 0, [0, 0, 0.2], 500, 3), { x: 0, y: 0, z: 1 }, [table]);
  assert.equal(high.restsOn, null);
});

test('support planes: a floor under the point is found, a plane through the point is not a support', () => {
  const rand = mulberry32(5);
  const pts: number[] = [];
  // Camera-frame floor y = 0.5 (optical y down), 1..3 m ahead, plus a blob at the seed.
  for (let i = 0; i < 600; i++) pts.push(-1 + 2 * rand(), 0.5 + 0.001 * (rand() - 0.5), 1 + 2 * rand());
  for (let i = 0; i < 200; i++) pts.push(0.05 * rand(), 0.3 + 0.05 * rand(), 2 + 0.05 * rand());
  const { supports: planes, seedPlane } = findSupportPlanes(Float64Array.from(pts), { x: 0, y: 0.3, z: 2 }, { thresholdAt: () => 0.005 });
  assert.equal(planes.length, 1);
  assert.equal(seedPlane, null, 'the blob at the seed is no dominant plane');
  const p = planes[0]!;
  assert.ok(Math.abs(Math.abs(p.normal.y) - 1) < 1e-3 && p.d > 0, JSON.stringify(p));
  assert.ok(planeDistance(p, 0, 0, 2) > 0, 'the camera side is positive');
  const onFloor = findSupportPlanes(Float64Array.from(pts), { x: 0, y: 0.5, z: 2 }, { thresholdAt: () => 0.005 });
  assert.equal(onFloor.supports.length, 0, 'seed on the floor');
  assert.ok(onFloor.seedPlane && Math.abs(onFloor.seedPlane.normal.y) > 0.999, "the floor is the seed's own plane");
});

test('DepthImage.atIndex equals at() for packed, padded and big-endian images', () => {
  const W = 5, H = 3;
  for (const [encoding, bytes] of [['16UC1', 2], ['32FC1', 4]] as const) {
    for (const pad of [0, 3]) {
      for (const big of [false, true]) {
        const step = W * bytes + pad;
        const data = new Uint8Array(step * H);
        const view = new DataView(data.buffer);
        for (let r = 0; r < H; r++) {
          for (let c = 0; c < W; c++) {
            const v = (r * W + c) % 4 === 0 ? 0 : 500 + r * W + c;
            if (bytes === 2) view.setUint16(r * step + c * 2, v, !big);
            else view.setFloat32(r * step + c * 4, v / 1000, !big);
          }
        }
        const img = DepthImage.fromImage({ encoding, width: W, height: H, step, isBigEndian: big, data });
        for (let i = 0; i < W * H; i++) {
          const a = img.atIndex(i), b = img.at(i % W, Math.floor(i / W));
          assert.ok(Object.is(a, b), `${encoding} pad ${pad} big ${big} pixel ${i}: ${a} vs ${b}`);
        }
      }
    }
  }
});

test('trimmed extents leave the given share of points outside on each side', () => {
  // 1000 points evenly on a 1 m line along x plus one outlier 0.5 m beyond each end.
  const pts: number[] = [];
  for (let i = 0; i < 1000; i++) pts.push(i / 999, 0, 0);
  pts.push(-0.5, 0, 0, 1.5, 0, 0);
  const full = fitOrientedBox(Float64Array.from(pts), { x: 0, y: 0, z: 1 });
  assert.ok(Math.abs(full.box.size.x - 2) < 1e-9);
  const trimmed = fitOrientedBox(Float64Array.from(pts), { x: 0, y: 0, z: 1 }, [], { trim: 0.002 });
  // Two points per side may go: the outlier and one line point; the cut is placed to 2 m / 1024.
  assert.ok(Math.abs(trimmed.box.size.x - 1) < 0.01, `${trimmed.box.size.x}`);
});
