import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeCdr } from '../../src/messages/cdr.js';
import { cameraInfoFromMsg, compressedImageFromMsg, headerFromMsg, rawImageFromMsg, transformsFromTfMsg } from '../../src/messages/inputs.js';
import type { FrameSnapshot, PointRequest, PointResult, SourceEvent, Waypoint } from '../../src/pipeline/types.js';
import { McapSource } from '../../src/sources/mcap-source.js';
import { Recorder } from '../../src/sources/recorder.js';
import type { TransformStamped } from '../../src/geometry/types.js';
import { DEMO_MCAP, readMcap, withTempDir, type ReadBackMessage } from './helpers.js';

/** Snapshots built from the demo recording's frames, as the pipeline would hold them. */
async function demoSnapshots(): Promise<{ snapshots: FrameSnapshot[]; tf: SourceEvent[] }> {
  const events: SourceEvent[] = [];
  await new McapSource({ path: DEMO_MCAP, realtime: false }).start((e) => events.push(e));
  const colors = events.filter((e) => e.kind === 'color');
  const depths = events.filter((e) => e.kind === 'depth');
  const infos = events.filter((e) => e.kind === 'camera_info');
  const snapshots = colors.map((c, i): FrameSnapshot => {
    const d = depths[i]!;
    const info = infos[i]!;
    assert.ok(c.kind === 'color' && d.kind === 'depth' && info.kind === 'camera_info');
    return {
      seq: i + 1, stampNs: c.header.stampNs, frameId: c.header.frameId, color: c.image, depth: d.image,
      depthStampNs: d.header.stampNs, cameraInfo: info.info, receivedAtMs: 1000 + i,
    };
  });
  return { snapshots, tf: events.filter((e) => e.kind === 'tf') };
}

function waypoint(rank: number, stampNs: bigint): Waypoint {
  const p = { x: 1 + rank, y: -0.5, z: 0.25 };
  return {
    rank, label: `mug ${rank}`, pixel: { u: 100 + rank, v: 200 }, cameraPoint: { x: 0.1, y: 0.2, z: 1.3 }, point: p,
    pose: { position: p, orientation: { x: 0, y: 0, z: Math.SQRT1_2, w: Math.SQRT1_2 } }, preGraspPose: null,
    normal: { x: 0, y: 0, z: 1 }, frameId: 'map', stampNs, depthM: 1.3, validRatio: 0.9, depthSpreadM: 0.004, quality: 0.8,
    box: null, object: null, covariance: null, targetKind: 'surface',
  };
}

function result(id: string, snapshot: FrameSnapshot | null, ok: boolean): PointResult {
  const stampNs = snapshot?.stampNs ?? null;
  return {
    id, status: ok ? 'ok' : 'model_error', reason: ok ? '' : 'HTTP 500 from model', mode: 'point', query: 'the mug',
    targetFrame: 'map', stampNs, frameSeq: snapshot?.seq ?? null, cameraFrameId: snapshot?.frameId ?? null,
    waypoints: ok && stampNs !== null ? [waypoint(0, stampNs), waypoint(1, stampNs)] : [],
    pixels: ok ? [1, 2].map((id) => ({ u: 99 + id, v: 200, label: 'mug', alt: null, image: 1, id })) : [],
    pixelStatus: ok ? ['ok', 'ok'] : [], rawText: '<point x="15.6" y="41.7">mug</point>', model: 'molmo-test',
    timings: { snapshot: 0.1, point: 12, total: 13 }, tfFallback: false,
  };
}

function on(messages: ReadBackMessage[], topic: string): ReadBackMessage[] {
  return messages.filter((m) => m.topic === topic);
}

