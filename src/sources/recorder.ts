// Records requests, results and the frames they were computed from into a rosbag2-compatible MCAP (standard ROS 2
// schemas, CDR), so a session opens in Foxglove or `ros2 bag play`. Calls may come concurrently from event
// handlers: every write goes through one queue, no record call ever rejects (failures go to `onError` and the
// call resolves false), each part of a call (result, waypoints, markers, each frame) succeeds or fails on its
// own, and close() waits for everything queued before it. With a size or age cap the recording goes on in a new
// file when the current one reaches it (`<name>_1.mcap`, `<name>_2.mcap`, …), each file complete on its own: its
// results' frames and the static transforms are written into it again; with `maxFiles` the oldest are deleted.
import { unlink } from 'node:fs/promises';
import { extname } from 'node:path';
import type { TransformStamped } from '../geometry/types.js';
import {
  cameraInfoToMsg,
  compressedImageToMsg,
  rawImageToMsg,
  transformsToTfMsg,
} from '../messages/inputs.js';
import { jsonWithBigints, markerArrayFromResult, poseArrayFromResult, resultJson } from '../messages/outputs.js';
import type { FrameSnapshot, PointRequest, PointResult } from '../pipeline/types.js';
import type { ChunkCompression } from './compress.js';
import { LATCHED_QOS, SENSOR_QOS } from './qos.js';
import { Ros2McapWriter } from './ros2-mcap-writer.js';

export interface RecorderTopics {
  colorRaw: string;
  colorCompressed: string;
  depth: string;
  cameraInfo: string;
  tf: string;
  tfStatic: string;
  request: string;
  result: string;
  waypoints: string;
  markers: string;
}

export const DEFAULT_RECORDER_TOPICS: RecorderTopics = {
  colorRaw: '/camera/color/image_raw',
  colorCompressed: '/camera/color/image_raw/compressed',
  depth: '/camera/aligned_depth_to_color/image_raw',
  cameraInfo: '/camera/color/camera_info',
  tf: '/tf',
  tfStatic: '/tf_static',
  request: '/molmo_waypoints/request',
  result: '/molmo_waypoints/result',
  waypoints: '/molmo_waypoints/waypoints',
  markers: '/molmo_waypoints/markers',
};

const TYPES: Record<keyof RecorderTopics, string> = {
  colorRaw: 'sensor_msgs/msg/Image',
  colorCompressed: 'sensor_msgs/msg/CompressedImage',
  depth: 'sensor_msgs/msg/Image',
  cameraInfo: 'sensor_msgs/msg/CameraInfo',
  tf: 'tf2_msgs/msg/TFMessage',
  tfStatic: 'tf2_msgs/msg/TFMessage',
  request: 'std_msgs/msg/String',
  result: 'std_msgs/msg/String',
  waypoints: 'geometry_msgs/msg/PoseArray',
  markers: 'visualization_msgs/msg/MarkerArray',
};

/** When to go on in a new file; 0 or unset = no limit. */
export interface RecorderRotation {
  /** Bytes in a file (checked before each record call; a file ends up to about one chunk, 1 MiB, past it). */
  maxBytes?: number;
  /** How long a file stays open, ms (checked before each record call). */
  maxAgeMs?: number;
  /** Files kept: after a rotation the oldest beyond this many are deleted. */
  maxFiles?: number;
}

export interface RecorderOptions {
  /** The first file; rotated files are named after it (`session.mcap` → `session_1.mcap`, `session_2.mcap`, …). */
  path: string;
  topics?: Partial<RecorderTopics>;
  /** Write each result's snapshot (colour, depth, camera info) once per snapshot and file (default true). */
  frames?: boolean;
  /** Chunk compression (default 'zstd', as rosbag2's MCAP storage writes). */
  compression?: ChunkCompression;
  rotation?: RecorderRotation;
  /** Wall clock for the age cap, ms (default performance.now). */
  wallClockMs?: () => number;
  /**
   * Log time (ns) for records without a data stamp (requests, results without a frame). Default: the latest data
   * stamp recorded so far, or the wall clock before any. Using the data's clock keeps a replayed recording's
   * timeline compact (its stamps may be far from today).
   */
  clock?: () => bigint;
  /** A write that failed (the call resolved false). Default: printed to stderr. */
  onError?: (err: Error) => void;
}

export interface RecorderStats {
  requests: number;
  results: number;
  snapshots: number;
  transforms: number;
  failed: number;
  /** Files started (1 + rotations). */
  files: number;
}

