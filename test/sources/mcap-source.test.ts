import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeCdr } from '../../src/messages/cdr.js';
import { cameraInfoToMsg, rawImageToMsg } from '../../src/messages/inputs.js';
import type { SourceEvent } from '../../src/pipeline/types.js';
import { loadDecompressHandlers, MAX_CHUNK_BYTES } from '../../src/sources/decompress.js';
import { McapSource } from '../../src/sources/mcap-source.js';
import type { SourceWarning } from '../../src/sources/types.js';
import { DEMO_START_NS, demoFrameStampNs } from '../../scripts/make-demo-recording.js';
import { DEMO_FRAMES_DIR, DEMO_MCAP, eventStamp, withTempDir, writeRawMcap } from './helpers.js';
import { cameraInfo } from '../helpers/camera-info.js';

async function collect(source: McapSource): Promise<SourceEvent[]> {
  const events: SourceEvent[] = [];
  await source.start((e) => events.push(e));
  return events;
}

test('the demo replays as fast as possible with every message, stamp and frame id', async () => {
  const warnings: SourceWarning[] = [];
  const source = new McapSource({ path: DEMO_MCAP, realtime: false, onWarning: (w) => warnings.push(w) });
  const events = await collect(source);
  assert.deepEqual(warnings, []);
  const byKind = (k: string, isStatic?: boolean) =>
    events.filter((e) => e.kind === k && (isStatic === undefined || (e.kind === 'tf' && e.isStatic === isStatic)));
  assert.equal(byKind('color').length, 5);
  assert.equal(byKind('depth').length, 5);
  assert.equal(byKind('camera_info').length, 5);
  assert.equal(byKind('tf', false).length, 5);
  assert.equal(byKind('tf', true).length, 1);
  assert.deepEqual(source.stats().emitted, { color: 5, depth: 5, cameraInfo: 5, tf: 5, tfStatic: 1 });

  const first = events[0]!;
  assert.ok(first.kind === 'tf' && first.isStatic, '/tf_static comes first');
  assert.deepEqual(first.transforms.map((t) => [t.frameId, t.childFrameId, t.stampNs]), [['map', 'redwood_world', DEMO_START_NS]]);

  for (let i = 0; i < 5; i++) {
    const stamp = demoFrameStampNs(i);
    const color = byKind('color')[i]!;
    const depth = byKind('depth')[i]!;
    const info = byKind('camera_info')[i]!;
    const tf = byKind('tf', false)[i]!;
    assert.ok(color.kind === 'color' && color.image.kind === 'compressed');
    assert.deepEqual(color.header, { stampNs: stamp, frameId: 'camera_color_optical_frame' });
    assert.equal(color.image.format, 'jpeg');
    const jpeg = await readFile(join(DEMO_FRAMES_DIR, `color_0000${i}.jpg`));
    assert.ok(Buffer.from(color.image.data).equals(jpeg), `frame ${i}: the original JPEG bytes`);
    assert.ok(depth.kind === 'depth');
    assert.deepEqual(depth.header, { stampNs: stamp, frameId: 'camera_color_optical_frame' });
    assert.deepEqual([depth.image.encoding, depth.image.width, depth.image.height, depth.image.step, depth.image.isBigEndian, depth.image.data.length],
      ['16UC1', 640, 480, 1280, false, 640 * 480 * 2]);
    assert.ok(info.kind === 'camera_info');
    assert.equal(info.header.stampNs, stamp);
    assert.deepEqual([info.info.width, info.info.height, info.info.k, info.info.distortionModel, info.info.d],
      [640, 480, [525, 0, 319.5, 0, 525, 239.5, 0, 0, 1], 'plumb_bob', [0, 0, 0, 0, 0]]);
    assert.ok(tf.kind === 'tf');
    assert.deepEqual(tf.transforms.map((t) => [t.frameId, t.childFrameId, t.stampNs]), [['redwood_world', 'camera_color_optical_frame', stamp]]);
  }
  // Depth values as OpenCV reads depth_00000.png (cv2.IMREAD_UNCHANGED): (x, y) -> mm.
  const d0 = byKind('depth')[0]!;
  assert.ok(d0.kind === 'depth');
  const dv = new DataView(d0.image.data.buffer, d0.image.data.byteOffset, d0.image.data.byteLength);
  const at = (x: number, y: number) => dv.getUint16((y * 640 + x) * 2, true);
  assert.deepEqual([at(0, 0), at(320, 240), at(100, 400), at(639, 479), at(12, 345)], [0, 2195, 1338, 0, 1965]);
  let zeros = 0;
  let max = 0;
  for (let i = 0; i < 640 * 480; i++) {
    const v = dv.getUint16(i * 2, true);
    if (v === 0) zeros++;
    if (v > max) max = v;
  }
  assert.deepEqual([zeros, max], [40071, 2702]);
  // Every pixel of every frame: SHA-256 of OpenCV's uint16 array as little-endian bytes
  // (python3: hashlib.sha256(cv2.imread(p, cv2.IMREAD_UNCHANGED).astype('<u2').tobytes())).
  const opencv = ['de64f5408e17b504', 'bdd2738e959967bc', '1a0341053f737a2f', 'e8bb675060499fa7', '2a138a4b282342ad'];
  assert.deepEqual(byKind('depth').map((e) => (e.kind === 'depth' ? createHash('sha256').update(e.image.data).digest('hex').slice(0, 16) : '')), opencv);
});

