// Helpers shared by the source tests: temp folders and reading MCAP files back with @mcap/core.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McapIndexedReader, McapWriter } from '@mcap/core';
import { ros2msgSchema, normalizeTypeName } from '../../src/messages/definitions.js';
import { loadDecompressHandlers } from '../../src/sources/decompress.js';
import { FileReadable } from '../../src/sources/file-readable.js';
import { FileWritable } from '../../src/sources/file-writable.js';
import type { SourceEvent } from '../../src/pipeline/types.js';

export const DEMO_MCAP = 'demo/redwood_livingroom1.mcap';
export const DEMO_FRAMES_DIR = 'demo/redwood_livingroom1';

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'molmo-sources-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface ReadBackMessage {
  topic: string;
  type: string;
  logTime: bigint;
  publishTime: bigint;
  sequence: number;
  data: Uint8Array;
}

/** Every message of an MCAP file (chunks uncompressed, zstd or lz4) in log-time order, with its channel's topic and schema name. */
export async function readMcap(path: string): Promise<{ reader: McapIndexedReader; messages: ReadBackMessage[] }> {
  const readable = await FileReadable.open(path);
  try {
    const reader = await McapIndexedReader.Initialize({ readable, decompressHandlers: await loadDecompressHandlers() });
    const messages: ReadBackMessage[] = [];
    for await (const m of reader.readMessages({ validateCrcs: true })) {
      const channel = reader.channelsById.get(m.channelId)!;
      const schema = reader.schemasById.get(channel.schemaId)!;
      messages.push({ topic: channel.topic, type: schema.name, logTime: m.logTime, publishTime: m.publishTime, sequence: m.sequence, data: m.data });
    }
    return { reader, messages };
  } finally {
    await readable.close();
  }
}

/** Writes an MCAP by hand (raw message bytes), for files our own writer would refuse to produce. */
export async function writeRawMcap(
  path: string,
  messages: { topic: string; type: string; logTime: bigint; data: Uint8Array }[],
  opts: { chunkCompression?: string } = {},
): Promise<void> {
  const file = await FileWritable.create(path);
  const { chunkCompression } = opts;
  // A labelled-but-identity "compression" is enough to exercise a reader's decompression path.
  const compressChunk = chunkCompression ? (data: Uint8Array) => ({ compression: chunkCompression, compressedData: data }) : undefined;
  const writer = new McapWriter({ writable: file, compressChunk });
  await writer.start({ profile: 'ros2', library: 'test' });
  const channels = new Map<string, number>();
  for (const m of messages) {
    let channelId = channels.get(m.topic);
    if (channelId === undefined) {
      const full = normalizeTypeName(m.type);
      const schemaId = await writer.registerSchema({ name: full, encoding: 'ros2msg', data: new TextEncoder().encode(ros2msgSchema(full)) });
      channelId = await writer.registerChannel({ topic: m.topic, schemaId, messageEncoding: 'cdr', metadata: new Map() });
      channels.set(m.topic, channelId);
    }
    await writer.addMessage({ channelId, sequence: 0, logTime: m.logTime, publishTime: m.logTime, data: m.data });
  }
  await writer.end();
  await file.close();
}

/** The stamp an event carries (header stamp, or its first transform's). */
export function eventStamp(e: SourceEvent): bigint {
  return e.kind === 'tf' ? e.transforms[0]!.stampNs : e.header.stampNs;
}
