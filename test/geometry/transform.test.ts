import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IDENTITY, applyTransform, compose, interpolateTransform, invert, matrixFromQuaternion, normalizeQuaternion,
  quaternionFromAxes, quaternionFromMatrix, quaternionFromRpy, quaternionFromYaw, rotateVector, rpyFromQuaternion, slerp,
} from '../../src/geometry/transform.js';
import type { Quaternion, Transform, Vec3 } from '../../src/geometry/types.js';
import { mulberry32 } from '../helpers/prng.js';

const rand = mulberry32(42);
const randomQ = (): Quaternion => normalizeQuaternion({ x: rand() - 0.5, y: rand() - 0.5, z: rand() - 0.5, w: rand() - 0.5 });
const randomV = (): Vec3 => ({ x: (rand() - 0.5) * 4, y: (rand() - 0.5) * 4, z: (rand() - 0.5) * 4 });
const randomT = (): Transform => ({ translation: randomV(), rotation: randomQ() });

function near(a: Vec3, b: Vec3, tol = 1e-12): void {
  assert.ok(Math.abs(a.x - b.x) < tol && Math.abs(a.y - b.y) < tol && Math.abs(a.z - b.z) < tol, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}
const sameRotation = (a: Quaternion, b: Quaternion): boolean => Math.abs(Math.abs(a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w) - 1) < 1e-12;

test('normalizeQuaternion scales to unit length and refuses zero or NaN norms', () => {
  const q = normalizeQuaternion({ x: 0, y: 0, z: 2, w: 0 });
  assert.deepEqual(q, { x: 0, y: 0, z: 1, w: 0 });
  assert.throws(() => normalizeQuaternion({ x: 0, y: 0, z: 0, w: 0 }), /norm/);
  assert.throws(() => normalizeQuaternion({ x: NaN, y: 0, z: 0, w: 1 }), /norm/);
});

test('rotateVector: 90° about z maps x to y', () => {
  near(rotateVector(quaternionFromYaw(Math.PI / 2), { x: 1, y: 0, z: 0 }), { x: 0, y: 1, z: 0 });
});

test('compose(a, b) applies b first, then a; invert undoes; identity is neutral', () => {
  for (let i = 0; i < 200; i++) {
    const a = randomT(), b = randomT(), p = randomV();
    near(applyTransform(compose(a, b), p), applyTransform(a, applyTransform(b, p)), 1e-11);
    near(applyTransform(invert(a), applyTransform(a, p)), p, 1e-11);
    near(applyTransform(compose(a, IDENTITY), p), applyTransform(a, p), 1e-12);
  }
});

test('matrix <-> quaternion round-trips and agrees with rotateVector', () => {
  for (let i = 0; i < 200; i++) {
    const q = randomQ(), v = randomV();
    const m = matrixFromQuaternion(q);
    const mv = { x: m[0]! * v.x + m[1]! * v.y + m[2]! * v.z, y: m[3]! * v.x + m[4]! * v.y + m[5]! * v.z, z: m[6]! * v.x + m[7]! * v.y + m[8]! * v.z };
    near(mv, rotateVector(q, v), 1e-12);
    assert.ok(sameRotation(quaternionFromMatrix(m), q));
  }
  assert.throws(() => quaternionFromMatrix([1, 0, 0]), RangeError);
});

test('quaternionFromAxes: the optical frame (z forward, x right, y down) in a body frame (x forward, y left, z up)', () => {
  // REP 103: optical x = body -y, optical y = body -z, optical z = body x.
  const q = quaternionFromAxes({ x: 0, y: -1, z: 0 }, { x: 0, y: 0, z: -1 }, { x: 1, y: 0, z: 0 });
  near(rotateVector(q, { x: 0, y: 0, z: 1 }), { x: 1, y: 0, z: 0 });
  near(rotateVector(q, { x: 1, y: 0, z: 0 }), { x: 0, y: -1, z: 0 });
  // tf2's well-known value for this rotation: rpy (-π/2, 0, -π/2).
  assert.ok(sameRotation(q, quaternionFromRpy(-Math.PI / 2, 0, -Math.PI / 2)));
});

test('rpy round-trips away from gimbal lock and matches Rz·Ry·Rx', () => {
  for (let i = 0; i < 200; i++) {
    const roll = (rand() - 0.5) * 6, pitch = (rand() - 0.5) * 3, yaw = (rand() - 0.5) * 6;
    const q = quaternionFromRpy(roll, pitch, yaw);
    const back = rpyFromQuaternion(q);
    assert.ok(sameRotation(quaternionFromRpy(back.roll, back.pitch, back.yaw), q));
    const manual = [quaternionFromYaw(yaw), { x: 0, y: Math.sin(pitch / 2), z: 0, w: Math.cos(pitch / 2) }, { x: Math.sin(roll / 2), y: 0, z: 0, w: Math.cos(roll / 2) }];
    const v = randomV();
    near(rotateVector(q, v), rotateVector(manual[0]!, rotateVector(manual[1]!, rotateVector(manual[2]!, v))), 1e-12);
  }
  assert.ok(Math.abs(rpyFromQuaternion(quaternionFromYaw(1.2)).yaw - 1.2) < 1e-12);
});

test('slerp: endpoints, constant angular speed, shortest arc', () => {
  const a = quaternionFromYaw(0), b = quaternionFromYaw(1.0);
  assert.ok(sameRotation(slerp(a, b, 0), a) && sameRotation(slerp(a, b, 1), b));
  assert.ok(Math.abs(rpyFromQuaternion(slerp(a, b, 0.25)).yaw - 0.25) < 1e-12);
  const negB = { x: -b.x, y: -b.y, z: -b.z, w: -b.w };
  assert.ok(Math.abs(rpyFromQuaternion(slerp(a, negB, 0.5)).yaw - 0.5) < 1e-12);
  const tiny = quaternionFromYaw(1e-9);
  assert.ok(sameRotation(slerp(a, tiny, 0.5), quaternionFromYaw(5e-10)));
});

test('interpolateTransform: linear translation, slerped rotation', () => {
  const t = interpolateTransform(
    { translation: { x: 0, y: 0, z: 0 }, rotation: quaternionFromYaw(0) },
    { translation: { x: 2, y: -4, z: 1 }, rotation: quaternionFromYaw(Math.PI / 2) },
    0.5,
  );
  near(t.translation, { x: 1, y: -2, z: 0.5 });
  assert.ok(sameRotation(t.rotation, quaternionFromYaw(Math.PI / 4)));
});
