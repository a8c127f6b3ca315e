// Replays a rosbag2 MCAP recording as source events: colour (Image or CompressedImage), aligned depth, camera
// info, /tf and /tf_static, in log-time order, in real time (optionally faster or slower) or as fast as
// possible, once or looping. Stamps are the messages' own header stamps; the only change ever made to them is
// the loop offset (see `loop`). A message that does not decode is reported and skipped. Damage does not end a
// replay: a chunk that fails its CRC is skipped with a warning, and a file without a readable index (a recorder
// that crashed never wrote its summary) is read front to back instead (mcap-sequential.ts).
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { McapIndexedReader, type McapTypes } from '@mcap/core';
import { createCdrDecoder } from '../messages/cdr.js';
import {
  cameraInfoEventFromMsg,
  colorEventFromCompressedMsg,
  colorEventFromImageMsg,
  depthEventFromMsg,
  tfEventFromMsg,
} from '../messages/inputs.js';
import type { SourceEvent } from '../pipeline/types.js';
import { FileReadable } from './file-readable.js';
import { hasMcapMagic, readMcapSequentially, UnsupportedCompressionError } from './mcap-sequential.js';
import { abortableSleep } from './sleep.js';
import type { FrameSource, SourceWarning } from './types.js';

export type McapRole = 'color' | 'depth' | 'cameraInfo' | 'tf' | 'tfStatic';

export type McapTopics = Record<McapRole, string>;

/** A RealSense driver's topic names (and the bundled demo recording's). */
export const DEFAULT_MCAP_TOPICS: McapTopics = {
  color: '/camera/color/image_raw/compressed',
  depth: '/camera/aligned_depth_to_color/image_raw',
  cameraInfo: '/camera/color/camera_info',
  tf: '/tf',
  tfStatic: '/tf_static',
};

export interface McapSourceOptions {
  path: string;
  /** Topic per role; unset roles use DEFAULT_MCAP_TOPICS. */
  topics?: Partial<McapTopics>;
  /** Honour the log-time gaps between messages (default true); false replays as fast as possible. */
  realtime?: boolean;
  /** Playback speed factor for real time, > 0 (default 1; 2 = twice as fast). */
  rate?: number;
  /**
   * Start again at the end until stop(). Every pass after the first shifts all stamps (header stamps, TF stamps
   * and log times) forward by (last log time - first log time + one colour frame interval), so time keeps
   * increasing and a TF buffer or frame sync never sees time jump back. /tf_static is re-sent each pass.
   */
  loop?: boolean;
  /** Problems skipped over: undecodable messages, missing topics, unexpected types. */
  onWarning?: (w: SourceWarning) => void;
  /** Decompressors for compressed chunks, keyed by compression name ('zstd', 'lz4'), as @mcap/core takes them. */
  decompressHandlers?: McapTypes.DecompressHandlers;
}

export interface McapSourceStats {
  /** Events emitted per role. */
  emitted: Record<McapRole, number>;
  /** Messages skipped because they did not decode or had the wrong shape. */
  skipped: number;
  /** Completed passes over the file. */
  passes: number;
}

type Converter = (msg: unknown) => SourceEvent;

/** The fields of a message record the replay uses (both readers give them). */
interface McapMessage {
  channelId: number;
  sequence: number;
  logTime: bigint;
  publishTime: bigint;
  data: Uint8Array;
}

/** One pass over the file's messages on the planned channels, in replay order. */
type MessagePass = () => AsyncIterable<McapMessage>;

/** A pass and the plans of its channels, by channel id (filled as channels are found when reading without index). */
interface Replay {
  plans: ReadonlyMap<number, ChannelPlan>;
  pass: MessagePass;
}

interface ChannelInfo {
  id: number;
  topic: string;
  messageEncoding: string;
  schema: { name: string; encoding: string; data: Uint8Array } | undefined;
}

/** The readable, remembering the offset of the last read: it tells which chunk a failed read belonged to. */
class TrackedReadable implements McapTypes.IReadable {
  lastReadOffset: bigint | null = null;
  constructor(private readonly inner: McapTypes.IReadable) {}
  size(): Promise<bigint> {
    return this.inner.size();
  }
  read(offset: bigint, length: bigint): Promise<Uint8Array> {
    this.lastReadOffset = offset;
    return this.inner.read(offset, length);
  }
}

interface ChannelPlan {
  role: McapRole;
  topic: string;
  decode: (bytes: Uint8Array) => unknown;
  convert: Converter;
}

const EXPECTED_TYPES: Record<McapRole, readonly string[]> = {
  color: ['sensor_msgs/msg/Image', 'sensor_msgs/msg/CompressedImage'],
  depth: ['sensor_msgs/msg/Image'],
  cameraInfo: ['sensor_msgs/msg/CameraInfo'],
  tf: ['tf2_msgs/msg/TFMessage'],
  tfStatic: ['tf2_msgs/msg/TFMessage'],
};