/** The n-th file after `path` (n ≥ 1): `dir/name_n.mcap`. */
export function rotatedPath(path: string, n: number): string {
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}_${n}${ext}`;
}

export class Recorder {
  readonly topics: RecorderTopics;
  readonly #writer: Ros2McapWriter;
  readonly #opts: RecorderOptions;
  readonly #declared = new Set<keyof RecorderTopics>();
  /** Snapshots whose frames are in the current file. */
  readonly #snapshotsWritten = new Set<number>();
  /** The static transforms sent, by parent/child: their JSON (to skip repeats) and the transform (for a new file). */
  readonly #statics = new Map<string, { json: string; transform: TransformStamped }>();
  #latestStampNs: bigint | null = null;
  #closed = false;
  readonly #files: string[];
  #openedAtMs: number;
  readonly #wallClockMs: () => number;
  readonly #stats: RecorderStats = { requests: 0, results: 0, snapshots: 0, transforms: 0, failed: 0, files: 1 };

  private constructor(writer: Ros2McapWriter, opts: RecorderOptions) {
    this.#writer = writer;
    this.#opts = opts;
    this.topics = { ...DEFAULT_RECORDER_TOPICS, ...opts.topics };
    this.#files = [opts.path];
    this.#wallClockMs = opts.wallClockMs ?? (() => performance.now());
    this.#openedAtMs = this.#wallClockMs();
  }

  /** Creates (or overwrites) the MCAP file at `opts.path`. */
  static async open(opts: RecorderOptions): Promise<Recorder> {
    const writer = await Ros2McapWriter.create(opts.path, { library: 'molmo-waypoints recorder', compression: opts.compression ?? 'zstd' });
    return new Recorder(writer, opts);
  }

  /** The first file. */
  get path(): string {
    return this.#opts.path;
  }

  /** The files of this recording still on disk, oldest first (the last is being written). */
  get files(): readonly string[] {
    return [...this.#files];
  }

  stats(): RecorderStats {
    return { ...this.#stats };
  }

  #now(): bigint {
    if (this.#opts.clock) return this.#opts.clock();
    return this.#latestStampNs ?? BigInt(Date.now()) * 1_000_000n;
  }

  #seen(stampNs: bigint): void {
    if (this.#latestStampNs === null || stampNs > this.#latestStampNs) this.#latestStampNs = stampNs;
  }

  #fail(err: unknown): false {
    this.#stats.failed += 1;
    const e = err instanceof Error ? err : new Error(String(err));
    if (this.#opts.onError) this.#opts.onError(e);
    else console.error(`recorder ${this.#opts.path}: ${e.message}`);
    return false;
  }

  /** Queues one message; declaration and encoding happen now, so a bad message fails before anything is queued. */
  #write(key: keyof RecorderTopics, logTimeNs: bigint, msg: unknown): Promise<void> {
    const topic = this.topics[key];
    if (!this.#declared.has(key)) {
      this.#writer.addTopic(topic, TYPES[key], key === 'tfStatic' ? LATCHED_QOS : SENSOR_QOS);
      this.#declared.add(key);
    }
    return this.#writer.write(topic, logTimeNs, msg);
  }

  /**
   * Queues each part on its own (a part that throws while building or encoding its message fails alone) and
   * resolves true once all are written, false (each failure reported) if any failed.
   */
  async #record(parts: (() => Promise<unknown> | null)[]): Promise<boolean> {
    if (this.#closed) return this.#fail(new Error('recorder is closed'));
    const writes = parts.map((part) => {
      try {
        return part() ?? Promise.resolve();
      } catch (err) {
        return Promise.reject(err);
      }
    });
    const outcomes = await Promise.allSettled(writes);
    let ok = true;
    for (const o of outcomes) {
      if (o.status === 'rejected') ok = this.#fail(o.reason);
    }
    return ok;
  }

  /** The request as JSON (`std_msgs/String`) on the request topic. */
  recordRequest(req: PointRequest): Promise<boolean> {
    if (!this.#closed) {
      this.#rotateIfDue();
      this.#stats.requests += 1;
    }
    return this.#record([() => this.#write('request', this.#now(), { data: jsonWithBigints(req) })]);
  }

  /**
   * The result as JSON (`std_msgs/String`, int64 stamps as decimal strings), its waypoints (`PoseArray`, ok
   * results only) and markers (`MarkerArray`), at the capture stamp; after them, the snapshot's frames the first
   * time that snapshot is seen. Each part is written on its own: a frame that cannot be encoded never costs the
   * result its record.
   */
  recordResult(result: PointResult, snapshot: FrameSnapshot | null): Promise<boolean> {
    if (this.#closed) return this.#record([]);
    this.#rotateIfDue();
    this.#stats.results += 1;
    const stamp = result.stampNs ?? this.#now();
    const parts: (() => Promise<void> | null)[] = [
      () => this.#write('result', stamp, resultJson(result)),
      () => {
        const poses = poseArrayFromResult(result);
        return poses ? this.#write('waypoints', stamp, poses) : null;
      },
      () => this.#write('markers', stamp, markerArrayFromResult(result)),
    ];
    if (snapshot && (this.#opts.frames ?? true) && !this.#snapshotsWritten.has(snapshot.seq)) {
      this.#snapshotsWritten.add(snapshot.seq);
      this.#stats.snapshots += 1;
      parts.push(...this.#snapshotParts(snapshot));
    }
    return this.#record(parts);
  }

  #snapshotParts(s: FrameSnapshot): (() => Promise<void>)[] {
    const header = { stampNs: s.stampNs, frameId: s.frameId };
    this.#seen(s.stampNs);
    return [
      () => this.#write('cameraInfo', s.stampNs, cameraInfoToMsg(s.cameraInfo, header)),
      () =>
        s.color.kind === 'compressed'
          ? this.#write('colorCompressed', s.stampNs, compressedImageToMsg(s.color, header))
          : this.#write('colorRaw', s.stampNs, rawImageToMsg(s.color, header)),
      () => this.#write('depth', s.depthStampNs, rawImageToMsg(s.depth, { stampNs: s.depthStampNs, frameId: s.frameId })),
    ];
  }

  /**
   * Transforms to keep with the frames (forward the source's TF events here). Static transforms are written
   * once per parent/child pair unless they change.
   */
  recordTransforms(transforms: readonly TransformStamped[], isStatic: boolean): Promise<boolean> {
    if (this.#closed) return this.#record([]);
    this.#rotateIfDue();
    return this.#record([() => {
      let list = transforms;
      if (isStatic) {
        list = transforms.filter((t) => {
          const key = `${t.frameId}\u0000${t.childFrameId}`;
          const json = jsonWithBigints(t.transform);
          if (this.#statics.get(key)?.json === json) return false;
          this.#statics.set(key, { json, transform: t });
          return true;
        });
      }
      if (list.length === 0) return null;
      this.#stats.transforms += list.length;
      const stamp = latestStamp(list);
      if (!isStatic) this.#seen(stamp);
      return this.#write(isStatic ? 'tfStatic' : 'tf', stamp, transformsToTfMsg(list));
    }]);
  }

  /**
   * Goes on in a new file when the current one has reached the size or age cap; called before a record call
   * queues its writes, so a call's parts always land in one file.
   */
  #rotateIfDue(): void {
    const r = this.#opts.rotation;
    if (!r) return;
    const now = this.#wallClockMs();
    const full = r.maxBytes !== undefined && r.maxBytes > 0 && this.#writer.bytesWritten >= r.maxBytes;
    const old = r.maxAgeMs !== undefined && r.maxAgeMs > 0 && now - this.#openedAtMs >= r.maxAgeMs;
    if (!full && !old) return;
    const next = rotatedPath(this.#opts.path, this.#stats.files);
    this.#stats.files += 1;
    this.#openedAtMs = now;
    this.#files.push(next);
    this.#snapshotsWritten.clear(); // the new file gets its results' frames again
    this.#writer.rotate(next).then(() => this.#pruneFiles(), (err: unknown) => this.#fail(err));
    // The static transforms again, so the new file is latched like the first on playback.
    const statics = [...this.#statics.values()].map((s) => s.transform);
    if (statics.length > 0) void this.#record([() => this.#write('tfStatic', latestStamp(statics), transformsToTfMsg(statics))]);
  }

  /** Deletes the oldest files beyond rotation.maxFiles. */
  async #pruneFiles(): Promise<void> {
    const max = this.#opts.rotation?.maxFiles ?? 0;
    while (max > 0 && this.#files.length > max) {
      const oldest = this.#files.shift()!;
      await unlink(oldest).catch((err: unknown) => this.#fail(new Error(`cannot delete the old recording ${oldest}: ${(err as Error).message}`)));
    }
  }

  /** Writes everything queued, the summary and indexes, and closes the file. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#writer.close();
  }
}

function latestStamp(list: readonly TransformStamped[]): bigint {
  return list.reduce((m, t) => (t.stampNs > m ? t.stampNs : m), list[0]!.stampNs);
}
