// The demo recording rewritten by scripts/make-recording-layouts.ts in each layout real recordings come in
// (zstd chunks, lz4 chunks, no chunks, a rosbag2 bag folder with two splits): each replays the same frames.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { McapIndexedReader } from '@mcap/core';
import type { SourceEvent } from '../../src/pipeline/types.js';
import { McapSource } from '../../src/sources/mcap-source.js';
import { FileReadable } from '../../src/sources/file-readable.js';
import type { SourceWarning } from '../../src/sources/types.js';
import { makeRecordingLayouts, RECORDING_LAYOUTS } from '../../scripts/make-recording-layouts.js';
import { DEMO_MCAP, withTempDir } from './helpers.js';

/** Each event as kind, stamps, frame ids and a hash of its payload, so two replays compare exactly. */
function digest(e: SourceEvent): string {
  if (e.kind === 'tf') return `tf ${e.isStatic} ${e.transforms.map((t) => `${t.frameId}>${t.childFrameId}@${t.stampNs}:${JSON.stringify(t.transform)}`).join(' ')}`;
  const payload = e.kind === 'camera_info' ? JSON.stringify(e.info) : createHash('sha256').update(e.image.data).digest('hex');
  return `${e.kind} ${e.header.stampNs} ${e.header.frameId} ${payload}`;
}

async function replay(path: string): Promise<{ events: string[]; warnings: SourceWarning[] }> {
  const events: string[] = [];
  const warnings: SourceWarning[] = [];
  await new McapSource({ path, realtime: false, onWarning: (w) => warnings.push(w) }).start((e) => events.push(digest(e)));
  return { events, warnings };
}

async function chunkCompressions(path: string): Promise<string[]> {
  const readable = await FileReadable.open(path);
  try {
    const reader = await McapIndexedReader.Initialize({ readable });
    return reader.chunkIndexes.map((c) => c.compression);
  } finally {
    await readable.close();
  }
}

test('zstd, lz4, unchunked and a two-split bag folder each replay exactly the frames of the demo, without a warning', async () => {
  const expected = await replay(DEMO_MCAP);
  assert.equal(expected.events.length, 21);
  await withTempDir(async (dir) => {
    const paths = await makeRecordingLayouts(DEMO_MCAP, dir);
    // Each file is in the layout it is named after.
    assert.deepEqual(new Set(await chunkCompressions(paths.zstd)), new Set(['zstd']));
    assert.deepEqual(new Set(await chunkCompressions(paths.lz4)), new Set(['lz4']));
    assert.deepEqual(await chunkCompressions(paths.unchunked), []);
    assert.deepEqual((await readdir(paths.folder)).sort(), ['folder_0.mcap', 'folder_1.mcap', 'metadata.yaml']);
    for (const split of ['folder_0.mcap', 'folder_1.mcap']) {
      assert.deepEqual(new Set(await chunkCompressions(join(paths.folder, split))), new Set(['zstd']));
    }
    for (const layout of RECORDING_LAYOUTS) {
      const got = await replay(paths[layout]);
      assert.deepEqual(got.warnings, [], `${layout}: no warnings`);
      assert.deepEqual(got.events, expected.events, `${layout}: the demo's frames`);
    }
    // The folder's metadata.yaml names it too.
    assert.deepEqual((await replay(join(paths.folder, 'metadata.yaml'))).events, expected.events);
  });
});

test('a bag folder loops across its splits with stamps still increasing', async () => {
  await withTempDir(async (dir) => {
    const { folder } = await makeRecordingLayouts(DEMO_MCAP, dir);
    const source = new McapSource({ path: folder, realtime: false, loop: true });
    const stamps: bigint[] = [];
    await source.start((e) => {
      if (e.kind === 'color' && stamps.push(e.header.stampNs) === 12) source.stop();
    });
    assert.equal(stamps.length, 12);
    for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i]! > stamps[i - 1]!, `colour ${i} after colour ${i - 1}`);
    assert.equal(source.stats().passes, 2);
  });
});
