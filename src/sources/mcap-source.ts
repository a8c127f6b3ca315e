// Replays a rosbag2 recording as source events: colour (Image or CompressedImage), aligned depth, camera info,
// /tf and /tf_static, in log-time order, in real time (optionally faster or slower) or as fast as possible, once
// or looping. A recording is one MCAP file (chunks uncompressed, zstd or lz4, or no chunks at all) or a bag
// folder (metadata.yaml and its splits, played one after the other: bag-folder.ts). Stamps are the messages'
// own header stamps; the only change ever made to them is the loop offset (see `loop`). A message that does not
// decode, or carries a negative stamp, is reported and skipped. Damage does not end a replay: a chunk that fails
// its CRC is skipped with a warning, and a file without a readable index (a recorder that crashed never wrote
// its summary) is read front to back instead (mcap-sequential.ts), as is a file without chunks. A frame topic
// that yields nothing is reported within a second (replay-report.ts).
import { basename, dirname } from 'node:path';
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
import { BAG_METADATA, isFolder, readBagFolder, type BagFolder } from './bag-folder.js';
import { loadDecompressHandlers, READABLE_COMPRESSIONS } from './decompress.js';
import { FileReadable } from './file-readable.js';
import { hasMcapMagic, readMcapSequentially, UnsupportedCompressionError } from './mcap-sequential.js';
import {
  describeHoldings,
  emptyProgress,
  FRAME_ROLES,
  noFrameReason,
  type HeldChannel,
  type ReplayState,
  shown,
  type RoleProgress,
} from './replay-report.js';
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
  /** An MCAP file, or a rosbag2 bag folder (or its metadata.yaml). */
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
  /**
   * Extra decompressors for compressed chunks, keyed by compression name, as @mcap/core takes them; zstd and lz4
   * are built in (decompress.ts), and a handler given here replaces the built-in one of its name.
   */
  decompressHandlers?: McapTypes.DecompressHandlers;
  /** How long a frame topic (colour, depth, camera info) may yield nothing before it is reported, ms (default 1000). */
  noFrameReportMs?: number;
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

interface PlannedMessage {
  plan: ChannelPlan;
  msg: McapMessage;
}

/** One pass over a file's messages on the planned channels, in replay order. */
type MessagePass = () => AsyncIterable<PlannedMessage>;

/** One open MCAP file of the recording. */
interface OpenFile {
  pass: MessagePass;
  /** Its channels as known now (all of them from an index; those read so far without one). */
  held: () => HeldChannel[];
  close: () => Promise<void>;
}

interface ChannelInfo {
  id: number;
  topic: string;
  messageEncoding: string;
  schema: { name: string; encoding: string; data: Uint8Array } | undefined;
}

/** How the files of one start() are read: the built-in and given decompressors, and whether topics are checked per file. */
interface ReadContext {
  handlers: McapTypes.DecompressHandlers;
  /** A single file warns about configured topics it lacks; a bag folder checks metadata.yaml's topics instead. */
  warnMissing: boolean;
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

/** Skipped messages reported per topic and start(); later ones are only counted. */
const SKIP_WARNINGS_PER_TOPIC = 5;

/** The earliest stamp of an event (TF: of its transforms). */
function earliestStamp(e: SourceEvent): bigint | null {
  if (e.kind !== 'tf') return e.header.stampNs;
  return e.transforms.reduce<bigint | null>((m, t) => (m === null || t.stampNs < m ? t.stampNs : m), null);
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
  /** Per frame role, for the no-frame report; reset by each start(). */
  #progress = new Map<McapRole, RoleProgress>();
  /** Roles already warned about (topic missing or of the wrong type): the report does not repeat them. */
  #warnedRoles = new Set<McapRole>();
  #state: ReplayState = { kind: 'reading' };
  /** What the recording holds, for the report: the bag's metadata topics, else the current file's channels. */
  #held: () => HeldChannel[] = () => [];
  /** Whose channels #held lists: the recording, its metadata.yaml, or the split being read. */
  #heldWhere = '';
  /** Warnings given once per start() even when a bag folder's splits are opened on every pass. */
  #warnedOnce = new Set<string>();

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

  #warnOnce(topic: string | null, message: string): void {
    if (this.#warnedOnce.has(message)) return;
    this.#warnedOnce.add(message);
    this.#warn(topic, message);
  }

  #roleProgress(role: McapRole): RoleProgress {
    let p = this.#progress.get(role);
    if (!p) this.#progress.set(role, (p = emptyProgress()));
    return p;
  }

