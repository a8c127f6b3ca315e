import type { CameraInfo, ColorImage, Header, RawImage } from '../geometry/types.js';
import type { CameraInfoPolicy, SyncPolicy } from './config.js';

// Pairs colour and depth images by header stamp and attaches the camera info that belongs to them
// (rclnodejs has no message_filters, so this is ours).
//
// Matching (approximate policy, like message_filters' ApproximateTime; exact = slop 0): a colour c and a depth d
// pair when |t_c − t_d| ≤ slop, each is the other's closest queued counterpart, and neither can still get a closer
// partner: either the stamps are equal, or the latest message seen on each other stream is at least that far past
// it (t_depth,latest − t_c ≥ |t_c − t_d| and t_colour,latest − t_d ≥ |t_c − t_d|). Each stream arrives in stamp order,
// so later messages are farther. A pair of unequal stamps is therefore made when the next message of the other
// stream arrives (one frame later), never greedily with the first counterpart within the slop.
//
// Queues are bounded (the oldest stamp is dropped when full); messages older than a made pair are dropped; every
// message that never makes it into a synced set is counted as dropped.

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
  /** Unpaired messages, each queue sorted by stamp. */
  private readonly colors: ColorMsg[] = [];
  private readonly depths: DepthMsg[] = [];
  private readonly infos: CameraInfoMsg[] = [];
  private readonly latestInfoByFrame = new Map<string, CameraInfoMsg>();
  /** Stamp of the latest message to arrive on each stream (later ones are assumed newer). */
  private lastColorNs: bigint | null = null;
  private lastDepthNs: bigint | null = null;
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
    this.lastColorNs = msg.header.stampNs;
    this.enqueue(this.colors, msg, 'color');
    this.pairSettled();
  }

  pushDepth(msg: DepthMsg): void {
    this.lastDepthNs = msg.header.stampNs;
    this.enqueue(this.depths, msg, 'depth');
    this.pairSettled();
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

  /** Makes every pair that no later message could improve (see the header comment), oldest first. */
  private pairSettled(): void {
    for (;;) {
      const pair = this.settledPair();
      if (!pair) return;
      const color = this.colors.splice(pair.colorIndex, 1)[0]!;
      const depth = this.depths.splice(pair.depthIndex, 1)[0]!;
      // Everything older than the pair can no longer be part of a better pair: drop it.
      this.drops.color += removeOlder(this.colors, color.header.stampNs);
      this.drops.depth += removeOlder(this.depths, depth.header.stampNs);
      this.complete(color, depth);
    }
  }

  private settledPair(): { colorIndex: number; depthIndex: number } | null {
    for (let ci = 0; ci < this.colors.length; ci++) {
      const tc = this.colors[ci]!.header.stampNs;
      const di = this.closest(this.depths, tc);
      if (di === null) continue;
      const td = this.depths[di]!.header.stampNs;
      if (this.closest(this.colors, td) !== ci) continue; // a queued colour suits this depth better
      const dt = abs(tc - td);
      const colorSettled = dt === 0n || (this.lastDepthNs !== null && this.lastDepthNs - tc >= dt);
      const depthSettled = dt === 0n || (this.lastColorNs !== null && this.lastColorNs - td >= dt);
      if (colorSettled && depthSettled) return { colorIndex: ci, depthIndex: di };
    }
    return null;
  }

  /** Index of the queued message closest in stamp within the slop (the older one on ties), or null. */
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

  /** Inserts in stamp order; when the queue is over its size, the oldest stamp is dropped and counted. */
  private enqueue<T extends { header: Header }>(queue: T[], msg: T, kind: keyof SyncDrops): void {
    let i = queue.length;
    while (i > 0 && queue[i - 1]!.header.stampNs > msg.header.stampNs) i--;
    queue.splice(i, 0, msg);
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
