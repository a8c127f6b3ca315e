import { test } from 'node:test';
import assert from 'node:assert/strict';
import { navigateTarget, orientationFromApproach, pickTarget, pointPose } from '../../src/pipeline/targets.js';
import { rotateVector } from '../../src/geometry/transform.js';
import type { Quaternion, Vec3 } from '../../src/geometry/types.js';

function close(a: Vec3, b: Vec3, tol = 1e-9) {
  assert.ok(Math.abs(a.x - b.x) < tol && Math.abs(a.y - b.y) < tol && Math.abs(a.z - b.z) < tol, `${JSON.stringify(a)} != ${JSON.stringify(b)}`);
}
const axes = (q: Quaternion) => ({
  x: rotateVector(q, { x: 1, y: 0, z: 0 }),
  y: rotateVector(q, { x: 0, y: 1, z: 0 }),
  z: rotateVector(q, { x: 0, y: 0, z: 1 }),
});
const qNorm = (q: Quaternion) => Math.hypot(q.x, q.y, q.z, q.w);

test('point mode: the position with the identity orientation', () => {
  const pose = pointPose({ x: 1, y: 2, z: 3 });
  assert.deepEqual(pose, { position: { x: 1, y: 2, z: 3 }, orientation: { x: 0, y: 0, z: 0, w: 1 } });
});

test('pick from a side: +Z runs into the surface, +X is up, pre-grasp backed off outward', () => {
  // A wall facing -X (normal toward a camera standing at the origin).
  const t = pickTarget({ x: 2, y: 0, z: 1 }, { x: -1, y: 0, z: 0 }, { x: 0, y: 0, z: 1 }, 0.1);
  assert.equal(t.fromNormal, true);
  const a = axes(t.pose.orientation);
  close(a.z, { x: 1, y: 0, z: 0 });
  close(a.x, { x: 0, y: 0, z: 1 });
  close(a.y, { x: 0, y: -1, z: 0 });
  close(t.preGraspPose!.position, { x: 1.9, y: 0, z: 1 });
  assert.deepEqual(t.preGraspPose!.orientation, t.pose.orientation);
  assert.ok(Math.abs(qNorm(t.pose.orientation) - 1) < 1e-12);
});

test('pick from above: approach down, +X from the frame +X', () => {
  const t = pickTarget({ x: 0.5, y: 0.2, z: 0.8 }, { x: 0, y: 0, z: 1 }, { x: 0, y: 0, z: 2 }, 0.05);
  const a = axes(t.pose.orientation);
  close(a.z, { x: 0, y: 0, z: -1 });
  close(a.x, { x: 1, y: 0, z: 0 });
  close(t.preGraspPose!.position, { x: 0.5, y: 0.2, z: 0.85 });
});

test('pick without a normal approaches along the camera ray; no pre-grasp when the distance is 0', () => {
  const t = pickTarget({ x: 3, y: 4, z: 0 }, null, { x: 0, y: 0, z: 0 }, 0);
  assert.equal(t.fromNormal, false);
  close(t.approach, { x: 0.6, y: 0.8, z: 0 });
  close(axes(t.pose.orientation).z, { x: 0.6, y: 0.8, z: 0 });
  assert.equal(t.preGraspPose, null);
});

test('orientation axes stay orthonormal for arbitrary approaches', () => {
  for (const v of [{ x: 0.3, y: -0.2, z: 0.93 }, { x: -0.7, y: 0.7, z: 0.1 }, { x: 0, y: 0, z: -1 }]) {
    const n = Math.hypot(v.x, v.y, v.z);
    const z = { x: v.x / n, y: v.y / n, z: v.z / n };
    const q = orientationFromApproach(z);
    assert.ok(Math.abs(qNorm(q) - 1) < 1e-12);
    close(axes(q).z, z, 1e-9);
  }
});

test('navigate: on the floor, standoff short of the object, facing it', () => {
  const t = navigateTarget({ x: 4, y: 3, z: 0.9 }, { x: 0, y: 0, z: 0.1 }, 1, { x: 1, y: 0, z: 0 });
  close(t.pose.position, { x: 4 - 0.8, y: 3 - 0.6, z: 0 });
  assert.equal(t.distanceM, 5);
  close(axes(t.pose.orientation).x, { x: 0.8, y: 0.6, z: 0 });
  close(axes(t.pose.orientation).z, { x: 0, y: 0, z: 1 });
});

test('navigate: object straight above the robot uses the fallback direction', () => {
  const t = navigateTarget({ x: 1, y: 1, z: 2 }, { x: 1, y: 1, z: 0 }, 0.5, { x: 0, y: -2, z: 5 });
  close(t.pose.position, { x: 1, y: 1.5, z: 0 });
  close(axes(t.pose.orientation).x, { x: 0, y: -1, z: 0 });
});
