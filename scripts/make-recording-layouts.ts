// Rewrites an MCAP recording (by default the bundled demo) in the layouts real recordings come in, message
// bytes untouched, so a replay of each must give the same frames:
//
//   zstd.mcap        chunks compressed with zstd (the default of `ros2 bag record -s mcap` and of Foxglove)
//   lz4.mcap         chunks compressed with lz4
//   unchunked.mcap   no chunks (rosbag2's `fastwrite` storage preset), messages at the top level
//   folder/          a rosbag2 bag folder: metadata.yaml and two zstd splits, folder_0.mcap and folder_1.mcap
//
//   npx tsx scripts/make-recording-layouts.ts [<input.mcap>] --out <folder>
//
// The tests build these layouts from the demo in a temporary folder (test/sources/recording-layouts.test.ts).
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { McapIndexedReader, McapWriter, type McapTypes } from '@mcap/core';
import { stringify } from 'yaml';
import { loadChunkCompressor, type ChunkCompression } from '../src/sources/compress.js';
import { FileReadable } from '../src/sources/file-readable.js';
import { FileWritable } from '../src/sources/file-writable.js';

export const RECORDING_LAYOUTS = ['zstd', 'lz4', 'unchunked', 'folder'] as const;
export type RecordingLayout = (typeof RECORDING_LAYOUTS)[number];

const LIBRARY = 'molmo-waypoints scripts/make-recording-layouts.ts';
const CHUNK_SIZE = 1024 * 1024;

export interface Recording {
  profile: string;
  schemas: McapTypes.Schema[];
  channels: McapTypes.Channel[];
  /** In log-time order. */
  messages: McapTypes.Message[];
}

/** Every schema, channel and message of an MCAP file. */
export async function readRecording(path: string): Promise<Recording> {
  const readable = await FileReadable.open(path);
  try {
    const reader = await McapIndexedReader.Initialize({ readable });
    const messages: McapTypes.Message[] = [];
    for await (const m of reader.readMessages({ validateCrcs: true })) messages.push(m);
    return { profile: reader.header.profile, schemas: [...reader.schemasById.values()], channels: [...reader.channelsById.values()], messages };
  } finally {
    await readable.close();
  }
}

/** Writes `messages` with every schema and channel of `rec` declared first (as rosbag2 does in each split). */
export async function writeRecording(rec: Recording, messages: readonly McapTypes.Message[], out: string, compression: ChunkCompression, chunked: boolean): Promise<void> {
  const file = await FileWritable.create(out);
  try {
    const compressChunk = await loadChunkCompressor(compression);
    const writer = new McapWriter({ writable: file, useChunks: chunked, chunkSize: CHUNK_SIZE, ...(compressChunk ? { compressChunk } : {}) });
    await writer.start({ profile: rec.profile, library: LIBRARY });
    const schemaIds = new Map<number, number>();
    for (const s of rec.schemas) schemaIds.set(s.id, await writer.registerSchema({ name: s.name, encoding: s.encoding, data: s.data }));
    const channelIds = new Map<number, number>();
    for (const c of rec.channels) {
      const schemaId = c.schemaId === 0 ? 0 : schemaIds.get(c.schemaId)!;
      channelIds.set(c.id, await writer.registerChannel({ topic: c.topic, messageEncoding: c.messageEncoding, schemaId, metadata: c.metadata }));
    }
    for (const m of messages) await writer.addMessage({ ...m, channelId: channelIds.get(m.channelId)! });
    await writer.end();
  } finally {
    await file.close();
  }
}

/** rosbag2's metadata.yaml for the splits (version 5, as Humble writes it). */
function bagMetadata(rec: Recording, splits: { name: string; messages: readonly McapTypes.Message[] }[]): string {
  const span = (ms: readonly McapTypes.Message[]) => ({
    start: ms.length > 0 ? ms[0]!.logTime : 0n,
    duration: ms.length > 0 ? ms.at(-1)!.logTime - ms[0]!.logTime : 0n,
  });
  const all = span(rec.messages);
  const typeOf = new Map(rec.schemas.map((s) => [s.id, s.name]));
  const info = {
    version: 5,
    storage_identifier: 'mcap',
    duration: { nanoseconds: all.duration },
    starting_time: { nanoseconds_since_epoch: all.start },
    message_count: rec.messages.length,
    topics_with_message_count: rec.channels.map((c) => ({
      topic_metadata: {
        name: c.topic,
        type: typeOf.get(c.schemaId) ?? '',
        serialization_format: c.messageEncoding,
        offered_qos_profiles: c.metadata.get('offered_qos_profiles') ?? '',
      },
      message_count: rec.messages.filter((m) => m.channelId === c.id).length,
    })),
    compression_format: '',
    compression_mode: '',
    relative_file_paths: splits.map((s) => s.name),
    files: splits.map((s) => {
      const { start, duration } = span(s.messages);
      return { path: s.name, starting_time: { nanoseconds_since_epoch: start }, duration: { nanoseconds: duration }, message_count: s.messages.length };
    }),
  };
  return stringify({ rosbag2_bagfile_information: info });
}

/** Writes `input` in one layout at `out` (a file, or for 'folder' the bag folder). */
export async function writeLayout(input: string | Recording, layout: RecordingLayout, out: string): Promise<void> {
  const rec = typeof input === 'string' ? await readRecording(input) : input;
  if (layout === 'unchunked') return writeRecording(rec, rec.messages, out, 'none', false);
  if (layout !== 'folder') return writeRecording(rec, rec.messages, out, layout, true);
  await mkdir(out, { recursive: true });
  // Split in the middle of the messages (not at a frame boundary), as a size or duration limit would.
  const half = Math.ceil(rec.messages.length / 2);
  const splits = [rec.messages.slice(0, half), rec.messages.slice(half)].map((messages, i) => ({ name: `folder_${i}.mcap`, messages }));
  for (const s of splits) await writeRecording(rec, s.messages, join(out, s.name), 'zstd', true);
  await writeFile(join(out, 'metadata.yaml'), bagMetadata(rec, splits));
}

/** Every layout of `input` in `outDir`; returns the path of each. */
export async function makeRecordingLayouts(input: string, outDir: string): Promise<Record<RecordingLayout, string>> {
  const rec = await readRecording(input);
  await mkdir(outDir, { recursive: true });
  const paths = {} as Record<RecordingLayout, string>;
  for (const layout of RECORDING_LAYOUTS) {
    paths[layout] = join(outDir, layout === 'folder' ? 'folder' : `${layout}.mcap`);
    await writeLayout(rec, layout, paths[layout]);
  }
  return paths;
}

async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  let out = '';
  const positional: string[] = [];
  while (args.length > 0) {
    const a = args.shift()!;
    if (a === '--out') out = args.shift() ?? '';
    else if (a === '--help' || a === '-h') positional.length = 99;
    else positional.push(a);
  }
  if (positional.length > 1 || out === '') {
    console.error('usage: npx tsx scripts/make-recording-layouts.ts [<input.mcap>] --out <folder>');
    return 2;
  }
  const input = positional[0] ?? 'demo/redwood_livingroom1.mcap';
  const paths = await makeRecordingLayouts(input, out);
  for (const layout of RECORDING_LAYOUTS) console.log(`${layout}: ${paths[layout]}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`make-recording-layouts: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
