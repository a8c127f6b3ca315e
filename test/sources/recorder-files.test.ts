// The recorder's file settings: chunk compression (none, zstd by default, lz4), frames on or off, and rotation to
// a new file at a size or age cap, each file complete on its own, the oldest deleted beyond max files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { McapIndexedReader } from '@mcap/core';
import { loadConfig } from '../../src/config/load.js';
import { decodeCdr } from '../../src/messages/cdr.js';
import type { FrameSnapshot, PointResult, SourceEvent } from '../../src/pipeline/types.js';
import { FileReadable } from '../../src/sources/file-readable.js';
import { McapSource } from '../../src/sources/mcap-source.js';
import { Recorder, rotatedPath, type RecorderOptions } from '../../src/sources/recorder.js';
import { DEMO_MCAP, readMcap, withTempDir } from './helpers.js';

const DEPTH = '/camera/aligned_depth_to_color/image_raw';

/** The demo's first frame and static transform. */
async function demo(): Promise<{ frame: FrameSnapshot; statics: SourceEvent & { kind: 'tf' } }> {
  const events: SourceEvent[] = [];
  await new McapSource({ path: DEMO_MCAP, realtime: false }).start((e) => events.push(e));
  const [color, depth, info] = (['color', 'depth', 'camera_info'] as const).map((k) => events.find((e) => e.kind === k));
  assert.ok(color?.kind === 'color' && depth?.kind === 'depth' && info?.kind === 'camera_info');
  const statics = events.find((e) => e.kind === 'tf' && e.isStatic);
  assert.ok(statics?.kind === 'tf');
  return {
    frame: { seq: 0, stampNs: color.header.stampNs, frameId: color.header.frameId, color: color.image, depth: depth.image, depthStampNs: depth.header.stampNs, cameraInfo: info.info, receivedAtMs: 0 },
    statics,
  };
}

/** Snapshot `i` of a session: the demo frame under a new seq and stamp. */
function snapshot(frame: FrameSnapshot, i: number): FrameSnapshot {
  const stampNs = frame.stampNs + BigInt(i) * 66_666_666n;
  return { ...frame, seq: i, stampNs, depthStampNs: stampNs };
}

function result(id: string, s: FrameSnapshot): PointResult {
  return {
    id, status: 'no_points', reason: 'test', mode: 'point', query: 'the chair', targetFrame: 'map', stampNs: s.stampNs,
    frameSeq: s.seq, cameraFrameId: s.frameId, waypoints: [], pixels: [], pixelStatus: [], rawText: '', model: 'test',
    timings: { snapshot: 0, point: 0, total: 0 }, tfFallback: false,
  };
}

async function compressions(path: string): Promise<string[]> {
  const readable = await FileReadable.open(path);
  try {
    return [...new Set((await McapIndexedReader.Initialize({ readable })).chunkIndexes.map((c) => c.compression))];
  } finally {
    await readable.close();
  }
}

/** Records `n` results, each on a new snapshot, after the demo's static transform. */
async function session(opts: RecorderOptions, n: number, between: (i: number) => void = () => {}): Promise<Recorder> {
  const { frame, statics } = await demo();
  const rec = await Recorder.open({ onError: (e) => assert.fail(e), ...opts });
  assert.equal(await rec.recordTransforms(statics.transforms, true), true);
  for (let i = 1; i <= n; i++) {
    between(i);
    const s = snapshot(frame, i);
    assert.equal(await rec.recordResult(result(`r${i}`, s), s), true);
  }
  await rec.close();
  return rec;
}

function resultIds(messages: Awaited<ReturnType<typeof readMcap>>['messages']): string[] {
  return messages.filter((m) => m.topic === '/molmo_waypoints/result').map((m) => JSON.parse(decodeCdr<{ data: string }>('std_msgs/msg/String', m.data).data).id);
}

