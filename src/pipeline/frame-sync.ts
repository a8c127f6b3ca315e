import type { CameraInfo, ColorImage, Header, RawImage } from '../geometry/types.js';
import type { CameraInfoPolicy, SyncPolicy } from './config.js';

// Pairs colour and depth images by header stamp and attaches the camera info that belongs to them
// (rclnodejs has no message_filters, so this is ours). Matching is greedy: a message pairs with the closest
// counterpart already queued within the slop (exact policy: the same stamp). Queues are bounded; every message
// that never makes it into a synced set is counted as dropped.

export interface ColorMsg {
  header: Header;
  image: ColorImage;
}
export interface DepthMsg {
  header: Header;
  image: RawImage;
}
export interface CameraInfoMsg {
  header: Header;
  info: CameraInfo;
}

export interface SyncedSet {
  color: ColorMsg;
  depth: DepthMsg;
  cameraInfo: CameraInfoMsg;
}

export interface FrameSyncOptions {
  policy: SyncPolicy;
  slopMs: number;
  queueSize: number;
  cameraInfo: CameraInfoPolicy;
}

export interface SyncDrops {
  color: number;
  depth: number;
}

export class FrameSync {
  private readonly colors: ColorMsg[] = [];
  private readonly depths: DepthMsg[] = [];
  private readonly infos: CameraInfoMsg[] = [];
  private readonly latestInfoByFrame = new Map<string, CameraInfoMsg>();
  /** A matched colour/depth pair still waiting for its camera info. */
  private pending: { color: ColorMsg; depth: DepthMsg } | null = null;
  private readonly slopNs: bigint;
  readonly drops: SyncDrops = { color: 0, depth: 0 };

  constructor(
    private readonly opts: FrameSyncOptions,
    private readonly onSynced: (set: SyncedSet) => void,
  ) {
    if (!(opts.queueSize >= 1)) throw new RangeError(`sync queue size must be at least 1, got ${opts.queueSize}`);
    this.slopNs = opts.policy === 'exact' ? 0n : BigInt(Math.round(opts.slopMs * 1e6));
  }

  get dropped(): number {
    return this.drops.color + this.drops.depth;
  }

  pushColor(msg: ColorMsg): void {
    const match = this.closest(this.depths, msg.header.stampNs);
    if (match === null) {
      this.enqueue(this.colors, msg, 'color');
      return;
    }
    const depth = this.depths.splice(match, 1)[0]!;
    // Everything older than the pair can no longer be part of a better pair: drop it.
    this.drops.depth += removeOlder(this.depths, depth.header.stampNs);
    this.drops.color += removeOlder(this.colors, msg.header.stampNs);
    this.complete(msg, depth);
  }

  pushDepth(msg: DepthMsg): void {
    const match = this.closest(this.colors, msg.header.stampNs);
    if (match === null) {
      this.enqueue(this.depths, msg, 'depth');
      return;
    }
    const color = this.colors.splice(match, 1)[0]!;
    this.drops.color += removeOlder(this.colors, color.header.stampNs);
    this.drops.depth += removeOlder(this.depths, msg.header.stampNs);
    this.complete(color, msg);
  }

  pushCameraInfo(msg: CameraInfoMsg): void {
    this.infos.push(msg);
    if (this.infos.length > this.opts.queueSize) this.infos.shift();
    this.latestInfoByFrame.set(msg.header.frameId, msg);
    const waiting = this.pending;
    if (waiting && this.infoFits(msg, waiting.color, this.opts.cameraInfo === 'stamp')) {
      this.pending = null;
      this.onSynced({ color: waiting.color, depth: waiting.depth, cameraInfo: msg });
    }
  }

  private complete(color: ColorMsg, depth: DepthMsg): void {
    const info = this.findInfo(color);
    if (info) {
      this.onSynced({ color, depth, cameraInfo: info });
      return;
    }
    if (this.pending) {
      this.drops.color++;
      this.drops.depth++;
    }
    this.pending = { color, depth };
  }

  /** The camera info for a colour image: same frame and stamp (within the slop), or under the 'latest' policy
   * the latest camera info of that frame. */
  private findInfo(color: ColorMsg): CameraInfoMsg | null {
    let best: CameraInfoMsg | null = null;
    let bestDt = 0n;
    for (const info of this.infos) {
      if (!this.infoFits(info, color, true)) continue;
      const dt = abs(info.header.stampNs - color.header.stampNs);
      if (best === null || dt < bestDt) {
        best = info;
        bestDt = dt;
      }
    }
    if (best) return best;
    if (this.opts.cameraInfo === 'latest') return this.latestInfoByFrame.get(color.header.frameId) ?? null;
    return null;
  }

  private infoFits(info: CameraInfoMsg, color: ColorMsg, byStamp: boolean): boolean {
    if (info.header.frameId !== color.header.frameId) return false;
    return !byStamp || abs(info.header.stampNs - color.header.stampNs) <= this.slopNs;
  }

  /** Index of the queued message closest in stamp within the slop, or null. */
  private closest(queue: { header: Header }[], stampNs: bigint): number | null {
    let best: number | null = null;
    let bestDt = 0n;
    for (let i = 0; i < queue.length; i++) {
      const dt = abs(queue[i]!.header.stampNs - stampNs);
      if (dt > this.slopNs) continue;
      if (best === null || dt < bestDt) {
        best = i;
        bestDt = dt;
      }
    }
    return best;
  }

  private enqueue<T extends { header: Header }>(queue: T[], msg: T, kind: keyof SyncDrops): void {
    queue.push(msg);
    if (queue.length > this.opts.queueSize) {
      queue.shift();
      this.drops[kind]++;
    }
  }
}

/** Removes the messages stamped before `stampNs` (queues are short; arrival order is not trusted). */
function removeOlder(queue: { header: Header }[], stampNs: bigint): number {
  const before = queue.length;
  for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.header.stampNs < stampNs) queue.splice(i, 1);
  return before - queue.length;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}
