import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DIAGNOSTIC_LEVEL,
  MARKER,
  detection3DArrayFromResult,
  diagnosticArrayFromHealth,
  durationMsg,
  markerArrayFromResult,
  pointStampedFromGoal,
  pointStampedFromResult,
  poseArrayFromResult,
  poseStampedFromGoal,
  poseStampedFromWaypoint,
  resultJson,
  unitQuaternion,
} from '../../src/messages/outputs.js';
import { STAMP_NS, failedResult, goal, health, okResult, waypoint } from '../ros/sample-results.js';
import { assertWireExact } from '../helpers/wire.js';

// The capture stamp as builtin_interfaces/Time.
const STAMP = { sec: 1_712_345_678, nanosec: 123_456_789 };

function assertUnit(q: { x: number; y: number; z: number; w: number }): void {
  assert.ok(Math.abs(Math.hypot(q.x, q.y, q.z, q.w) - 1) < 1e-12, `unit quaternion ${JSON.stringify(q)}`);
}

test('PoseArray: every waypoint best first, the capture stamp and the target frame, unit quaternions', () => {
  const result = okResult({ waypoints: [waypoint(1), waypoint(0)] });
  const msg = poseArrayFromResult(result);
  assert.ok(msg);
  assertWireExact('geometry_msgs/msg/PoseArray', msg);
  assert.deepEqual(msg.header, { stamp: STAMP, frame_id: 'base_link' });
  assert.equal(msg.poses.length, 2);
  assert.equal(msg.poses[0]!.position.x, 0.5, 'rank 0 first although listed second');
  for (const p of msg.poses) assertUnit(p.orientation);
  assert.ok(Math.abs(msg.poses[0]!.orientation.y - Math.SQRT1_2) < 1e-12, 'the ×2 quaternion was normalised');
  assert.equal(poseArrayFromResult(failedResult()), null, 'nothing to publish for a failed result');
});

test('PointStamped: the best waypoint\'s object point', () => {
  const msg = pointStampedFromResult(okResult());
  assert.ok(msg);
  assertWireExact('geometry_msgs/msg/PointStamped', msg);
  assert.deepEqual(msg, { header: { stamp: STAMP, frame_id: 'base_link' }, point: { x: 0.5, y: -0.2, z: 0.05 } });
  assert.equal(pointStampedFromResult(failedResult()), null);
});

test('PoseStamped from a waypoint and from a dispatched goal under each stamp policy', () => {
  const fromWaypoint = poseStampedFromWaypoint(waypoint(0));
  assertWireExact('geometry_msgs/msg/PoseStamped', fromWaypoint);
  assert.deepEqual(fromWaypoint.header, { stamp: STAMP, frame_id: 'base_link' });

  const g = goal();
  const capture = poseStampedFromGoal(g, 'capture', 5_000_000_001n);
  const zero = poseStampedFromGoal(g, 'zero', 5_000_000_001n);
  const now = poseStampedFromGoal(g, 'now', 5_000_000_001n);
  for (const m of [capture, zero, now]) {
    assertWireExact('geometry_msgs/msg/PoseStamped', m);
    assert.equal(m.header.frame_id, 'map');
    assert.deepEqual(m.pose.position, { x: 2, y: 1, z: 0 });
    // The goal's all-zero quaternion must never reach Nav2: it becomes identity.
    assert.deepEqual(m.pose.orientation, { x: 0, y: 0, z: 0, w: 1 });
  }
  assert.deepEqual(capture.header.stamp, STAMP);
  assert.deepEqual(zero.header.stamp, { sec: 0, nanosec: 0 });
  assert.deepEqual(now.header.stamp, { sec: 5, nanosec: 1 });
});

test('PointStamped from a dispatched point goal: the position only, in its frame, with the capture stamp', () => {
  const msg = pointStampedFromGoal(goal({ mode: 'point', frameId: 'base_link', pose: { position: { x: 0.5, y: -0.2, z: 0.05 }, orientation: { x: 0, y: 0, z: 0, w: 1 } } }));
  assertWireExact('geometry_msgs/msg/PointStamped', msg);
  assert.deepEqual(msg, { header: { stamp: STAMP, frame_id: 'base_link' }, point: { x: 0.5, y: -0.2, z: 0.05 } });
});

