// Writes a rosbag2-compatible MCAP file: profile "ros2", `ros2msg` schemas built from the official definitions,
// CDR messages, chunks uncompressed or compressed with zstd or lz4. Every operation is queued and runs one at a
// time, because McapWriter corrupts the file if a call starts before the previous one finished; callers may fire
// writes concurrently. rotate() closes the file and goes on in a new one, with every declared topic declared
// there again, so each file stands on its own.
import { McapWriter } from '@mcap/core';
import { encodeCdr } from '../messages/cdr.js';
import { normalizeTypeName, ros2msgSchema } from '../messages/definitions.js';
import { loadChunkCompressor, type ChunkCompression, type ChunkCompressor } from './compress.js';
import { FileWritable } from './file-writable.js';
import { offeredQosProfilesYaml, SENSOR_QOS, type OfferedQos } from './qos.js';

export interface Ros2McapWriterOptions {
  /** The Header record's library field; fixed by default so identical input gives identical bytes. */
  library?: string;
  /** Uncompressed chunk size in bytes (default 1 MiB, @mcap/core's default). */
  chunkSize?: number;
  /** Chunk compression (default 'none'). */
  compression?: ChunkCompression;
}

export class Ros2McapWriterClosedError extends Error {
  constructor(path: string) {
    super(`MCAP writer for ${path} is closed`);
    this.name = 'Ros2McapWriterClosedError';
  }
}

interface Topic {
  type: string;
  qos: OfferedQos;
  sequence: number;
}

/** One open output file and the ids its schemas and channels got in it. */
interface OpenMcap {
  path: string;
  file: FileWritable;
  writer: McapWriter;
  schemaIds: Map<string, number>;
  channelIds: Map<string, number>;
}

interface FileSettings {
  library: string;
  chunkSize: number;
  compressChunk: ChunkCompressor | undefined;
}

async function openMcap(path: string, s: FileSettings): Promise<OpenMcap> {
  const file = await FileWritable.create(path);
  const writer = new McapWriter({ writable: file, chunkSize: s.chunkSize, ...(s.compressChunk ? { compressChunk: s.compressChunk } : {}) });
  await writer.start({ profile: 'ros2', library: s.library });
  return { path, file, writer, schemaIds: new Map(), channelIds: new Map() };
}

export class Ros2McapWriter {
  /** Declared topics, in declaration order (a new file declares them in this order). */
  readonly #topics = new Map<string, Topic>();
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;
  #messages = 0;

  private constructor(
    private current: OpenMcap,
    private readonly settings: FileSettings,
  ) {}

  static async create(path: string, opts: Ros2McapWriterOptions = {}): Promise<Ros2McapWriter> {
    const settings: FileSettings = {
      library: opts.library ?? 'molmo-waypoints',
      chunkSize: opts.chunkSize ?? 1024 * 1024,
      compressChunk: await loadChunkCompressor(opts.compression ?? 'none'),
    };
    return new Ros2McapWriter(await openMcap(path, settings), settings);
  }

  /** The file being written. */
  get path(): string {
    return this.current.path;
  }

  /** Bytes in the current file so far; up to one chunk and the queued writes behind the truth. */
  get bytesWritten(): number {
    return Number(this.current.file.position());
  }

  /** Messages accepted so far (queued or written), over all files. */
  get messageCount(): number {
    return this.#messages;
  }

  #enqueue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(op);
    // The chain must survive a failed operation; the caller still sees the failure through `run`.
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Registers `topic` (and its schema, the first time) in `f`; runs inside the queue. */
  async #register(f: OpenMcap, topic: string, t: Topic): Promise<void> {
    let schemaId = f.schemaIds.get(t.type);
    if (schemaId === undefined) {
      schemaId = await f.writer.registerSchema({ name: t.type, encoding: 'ros2msg', data: new TextEncoder().encode(ros2msgSchema(t.type)) });
      f.schemaIds.set(t.type, schemaId);
    }
    const metadata = new Map([['offered_qos_profiles', offeredQosProfilesYaml(t.qos)]]);
    f.channelIds.set(topic, await f.writer.registerChannel({ topic, schemaId, messageEncoding: 'cdr', metadata }));
  }

  /** Declares `topic` with its message type (either spelling). Declaring it again with the same type is a no-op. */
  addTopic(topic: string, type: string, qos: OfferedQos = SENSOR_QOS): void {
    if (this.#closed) throw new Ros2McapWriterClosedError(this.path);
    const full = normalizeTypeName(type);
    const existing = this.#topics.get(topic);
    if (existing) {
      if (existing.type !== full) throw new Error(`topic ${topic} already declared as ${existing.type}, not ${full}`);
      return;
    }
    const t: Topic = { type: full, qos, sequence: 0 };
    this.#topics.set(topic, t);
    // Queued now, so queue order is call order (close() and rotate() included); a failure shows in write().
    this.#enqueue(() => this.#register(this.current, topic, t)).catch(() => undefined);
  }

  /**
   * Encodes `msg` (a ROS-shaped object) as the topic's type and appends it. Encoding errors throw here, before
   * anything reaches the file. Resolves when the message is in the file's buffer.
   */
  write(topic: string, logTimeNs: bigint, msg: unknown, publishTimeNs: bigint = logTimeNs): Promise<void> {
    if (this.#closed) return Promise.reject(new Ros2McapWriterClosedError(this.path));
    const t = this.#topics.get(topic);
    if (!t) return Promise.reject(new Error(`topic ${topic} was not declared with addTopic()`));
    let data: Uint8Array;
    try {
      data = encodeCdr(t.type, msg);
    } catch (err) {
      return Promise.reject(err);
    }
    const sequence = t.sequence++;
    this.#messages += 1;
    return this.#enqueue(async () => {
      const f = this.current;
      const channelId = f.channelIds.get(topic);
      if (channelId === undefined) throw new Error(`topic ${topic} could not be declared in ${f.path}`);
      await f.writer.addMessage({ channelId, sequence, logTime: logTimeNs, publishTime: publishTimeNs, data });
    });
  }

  /**
   * After the writes queued so far: finishes the current file (summary, indexes) and goes on in a new one at
   * `path`, with every declared topic declared again. Resolves when the new file is open.
   */
  rotate(path: string): Promise<void> {
    if (this.#closed) return Promise.reject(new Ros2McapWriterClosedError(this.path));
    return this.#enqueue(async () => {
      await Ros2McapWriter.#finish(this.current);
      const next = await openMcap(path, this.settings);
      this.current = next;
      for (const [topic, t] of this.#topics) await this.#register(next, topic, t);
    });
  }

  static async #finish(f: OpenMcap): Promise<void> {
    try {
      await f.writer.end();
    } finally {
      await f.file.close();
    }
  }

  /** Waits for queued writes, writes the summary (indexes, statistics) and closes the file. Idempotent. */
  close(): Promise<void> {
    if (this.#closed) return this.#tail.then(() => undefined);
    this.#closed = true;
    return this.#enqueue(() => Ros2McapWriter.#finish(this.current));
  }
}