test('real time honours the log-time gaps, scaled by the rate', async () => {
  // The demo spans 4/15 s from first to last message.
  const t0 = performance.now();
  const events = await collect(new McapSource({ path: DEMO_MCAP, realtime: true, rate: 2 }));
  const elapsed = performance.now() - t0;
  assert.equal(events.length, 21);
  assert.ok(elapsed >= 266.6 / 2 - 5, `rate 2 took ${elapsed.toFixed(0)} ms, expected about 133`);
  assert.ok(elapsed < 2000, `rate 2 took ${elapsed.toFixed(0)} ms`);
  assert.throws(() => new McapSource({ path: DEMO_MCAP, rate: 0 }), /rate must be a positive number/);
});

test('looping shifts every stamp forward by the span plus one frame interval and re-sends /tf_static', async () => {
  const source = new McapSource({ path: DEMO_MCAP, realtime: false, loop: true });
  const events: SourceEvent[] = [];
  let colors = 0;
  await source.start((e) => {
    events.push(e);
    if (e.kind === 'color' && ++colors === 12) source.stop();
  });
  assert.equal(colors, 12, 'start() resolved only after stop()');
  assert.equal(source.stats().passes, 2);
  const colorStamps = events.filter((e) => e.kind === 'color').map(eventStamp);
  // Span 266666666 ns (frame 4 - frame 0) + median frame interval 66666667 ns.
  const shift = 333_333_333n;
  for (let i = 0; i < 12; i++) {
    assert.equal(colorStamps[i], demoFrameStampNs(i % 5) + shift * BigInt(Math.floor(i / 5)), `colour ${i}`);
  }
  for (const kind of ['color', 'depth', 'camera_info'] as const) {
    const stamps = events.filter((e) => e.kind === kind).map(eventStamp);
    for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i]! > stamps[i - 1]!, `${kind} stamps keep increasing`);
  }
  const statics = events.filter((e) => e.kind === 'tf' && e.isStatic);
  assert.deepEqual(statics.map(eventStamp), [DEMO_START_NS, DEMO_START_NS + shift, DEMO_START_NS + 2n * shift]);
});

