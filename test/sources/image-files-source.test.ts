import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { SourceEvent } from '../../src/pipeline/types.js';
import { ImageFileError, ImageFilesSource } from '../../src/sources/image-files-source.js';
import { McapSource } from '../../src/sources/mcap-source.js';
import type { SourceWarning } from '../../src/sources/types.js';
import { DEMO_FRAMES_DIR, DEMO_MCAP, withTempDir } from './helpers.js';

const COLOR = join(DEMO_FRAMES_DIR, 'color_00001.jpg');
const DEPTH = join(DEMO_FRAMES_DIR, 'depth_00001.png');
const INTRINSICS = join(DEMO_FRAMES_DIR, 'camera_primesense.json'); // Open3D intrinsics JSON

test('image files become camera info, colour and depth events at the rate, stamped by the clock', async () => {
  await withTempDir(async (dir) => {
    const tfPath = join(dir, 'static.yaml');
    await writeFile(tfPath, 'transforms:\n  - parent: base_link\n    child: camera_color_optical_frame\n    translation: [0.1, 0, 1.2]\n    rpy: [-1.5707963267948966, 0, -1.5707963267948966]\n');
    let t = 5_000_000_000n;
    const warnings: SourceWarning[] = [];
    const source = new ImageFilesSource({
      color: COLOR, depth: DEPTH, cameraInfo: INTRINSICS, staticTransforms: tfPath, rateHz: 40, count: 3,
      clock: () => (t += 1_000_000n), onWarning: (w) => warnings.push(w),
    });
    const events: SourceEvent[] = [];
    const t0 = performance.now();
    await source.start((e) => events.push(e));
    const elapsed = performance.now() - t0;
    assert.deepEqual(warnings, []);
    assert.ok(elapsed >= 2 * 25 - 5, `3 frames at 40 Hz take two periods, took ${elapsed.toFixed(0)} ms`);
    assert.deepEqual(events.map((e) => e.kind), ['tf', 'camera_info', 'color', 'depth', 'camera_info', 'color', 'depth', 'camera_info', 'color', 'depth']);
    const tf = events[0]!;
    assert.ok(tf.kind === 'tf' && tf.isStatic);
    assert.deepEqual(tf.transforms.map((x) => [x.frameId, x.childFrameId, x.stampNs]), [['base_link', 'camera_color_optical_frame', 5_001_000_000n]]);
    const stamps = events.flatMap((e) => (e.kind === 'tf' ? [] : [e.header.stampNs]));
    assert.deepEqual(stamps, [1, 1, 1, 2, 2, 2, 3, 3, 3].map((k) => 5_000_000_000n + BigInt(k) * 1_000_000n));
    for (const e of events) if (e.kind !== 'tf') assert.equal(e.header.frameId, 'camera_color_optical_frame');

    const info = events[1]!;
    assert.ok(info.kind === 'camera_info');
    // Open3D intrinsics carry no distortion: an empty model and no coefficients.
    assert.deepEqual(info.info, {
      width: 640, height: 480, distortionModel: '', d: [],
      k: [525, 0, 319.5, 0, 525, 239.5, 0, 0, 1], r: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      p: [525, 0, 319.5, 0, 0, 525, 239.5, 0, 0, 0, 1, 0], binningX: 0, binningY: 0,
      roi: { xOffset: 0, yOffset: 0, width: 0, height: 0, doRectify: false },
    });
    assert.equal('cameraName' in info.info, false, 'only CameraInfo fields travel');

    const color = events[2]!;
    assert.ok(color.kind === 'color' && color.image.kind === 'compressed');
    assert.equal(color.image.format, 'jpeg');
    assert.ok(Buffer.from(color.image.data).equals(await readFile(COLOR)), 'the file bytes, not re-encoded');

    // Depth equals what the demo recording carries for the same frame.
    const replay: SourceEvent[] = [];
    await new McapSource({ path: DEMO_MCAP, realtime: false }).start((e) => replay.push(e));
    const recorded = replay.filter((e) => e.kind === 'depth')[1]!;
    const depth = events[3]!;
    assert.ok(depth.kind === 'depth' && recorded.kind === 'depth');
    assert.deepEqual({ ...depth.image, data: null }, { ...recorded.image, data: null });
    assert.ok(Buffer.from(depth.image.data).equals(Buffer.from(recorded.image.data)));
  });
});

