// Replays a rosbag2 MCAP recording as source events: colour (Image or CompressedImage), aligned depth, camera
// info, /tf and /tf_static, in log-time order, in real time (optionally faster or slower) or as fast as
// possible, once or looping. Stamps are the messages' own header stamps; the only change ever made to them is
// the loop offset (see `loop`). A message that does not decode is reported and skipped.
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

interface ChannelPlan {
  role: McapRole;
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
    let readable: FileReadable;
    try {
      readable = await FileReadable.open(this.#opts.path);
    } catch (err) {
      this.#running = false;
      throw new Error(`cannot open MCAP ${this.#opts.path}: ${(err as Error).message}`);
    }
    try {
      let reader: McapIndexedReader;
      try {
        reader = await McapIndexedReader.Initialize({ readable, decompressHandlers: this.#opts.decompressHandlers });
      } catch (err) {
        throw new Error(`${this.#opts.path} is not a readable indexed MCAP file: ${(err as Error).message}`);
      }
      const plans = this.#plan(reader);
      if (plans.size === 0) return;
      try {
        await this.#play(reader, plans, onEvent, signal);
      } catch (err) {
        const msg = (err as Error).message;
        const hint = /Unsupported compression/.test(msg)
          ? ' (the file was recorded with compressed chunks: pass decompressHandlers, or convert it to an uncompressed MCAP with `ros2 bag convert` or `mcap convert`)'
          : '';
        throw new Error(`replay of ${this.#opts.path} failed: ${msg}${hint}`);
      }
    } finally {
      this.#running = false;
      await readable.close();
    }
  }

  /** Maps the file's channels onto roles, with a decoder from each channel's own schema. */
  #plan(reader: McapIndexedReader): Map<number, ChannelPlan> {
    const plans = new Map<number, ChannelPlan>();
    const byTopic = new Map([...reader.channelsById.values()].map((c) => [c.topic, c]));
    for (const role of Object.keys(this.topics) as McapRole[]) {
      const topic = this.topics[role];
      const channel = byTopic.get(topic);
      if (!channel) {
        const available = [...byTopic.values()]
          .map((c) => `${c.topic} (${reader.schemasById.get(c.schemaId)?.name ?? '?'})`)
          .join(', ');
        this.#warn(topic, `topic ${topic} (${role}) is not in ${this.#opts.path}; it has: ${available || 'no channels'}`);
        continue;
      }
      const schema = reader.schemasById.get(channel.schemaId);
      const type = canonicalType(schema?.name ?? '');
      if (!EXPECTED_TYPES[role].includes(type)) {
        this.#warn(topic, `topic ${topic} has type '${schema?.name ?? 'none'}', expected ${EXPECTED_TYPES[role].join(' or ')}; ignored`);
        continue;
      }
      if (channel.messageEncoding !== 'cdr') {
        this.#warn(topic, `topic ${topic} has message encoding '${channel.messageEncoding}', expected cdr; ignored`);
        continue;
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
      plans.set(channel.id, { role, decode, convert: converterFor(role, type) });
    }
    return plans;
  }

  async #play(
    reader: McapIndexedReader,
    plans: Map<number, ChannelPlan>,
    onEvent: (e: SourceEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const topics = [...plans.keys()].map((id) => reader.channelsById.get(id)!.topic);
    const realtime = this.#opts.realtime ?? true;
    const rate = this.#opts.rate!;
    let offsetNs = 0n;
    let wallStartMs = 0;
    let logStartNs: bigint | null = null;

    for (;;) {
      let first: bigint | null = null;
      let last: bigint | null = null;
      const colorTimes: bigint[] = [];
      for await (const msg of reader.readMessages({ topics })) {
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
        const event = this.#toEvent(plan, msg, reader);
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

  #toEvent(plan: ChannelPlan, msg: McapTypes.TypedMcapRecords['Message'], reader: McapIndexedReader): SourceEvent | null {
    try {
      return plan.convert(plan.decode(msg.data));
    } catch (err) {
      this.#stats.skipped += 1;
      const topic = reader.channelsById.get(msg.channelId)?.topic ?? null;
      this.#warn(topic, `skipped message ${msg.sequence} on ${topic} at log time ${msg.logTime}: ${(err as Error).message}`);
      return null;
    }
  }
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
