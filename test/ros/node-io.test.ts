import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MARKER, type Detection3DArrayMsg } from '../../src/messages/outputs.js';
import { CAMERA_FRAME, STAMP, STAMP_NS, expectedBasePoint, startHarness } from './harness.js';

const near = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol;

test('inputs: camera topics with sensor-data QoS, /tf reliable, /tf_static reliable + transient local, keep last 100', async () => {
  const h = await startHarness();
  try {
    const sub = (t: string) => h.node.subscription(t)!;
    for (const t of ['/camera/color/image_raw', '/camera/aligned_depth_to_color/image_raw', '/camera/color/camera_info']) {
      assert.deepEqual(sub(t).qos, { history: 'keep_last', depth: 5, reliability: 'best_effort', durability: 'volatile' }, t);
    }
    assert.equal(sub('/camera/color/image_raw').type, 'sensor_msgs/msg/Image');
    assert.equal(sub('/camera/aligned_depth_to_color/image_raw').type, 'sensor_msgs/msg/Image');
    assert.equal(sub('/camera/color/camera_info').type, 'sensor_msgs/msg/CameraInfo');
    assert.deepEqual(sub('/tf').qos, { history: 'keep_last', depth: 100, reliability: 'reliable', durability: 'volatile' });
    // tf2_ros StaticListenerQoS: several latched publishers (robot_state_publisher, a camera driver, a calibration)
    // each deliver their message on joining; keep last 1 could drop all but one, and static frames are never re-sent.
    assert.deepEqual(sub('/tf_static').qos, { history: 'keep_last', depth: 100, reliability: 'reliable', durability: 'transient_local' });
    assert.equal(sub('/molmo_waypoints/point_at').type, 'std_msgs/msg/String');
    assert.equal(h.node.spinning, true);
  } finally {
    await h.close();
  }
});

test('outputs: result topics latch the latest result, goal topics are volatile', async () => {
  const h = await startHarness({ overrides: { publish_nav_goal: true } });
  try {
    const latched = { history: 'keep_last', depth: 1, reliability: 'reliable', durability: 'transient_local' };
    const volatile = { history: 'keep_last', depth: 10, reliability: 'reliable', durability: 'volatile' };
    const expect: [string, string, object][] = [
      ['/molmo_waypoints/waypoints', 'geometry_msgs/msg/PoseArray', latched],
      ['/molmo_waypoints/point', 'geometry_msgs/msg/PointStamped', latched],
      ['/molmo_waypoints/markers', 'visualization_msgs/msg/MarkerArray', latched],
      ['/molmo_waypoints/detections', 'vision_msgs/msg/Detection3DArray', latched],
      ['/molmo_waypoints/result', 'std_msgs/msg/String', latched],
      ['/molmo_waypoints/goal_point', 'geometry_msgs/msg/PointStamped', volatile],
      ['/molmo_waypoints/pick_pose', 'geometry_msgs/msg/PoseStamped', volatile],
      ['/molmo_waypoints/pre_grasp_pose', 'geometry_msgs/msg/PoseStamped', volatile],
      ['/goal_pose', 'geometry_msgs/msg/PoseStamped', volatile],
      ['/diagnostics', 'diagnostic_msgs/msg/DiagnosticArray', volatile],
    ];
    for (const [topic, type, qos] of expect) {
      const p = h.node.publisher(topic);
      assert.ok(p, `publisher on ${topic}`);
      assert.equal(p.type, type, topic);
      assert.deepEqual(p.qos, qos, topic);
    }
  } finally {
    await h.close();
  }
});

