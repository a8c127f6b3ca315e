// Writes a rosbag2-compatible MCAP file: profile "ros2", `ros2msg` schemas built from the official definitions,
// CDR messages. Every operation is queued and runs one at a time, because McapWriter corrupts the file if a
// call starts before the previous one finished; callers may fire writes concurrently.
import { McapWriter } from '@mcap/core';
import { encodeCdr } from '../messages/cdr.js';
import { normalizeTypeName, ros2msgSchema } from '../messages/definitions.js';
import { FileWritable } from './file-writable.js';
import { offeredQosProfilesYaml, SENSOR_QOS, type OfferedQos } from './qos.js';

export interface Ros2McapWriterOptions {
  /** The Header record's library field; fixed by default so identical input gives identical bytes. */
  library?: string;
  /** Uncompressed chunk size in bytes (default 1 MiB, @mcap/core's default). */
  chunkSize?: number;
}

export class Ros2McapWriterClosedError extends Error {
  constructor(path: string) {
    super(`MCAP writer for ${path} is closed`);
    this.name = 'Ros2McapWriterClosedError';
  }
}

interface Topic {
  type: string;
  channelId: Promise<number>;
  sequence: number;
}

export class Ros2McapWriter {
  readonly #topics = new Map<string, Topic>();
  readonly #schemaIds = new Map<string, Promise<number>>();
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;
  #messages = 0;

  private constructor(
    readonly path: string,
    private readonly writer: McapWriter,
    private readonly file: FileWritable,
  ) {}

  static async create(path: string, opts: Ros2McapWriterOptions = {}): Promise<Ros2McapWriter> {
    const file = await FileWritable.create(path);
    const writer = new McapWriter({ writable: file, chunkSize: opts.chunkSize ?? 1024 * 1024 });
    await writer.start({ profile: 'ros2', library: opts.library ?? 'molmo-waypoints' });
    return new Ros2McapWriter(path, writer, file);
  }

  /** Messages accepted so far (queued or written). */
  get messageCount(): number {
    return this.#messages;
  }

  #enqueue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(op);
    // The chain must survive a failed operation; the caller still sees the failure through `run`.
    this.#tail = run.catch(() => undefined);
    return run;
  }

  #schemaId(type: string): Promise<number> {
    let id = this.#schemaIds.get(type);
    if (!id) {
      const data = new TextEncoder().encode(ros2msgSchema(type));
      id = this.#enqueue(() => this.writer.registerSchema({ name: type, encoding: 'ros2msg', data }));
      this.#schemaIds.set(type, id);
    }
    return id;
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
    const schemaId = this.#schemaId(full);
    const metadata = new Map([['offered_qos_profiles', offeredQosProfilesYaml(qos)]]);
    // Queued now, behind the schema registration it needs, so queue order is call order (close() included).
    const channelId = this.#enqueue(async () =>
      this.writer.registerChannel({ topic, schemaId: await schemaId, messageEncoding: 'cdr', metadata }),
    );
    channelId.catch(() => undefined); // reported through write()
    this.#topics.set(topic, { type: full, channelId, sequence: 0 });
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
    // The channel's registration was queued before this write, so its id is settled when this runs.
    return this.#enqueue(async () =>
      this.writer.addMessage({ channelId: await t.channelId, sequence, logTime: logTimeNs, publishTime: publishTimeNs, data }),
    );
  }

  /** Waits for queued writes, writes the summary (indexes, statistics) and closes the file. Idempotent. */
  close(): Promise<void> {
    if (this.#closed) return this.#tail.then(() => undefined);
    this.#closed = true;
    return this.#enqueue(async () => {
      try {
        await this.writer.end();
      } finally {
        await this.file.close();
      }
    });
  }
}