test('an undecodable or malformed message is reported and skipped; the rest still arrives', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'bad.mcap');
    const info = cameraInfo({ width: 4, height: 2, fx: 2, fy: 2, cx: 2, cy: 1 });
    const header = (ns: bigint) => ({ stampNs: ns, frameId: 'cam' });
    const image = (ns: bigint, bytes: number) => encodeCdr('sensor_msgs/msg/Image', rawImageToMsg(
      { encoding: 'rgb8', width: 4, height: 2, step: 12, isBigEndian: false, data: new Uint8Array(bytes) }, header(ns)));
    const good = image(10n, 24);
    await writeRawMcap(path, [
      { topic: '/cam/info', type: 'sensor_msgs/msg/CameraInfo', logTime: 1n, data: encodeCdr('sensor_msgs/msg/CameraInfo', cameraInfoToMsg(info, header(1n))) },
      { topic: '/cam/image', type: 'sensor_msgs/msg/Image', logTime: 2n, data: good.subarray(0, good.length - 5) }, // truncated
      { topic: '/cam/image', type: 'sensor_msgs/msg/Image', logTime: 3n, data: Uint8Array.from([0, 1, 0, 0, 0xff, 0xff, 0xff, 0x7f]) }, // garbage
      { topic: '/cam/image', type: 'sensor_msgs/msg/Image', logTime: 4n, data: image(4n, 20) }, // data shorter than step*height
      { topic: '/cam/image', type: 'sensor_msgs/msg/Image', logTime: 5n, data: good },
    ]);
    const warnings: SourceWarning[] = [];
    const source = new McapSource({
      path, realtime: false, onWarning: (w) => warnings.push(w),
      topics: { color: '/cam/image', cameraInfo: '/cam/info', depth: '/cam/depth', tf: '/tf', tfStatic: '/tf_static' },
    });
    const events = await collect(source);
    assert.deepEqual(events.map((e) => e.kind), ['camera_info', 'color']);
    const color = events[1]!;
    assert.ok(color.kind === 'color' && color.image.kind === 'raw', 'a sensor_msgs/Image colour topic gives raw images');
    assert.equal(color.header.stampNs, 10n);
    const skipped = warnings.filter((w) => w.topic === '/cam/image');
    assert.equal(skipped.length, 3);
    assert.match(skipped[0]!.message, /cannot decode sensor_msgs\/msg\/Image from CDR/);
    assert.match(skipped[1]!.message, /cannot decode sensor_msgs\/msg\/Image from CDR/);
    assert.match(skipped[2]!.message, /data has 20 bytes, fewer than step\*height/);
    assert.equal(source.stats().skipped, 3);
    // The three roles absent from the file are named with what the file has instead.
    const missing = warnings.filter((w) => w.topic !== '/cam/image');
    assert.equal(missing.length, 3);
    assert.match(missing[0]!.message, /\/cam\/depth \(depth\) is not in .*it has: \/cam\/info \(sensor_msgs\/msg\/CameraInfo, 1 message\), \/cam\/image \(sensor_msgs\/msg\/Image, 4 messages\)$/);
  });
});

test('a topic with the wrong type is ignored with a warning; a file that is not an MCAP is refused', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'types.mcap');
    await writeRawMcap(path, [
      { topic: '/camera/color/camera_info', type: 'std_msgs/msg/String', logTime: 1n, data: encodeCdr('std_msgs/msg/String', { data: 'x' }) },
    ]);
    const warnings: SourceWarning[] = [];
    const events = await collect(new McapSource({ path, realtime: false, onWarning: (w) => warnings.push(w) }));
    assert.deepEqual(events, []);
    assert.ok(warnings.some((w) => /has type 'std_msgs\/msg\/String', expected sensor_msgs\/msg\/CameraInfo; ignored/.test(w.message)));

    const notMcap = join(dir, 'not.mcap');
    await writeFile(notMcap, 'hello, this is not an MCAP file at all');
    await assert.rejects(new McapSource({ path: notMcap }).start(() => {}), /not\.mcap is not an MCAP file/);
    await assert.rejects(new McapSource({ path: join(dir, 'missing.mcap') }).start(() => {}), /cannot open MCAP .*missing\.mcap/);
  });
});