test('a query on ~/point_at: frames in, Molmo over HTTP, every output with the image stamp and the target frame', async () => {
  const h = await startHarness();
  try {
    h.feedFrame();
    assert.ok(h.bridge.latestFrame(), 'colour, depth and camera info were synced into a snapshot');
    const done = h.nextResult();
    assert.equal(h.node.inject('~/point_at', { data: '  the red mug ' }), 1);
    const result = await done;
    assert.equal(result.status, 'ok', result.reason);
    assert.equal(result.query, 'the red mug');
    assert.equal(result.mode, 'point', 'default_mode');
    assert.equal(h.server.requests.length, 1);
    assert.match(h.server.requests[0]!.prompt ?? '', /red mug/);
    assert.equal(h.server.requests[0]!.imageMime, 'image/jpeg');

    const header = { stamp: STAMP, frame_id: 'base_link' };
    const [pixel] = result.pixels;
    assert.ok(pixel);
    assert.deepEqual([pixel.u, pixel.v], [31.5, 23.5], '50 % of 64×48 from the corner, − 0.5 onto the pixel-centre grid');
    const expected = expectedBasePoint(pixel.u, pixel.v);

    const json = h.node.messages<{ data: string }>('~/result');
    assert.equal(json.length, 1);
    const parsed = JSON.parse(json[0]!.data) as { id: string; status: string; stampNs: string; cameraFrameId: string };
    assert.deepEqual([parsed.id, parsed.status, parsed.stampNs, parsed.cameraFrameId], [result.id, 'ok', STAMP_NS.toString(), CAMERA_FRAME]);
    assert.match(result.id, /^ros-topic-/);

    const [poses] = h.node.messages<{ header: unknown; poses: { position: { x: number; y: number; z: number }; orientation: { w: number } }[] }>('~/waypoints');
    assert.deepEqual(poses!.header, header);
    assert.equal(poses!.poses.length, 1);
    const p = poses!.poses[0]!.position;
    assert.ok(near(p.x, expected.x) && near(p.y, expected.y) && near(p.z, expected.z), `${JSON.stringify(p)} vs ${JSON.stringify(expected)}`);
    assert.ok(near(p.x, 0.5) && near(p.y, 0) && near(p.z, 0), 'the image centre is the principal point (31.5, 23.5): straight below the camera, on the floor');

    const [point] = h.node.messages<{ header: unknown; point: unknown }>('~/point');
    assert.deepEqual(point, { header, point: { x: p.x, y: p.y, z: p.z } });

    const [markers] = h.node.messages<{ markers: { action: number; type: number; ns: string; header: unknown; text: string; points: { x: number; y: number; z: number }[] }[] }>('~/markers');
    assert.equal(markers!.markers[0]!.action, MARKER.DELETEALL);
    // The object box and uncertainty ellipsoid (when the pipeline gives them) are in namespaces of their own.
    assert.deepEqual(markers!.markers.slice(1).filter((m) => m.ns === 'molmo_waypoints').map((m) => m.type), [MARKER.SPHERE, MARKER.ARROW, MARKER.TEXT_VIEW_FACING]);
    for (const m of markers!.markers) assert.deepEqual(m.header, header);
    // The floor's normal points up (toward the camera): the arrow comes down onto the point.
    const [from, to] = markers!.markers[2]!.points;
    assert.ok(near(from!.z - to!.z, 0.15, 1e-6) && near(from!.x, to!.x, 1e-6) && near(to!.z, p.z, 1e-9), JSON.stringify([from, to]));
    assert.equal(markers!.markers[3]!.text, 'red mug');

    const [detections] = h.node.messages<Detection3DArrayMsg>('~/detections');
    assert.deepEqual(detections!.header, header);
    assert.equal(detections!.detections[0]!.results[0]!.hypothesis.class_id, 'red mug');

    assert.equal(h.node.messages('~/pick_pose').length, 0, 'nothing moves the robot without a dispatch');
    assert.equal(h.node.messages('/goal_pose').length, 0);
  } finally {
    await h.close();
  }
});

