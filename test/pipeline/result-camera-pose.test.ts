// A result carries the camera's pose in its target frame at the capture stamp: where the console draws each
// waypoint's camera ray from (the camera moves; the latest TF would put the ray's start elsewhere).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTransform } from '../../src/geometry/transform.js';
import { makeBridge, pushFrame } from '../console/harness.js';

test('cameraPose is the transform the waypoints were made with: point = cameraPose · cameraPoint', async () => {
  const bridge = makeBridge();
  pushFrame(bridge, { index: 1, depthMm: 1500 });
  const result = await bridge.request({ id: 'r1', pixels: [{ u: 40, v: 200 }], mode: 'point' });
  assert.equal(result.status, 'ok');
  const pose = result.cameraPose!;
  assert.deepEqual(pose.position, { x: 0, y: 0, z: 1 });
  const w = result.waypoints[0]!;
  const p = applyTransform({ translation: pose.position, rotation: pose.orientation }, w.cameraPoint);
  for (const axis of ['x', 'y', 'z'] as const) assert.ok(Math.abs(p[axis] - w.point[axis]) < 1e-12, `${axis}: ${p[axis]} vs ${w.point[axis]}`);
  const failed = await bridge.request({ id: 'r2', pixels: [{ u: 40, v: 200 }], mode: 'point', targetFrame: 'nowhere' });
  assert.equal(failed.cameraPose, null);
});