test('stop() during a real-time replay ends start() promptly', async () => {
  const source = new McapSource({ path: DEMO_MCAP, realtime: true, rate: 0.01, loop: true });
  let n = 0;
  const t0 = performance.now();
  const done = source.start(() => {
    if (++n === 2) setTimeout(() => source.stop(), 20);
  });
  await done;
  assert.ok(performance.now() - t0 < 2000, 'did not wait for the next (slowed down) message');
  assert.ok(n >= 2 && n < 21);
});

test('a chunk compression other than zstd and lz4 is refused with what to do; a given handler reads it', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'bz2.mcap');
    const msg = encodeCdr('tf2_msgs/msg/TFMessage', { transforms: [] });
    await writeRawMcap(path, [{ topic: '/tf', type: 'tf2_msgs/msg/TFMessage', logTime: 7n, data: msg }], { chunkCompression: 'bz2' });
    await assert.rejects(new McapSource({ path, realtime: false }).start(() => {}),
      /^Error: replay of .*bz2\.mcap failed: Unsupported compression bz2.* \(chunks are read uncompressed or compressed with zstd or lz4: recompress/);
    const events: SourceEvent[] = [];
    const calls: bigint[] = [];
    await new McapSource({
      path, realtime: false, decompressHandlers: { bz2: (buf, size) => (calls.push(size), buf) },
    }).start((e) => events.push(e));
    assert.deepEqual(events, [{ kind: 'tf', transforms: [], isStatic: false }]);
    assert.equal(calls.length, 1);
  });
});

/** The demo's chunks: [start offset, length] (3 chunks: frames 0–1 with /tf_static, frames 2–3, frame 4). */
async function demoChunks(): Promise<{ start: number; length: number }[]> {
  const { McapIndexedReader } = await import('@mcap/core');
  const { FileReadable } = await import('../../src/sources/file-readable.js');
  const readable = await FileReadable.open(DEMO_MCAP);
  try {
    const reader = await McapIndexedReader.Initialize({ readable });
    return reader.chunkIndexes.map((c) => ({ start: Number(c.chunkStartOffset), length: Number(c.chunkLength) }));
  } finally {
    await readable.close();
  }
}

/** Colour frame indices (0..4) among replayed events. */
function colorFrames(events: SourceEvent[]): number[] {
  return events.filter((e) => e.kind === 'color').map((e) => [0, 1, 2, 3, 4].findIndex((i) => demoFrameStampNs(i) === eventStamp(e)));
}

test('a recording cut short (no summary, a partial last chunk) replays every frame before the cut, with a warning', async () => {
  const chunks = await demoChunks();
  assert.equal(chunks.length, 3);
  const demo = await readFile(DEMO_MCAP);
  await withTempDir(async (dir) => {
    const path = join(dir, 'crashed.mcap');
    await writeFile(path, demo.subarray(0, chunks[2]!.start + 1000)); // cut inside the third chunk
    const warnings: SourceWarning[] = [];
    const source = new McapSource({ path, realtime: false, onWarning: (w) => warnings.push(w) });
    const events = await collect(source);
    assert.deepEqual(colorFrames(events), [0, 1, 2, 3]);
    assert.deepEqual(source.stats().emitted, { color: 4, depth: 4, cameraInfo: 4, tf: 4, tfStatic: 1 });
    assert.equal(source.stats().skipped, 0);
    assert.ok(warnings.some((w) => /has no readable index .* reading it from the start, in file order/.test(w.message)), JSON.stringify(warnings));
    assert.ok(warnings.some((w) => /file ends inside a record \(opcode 6\) at byte \d+ \(cut short\?\)/.test(w.message)));
    // Stamps and payloads are those of the intact file's replay.
    const intact = await collect(new McapSource({ path: DEMO_MCAP, realtime: false }));
    assert.deepEqual(events.map((e) => [e.kind, eventStamp(e)]), intact.slice(0, events.length).map((e) => [e.kind, eventStamp(e)]));
    // Looping works without an index too.
    const looped: SourceEvent[] = [];
    const loop = new McapSource({ path, realtime: false, loop: true, onWarning: () => {} });
    await loop.start((e) => {
      looped.push(e);
      if (looped.length === events.length + 3) loop.stop();
    });
    assert.ok(eventStamp(looped.at(-1)!) > eventStamp(events.at(-1)!), 'the second pass is shifted forward');
  });
});