test('MarkerArray: DELETEALL first, then sphere, approach arrow and label per waypoint with stable ids', () => {
  const msg = markerArrayFromResult(okResult(), { lifetimeS: 2.5, ns: 'mw' });
  assertWireExact('visualization_msgs/msg/MarkerArray', msg);
  const [clear, ...rest] = msg.markers;
  assert.equal(clear!.action, MARKER.DELETEALL);
  assert.equal(clear!.ns, 'mw');
  assert.deepEqual(rest.map((m) => [m.id, m.type]), [
    [0, MARKER.SPHERE], [1, MARKER.ARROW], [2, MARKER.TEXT_VIEW_FACING],
    [3, MARKER.SPHERE], [4, MARKER.ARROW], [5, MARKER.TEXT_VIEW_FACING],
  ]);
  for (const m of msg.markers) {
    assert.deepEqual(m.header, { stamp: STAMP, frame_id: 'base_link' }, 'one frame, the capture stamp');
    assertUnit(m.pose.orientation);
  }
  for (const m of rest) {
    assert.deepEqual(m.lifetime, { sec: 2, nanosec: 500_000_000 });
    assert.equal(m.action, MARKER.ADD);
    assert.ok(m.color.a > 0, 'visible');
  }
  const [sphere, arrow, text] = rest;
  assert.deepEqual(sphere!.pose.position, { x: 0.5, y: -0.2, z: 0.05 });
  // Pick: the arrow runs from the pre-grasp position to the grasp position.
  assert.deepEqual(arrow!.points, [{ x: 0.5, y: -0.2, z: 0.15 }, { x: 0.5, y: -0.2, z: 0.05 }]);
  assert.equal(text!.text, 'red mug');
  assert.ok(text!.pose.position.z > sphere!.pose.position.z, 'label above the sphere');
  assert.equal(rest[5]!.text, 'mug 1 (2)');
});

test('MarkerArray: point mode arrives against the normal; navigate shows the heading of the stand-off pose', () => {
  const point = markerArrayFromResult(okResult({ mode: 'point', waypoints: [waypoint(0, { preGraspPose: null })] }), { arrowM: 0.2 });
  const arrow = point.markers.find((m) => m.type === MARKER.ARROW);
  assert.deepEqual(arrow!.points, [{ x: 0.5, y: -0.2, z: 0.25 }, { x: 0.5, y: -0.2, z: 0.05 }]);

  const yaw90 = { x: 0, y: 0, z: Math.SQRT1_2, w: Math.SQRT1_2 };
  const nav = markerArrayFromResult(okResult({
    mode: 'navigate',
    waypoints: [waypoint(0, { preGraspPose: null, normal: null, frameId: 'map', pose: { position: { x: 1, y: 1, z: 0 }, orientation: yaw90 } })],
  }), { arrowM: 0.5 });
  assertWireExact('visualization_msgs/msg/MarkerArray', nav);
  const heading = nav.markers.find((m) => m.type === MARKER.ARROW)!.points;
  assert.deepEqual(heading[0], { x: 1, y: 1, z: 0 });
  assert.ok(Math.abs(heading[1]!.x - 1) < 1e-12 && Math.abs(heading[1]!.y - 1.5) < 1e-12, 'facing +y after a 90° yaw');

  const none = markerArrayFromResult(okResult({ mode: 'point', waypoints: [waypoint(0, { preGraspPose: null, normal: null })] }));
  assert.equal(none.markers.filter((m) => m.type === MARKER.ARROW).length, 0, 'no direction, no arrow');
});

test('MarkerArray for a failed result is the DELETEALL alone, clearing the previous targets', () => {
  const msg = markerArrayFromResult(failedResult());
  assertWireExact('visualization_msgs/msg/MarkerArray', msg);
  assert.equal(msg.markers.length, 1);
  assert.equal(msg.markers[0]!.action, MARKER.DELETEALL);
  assert.deepEqual(msg.markers[0]!.header, { stamp: STAMP, frame_id: 'base_link' });
  const noStamp = markerArrayFromResult(failedResult({ stampNs: null, status: 'no_frame' }));
  assert.deepEqual(noStamp.markers[0]!.header.stamp, { sec: 0, nanosec: 0 });
});

test('Detection3DArray: label as class id, quality as score, covariance filled to 36', () => {
  const msg = detection3DArrayFromResult(okResult());
  assert.ok(msg);
  assertWireExact('vision_msgs/msg/Detection3DArray', msg);
  assert.equal(msg.detections.length, 2);
  const d = msg.detections[0]!;
  assert.deepEqual(d.header, { stamp: STAMP, frame_id: 'base_link' });
  assert.equal(d.id, 'req-1/0');
  assert.deepEqual(d.results[0]!.hypothesis, { class_id: 'red mug', score: 0.9 });
  assert.equal(d.results[0]!.pose.covariance.length, 36);
  assert.deepEqual(d.results[0]!.pose.pose.position, { x: 0.5, y: -0.2, z: 0.05 });
  assert.deepEqual(d.bbox.center.position, { x: 0.5, y: -0.2, z: 0.05 });
  assert.equal(detection3DArrayFromResult(failedResult()), null);
});

