import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyTransform, compose, rotateVector } from '../../src/geometry/transform.js';
import type { SourceEvent } from '../../src/pipeline/types.js';
import { McapSource } from '../../src/sources/mcap-source.js';
import { makeDemoRecording, parseTrajectoryLog } from '../../scripts/make-demo-recording.js';
import { DEMO_FRAMES_DIR, DEMO_MCAP, readMcap, withTempDir } from './helpers.js';

test('the script rebuilds the committed demo recording byte for byte from the committed frames', async () => {
  await withTempDir(async (dir) => {
    const out = join(dir, 'demo.mcap');
    const summary = await makeDemoRecording(DEMO_FRAMES_DIR, out);
    assert.equal(summary.frames, 5);
    const [made, committed] = await Promise.all([readFile(out), readFile(DEMO_MCAP)]);
    assert.equal(made.length, committed.length);
    assert.ok(made.equals(committed), 'identical bytes');
  });
});

test('the demo is a rosbag2-style MCAP: ros2 profile, ros2msg schemas, cdr, QoS metadata, latched /tf_static', async () => {
  const { reader, messages } = await readMcap(DEMO_MCAP);
  assert.equal(reader.header.profile, 'ros2');
  const channels = [...reader.channelsById.values()].map((c) => {
    const schema = reader.schemasById.get(c.schemaId)!;
    return [c.topic, schema.name, schema.encoding, c.messageEncoding];
  });
  assert.deepEqual(channels.sort(), [
    ['/camera/aligned_depth_to_color/image_raw', 'sensor_msgs/msg/Image', 'ros2msg', 'cdr'],
    ['/camera/color/camera_info', 'sensor_msgs/msg/CameraInfo', 'ros2msg', 'cdr'],
    ['/camera/color/image_raw/compressed', 'sensor_msgs/msg/CompressedImage', 'ros2msg', 'cdr'],
    ['/tf', 'tf2_msgs/msg/TFMessage', 'ros2msg', 'cdr'],
    ['/tf_static', 'tf2_msgs/msg/TFMessage', 'ros2msg', 'cdr'],
  ]);
  const tfStatic = [...reader.channelsById.values()].find((c) => c.topic === '/tf_static')!;
  assert.match(tfStatic.metadata.get('offered_qos_profiles') ?? '', /durability: 1\n/);
  assert.equal(messages.length, 21);
  assert.equal(reader.statistics?.messageCount, 21n);
});

test('demo TF: map is z-up with the floor at z = 0 and the camera looking level', async () => {
  const events: SourceEvent[] = [];
  await new McapSource({ path: DEMO_MCAP, realtime: false }).start((e) => events.push(e));
  const staticTf = events.find((e) => e.kind === 'tf' && e.isStatic);
  const tf0 = events.find((e) => e.kind === 'tf' && !e.isStatic);
  const depth0 = events.find((e) => e.kind === 'depth');
  assert.ok(staticTf?.kind === 'tf' && tf0?.kind === 'tf' && depth0?.kind === 'depth');
  const mapFromCamera = compose(staticTf.transforms[0]!.transform, tf0.transforms[0]!.transform);
  // Image "down" (camera +y) must point down in map.
  const down = rotateVector(mapFromCamera.rotation, { x: 0, y: 1, z: 0 });
  assert.ok(down.z < -0.99, `camera y in map: ${JSON.stringify(down)}`);
  // Pixels on the floor (bottom rows of frame 0) land at z ≈ 0 in map.
  const dv = new DataView(depth0.image.data.buffer, depth0.image.data.byteOffset, depth0.image.data.byteLength);
  for (const [u, v] of [[320, 400], [200, 460], [500, 450]] as const) {
    const z = dv.getUint16((v * 640 + u) * 2, true) / 1000;
    assert.ok(z > 0, `depth at ${u},${v}`);
    const p = applyTransform(mapFromCamera, { x: ((u - 319.5) / 525) * z, y: ((v - 239.5) / 525) * z, z });
    assert.ok(Math.abs(p.z) < 0.03, `floor pixel ${u},${v} at map z = ${p.z.toFixed(3)} m`);
  }
});

test('the trajectory parser refuses a malformed log with the reason', () => {
  assert.throws(() => parseTrajectoryLog('0 0 1\n1 0 0 0\n0 1 0 0\n0 0 1 0\n'), /4 lines is not a multiple of 5/);
  assert.throws(() => parseTrajectoryLog('0 0 1\n1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 2\n'), /last row is not 0 0 0 1/);
  assert.equal(parseTrajectoryLog('0 0 1\n1 0 0 5\n0 1 0 6\n0 0 1 7\n0 0 0 1\n')[0]![3], 5);
});
