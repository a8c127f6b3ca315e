import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { compose } from '../../src/geometry/transform.js';
import type { DiagnosticArrayMsg } from '../../src/messages/outputs.js';
import { CAMERA_FRAME, startHarness, tfMsg } from './harness.js';

const CALIB = fileURLToPath(new URL('../../calibration/handeye_eye_on_base.calib', import.meta.url));
const CAMERA_LINK_FROM_OPTICAL = { translation: { x: 0, y: 0.015, z: 0 }, rotation: { x: -0.5, y: 0.5, z: -0.5, w: 0.5 } };

function statuses(msg: DiagnosticArrayMsg) {
  return new Map(msg.status.map((s) => [s.name, s]));
}

test('/diagnostics on the timer: bridge health plus topic graph, calibration and interfaces', async () => {
  const h = await startHarness({ now: () => 99_000_000_123n });
  try {
    assert.equal(h.node.timers.length, 1);
    assert.equal(h.node.timers[0]!.periodMs, 1000, 'diagnostics_period_s 1');
    h.feedFrame();
    h.node.graph.set('/camera/color/image_raw', [{ node: '/camera/camera', type: 'sensor_msgs/msg/Image', qos: { history: 'keep_last', depth: 10, reliability: 'reliable', durability: 'volatile' } }]);
    h.node.fireTimers();
    const [msg] = h.node.messages<DiagnosticArrayMsg>('/diagnostics');
    assert.ok(msg);
    assert.deepEqual(msg.header.stamp, { sec: 99, nanosec: 123 }, 'the node clock');
    const s = statuses(msg);
    assert.deepEqual([...s.keys()], [
      'molmo_waypoints: inputs',
      'molmo_waypoints: tf',
      'molmo_waypoints: model',
      'molmo_waypoints: requests',
      'molmo_waypoints: topic color',
      'molmo_waypoints: topic depth',
      'molmo_waypoints: topic camera_info',
      'molmo_waypoints: calibration',
      'molmo_waypoints: interfaces',
    ]);
    assert.equal(s.get('molmo_waypoints: inputs')!.level, 0, s.get('molmo_waypoints: inputs')!.message);
    assert.equal(s.get('molmo_waypoints: tf')!.level, 0, "base_link connects to the camera");
    const color = s.get('molmo_waypoints: topic color')!;
    assert.equal(color.level, 0, 'a reliable publisher matches our best-effort request');
    assert.ok(color.values.some((v) => v.key === 'publisher /camera/camera' && v.value === 'sensor_msgs/msg/Image; reliable, volatile, keep last 10'));
    const depth = s.get('molmo_waypoints: topic depth')!;
    assert.equal(depth.level, 1);
    assert.equal(depth.message, 'no publisher on /camera/aligned_depth_to_color/image_raw');
    assert.equal(s.get('molmo_waypoints: calibration')!.message, 'no calibration file configured');
    assert.equal(s.get('molmo_waypoints: interfaces')!.message, 'PointAt action and service offered');
  } finally {
    await h.close();
  }
});

test('an incompatible publisher QoS or message type is an ERROR naming both sides, logged once', async () => {
  const h = await startHarness({ overrides: { 'qos.image_reliability': 'reliable', 'qos.image_depth': 2 } });
  try {
    const sub = h.node.subscription('/camera/color/image_raw')!;
    assert.deepEqual(sub.qos, { history: 'keep_last', depth: 2, reliability: 'reliable', durability: 'volatile' });
    h.node.graph.set('/camera/color/image_raw', [{ node: '/cam', type: 'sensor_msgs/msg/Image', qos: { history: 'keep_last', depth: 5, reliability: 'best_effort', durability: 'volatile' } }]);
    h.node.graph.set('/camera/color/camera_info', [{ node: '/cam', type: 'sensor_msgs/msg/Image', qos: { history: 'keep_last', depth: 5, reliability: 'reliable', durability: 'volatile' } }]);
    h.node.fireTimers();
    h.node.fireTimers();
    const s = statuses(h.node.messages<DiagnosticArrayMsg>('/diagnostics')[1]!);
    const color = s.get('molmo_waypoints: topic color')!;
    assert.equal(color.level, 2);
    assert.equal(color.message, '/cam offers best_effort, volatile, keep last 5 on /camera/color/image_raw, we request reliable, volatile, keep last 2: RELIABILITY incompatible, no messages will arrive');
    assert.match(s.get('molmo_waypoints: topic camera_info')!.message, /\/cam publishes sensor_msgs\/msg\/Image, we expect sensor_msgs\/msg\/CameraInfo/);
    assert.equal(h.node.logs.filter((l) => l.level === 'warn' && l.message.includes('RELIABILITY incompatible')).length, 1);
  } finally {
    await h.close();
  }
});