test('result JSON keeps int64 stamps exact as strings', () => {
  const msg = resultJson(okResult());
  assertWireExact('std_msgs/msg/String', msg);
  const parsed = JSON.parse(msg.data) as { stampNs: string; waypoints: { stampNs: string }[]; status: string };
  assert.equal(parsed.stampNs, STAMP_NS.toString());
  assert.equal(parsed.waypoints[0]!.stampNs, '1712345678123456789');
  assert.equal(parsed.status, 'ok');
});

test('DiagnosticArray: inputs, TF, model and requests with levels that follow the health', () => {
  const msg = diagnosticArrayFromHealth(health(), 42_000_000_007n, { name: 'molmo_waypoints', staleMs: 500 });
  assertWireExact('diagnostic_msgs/msg/DiagnosticArray', msg);
  assert.deepEqual(msg.header.stamp, { sec: 42, nanosec: 7 });
  const byName = new Map(msg.status.map((s) => [s.name, s]));
  const inputs = byName.get('molmo_waypoints: inputs')!;
  assert.equal(inputs.level, DIAGNOSTIC_LEVEL.WARN);
  assert.match(inputs.message, /waiting for camera_info/);
  const values = new Map(inputs.values.map((v) => [v.key, v.value]));
  assert.equal(values.get('color.rate_hz'), '29.970');
  assert.equal(values.get('color.age_ms'), '12');
  assert.equal(values.get('camera_info.age_ms'), '');
  assert.equal(values.get('dropped.sync'), '2');
  const tf = byName.get('molmo_waypoints: tf')!;
  assert.equal(tf.level, DIAGNOSTIC_LEVEL.WARN);
  assert.match(tf.message, /'map' does not exist \(known: base_link, camera_link\)/);
  const model = byName.get('molmo_waypoints: model')!;
  assert.equal(model.level, DIAGNOSTIC_LEVEL.WARN);
  assert.equal(model.message, 'molmo: 1/2 endpoints healthy');
  const requests = byName.get('molmo_waypoints: requests')!;
  assert.ok(requests.values.some((v) => v.key === 'status.ok' && v.value === '3'));
  assert.ok(requests.values.some((v) => v.key === 'latency_ms.p90' && v.value === '1200.500'));

  const fine = health({
    inputs: { ...health().inputs, camera_info: { count: 30, rateHz: 30, ageMs: 20 } },
    tf: { frames: ['base_link'], targetFrame: 'base_link', targetFrameConnected: true, latestAgeMs: 1 },
    model: { backend: 'molmo', endpoints: [{ url: 'http://b', healthy: false, lastError: 'x', lastLatencyMs: null }] },
  });
  const levels = diagnosticArrayFromHealth(fine, 0n, { name: 'n', staleMs: 500 }).status.map((s) => [s.name, s.level]);
  assert.deepEqual(levels, [['n: inputs', 0], ['n: tf', 0], ['n: model', 2], ['n: requests', 0]]);
  const stale = diagnosticArrayFromHealth(fine, 0n, { name: 'n', staleMs: 15 }).status[0]!;
  assert.equal(stale.level, DIAGNOSTIC_LEVEL.WARN);
  assert.match(stale.message, /stale: camera_info \(20 ms\)/);
});

test('helpers: durations, and quaternions that cannot be normalised become identity', () => {
  assert.deepEqual(durationMsg(0), { sec: 0, nanosec: 0 });
  assert.deepEqual(durationMsg(-1), { sec: 0, nanosec: 0 });
  assert.deepEqual(durationMsg(1.25), { sec: 1, nanosec: 250_000_000 });
  assert.deepEqual(unitQuaternion({ x: 0, y: 0, z: 0, w: 0 }), { x: 0, y: 0, z: 0, w: 1 });
  assert.deepEqual(unitQuaternion({ x: NaN, y: 0, z: 0, w: 1 }), { x: 0, y: 0, z: 0, w: 1 });
  assert.deepEqual(unitQuaternion({ x: 0, y: 0, z: 0, w: -2 }), { x: 0, y: 0, z: 0, w: -1 });
});