test('chunks are zstd by default, or as asked (none, lz4); each file reads back to the same messages', async () => {
  await withTempDir(async (dir) => {
    const sizes: Record<string, number> = {};
    let reference: string | null = null;
    for (const compression of [undefined, 'none', 'lz4'] as const) {
      const path = join(dir, `${compression ?? 'default'}.mcap`);
      await session({ path, ...(compression ? { compression } : {}) }, 3);
      assert.deepEqual(await compressions(path), [compression === 'none' ? '' : (compression ?? 'zstd')]);
      const { messages } = await readMcap(path);
      const digest = JSON.stringify(messages.map((m) => [m.topic, String(m.logTime), Buffer.from(m.data).toString('base64')]));
      reference ??= digest;
      assert.equal(digest, reference, `${compression ?? 'default'}: the same messages`);
      sizes[compression ?? 'zstd'] = (await stat(path)).size;
    }
    assert.ok(sizes['zstd']! < sizes['lz4']! && sizes['lz4']! < sizes['none']!, JSON.stringify(sizes));
  });
});

test('frames: false records requests and results without the images', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'no-frames.mcap');
    const rec = await session({ path, frames: false }, 3);
    const { messages } = await readMcap(path);
    assert.deepEqual(resultIds(messages), ['r1', 'r2', 'r3']);
    assert.deepEqual(new Set(messages.map((m) => m.topic)), new Set(['/tf_static', '/molmo_waypoints/result', '/molmo_waypoints/markers']));
    assert.equal(rec.stats().snapshots, 0);
  });
});

test('at the size cap the recording goes on in a new file; every file is complete, and no result is lost', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'session.mcap');
    const maxBytes = 500_000;
    const rec = await session({ path, rotation: { maxBytes } }, 12);
    const files = rec.files;
    const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
    assert.ok(files.length >= 3, `${files.length} files: ${sizes.join(', ')} bytes`);
    assert.equal(rec.stats().files, files.length);
    assert.deepEqual(files, [path, ...files.slice(1).map((_, i) => rotatedPath(path, i + 1))]);
    assert.equal(rotatedPath('/r/run-1.mcap', 2), '/r/run-1_2.mcap');
    const all: string[] = [];
    for (const file of files) {
      const { messages } = await readMcap(file);
      const ids = resultIds(messages);
      all.push(...ids);
      // Each file has the static transform and the frames of each of its results.
      assert.equal(messages.filter((m) => m.topic === '/tf_static').length, 1, `${file}: /tf_static`);
      assert.equal(messages.filter((m) => m.topic === DEPTH).length, ids.length, `${file}: a depth image per result`);
      // A file ends at most about one compressed chunk past the cap.
      assert.ok((await stat(file)).size < maxBytes + 1024 * 1024, `${file}: ${(await stat(file)).size} bytes`);
    }
    assert.deepEqual(all, Array.from({ length: 12 }, (_, i) => `r${i + 1}`));
  });
});

test('at the age cap the recording goes on in a new file; beyond max files the oldest are deleted', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'aged.mcap');
    let clock = 0;
    // Results 1-2 in the first file, 3-4 in the second, 5-6 in the third (10 s each).
    const rec = await session({ path, wallClockMs: () => clock, rotation: { maxAgeMs: 10_000, maxFiles: 2 } }, 6, (i) => {
      clock = Math.floor((i - 1) / 2) * 10_000;
    });
    assert.equal(rec.stats().files, 3);
    assert.deepEqual(rec.files, [rotatedPath(path, 1), rotatedPath(path, 2)]);
    assert.equal(existsSync(path), false, 'the oldest file was deleted');
    assert.deepEqual(resultIds((await readMcap(rec.files[0]!)).messages), ['r3', 'r4']);
    assert.deepEqual(resultIds((await readMcap(rec.files[1]!)).messages), ['r5', 'r6']);
  });
});

test('examples/config.yaml records nothing unless asked; its recording keys are the defaults', () => {
  const { config } = loadConfig({ file: 'examples/config.yaml', env: {} });
  assert.deepEqual({ ...config.recording, path: null }, {
    enabled: false, path: null, compression: 'zstd', frames: true, maxSizeMb: 0, maxAgeS: 0, maxFiles: 0,
  });
});