  async start(onEvent: (e: SourceEvent) => void): Promise<void> {
    if (this.#running) throw new Error(`McapSource(${this.#opts.path}) is already running`);
    this.#running = true;
    if (this.#abort.signal.aborted) this.#abort = new AbortController();
    const signal = this.#abort.signal;
    this.#progress = new Map();
    this.#warnedRoles = new Set();
    this.#warnedOnce = new Set();
    this.#state = { kind: 'reading' };
    this.#held = () => [];
    this.#heldWhere = this.#opts.path;
    let single: OpenFile | null = null;
    try {
      const bag = await this.#bagFolder();
      const handlers = { ...(await loadDecompressHandlers()), ...this.#opts.decompressHandlers };
      let passes: () => AsyncIterable<PlannedMessage>;
      if (bag) {
        for (const w of bag.warnings) this.#warn(null, w);
        this.#checkBagTopics(bag);
        passes = () => this.#folderPass(bag, { handlers, warnMissing: false });
      } else {
        single = await this.#openFile(this.#opts.path, { handlers, warnMissing: true });
        const file = single;
        passes = file ? file.pass : async function* () {};
      }
      await this.#play(passes, onEvent, signal);
    } finally {
      this.#running = false;
      await single?.close();
    }
  }

  /** The bag folder at `path` (a folder, or its metadata.yaml), or null when `path` is an MCAP file. */
  async #bagFolder(): Promise<BagFolder | null> {
    const path = this.#opts.path;
    const dir = basename(path) === BAG_METADATA ? dirname(path) : (await isFolder(path)) ? path : null;
    return dir === null ? null : readBagFolder(dir);
  }

  /** Checks the configured topics against metadata.yaml's, before any split is read. */
  #checkBagTopics(bag: BagFolder): void {
    if (!bag.topics) return;
    const topics = bag.topics;
    this.#held = () => topics.map((t) => ({ topic: t.name, type: t.type, messages: t.messageCount }));
    this.#heldWhere = `${bag.dir}/${BAG_METADATA}`;
    const byName = new Map(topics.map((t) => [t.name, t]));
    for (const role of Object.keys(this.topics) as McapRole[]) {
      const topic = this.topics[role];
      const t = byName.get(topic);
      if (!t) {
        this.#warnedRoles.add(role);
        this.#warn(topic, `topic ${shown(topic)} (${role}) is not in ${bag.dir}/${BAG_METADATA}; it lists: ${describeHoldings(this.#held())}`);
      } else if (!EXPECTED_TYPES[role].includes(canonicalType(t.type))) {
        this.#warnedRoles.add(role);
        this.#warn(topic, `topic ${shown(topic)} is ${shown(t.type)} in ${bag.dir}/${BAG_METADATA}, expected ${EXPECTED_TYPES[role].join(' or ')}; ignored`);
      }
    }
  }

  /** One pass over a bag folder: each split opened, replayed and closed in turn; a split that cannot be read is skipped. */
  async *#folderPass(bag: BagFolder, ctx: ReadContext): AsyncIterable<PlannedMessage> {
    for (const path of bag.files) {
      if (this.#abort.signal.aborted) return;
      let file: OpenFile | null;
      try {
        file = await this.#openFile(path, ctx);
      } catch (err) {
        this.#warnOnce(null, `skipped a split: ${shown((err as Error).message, 300)}`);
        continue;
      }
      if (!file) continue;
      if (!bag.topics) {
        // Without metadata.yaml, the report names what the split being read holds.
        this.#held = file.held;
        this.#heldWhere = path;
      }
      try {
        yield* file.pass();
      } finally {
        await file.close();
      }
    }
  }

  /**
   * Opens one MCAP file and plans its channels; null when none of them is replayed. Rejects when the file cannot be
   * opened or is not an MCAP file.
   */
  async #openFile(path: string, ctx: ReadContext): Promise<OpenFile | null> {
    let file: FileReadable;
    try {
      file = await FileReadable.open(path);
    } catch (err) {
      throw new Error(`cannot open MCAP ${path}: ${(err as Error).message}`);
    }
    const close = () => file.close();
    try {
      const readable = new TrackedReadable(file);
      let reader: McapIndexedReader | null = null;
      try {
        reader = await McapIndexedReader.Initialize({ readable, decompressHandlers: ctx.handlers });
      } catch (err) {
        if (!(await hasMcapMagic(file))) throw new Error(`${path} is not an MCAP file (${shown((err as Error).message)})`);
        this.#warnOnce(null, `${path} has no readable index (${shown((err as Error).message)}); reading it from the start, in file order`);
      }
      // A file written without chunks has an index of channels but none of messages: read it in file order too.
      const opened =
        reader === null || reader.chunkIndexes.length === 0 ? this.#sequentialFile(path, file, ctx, reader) : this.#indexedFile(path, reader, readable, ctx);
      if (!opened) {
        await close();
        return null;
      }
      return { ...opened, pass: failingClearly(path, opened.pass), close };
    } catch (err) {
      await close();
      throw err;
    }
  }