test('a recorded session reads back with @mcap/core and decodes to what was recorded', async () => {
  const { snapshots, tf } = await demoSnapshots();
  await withTempDir(async (dir) => {
    const path = join(dir, 'session.mcap');
    const errors: Error[] = [];
    const rec = await Recorder.open({ path, onError: (e) => errors.push(e) });
    for (const e of tf) if (e.kind === 'tf') assert.equal(await rec.recordTransforms(e.transforms, e.isStatic), true);
    // The same static transform again is not written twice.
    const st = tf.find((e) => e.kind === 'tf' && e.isStatic);
    assert.ok(st?.kind === 'tf');
    await rec.recordTransforms(st.transforms, true);
    const req: PointRequest = { id: 'r1', query: 'the mug', mode: 'point', targetFrame: 'map', maxPoints: 2 };
    assert.equal(await rec.recordRequest(req), true);
    const snap = snapshots[2]!;
    const res = result('r1', snap, true);
    assert.equal(await rec.recordResult(res, snap), true);
    await rec.recordResult(result('r2', snap, false), snap); // same snapshot: frames not written again
    await rec.close();
    assert.deepEqual(errors, []);
    assert.deepEqual(rec.stats(), { requests: 1, results: 2, snapshots: 1, transforms: 6, failed: 0, files: 1 });

    const { reader, messages } = await readMcap(path);
    assert.equal(reader.header.profile, 'ros2');
    for (const s of reader.schemasById.values()) assert.equal(s.encoding, 'ros2msg');
    for (const c of reader.channelsById.values()) assert.equal(c.messageEncoding, 'cdr');
    const types = Object.fromEntries([...reader.channelsById.values()].map((c) => [c.topic, reader.schemasById.get(c.schemaId)!.name]));
    assert.deepEqual(types, {
      '/tf_static': 'tf2_msgs/msg/TFMessage',
      '/tf': 'tf2_msgs/msg/TFMessage',
      '/molmo_waypoints/request': 'std_msgs/msg/String',
      '/camera/color/camera_info': 'sensor_msgs/msg/CameraInfo',
      '/camera/color/image_raw/compressed': 'sensor_msgs/msg/CompressedImage',
      '/camera/aligned_depth_to_color/image_raw': 'sensor_msgs/msg/Image',
      '/molmo_waypoints/result': 'std_msgs/msg/String',
      '/molmo_waypoints/waypoints': 'geometry_msgs/msg/PoseArray',
      '/molmo_waypoints/markers': 'visualization_msgs/msg/MarkerArray',
    });

    const tfStatic = on(messages, '/tf_static');
    assert.equal(tfStatic.length, 1);
    const statics: TransformStamped[] = transformsFromTfMsg(decodeCdr('tf2_msgs/msg/TFMessage', tfStatic[0]!.data));
    assert.deepEqual(statics, st.transforms);
    assert.equal(on(messages, '/tf').length, 5);

    const color = on(messages, '/camera/color/image_raw/compressed');
    assert.equal(color.length, 1);
    const colorMsg = decodeCdr<Record<string, unknown>>('sensor_msgs/msg/CompressedImage', color[0]!.data);
    assert.deepEqual(headerFromMsg(colorMsg['header']), { stampNs: snap.stampNs, frameId: 'camera_color_optical_frame' });
    assert.ok(snap.color.kind === 'compressed');
    assert.ok(Buffer.from(compressedImageFromMsg(colorMsg).data).equals(Buffer.from(snap.color.data)));
    assert.equal(color[0]!.logTime, snap.stampNs);

    const depth = rawImageFromMsg(decodeCdr('sensor_msgs/msg/Image', on(messages, '/camera/aligned_depth_to_color/image_raw')[0]!.data));
    assert.deepEqual({ ...depth, data: null }, { ...snap.depth, data: null });
    assert.ok(Buffer.from(depth.data).equals(Buffer.from(snap.depth.data)));
    const info = cameraInfoFromMsg(decodeCdr('sensor_msgs/msg/CameraInfo', on(messages, '/camera/color/camera_info')[0]!.data));
    assert.deepEqual(info, snap.cameraInfo);

    const reqBack = decodeCdr<{ data: string }>('std_msgs/msg/String', on(messages, '/molmo_waypoints/request')[0]!.data);
    assert.deepEqual(JSON.parse(reqBack.data), req);
    const results = on(messages, '/molmo_waypoints/result').map((m) => JSON.parse(decodeCdr<{ data: string }>('std_msgs/msg/String', m.data).data));
    assert.deepEqual(results.map((r) => [r.id, r.status]), [['r1', 'ok'], ['r2', 'model_error']]);
    assert.equal(results[0].stampNs, snap.stampNs.toString(), 'int64 stamps as decimal strings');
    assert.equal(results[0].waypoints[1].stampNs, snap.stampNs.toString());
    assert.deepEqual(results[0].waypoints[1].point, res.waypoints[1]!.point);

    const poses = on(messages, '/molmo_waypoints/waypoints');
    assert.equal(poses.length, 1, 'PoseArray only for the ok result');
    const pa = decodeCdr<{ header: unknown; poses: { position: unknown }[] }>('geometry_msgs/msg/PoseArray', poses[0]!.data);
    assert.deepEqual(headerFromMsg(pa.header), { stampNs: snap.stampNs, frameId: 'map' });
    assert.deepEqual(pa.poses.map((p) => p.position), [{ x: 1, y: -0.5, z: 0.25 }, { x: 2, y: -0.5, z: 0.25 }]);
    const markers = on(messages, '/molmo_waypoints/markers');
    assert.equal(markers.length, 2);
    const ma = decodeCdr<{ markers: { action: number }[] }>('visualization_msgs/msg/MarkerArray', markers[0]!.data);
    assert.equal(ma.markers[0]!.action, 3, 'DELETEALL first');
    assert.ok(ma.markers.length > 1);
  });
});