test('a failed query publishes its result and clears the markers, but no waypoints', async () => {
  const h = await startHarness({ fallback: { answer: 'There are none.' } });
  try {
    h.feedFrame();
    const done = h.nextResult();
    h.node.inject('~/point_at', { data: 'a unicorn' });
    const result = await done;
    assert.equal(result.status, 'no_points');
    const [json] = h.node.messages<{ data: string }>('~/result');
    assert.equal((JSON.parse(json!.data) as { status: string }).status, 'no_points');
    const [markers] = h.node.messages<{ markers: { action: number }[] }>('~/markers');
    assert.deepEqual(markers!.markers.map((m) => m.action), [MARKER.DELETEALL]);
    assert.equal(h.node.messages('~/waypoints').length, 0);
    assert.equal(h.node.messages('~/point').length, 0);
    assert.equal(h.node.messages('~/detections').length, 0);
  } finally {
    await h.close();
  }
});

test('a query before any frame ends as no_frame; an empty query is ignored with a warning', async () => {
  const h = await startHarness();
  try {
    assert.equal(h.node.inject('~/point_at', { data: '   ' }), 1);
    assert.ok(h.node.logs.some((l) => l.level === 'warn' && /empty query/.test(l.message)));
    const done = h.nextResult();
    h.node.inject('~/point_at', { data: 'the red mug' });
    assert.equal((await done).status, 'no_frame');
    assert.equal(h.server.requests.length, 0);
  } finally {
    await h.close();
  }
});

test('bad input messages are dropped with a throttled warning and do not reach the bridge', async () => {
  const h = await startHarness();
  try {
    const broken = { header: { stamp: STAMP, frame_id: CAMERA_FRAME }, height: 48, width: 64, encoding: 'rgb8', is_bigendian: 0, step: 192, data: new Uint8Array(10) };
    for (let i = 0; i < 5; i++) h.node.inject('/camera/color/image_raw', broken);
    const warnings = h.node.logs.filter((l) => l.level === 'warn' && l.message.includes('/camera/color/image_raw'));
    assert.equal(warnings.length, 1, 'logged once, the rest throttled');
    assert.match(warnings[0]!.message, /data has 10 bytes, fewer than step\*height/);
    assert.equal(h.bridge.health().inputs.color.count, 0);
  } finally {
    await h.close();
  }
});

test('compressed colour transport subscribes <color_topic>/compressed', async () => {
  const h = await startHarness({ overrides: { 'topics.color_transport': 'compressed', 'topics.color': '/cam/color/image_raw' } });
  try {
    const sub = h.node.subscription('/cam/color/image_raw/compressed');
    assert.ok(sub);
    assert.equal(sub.type, 'sensor_msgs/msg/CompressedImage');
    assert.equal(h.node.subscription('/cam/color/image_raw'), undefined);
  } finally {
    await h.close();
  }
});

test('close() stops the node: no more publications, subscriptions destroyed, runtime untouched (not owned)', async () => {
  const h = await startHarness();
  await h.close();
  assert.equal(h.node.destroyed, true);
  assert.ok(h.node.subscriptions.every((s) => s.destroyed));
  assert.equal(h.runtime.shutDown, false, 'a runtime handed in is the caller\'s to shut down');
  assert.equal(h.bridge.listenerCount('result'), 0);
  assert.equal(h.bridge.listenerCount('dispatch'), 0);
});

test('an exception from the bridge never reaches the client library: the callback logs it and returns', async () => {
  const h = await startHarness();
  try {
    h.bridge.ingest = () => {
      throw new Error('boom');
    };
    h.feedFrame();
    h.feedFrame();
    const errors = h.node.logs.filter((l) => l.level === 'error' && l.message.includes('boom'));
    assert.ok(errors.length >= 4, 'each topic reports it once');
    assert.match(errors[0]!.message, /^ingesting a tf2_msgs\/msg\/TFMessage from \/tf_static failed: boom/);
    assert.equal(new Set(errors.map((e) => e.message.split(' from ')[1]!.split(' ')[0])).size, errors.length, 'throttled per topic');
  } finally {
    await h.close();
  }
});