  /** The role of each configured topic (a topic named for two roles plays the later one). */
  #roleByTopic(): Map<string, McapRole> {
    return new Map((Object.keys(this.topics) as McapRole[]).map((role) => [this.topics[role], role]));
  }

  /** Warns about roles whose topic is not among `channels`, naming what the file has instead. */
  #warnMissing(path: string, channels: readonly ChannelInfo[], held: HeldChannel[]): void {
    const topics = new Set(channels.map((c) => c.topic));
    for (const role of Object.keys(this.topics) as McapRole[]) {
      const topic = this.topics[role];
      if (topics.has(topic)) continue;
      this.#warnedRoles.add(role);
      this.#warnOnce(topic, `topic ${shown(topic)} (${role}) is not in ${path}; it has: ${describeHoldings(held)}`);
    }
  }

  /** A plan for one channel of a replayed topic, with a decoder from its own schema; null (warned) if unusable. */
  #planChannel(role: McapRole, channel: ChannelInfo): ChannelPlan | null {
    const { topic, schema } = channel;
    const type = canonicalType(schema?.name ?? '');
    let refused: string | null = null;
    if (!EXPECTED_TYPES[role].includes(type)) {
      refused = `topic ${shown(topic)} has type '${shown(schema?.name ?? 'none')}', expected ${EXPECTED_TYPES[role].join(' or ')}; ignored`;
    } else if (channel.messageEncoding !== 'cdr') {
      refused = `topic ${shown(topic)} has message encoding '${shown(channel.messageEncoding)}', expected cdr; ignored`;
    }
    if (refused) {
      this.#warnedRoles.add(role);
      this.#roleProgress(role).refused = refused;
      this.#warnOnce(topic, refused);
      return null;
    }
    // Decode with the recording's own definition when it is a .msg text; otherwise (ros2idl, empty) ours.
    const schemaText = schema && schema.encoding === 'ros2msg' ? new TextDecoder().decode(schema.data) : undefined;
    let decode: (bytes: Uint8Array) => unknown;
    try {
      decode = createCdrDecoder(type, schemaText);
    } catch (err) {
      this.#warnOnce(topic, `${shown((err as Error).message, 300)}; decoding with the official definition instead`);
      decode = createCdrDecoder(type);
    }
    this.#roleProgress(role).planned = true;
    return { role, topic, decode, convert: converterFor(role, type) };
  }

  /** Passes through the index, in log-time order; a damaged chunk is dropped from the index and skipped. */
  #indexedFile(path: string, reader: McapIndexedReader, readable: TrackedReadable, ctx: ReadContext): Omit<OpenFile, 'close'> | null {
    const channels: ChannelInfo[] = [...reader.channelsById.values()].map((c) => ({
      id: c.id,
      topic: c.topic,
      messageEncoding: c.messageEncoding,
      schema: reader.schemasById.get(c.schemaId),
    }));
    // The statistics count only channels with messages: one they leave out has none.
    const counts = reader.statistics?.channelMessageCounts;
    const held = (): HeldChannel[] =>
      channels.map((c) => ({ topic: c.topic, type: c.schema?.name ?? '', messages: counts ? (counts.get(c.id) ?? 0n) : null }));
    const roles = this.#roleByTopic();
    const plans = new Map<number, ChannelPlan>();
    for (const channel of channels) {
      const role = roles.get(channel.topic);
      const plan = role === undefined ? null : this.#planChannel(role, channel);
      if (plan) plans.set(channel.id, plan);
    }
    if (ctx.warnMissing) {
      this.#held = held;
      this.#warnMissing(path, channels, held());
    }
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
            yield { plan: plans.get(msg.channelId)!, msg };
          }
          return;
        } catch (err) {
          const chunk = /Unsupported compression/.test((err as Error).message) ? null : source.#dropChunkAt(reader, readable.lastReadOffset);
          if (!chunk) throw err;
          source.#warn(
            null,
            `skipped a damaged chunk at byte ${chunk.chunkStartOffset} (messages logged ${chunk.messageStartTime}..${chunk.messageEndTime}): ${shown((err as Error).message)}`,
          );
          resumeAt = lastTime;
          sentAtResume = new Set(sentAtLast);
        }
      }
    };
    return { pass, held };
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

  /**
   * Passes front to back: channels are planned as their records come. `reader` is the file's index when it has
   * one without chunks: its channels and counts are known before reading.
   */
  #sequentialFile(path: string, readable: McapTypes.IReadable, ctx: ReadContext, reader: McapIndexedReader | null): Omit<OpenFile, 'close'> {
    const roles = this.#roleByTopic();
    const plans = new Map<number, ChannelPlan>();
    const schemas = new Map<number, ChannelInfo['schema']>();
    const channels = new Map<number, ChannelInfo>();
    const read = new Map<number, number>();
    const unknown = new Set<number>();
    const channelRecords = new Set<number>();
    const counts = reader?.statistics?.channelMessageCounts;
    const held = (): HeldChannel[] =>
      [...channels.values()].map((c) => ({ topic: c.topic, type: c.schema?.name ?? '', messages: counts ? (counts.get(c.id) ?? 0n) : (read.get(c.id) ?? 0) }));
    if (reader) {
      for (const c of reader.channelsById.values()) {
        channels.set(c.id, { id: c.id, topic: c.topic, messageEncoding: c.messageEncoding, schema: reader.schemasById.get(c.schemaId) });
      }
    }
    if (ctx.warnMissing) this.#held = held;
    let firstPass = true;
    const source = this;
    const pass: MessagePass = async function* () {
      const records = readMcapSequentially(readable, {
        decompressHandlers: ctx.handlers,
        onWarning: (message) => source.#warn(null, message),
      });
      try {
        for await (const record of records) {
          if (record.type === 'Schema') {
            schemas.set(record.id, record);
          } else if (record.type === 'Channel') {
            if (channelRecords.has(record.id)) continue; // a channel is planned once, at its first record
            channelRecords.add(record.id);
            const channel = { id: record.id, topic: record.topic, messageEncoding: record.messageEncoding, schema: schemas.get(record.schemaId) };
            channels.set(record.id, channel);
            const role = roles.get(record.topic);
            const plan = role === undefined ? null : source.#planChannel(role, channel);
            if (plan) plans.set(record.id, plan);
          } else {
            if (firstPass) read.set(record.channelId, (read.get(record.channelId) ?? 0) + 1);
            const plan = plans.get(record.channelId);
            if (plan) {
              yield { plan, msg: record };
            } else if (!channels.has(record.channelId) && !unknown.has(record.channelId)) {
              unknown.add(record.channelId);
              source.#warn(null, `messages on channel ${record.channelId} have no channel record before them (lost in a skipped chunk?); skipped`);
            }
          }
        }
      } catch (err) {
        if (err instanceof UnsupportedCompressionError) throw err;
        throw new Error(`reading ${path} from the start failed: ${shown((err as Error).message)}`);
      }
      if (firstPass) {
        firstPass = false;
        if (ctx.warnMissing) source.#warnMissing(path, [...channels.values()], held());
      }
    };
    return { pass, held };
  }

  async #play(pass: () => AsyncIterable<PlannedMessage>, onEvent: (e: SourceEvent) => void, signal: AbortSignal): Promise<void> {
    const realtime = this.#opts.realtime ?? true;
    const rate = this.#opts.rate!;
    let offsetNs = 0n;
    let wallStartMs = 0;
    let logStartNs: bigint | null = null;
    let reported = false;
    const report = (when: string) => {
      if (reported || signal.aborted) return;
      reported = true;
      this.#reportNoFrames(when);
    };
    const reportMs = this.#opts.noFrameReportMs ?? 1000;
    const timer = setTimeout(() => report(`within ${reportMs / 1000} s of the start`), reportMs);
    timer.unref();
    try {
      for (;;) {
        let first: bigint | null = null;
        let last: bigint | null = null;
        const colorTimes: bigint[] = [];
        for await (const { plan, msg } of pass()) {
          if (signal.aborted) return;
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
            if (waitMs > 0) {
              this.#state = { kind: 'waiting', ms: waitMs, logTime: msg.logTime };
              await abortableSleep(waitMs, signal);
              this.#state = { kind: 'reading' };
            }
          } else {
            // Let the consumer and stop() run between messages even when nothing waits.
            await yieldToEventLoop();
          }
          if (signal.aborted) return;
          const event = this.#toEvent(plan, msg);
          if (event) {
            this.#stats.emitted[plan.role] += 1;
            this.#roleProgress(plan.role).emitted += 1;
            onEvent(shiftEvent(event, offsetNs));
          }
        }
        this.#stats.passes += 1;
        this.#state = { kind: 'ended' };
        report('in the whole recording');
        this.#state = { kind: 'reading' };
        if (!this.#opts.loop || signal.aborted) return;
        if (first === null || last === null) {
          this.#warn(null, `${this.#opts.path} has no messages on the replayed topics; not looping`);
          return;
        }
        offsetNs += last - first + loopGapNs(colorTimes);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** One warning per frame role that has yielded nothing, saying why and what the recording holds. */
  #reportNoFrames(when: string): void {
    for (const role of FRAME_ROLES) {
      if (this.#roleProgress(role).emitted > 0 || this.#warnedRoles.has(role)) continue;
      const topic = this.topics[role];
      const held = this.#held();
      const reason = noFrameReason(topic, this.#roleProgress(role), this.#state, held.some((c) => c.topic === topic));
      this.#warn(topic, `no frame from ${shown(topic)} (${role}) ${when}: ${reason}; ${this.#heldWhere} holds: ${describeHoldings(held)}`);
    }
  }

  #toEvent(plan: ChannelPlan, msg: McapMessage): SourceEvent | null {
    const progress = this.#roleProgress(plan.role);
    progress.read += 1;
    try {
      const event = plan.convert(plan.decode(msg.data));
      const stamp = earliestStamp(event);
      // ROS time starts at 0: sec = -1 is an unset or corrupted stamp, and no TF lookup can match it.
      if (stamp !== null && stamp < 0n) throw new RangeError(`its stamp ${stamp} ns is negative (before 1970): unset or invalid`);
      return event;
    } catch (err) {
      this.#stats.skipped += 1;
      progress.skipped += 1;
      progress.lastSkip = (err as Error).message;
      // A recording whose every message is bad must not flood the log: the first few are told, the rest counted.
      if (progress.skipped <= SKIP_WARNINGS_PER_TOPIC) {
        const more = progress.skipped === SKIP_WARNINGS_PER_TOPIC ? ` (further skipped messages on this topic are counted in stats(), not reported)` : '';
        this.#warn(plan.topic, `skipped message ${msg.sequence} on ${shown(plan.topic)} at log time ${msg.logTime}: ${shown((err as Error).message, 300)}${more}`);
      }
      return null;
    }
  }
}

/** A pass whose failure names the file, with what to do when its chunks use a compression that is not read. */
function failingClearly(path: string, pass: MessagePass): MessagePass {
  return async function* () {
    try {
      yield* pass();
    } catch (err) {
      const msg = shown((err as Error).message, 300);
      const hint = /Unsupported compression/.test(msg)
        ? ` (chunks are read uncompressed or compressed with ${READABLE_COMPRESSIONS.join(' or ')}: recompress the file, e.g. with the mcap CLI's \`mcap compress\`, or pass decompressHandlers)`
        : '';
      throw new Error(`replay of ${path} failed: ${msg}${hint}`);
    }
  };
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
