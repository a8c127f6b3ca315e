// Output messages that carry a waypoint's object (box) and uncertainty (covariance): built from hand-made results,
// CDR-encoded with the official definitions and decoded back unchanged, and checked against the maths they encode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rotateVector } from '../../src/geometry/transform.js';
import { COLLISION_OBJECT, SOLID_PRIMITIVE_BOX, collisionObjectId, collisionObjectsFromResult, removeCollisionObject } from '../../src/messages/collision-objects.js';
import { UNKNOWN_VARIANCE, covarianceEllipsoid, poseCovariance36 } from '../../src/messages/object-extent.js';
import { MARKER, detection3DArrayFromResult, markerArrayFromResult, poseWithCovarianceFromResult, unitQuaternion } from '../../src/messages/outputs.js';
import { assertWireExact } from '../helpers/wire.js';
import { COVARIANCE, YAW30, failedResult, objectExtent, okResult, waypoint } from '../ros/sample-results.js';

const STAMP = { sec: 1_712_345_678, nanosec: 123_456_789 };
/** The box's orientation as published (normalised: equal to YAW30 within rounding). */
const BOX_Q = unitQuaternion(YAW30);

const near = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} ≈ ${b}`);

/** Best waypoint with an object and a covariance, the second with neither. */
function objectResult() {
  return okResult({ waypoints: [waypoint(0, { object: objectExtent(), covariance: [...COVARIANCE] }), waypoint(1)] });
}

test('Detection3DArray carries the oriented box (centre pose and size) and the point covariance', () => {
  const msg = detection3DArrayFromResult(objectResult());
  assert.ok(msg);
  assertWireExact('vision_msgs/msg/Detection3DArray', msg);
  const [withBox, without] = msg.detections;
  assert.deepEqual(withBox!.bbox, { center: { position: { x: 0.5, y: -0.2, z: 0 }, orientation: BOX_Q }, size: { x: 0.08, y: 0.06, z: 0.1 } });
  const cov = withBox!.results[0]!.pose.covariance;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.equal(cov[i * 6 + j], COVARIANCE[i * 3 + j], `position block ${i},${j}`);
  for (let i = 3; i < 6; i++) assert.equal(cov[i * 6 + i], UNKNOWN_VARIANCE, 'rotation not estimated');
  // No object: a point-sized box at the object point, as before; no covariance: unknown, never zero.
  assert.deepEqual(without!.bbox.size, { x: 0, y: 0, z: 0 });
  assert.deepEqual(without!.bbox.center.position, { x: 0.6, y: -0.2, z: 0.05 });
  assert.deepEqual(without!.results[0]!.pose.covariance, poseCovariance36(null));
  assert.equal(poseCovariance36(null)[0], UNKNOWN_VARIANCE);
});

test('a box that cannot be planned with (a zero or non-finite side, a NaN pose) counts as no box', () => {
  for (const box of [
    { center: objectExtent().box.center, size: { x: 0.08, y: 0, z: 0.1 } },
    { center: objectExtent().box.center, size: { x: 0.08, y: Number.NaN, z: 0.1 } },
    { center: { position: { x: Number.NaN, y: 0, z: 0 }, orientation: YAW30 }, size: { x: 0.1, y: 0.1, z: 0.1 } },
    { center: { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 0 } }, size: { x: 0.1, y: 0.1, z: 0.1 } },
  ]) {
    const r = okResult({ waypoints: [waypoint(0, { object: objectExtent({ box }) })] });
    assert.deepEqual(collisionObjectsFromResult(r), [], JSON.stringify(box));
    assert.deepEqual(detection3DArrayFromResult(r)!.detections[0]!.bbox.size, { x: 0, y: 0, z: 0 });
    assert.equal(markerArrayFromResult(r).markers.filter((m) => m.type === MARKER.CUBE).length, 0);
  }
});

test('CollisionObject: one BOX per object, ADD, named from label, request and rank, at the box centre', () => {
  const objects = collisionObjectsFromResult(objectResult());
  assert.equal(objects.length, 1, 'the waypoint without an object adds nothing');
  const o = objects[0]!;
  assertWireExact('moveit_msgs/msg/CollisionObject', o);
  assert.deepEqual(o.header, { stamp: STAMP, frame_id: 'base_link' });
  assert.equal(o.id, 'red_mug_req-1_0');
  assert.equal(o.operation, COLLISION_OBJECT.ADD);
  assert.deepEqual(o.pose, { position: { x: 0.5, y: -0.2, z: 0 }, orientation: BOX_Q });
  assert.deepEqual(o.primitives, [{ type: SOLID_PRIMITIVE_BOX, dimensions: [0.08, 0.06, 0.1], polygon: { points: [] } }]);
  assert.deepEqual(o.primitive_poses, [{ position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } }]);
  assert.deepEqual(collisionObjectsFromResult(failedResult()), []);

  const remove = removeCollisionObject(o.id, o.header);
  assertWireExact('moveit_msgs/msg/CollisionObject', remove);
  assert.equal(remove.operation, COLLISION_OBJECT.REMOVE);
  assert.equal(remove.id, o.id);
  assert.deepEqual(remove.primitives, []);
});

test('collision object ids keep only letters, digits, _ and - (a / would name a subframe)', () => {
  assert.equal(collisionObjectId('console-7/a b', { label: 'the red/blue mug', rank: 2 }), 'the_red_blue_mug_console-7_a_b_2');
  assert.equal(collisionObjectId('req-1', { label: '杯子', rank: 0 }), '__req-1_0');
  assert.equal(collisionObjectId('req-1', { label: '  ', rank: 0 }), 'object_req-1_0');
});

test('PoseWithCovarianceStamped: the best pose with the covariance of its point, orientation unknown', () => {
  const msg = poseWithCovarianceFromResult(objectResult());
  assert.ok(msg);
  assertWireExact('geometry_msgs/msg/PoseWithCovarianceStamped', msg);
  assert.deepEqual(msg.header, { stamp: STAMP, frame_id: 'base_link' });
  assert.deepEqual(msg.pose.pose.position, { x: 0.5, y: -0.2, z: 0.05 });
  near(msg.pose.pose.orientation.y, Math.SQRT1_2);
  assert.equal(msg.pose.covariance[0], COVARIANCE[0]);
  assert.equal(msg.pose.covariance[1], COVARIANCE[1]);
  assert.equal(msg.pose.covariance[14], COVARIANCE[8], 'zz');
  assert.equal(msg.pose.covariance[35], UNKNOWN_VARIANCE);
  const none = poseWithCovarianceFromResult(okResult());
  assert.deepEqual(none!.pose.covariance, poseCovariance36(null), 'no covariance: unknown');
  assert.equal(poseWithCovarianceFromResult(okResult({ waypoints: [waypoint(0, { covariance: [1, 0, 0, 0, Number.NaN, 0, 0, 0, 1] })] }))!.pose.covariance[0], UNKNOWN_VARIANCE, 'a NaN covariance is none');
  assert.equal(poseWithCovarianceFromResult(failedResult()), null);
});

test('markers: the box as a translucent CUBE, the uncertainty as a SPHERE along the covariance axes', () => {
  const msg = markerArrayFromResult(objectResult(), { ns: 'mw', ellipsoidSigmas: 2 });
  assertWireExact('visualization_msgs/msg/MarkerArray', msg);
  const cube = msg.markers.find((m) => m.ns === 'mw/box')!;
  assert.equal(cube.type, MARKER.CUBE);
  assert.equal(cube.id, 0);
  assert.deepEqual(cube.pose, { position: { x: 0.5, y: -0.2, z: 0 }, orientation: BOX_Q });
  assert.deepEqual(cube.scale, { x: 0.08, y: 0.06, z: 0.1 });
  assert.ok(cube.color.a > 0 && cube.color.a < 1, 'transparent');
  const ellipsoids = msg.markers.filter((m) => m.ns === 'mw/uncertainty');
  assert.equal(ellipsoids.length, 1, 'only the waypoint with a covariance');
  const e = ellipsoids[0]!;
  assert.equal(e.type, MARKER.SPHERE);
  assert.deepEqual(e.pose.position, { x: 0.5, y: -0.2, z: 0.05 });
  // Each marker axis, turned into the frame, is a principal axis: its variance there is (diameter / 2 / sigmas)².
  const axes = [{ x: 1, y: 0, z: 0 }, { x: 0, y: 1, z: 0 }, { x: 0, y: 0, z: 1 }] as const;
  const scales = [e.scale.x, e.scale.y, e.scale.z];
  axes.forEach((axis, i) => {
    const v = rotateVector(e.pose.orientation, axis);
    const c = COVARIANCE;
    const cv = { x: c[0]! * v.x + c[1]! * v.y + c[2]! * v.z, y: c[3]! * v.x + c[4]! * v.y + c[5]! * v.z, z: c[6]! * v.x + c[7]! * v.y + c[8]! * v.z };
    const variance = (scales[i]! / 4) ** 2;
    near(cv.x, variance * v.x, 1e-15);
    near(cv.y, variance * v.y, 1e-15);
    near(cv.z, variance * v.z, 1e-15);
  });
  // σ 1, 2, 3 mm at 2σ: diameters 4, 8, 12 mm.
  assert.deepEqual(scales.map((s) => Math.round(s * 1e6) / 1e3).sort((a, b) => a - b), [4, 8, 12]);
  // The marker ids of the existing markers are unchanged.
  assert.deepEqual(msg.markers.filter((m) => m.ns === 'mw').map((m) => m.id), [0, 0, 1, 2, 3, 4, 5]);
});

test('ellipsoid: right-handed axes, null for a covariance with nothing to draw', () => {
  const e = covarianceEllipsoid([4e-6, 0, 0, 0, 1e-6, 0, 0, 0, 9e-6], 1);
  assert.ok(e);
  near(Math.hypot(e.orientation.x, e.orientation.y, e.orientation.z, e.orientation.w), 1);
  assert.deepEqual([e.diameters.x, e.diameters.y, e.diameters.z].map((d) => Math.round(d * 1e6)), [2000, 4000, 6000]);
  assert.equal(covarianceEllipsoid([0, 0, 0, 0, 0, 0, 0, 0, 0], 2), null);
  const flat = markerArrayFromResult(okResult({ waypoints: [waypoint(0, { covariance: [1e-6, 0, 0, 0, 0, 0, 0, 0, 1e-6] })] }));
  const m = flat.markers.find((x) => x.ns.endsWith('/uncertainty'))!;
  assert.ok(Math.min(m.scale.x, m.scale.y, m.scale.z) > 0, 'a zero axis is drawn thin, never 0 (RViz warns)');
});