/** `sensor_msgs/Image` and `sensor_msgs/msg/Image` name the same type in recordings. */
function canonicalType(name: string): string {
  const m = /^([A-Za-z0-9_]+)\/(?:msg\/)?([A-Za-z0-9_]+)$/.exec(name);
  return m ? `${m[1]}/msg/${m[2]}` : name;
}

function converterFor(role: McapRole, type: string): Converter {
  switch (role) {
    case 'color':
      return type === 'sensor_msgs/msg/CompressedImage' ? colorEventFromCompressedMsg : colorEventFromImageMsg;
    case 'depth':
      return depthEventFromMsg;
    case 'cameraInfo':
      return cameraInfoEventFromMsg;
    case 'tf':
      return (m) => tfEventFromMsg(m, false);
    case 'tfStatic':
      return (m) => tfEventFromMsg(m, true);
  }
}

/** Adds `offsetNs` to every stamp of an event (the loop shift). */
function shiftEvent(e: SourceEvent, offsetNs: bigint): SourceEvent {
  if (offsetNs === 0n) return e;
  if (e.kind === 'tf') {
    return { ...e, transforms: e.transforms.map((t) => ({ ...t, stampNs: t.stampNs + offsetNs })) };
  }
  return { ...e, header: { ...e.header, stampNs: e.header.stampNs + offsetNs } } as SourceEvent;
}

