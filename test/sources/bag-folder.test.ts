// rosbag2 bag folders: metadata.yaml's splits in order, its topics checked against the configured ones, and the
// folders that cannot replay (another storage, rosbag2's own compression, paths outside the folder) refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { SourceEvent } from '../../src/pipeline/types.js';
import { readBagFolder } from '../../src/sources/bag-folder.js';
import { McapSource } from '../../src/sources/mcap-source.js';
import type { SourceWarning } from '../../src/sources/types.js';
import { writeLayout } from '../../scripts/make-recording-layouts.js';
import { DEMO_MCAP, withTempDir } from './helpers.js';

async function replay(path: string, topics: ConstructorParameters<typeof McapSource>[0]['topics'] = {}) {
  const events: SourceEvent[] = [];
  const warnings: SourceWarning[] = [];
  await new McapSource({ path, topics, realtime: false, onWarning: (w) => warnings.push(w) }).start((e) => events.push(e));
  return { events, warnings, colors: events.filter((e) => e.kind === 'color').length };
}

/** The demo as a two-split bag folder in `dir`/bag, with metadata.yaml's info mapping edited. */
async function bag(dir: string, edit: (info: Record<string, unknown>) => void = () => {}): Promise<string> {
  const folder = join(dir, 'bag');
  await writeLayout(DEMO_MCAP, 'folder', folder);
  const doc = parse(await readFile(join(folder, 'metadata.yaml'), 'utf8')) as { rosbag2_bagfile_information: Record<string, unknown> };
  edit(doc.rosbag2_bagfile_information);
  await writeFile(join(folder, 'metadata.yaml'), stringify(doc));
  return folder;
}

test('a configured topic that metadata.yaml does not list is named with the topics it does list; the rest replays', async () => {
  await withTempDir(async (dir) => {
    const folder = await bag(dir);
    const { warnings, colors } = await replay(folder, { depth: '/camera/depth/image_rect_raw' });
    assert.equal(colors, 5);
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.equal(warnings[0]!.topic, '/camera/depth/image_rect_raw');
    assert.match(warnings[0]!.message, /^topic \/camera\/depth\/image_rect_raw \(depth\) is not in .*bag\/metadata\.yaml; it lists: \/tf_static \(tf2_msgs\/msg\/TFMessage, 1 message\), .*\/camera\/aligned_depth_to_color\/image_raw \(sensor_msgs\/msg\/Image, 5 messages\)$/);
  });
});

test('a folder without metadata.yaml replays its .mcap files in name order, with a warning', async () => {
  await withTempDir(async (dir) => {
    const folder = await bag(dir);
    await rm(join(folder, 'metadata.yaml'));
    // name order is numeric: a split named _10 after _2
    await rename(join(folder, 'folder_1.mcap'), join(folder, 'folder_10.mcap'));
    await rename(join(folder, 'folder_0.mcap'), join(folder, 'folder_2.mcap'));
    const { warnings, events } = await replay(folder);
    const intact = await replay(DEMO_MCAP);
    assert.deepEqual(events, intact.events);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /bag has no metadata\.yaml .*; replaying the 2 \.mcap file\(s\) of .* in name order$/);
    assert.deepEqual((await readBagFolder(folder)).files.map((f) => f.slice(folder.length + 1)), ['folder_2.mcap', 'folder_10.mcap']);
  });
});

test('a listed split that is missing or not an MCAP is skipped with a warning; the other split replays', async () => {
  await withTempDir(async (dir) => {
    const folder = await bag(dir, (info) => {
      info['relative_file_paths'] = ['folder_0.mcap', 'gone.mcap', 'junk.mcap', 'folder_1.mcap'];
    });
    await writeFile(join(folder, 'junk.mcap'), 'not an mcap');
    const { warnings, colors } = await replay(folder);
    assert.equal(colors, 5);
    assert.equal(warnings.length, 2, JSON.stringify(warnings));
    assert.equal(warnings[0]!.message, `metadata.yaml lists gone.mcap, which is not in ${folder}; skipped`);
    assert.match(warnings[1]!.message, /^skipped a split: .*bag\/junk\.mcap is not an MCAP file \(/);
  });
});

test('folders that cannot replay are refused with the reason: another storage, rosbag2 compression, a split outside the folder, nothing to read', async () => {
  await withTempDir(async (dir) => {
    const sqlite = await bag(join(dir, 'a'), (info) => (info['storage_identifier'] = 'sqlite3'));
    await assert.rejects(new McapSource({ path: sqlite }).start(() => {}), /^BagFolderError: bag folder .*a\/bag: its storage is sqlite3; only MCAP bags replay/);
    const compressed = await bag(join(dir, 'b'), (info) => Object.assign(info, { compression_mode: 'FILE', compression_format: 'zstd' }));
    await assert.rejects(new McapSource({ path: compressed }).start(() => {}), /it uses rosbag2's own FILE compression \(zstd\), which is not read; decompress it with ros2 bag convert/);
    const outside = await bag(join(dir, 'c'), (info) => (info['relative_file_paths'] = ['../../../etc/passwd']));
    await assert.rejects(new McapSource({ path: outside }).start(() => {}), /relative_file_paths\[0\] \(\.\.\/\.\.\/\.\.\/etc\/passwd\) is outside the folder/);
    const empty = join(dir, 'a'); // holds only the folder 'bag'
    await assert.rejects(new McapSource({ path: empty }).start(() => {}), /^BagFolderError: bag folder .*a: has no metadata\.yaml and no \.mcap files$/);
  });
});

test('a metadata.yaml too big for rosbag2 is not parsed; the splits still replay by name', async () => {
  await withTempDir(async (dir) => {
    const folder = await bag(dir);
    await writeFile(join(folder, 'metadata.yaml'), `${'k: 1\n'.repeat(300_000)}`);
    const { warnings, colors } = await replay(folder);
    assert.equal(colors, 5);
    assert.match(warnings[0]!.message, /metadata\.yaml is 1500000 bytes, more than the 1048576 a rosbag2 metadata file needs; not read; replaying the 2 \.mcap file\(s\)/);
  });
});