test('50 results recorded concurrently, some failed, all 50 are in the file', async () => {
  const { snapshots } = await demoSnapshots();
  await withTempDir(async (dir) => {
    const path = join(dir, 'concurrent.mcap');
    const rec = await Recorder.open({ path });
    const calls: Promise<boolean>[] = [];
    for (let i = 0; i < 50; i++) {
      const snap = i % 7 === 3 ? null : snapshots[i % snapshots.length]!;
      calls.push(rec.recordRequest({ id: `q${i}`, query: `thing ${i}`, mode: 'point' }));
      calls.push(rec.recordResult(result(`q${i}`, snap, i % 4 !== 0), snap));
    }
    const closing = rec.close(); // close while writes are still queued: it waits for them
    assert.deepEqual(new Set(await Promise.all(calls)), new Set([true]));
    await closing;
    const { messages } = await readMcap(path);
    const ids = on(messages, '/molmo_waypoints/result').map((m) => JSON.parse(decodeCdr<{ data: string }>('std_msgs/msg/String', m.data).data).id as string);
    assert.equal(ids.length, 50);
    assert.deepEqual([...ids].sort(), Array.from({ length: 50 }, (_, i) => `q${i}`).sort());
    assert.equal(on(messages, '/molmo_waypoints/request').length, 50);
    assert.equal(on(messages, '/camera/aligned_depth_to_color/image_raw').length, 5, 'each snapshot written once');
    assert.equal(rec.stats().failed, 0);
  });
});

test('after close a record call resolves false and reports why instead of throwing', async () => {
  await withTempDir(async (dir) => {
    const errors: Error[] = [];
    const rec = await Recorder.open({ path: join(dir, 'closed.mcap'), onError: (e) => errors.push(e) });
    await rec.close();
    await rec.close();
    assert.equal(await rec.recordResult(result('late', null, false), null), false);
    assert.equal(await rec.recordRequest({ id: 'late', mode: 'point' }), false);
    assert.equal(errors.length, 2);
    assert.match(errors[0]!.message, /closed/);
    // A malformed snapshot fails that call (its frames), yet its result, the file and later records are kept.
    const errors2: Error[] = [];
    const path2 = join(dir, 'bad.mcap');
    const rec2 = await Recorder.open({ path: path2, onError: (e) => errors2.push(e) });
    const { snapshots } = await demoSnapshots();
    const bad: FrameSnapshot = { ...snapshots[0]!, cameraInfo: { ...snapshots[0]!.cameraInfo, k: [1, 2, 3] } };
    assert.equal(await rec2.recordResult(result('a', bad, true), bad), false);
    assert.match(errors2[0]!.message, /fixed-length array field k/);
    assert.equal(await rec2.recordResult(result('b', null, false), null), true);
    await rec2.close();
    const { messages } = await readMcap(path2);
    const ids = on(messages, '/molmo_waypoints/result').map((m) => JSON.parse(decodeCdr<{ data: string }>('std_msgs/msg/String', m.data).data).id);
    assert.deepEqual(ids, ['a', 'b'], 'the result of the call whose frames failed is still recorded');
  });
});

test('a snapshot part that cannot even be built (a depth stamp beyond int32 seconds) costs only that part', async () => {
  const { snapshots } = await demoSnapshots();
  await withTempDir(async (dir) => {
    const path = join(dir, 'bad-part.mcap');
    const errors: Error[] = [];
    const rec = await Recorder.open({ path, onError: (e) => errors.push(e) });
    const bad: FrameSnapshot = { ...snapshots[0]!, depthStampNs: 1n << 62n };
    assert.equal(await rec.recordResult(result('a', bad, true), bad), false);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /header\.stamp\.sec .* does not fit int32/);
    assert.equal(await rec.recordResult(result('b', snapshots[1]!, true), snapshots[1]!), true);
    await rec.close();
    const { messages } = await readMcap(path);
    const ids = on(messages, '/molmo_waypoints/result').map((m) => JSON.parse(decodeCdr<{ data: string }>('std_msgs/msg/String', m.data).data).id);
    assert.deepEqual(ids, ['a', 'b'], 'the result whose frame could not be built is recorded');
    assert.equal(on(messages, '/molmo_waypoints/waypoints').length, 2);
    assert.equal(on(messages, '/molmo_waypoints/markers').length, 2);
    // Its other frames are kept too; only its depth image is missing.
    assert.equal(on(messages, '/camera/color/camera_info').length, 2);
    assert.equal(on(messages, '/camera/aligned_depth_to_color/image_raw').length, 1);
    assert.equal(rec.stats().failed, 1);
  });
});