test('a chunk that fails its CRC is skipped with a warning; the chunks around it still replay (indexed and sequential)', async () => {
  const chunks = await demoChunks();
  const demo = await readFile(DEMO_MCAP);
  const damaged = Buffer.from(demo);
  const middle = chunks[1]!;
  const flip = middle.start + Math.floor(middle.length / 2); // a byte inside a JPEG or depth payload
  damaged[flip] = damaged[flip]! ^ 0xff;
  await withTempDir(async (dir) => {
    const path = join(dir, 'damaged.mcap');
    await writeFile(path, damaged);
    const warnings: SourceWarning[] = [];
    const events = await collect(new McapSource({ path, realtime: false, onWarning: (w) => warnings.push(w) }));
    assert.deepEqual(colorFrames(events), [0, 1, 4]);
    assert.equal(events.filter((e) => e.kind === 'depth').length, 3);
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(warnings[0]!.message, new RegExp(`^skipped a damaged chunk at byte ${middle.start} \\(messages logged \\d+\\.\\.\\d+\\): Incorrect chunk CRC \\d+ \\(expected \\d+\\)`));

    // The same damage in a file that was also cut short: read without the index, the bad chunk is skipped too.
    const cut = join(dir, 'damaged-and-cut.mcap');
    await writeFile(cut, damaged.subarray(0, chunks[2]!.start + 1000));
    const seqWarnings: SourceWarning[] = [];
    const seqEvents = await collect(new McapSource({ path: cut, realtime: false, onWarning: (w) => seqWarnings.push(w) }));
    assert.deepEqual(colorFrames(seqEvents), [0, 1]);
    assert.ok(seqWarnings.some((w) => new RegExp(`skipped a damaged chunk at byte ${middle.start}: incorrect chunk CRC`).test(w.message)), JSON.stringify(seqWarnings));
  });
});

test('names from the file reach warnings as one line of visible text (no escape sequences, no forged lines)', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'hostile.mcap');
    const evil = '/evil\u001b[2J\u001b[31m\nsource: forged line\u0007';
    await writeRawMcap(path, [
      { topic: evil, type: 'std_msgs/msg/String', logTime: 1n, data: encodeCdr('std_msgs/msg/String', { data: 'x' }) },
      { topic: '/camera/color/camera_info', type: 'std_msgs/msg/String', logTime: 2n, data: encodeCdr('std_msgs/msg/String', { data: 'y' }) },
    ]);
    const warnings: SourceWarning[] = [];
    await new McapSource({ path, realtime: false, onWarning: (w) => warnings.push(w) }).start(() => {});
    assert.ok(warnings.length >= 4, JSON.stringify(warnings));
    for (const w of warnings) assert.doesNotMatch(w.message, /[\u0000-\u001f\u007f-\u009f]/u, JSON.stringify(w.message));
    assert.ok(warnings.some((w) => w.message.includes('/evil source: forged line (std_msgs/msg/String, 1 message)')), JSON.stringify(warnings));
  });
});

test('a compressed chunk claiming more than 1 GiB uncompressed is refused before anything is allocated', async () => {
  const handlers = await loadDecompressHandlers();
  for (const name of ['zstd', 'lz4']) {
    assert.throws(() => handlers[name]!(new Uint8Array(16), BigInt(MAX_CHUNK_BYTES) + 1n), new RegExp(`^RangeError: a ${name} chunk claims 1073741825 bytes uncompressed`));
  }
});