export class McapSource implements FrameSource {
  readonly topics: McapTopics;
  readonly #opts: McapSourceOptions;
  #abort = new AbortController();
  #running = false;
  readonly #stats: McapSourceStats = {
    emitted: { color: 0, depth: 0, cameraInfo: 0, tf: 0, tfStatic: 0 },
    skipped: 0,
    passes: 0,
  };

  constructor(opts: McapSourceOptions) {
    const rate = opts.rate ?? 1;
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`McapSource rate must be a positive number, got ${opts.rate}`);
    this.#opts = { ...opts, rate };
    this.topics = { ...DEFAULT_MCAP_TOPICS, ...opts.topics };
  }

  stats(): McapSourceStats {
    return { ...this.#stats, emitted: { ...this.#stats.emitted } };
  }

  stop(): void {
    this.#abort.abort();
  }

  #warn(topic: string | null, message: string): void {
    this.#opts.onWarning?.({ topic, message });
  }

  async start(onEvent: (e: SourceEvent) => void): Promise<void> {
    if (this.#running) throw new Error(`McapSource(${this.#opts.path}) is already running`);
    this.#running = true;
    if (this.#abort.signal.aborted) this.#abort = new AbortController();
    const signal = this.#abort.signal;
    let file: FileReadable;
    try {
      file = await FileReadable.open(this.#opts.path);
    } catch (err) {
      this.#running = false;
      throw new Error(`cannot open MCAP ${this.#opts.path}: ${(err as Error).message}`);
    }
    try {
      const readable = new TrackedReadable(file);
      let replay: Replay | null;
      try {
        const reader = await McapIndexedReader.Initialize({ readable, decompressHandlers: this.#opts.decompressHandlers });
        replay = this.#indexedPass(reader, readable);
      } catch (err) {
        if (!(await hasMcapMagic(file))) throw new Error(`${this.#opts.path} is not an MCAP file (${(err as Error).message})`);
        this.#warn(null, `${this.#opts.path} has no readable index (${(err as Error).message}); reading it from the start, in file order`);
        replay = this.#sequentialPass(file);
      }
      if (replay === null) return;
      try {
        await this.#play(replay, onEvent, signal);
      } catch (err) {
        const msg = (err as Error).message;
        const hint = /Unsupported compression/.test(msg)
          ? ' (the file was recorded with compressed chunks: pass decompressHandlers, or convert it to an uncompressed MCAP with `ros2 bag convert` or `mcap convert`)'
          : '';
        throw new Error(`replay of ${this.#opts.path} failed: ${msg}${hint}`);
      }
    } finally {
      this.#running = false;
      await file.close();
    }
  }

  /** The role of each configured topic (a topic named for two roles plays the later one). */
  #roleByTopic(): Map<string, McapRole> {
    return new Map((Object.keys(this.topics) as McapRole[]).map((role) => [this.topics[role], role]));
  }

  /** Warns about roles whose topic is not among `channels`, naming what the file has instead. */
  #warnMissing(channels: readonly ChannelInfo[]): void {
    const topics = new Set(channels.map((c) => c.topic));
    for (const role of Object.keys(this.topics) as McapRole[]) {
      const topic = this.topics[role];
      if (topics.has(topic)) continue;
      const available = channels.map((c) => `${c.topic} (${c.schema?.name ?? '?'})`).join(', ');
      this.#warn(topic, `topic ${topic} (${role}) is not in ${this.#opts.path}; it has: ${available || 'no channels'}`);
    }
  }

  /** A plan for one channel of a replayed topic, with a decoder from its own schema; null (warned) if unusable. */
  #planChannel(role: McapRole, channel: ChannelInfo): ChannelPlan | null {
    const { topic, schema } = channel;
    const type = canonicalType(schema?.name ?? '');
    if (!EXPECTED_TYPES[role].includes(type)) {
      this.#warn(topic, `topic ${topic} has type '${schema?.name ?? 'none'}', expected ${EXPECTED_TYPES[role].join(' or ')}; ignored`);
      return null;
    }
    if (channel.messageEncoding !== 'cdr') {
      this.#warn(topic, `topic ${topic} has message encoding '${channel.messageEncoding}', expected cdr; ignored`);
      return null;
    }
    // Decode with the recording's own definition when it is a .msg text; otherwise (ros2idl, empty) ours.
    const schemaText = schema && schema.encoding === 'ros2msg' ? new TextDecoder().decode(schema.data) : undefined;
    let decode: (bytes: Uint8Array) => unknown;
    try {
      decode = createCdrDecoder(type, schemaText);
    } catch (err) {
      this.#warn(topic, `${(err as Error).message}; decoding with the official definition instead`);
      decode = createCdrDecoder(type);
    }
    return { role, topic, decode, convert: converterFor(role, type) };
  }

  /** Passes through the index, in log-time order; a damaged chunk is dropped from the index and skipped. */
  #indexedPass(reader: McapIndexedReader, readable: TrackedReadable): Replay | null {
    const channels: ChannelInfo[] = [...reader.channelsById.values()].map((c) => ({
      id: c.id,
      topic: c.topic,
      messageEncoding: c.messageEncoding,
      schema: reader.schemasById.get(c.schemaId),
    }));
    const roles = this.#roleByTopic();
    const plans = new Map<number, ChannelPlan>();
    for (const channel of channels) {
      const role = roles.get(channel.topic);
      const plan = role === undefined ? null : this.#planChannel(role, channel);
      if (plan) plans.set(channel.id, plan);
    }
    this.#warnMissing(channels);
    if (plans.size === 0) return null;
    const topics = [...new Set([...plans.values()].map((p) => p.topic))];
    const source = this;
    const pass: MessagePass = async function* () {
      // After a damaged chunk the read starts again at the last log time emitted, skipping what was sent.
      let resumeAt: bigint | undefined;
      let sentAtResume = new Set<string>();
      let lastTime: bigint | undefined;
      let sentAtLast = new Set<string>();
      for (;;) {
        try {
          const from = resumeAt;
          for await (const msg of reader.readMessages({ topics, ...(from !== undefined ? { startTime: from } : {}) })) {
            const key = messageKey(msg);
            if (msg.logTime === from && sentAtResume.has(key)) continue;
            if (msg.logTime !== lastTime) {
              lastTime = msg.logTime;
              sentAtLast = new Set();
            }
            sentAtLast.add(key);
            yield msg;
          }
          return;
        } catch (err) {
          const chunk = /Unsupported compression/.test((err as Error).message) ? null : source.#dropChunkAt(reader, readable.lastReadOffset);
          if (!chunk) throw err;
          source.#warn(
            null,
            `skipped a damaged chunk at byte ${chunk.chunkStartOffset} (messages logged ${chunk.messageStartTime}..${chunk.messageEndTime}): ${(err as Error).message}`,
          );
          resumeAt = lastTime;
          sentAtResume = new Set(sentAtLast);
        }
      }
    };
    return { plans, pass };
  }

  /** Removes (for this and later passes) the chunk whose data or message index holds `offset`; returns it. */
  #dropChunkAt(reader: McapIndexedReader, offset: bigint | null): McapTypes.TypedMcapRecords['ChunkIndex'] | null {
    if (offset === null) return null;
    const chunks = reader.chunkIndexes as McapTypes.TypedMcapRecords['ChunkIndex'][];
    const i = chunks.findIndex((c) => {
      if (offset >= c.chunkStartOffset && offset < c.chunkStartOffset + c.chunkLength) return true;
      const indexStart = [...c.messageIndexOffsets.values()].reduce<bigint | null>((m, o) => (m === null || o < m ? o : m), null);
      return indexStart !== null && offset >= indexStart && offset < indexStart + c.messageIndexLength;
    });
    if (i < 0) return null;
    return chunks.splice(i, 1)[0]!;
  }

  /** Passes front to back (no index): channels are planned as their records come. */
  #sequentialPass(readable: McapTypes.IReadable): Replay {
    const roles = this.#roleByTopic();
    const plans = new Map<number, ChannelPlan>();
    const schemas = new Map<number, ChannelInfo['schema']>();
    const channels = new Map<number, ChannelInfo>();
    const unknown = new Set<number>();
    let firstPass = true;
    const source = this;
    const pass: MessagePass = async function* () {
      const records = readMcapSequentially(readable, {
        decompressHandlers: source.#opts.decompressHandlers,
        onWarning: (message) => source.#warn(null, message),
      });
      try {
        for await (const record of records) {
          if (record.type === 'Schema') {
            schemas.set(record.id, record);
          } else if (record.type === 'Channel') {
            if (channels.has(record.id)) continue;
            const channel = { id: record.id, topic: record.topic, messageEncoding: record.messageEncoding, schema: schemas.get(record.schemaId) };
            channels.set(record.id, channel);
            const role = roles.get(record.topic);
            const plan = role === undefined ? null : source.#planChannel(role, channel);
            if (plan) plans.set(record.id, plan);
          } else if (plans.has(record.channelId)) {
            yield record;
          } else if (!channels.has(record.channelId) && !unknown.has(record.channelId)) {
            unknown.add(record.channelId);
            source.#warn(null, `messages on channel ${record.channelId} have no channel record before them (lost in a skipped chunk?); skipped`);
          }
        }
      } catch (err) {
        if (err instanceof UnsupportedCompressionError) throw err;
        throw new Error(`reading ${source.#opts.path} from the start failed: ${(err as Error).message}`);
      }
      if (firstPass) {
        firstPass = false;
        source.#warnMissing([...channels.values()]);
      }
    };
    return { plans, pass };
  }

  async #play({ plans, pass }: Replay, onEvent: (e: SourceEvent) => void, signal: AbortSignal): Promise<void> {
    const realtime = this.#opts.realtime ?? true;
    const rate = this.#opts.rate!;
    let offsetNs = 0n;
    let wallStartMs = 0;
    let logStartNs: bigint | null = null;

    for (;;) {
      let first: bigint | null = null;
      let last: bigint | null = null;
      const colorTimes: bigint[] = [];
      for await (const msg of pass()) {
        if (signal.aborted) return;
        const plan = plans.get(msg.channelId);
        if (!plan) continue;
        first ??= msg.logTime;
        last = msg.logTime;
        if (plan.role === 'color') colorTimes.push(msg.logTime);
        const logTime = msg.logTime + offsetNs;
        if (realtime) {
          if (logStartNs === null) {
            logStartNs = logTime;
            wallStartMs = performance.now();
          }
          const dueMs = wallStartMs + Number(logTime - logStartNs) / 1e6 / rate;
          const waitMs = dueMs - performance.now();
          if (waitMs > 0) await abortableSleep(waitMs, signal);
        } else {
          // Let the consumer and stop() run between messages even when nothing waits.
          await yieldToEventLoop();
        }
        if (signal.aborted) return;
        const event = this.#toEvent(plan, msg);
        if (event) {
          this.#stats.emitted[plan.role] += 1;
          onEvent(shiftEvent(event, offsetNs));
        }
      }
      this.#stats.passes += 1;
      if (!this.#opts.loop || signal.aborted) return;
      if (first === null || last === null) {
        this.#warn(null, `${this.#opts.path} has no messages on the replayed topics; not looping`);
        return;
      }
      offsetNs += last - first + loopGapNs(colorTimes);
    }
  }

  #toEvent(plan: ChannelPlan, msg: McapMessage): SourceEvent | null {
    try {
      return plan.convert(plan.decode(msg.data));
    } catch (err) {
      this.#stats.skipped += 1;
      this.#warn(plan.topic, `skipped message ${msg.sequence} on ${plan.topic} at log time ${msg.logTime}: ${(err as Error).message}`);
      return null;
    }
  }
}

/** Tells messages with the same log time apart (sequence numbers may all be 0). */
function messageKey(m: McapMessage): string {
  return `${m.channelId}:${m.sequence}:${m.publishTime}:${m.data.byteLength}`;
}

/** The gap between the end of one pass and the start of the next: the median colour frame interval (100 ms if unknown). */
function loopGapNs(colorTimes: bigint[]): bigint {
  const gaps: bigint[] = [];
  for (let i = 1; i < colorTimes.length; i++) {
    const g = colorTimes[i]! - colorTimes[i - 1]!;
    if (g > 0n) gaps.push(g);
  }
  if (gaps.length === 0) return 100_000_000n;
  gaps.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return gaps[Math.floor(gaps.length / 2)]!;
}
