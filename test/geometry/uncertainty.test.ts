import { test } from 'node:test';
import assert from 'node:assert/strict';
import { depthSigma } from '../../src/geometry/depth-noise.js';
import { quaternionFromYaw } from '../../src/geometry/transform.js';
import { covarianceRadius, pointCovariance, rotateCovariance, type UncertaintyModel } from '../../src/geometry/uncertainty.js';

const model: UncertaintyModel = { pointingPx: 4, noise: { baseM: 0.001, perM2: 0.002 }, calibrationM: 0, calibrationRad: 0 };
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-15 + 1e-12 * Math.abs(b), `${what}: ${a} vs ${b}`);

test('σz = base + k·z²', () => {
  close(depthSigma({ baseM: 0.001, perM2: 0.002 }, 2), 0.009, 'σz(2 m)');
});

test('a surface point on the optical axis: pointing across, depth (noise and window spread) along the axis', () => {
  const cov = pointCovariance({ x: 0, y: 0, z: 2 }, { kind: 'surface', fx: 500, fy: 400, spreadM: 0.01349 }, model);
  close(cov[0]!, (2 * 4 / 500) ** 2, 'xx');
  close(cov[4]!, (2 * 4 / 400) ** 2, 'yy');
  close(cov[8]!, 0.009 ** 2 + 0.01 ** 2, 'zz: σz² + (IQR/1.349)²');
  for (const i of [1, 2, 3, 5, 6, 7]) close(cov[i]!, 0, `off-diagonal ${i}`);
});

test('off axis, depth noise lies along the ray (x/z, y/z, 1)', () => {
  const cov = pointCovariance({ x: 1, y: 0, z: 2 }, { kind: 'top' }, model);
  const s2 = 0.009 ** 2;
  close(cov[0]!, s2 * 0.25, 'xx');
  close(cov[2]!, s2 * 0.5, 'xz');
  close(cov[8]!, s2, 'zz');
  close(cov[4]!, 0, 'yy: no pointing term for the top centre');
});

test('a mean of n points has σz²/n and no pointing term; calibration adds σt² I and (|p|σr)² across the line of sight', () => {
  const mean = pointCovariance({ x: 0, y: 0, z: 2 }, { kind: 'mean', count: 100 }, model);
  close(mean[8]!, 0.009 ** 2 / 100, 'zz');
  close(mean[0]!, 0, 'xx');
  const calib = pointCovariance({ x: 0, y: 0, z: 2 }, { kind: 'mean', count: 1e12 }, { ...model, calibrationM: 0.002, calibrationRad: 0.001 });
  close(calib[0]!, 0.002 ** 2 + (2 * 0.001) ** 2, 'xx');
  close(calib[8]!, 0.002 ** 2 + 0.009 ** 2 / 1e12, 'zz: no rotation term along the line of sight');
});

test('rotating a covariance: R Σ Rᵀ, and the radius is the worst direction', () => {
  const cov = [4e-6, 0, 0, 0, 1e-6, 0, 0, 0, 9e-6];
  const r = rotateCovariance(quaternionFromYaw(Math.PI / 2), cov);
  close(r[0]!, 1e-6, 'xx after 90° yaw');
  close(r[4]!, 4e-6, 'yy after 90° yaw');
  close(r[8]!, 9e-6, 'zz');
  assert.ok(Math.abs(covarianceRadius(r) - 0.003) < 1e-12);
});