test('the frame id comes from the option, else the camera info file, else the default', async () => {
  await withTempDir(async (dir) => {
    const infoPath = join(dir, 'info.json');
    await writeFile(infoPath, JSON.stringify({
      header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'head_camera_optical' }, width: 640, height: 480,
      distortion_model: 'plumb_bob', d: [0, 0, 0, 0, 0], k: [525, 0, 319.5, 0, 525, 239.5, 0, 0, 1],
      r: [1, 0, 0, 0, 1, 0, 0, 0, 1], p: [525, 0, 319.5, 0, 0, 525, 239.5, 0, 0, 0, 1, 0],
      binning_x: 0, binning_y: 0, roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false },
    }));
    const frameOf = async (opts: { cameraInfo: string; frameId?: string }) => {
      const events: SourceEvent[] = [];
      await new ImageFilesSource({ color: COLOR, depth: DEPTH, count: 1, ...opts }).start((e) => events.push(e));
      const e = events[0]!;
      return e.kind === 'tf' ? null : e.header.frameId;
    };
    assert.equal(await frameOf({ cameraInfo: infoPath }), 'head_camera_optical');
    assert.equal(await frameOf({ cameraInfo: infoPath, frameId: 'override' }), 'override');
    assert.equal(await frameOf({ cameraInfo: INTRINSICS }), 'camera_color_optical_frame');
  });
});

test('bad files are refused with the file and the reason; stop() ends an endless source', async () => {
  await withTempDir(async (dir) => {
    const eightBit = join(dir, 'depth8.png');
    await sharp({ create: { width: 4, height: 3, channels: 3, background: { r: 10, g: 20, b: 30 } } }).png().toFile(eightBit);
    await assert.rejects(
      new ImageFilesSource({ color: COLOR, depth: eightBit, cameraInfo: INTRINSICS, count: 1 }).start(() => {}),
      (e: unknown) => e instanceof ImageFileError && e.message.includes('depth8.png') && e.message.includes('16-bit single-channel PNG'),
    );
    await assert.rejects(
      new ImageFilesSource({ color: join(dir, 'nope.jpg'), depth: DEPTH, cameraInfo: INTRINSICS, count: 1 }).start(() => {}),
      (e: unknown) => e instanceof ImageFileError && e.message.includes('nope.jpg'),
    );
    const notImage = join(dir, 'notes.txt');
    await writeFile(notImage, 'not an image');
    await assert.rejects(
      new ImageFilesSource({ color: notImage, depth: DEPTH, cameraInfo: INTRINSICS, count: 1 }).start(() => {}),
      /notes\.txt: not a decodable image/,
    );
    const badInfo = join(dir, 'bad.yaml');
    await writeFile(badInfo, 'image_width: 640\n');
    await assert.rejects(
      new ImageFilesSource({ color: COLOR, depth: DEPTH, cameraInfo: badInfo, count: 1 }).start(() => {}),
      /bad\.yaml/,
    );
    assert.throws(() => new ImageFilesSource({ color: COLOR, depth: DEPTH, cameraInfo: INTRINSICS, rateHz: 0 }), /rateHz/);

    // A smaller depth than colour is passed on with a warning (the pipeline scales or refuses it).
    const smallDepth = join(dir, 'small.png');
    await sharp(new Uint16Array(16 * 12).fill(1000), { raw: { width: 16, height: 12, channels: 1 } }).toColourspace('grey16').png().toFile(smallDepth);
    const warnings: SourceWarning[] = [];
    const source = new ImageFilesSource({ color: COLOR, depth: smallDepth, cameraInfo: INTRINSICS, rateHz: 100, onWarning: (w) => warnings.push(w) });
    let frames = 0;
    await source.start((e) => {
      if (e.kind === 'depth') {
        assert.equal(e.image.width, 16);
        const v = new DataView(e.image.data.buffer, e.image.data.byteOffset).getUint16(0, true);
        assert.equal(v, 1000, '16-bit values survive');
        if (++frames === 3) source.stop();
      }
    });
    assert.equal(frames, 3);
    assert.match(warnings[0]!.message, /depth is 16x12, colour 640x480/);
  });
});