test('qos.camera_info_durability transient_local: a latched camera info publisher matches; a volatile one is a DURABILITY error', async () => {
  const latched = { history: 'keep_last', depth: 1, reliability: 'reliable', durability: 'transient_local' } as const;
  const plain = { history: 'keep_last', depth: 5, reliability: 'best_effort', durability: 'volatile' } as const;
  // Default (volatile): a camera info published once, latched, before the node started is never received, but
  // periodic publishers of any kind match.
  let h = await startHarness();
  try {
    assert.deepEqual(h.node.subscription('/camera/color/camera_info')!.qos, plain);
  } finally {
    await h.close();
  }
  h = await startHarness({ overrides: { 'qos.camera_info_durability': 'transient_local' } });
  try {
    // Reliable as well: the stored message reaches a late joiner through the reliable protocol.
    assert.deepEqual(h.node.subscription('/camera/color/camera_info')!.qos, { ...plain, reliability: 'reliable', durability: 'transient_local' });
    assert.deepEqual(h.node.subscription('/camera/color/image_raw')!.qos, plain, 'images keep the sensor-data QoS');
    h.node.graph.set('/camera/color/camera_info', [{ node: '/latched', type: 'sensor_msgs/msg/CameraInfo', qos: latched }]);
    h.node.fireTimers();
    assert.equal(statuses(h.node.messages<DiagnosticArrayMsg>('/diagnostics')[0]!).get('molmo_waypoints: topic camera_info')!.level, 0);
    h.node.graph.set('/camera/color/camera_info', [{ node: '/cam', type: 'sensor_msgs/msg/CameraInfo', qos: { ...latched, durability: 'volatile' } }]);
    h.node.fireTimers();
    const info = statuses(h.node.messages<DiagnosticArrayMsg>('/diagnostics')[1]!).get('molmo_waypoints: topic camera_info')!;
    assert.equal(info.level, 2);
    assert.match(info.message, /DURABILITY incompatible/);
  } finally {
    await h.close();
  }
  await assert.rejects(startHarness({ overrides: { 'qos.camera_info_durability': 'latched' } }), /qos\.camera_info_durability' must be one of volatile, transient_local/);
});

test('hand-eye calibration as written: published on /tf_static (transient local) and in the bridge TF buffer', async () => {
  const h = await startHarness({ overrides: { 'tf.hand_eye': CALIB }, now: () => 5_000_000_000n });
  try {
    const pub = h.node.publisher('/tf_static')!;
    assert.deepEqual(pub.qos, { history: 'keep_last', depth: 1, reliability: 'reliable', durability: 'transient_local' });
    const [msg] = h.node.messages<{ transforms: { header: { stamp: unknown; frame_id: string }; child_frame_id: string; transform: { translation: unknown } }[] }>('/tf_static');
    assert.equal(msg!.transforms.length, 1);
    const t = msg!.transforms[0]!;
    assert.deepEqual([t.header.frame_id, t.child_frame_id], ['base_link', CAMERA_FRAME]);
    assert.deepEqual(t.header.stamp, { sec: 5, nanosec: 0 });
    assert.deepEqual(t.transform.translation, { x: 0.85, y: -0.42, z: 0.63 });
    assert.ok(h.bridge.tf.canTransform('base_link', CAMERA_FRAME, 0n));
    h.node.fireTimers();
    const calib = statuses(h.node.messages<DiagnosticArrayMsg>('/diagnostics')[0]!).get('molmo_waypoints: calibration')!;
    assert.equal(calib.level, 0);
    assert.equal(calib.message, `base_link -> ${CAMERA_FRAME}`);
  } finally {
    await h.close();
  }
});

test('hand-eye calibration attached to camera_link once the camera chain is known, composing to the calibration', async () => {
  const h = await startHarness({ overrides: { 'tf.hand_eye': CALIB, 'tf.hand_eye_attach_frame': 'camera_link' } });
  try {
    assert.equal(h.node.messages('/tf_static').length, 0, 'waits for camera_link -> optical frame');
    h.node.fireTimers();
    const waiting = statuses(h.node.messages<DiagnosticArrayMsg>('/diagnostics')[0]!).get('molmo_waypoints: calibration')!;
    assert.equal(waiting.level, 1);
    assert.match(waiting.message, /waits for TF camera_link -> camera_color_optical_frame/);

    h.node.inject('/tf_static', tfMsg('camera_link', CAMERA_FRAME, CAMERA_LINK_FROM_OPTICAL, { sec: 0, nanosec: 0 }));
    const published = h.node.messages<{ transforms: { header: { frame_id: string }; child_frame_id: string; transform: { translation: { x: number; y: number; z: number }; rotation: { x: number; y: number; z: number; w: number } } }[] }>('/tf_static');
    assert.equal(published.length, 1, 'published as soon as the chain arrived, once');
    const t = published[0]!.transforms[0]!;
    assert.deepEqual([t.header.frame_id, t.child_frame_id], ['base_link', 'camera_link']);
    // base <- camera_link <- optical must reproduce the calibration's base <- optical.
    const chained = compose(t.transform, CAMERA_LINK_FROM_OPTICAL);
    const direct = h.bridge.tf.lookupLatest('base_link', CAMERA_FRAME).transform;
    assert.ok(Math.abs(chained.translation.x - 0.85) < 1e-9 && Math.abs(chained.translation.y + 0.42) < 1e-9 && Math.abs(chained.translation.z - 0.63) < 1e-9);
    assert.ok(Math.abs(direct.translation.x - 0.85) < 1e-9, 'the bridge chains the attached calibration to the optical frame');
    const q = chained.rotation;
    const c = { x: 0.8402963649038376, y: 0.36338034575178263, z: -0.15968631731420047, w: -0.3692655189878144 };
    const dot = Math.abs(q.x * c.x + q.y * c.y + q.z * c.z + q.w * c.w) / Math.hypot(c.x, c.y, c.z, c.w);
    assert.ok(dot > 1 - 1e-12, `same rotation (|dot| ${dot})`);
    h.node.fireTimers();
    h.node.inject('/tf_static', tfMsg('camera_link', CAMERA_FRAME, CAMERA_LINK_FROM_OPTICAL, { sec: 0, nanosec: 0 }));
    assert.equal(h.node.messages('/tf_static').length, 1, 'not republished');
  } finally {
    await h.close();
  }
});

test('a broken calibration file stops the start with a message naming the file and field', async () => {
  await assert.rejects(
    startHarness({ overrides: { 'tf.hand_eye': '/nonexistent/handeye.calib' } }),
    (e: Error) => e.message.includes('/nonexistent/handeye.calib'),
  );
});
