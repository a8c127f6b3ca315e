// A small tf2: a tree of frames, each with one parent edge that is either static (valid at every stamp) or a
// time-stamped history (interpolated between neighbours, never extrapolated beyond a tolerance).
import type { Transform, TransformStamped } from './types.js';
import { IDENTITY, compose, interpolateTransform, invert, normalizeQuaternion } from './transform.js';
import { TfDisconnectedError, TfError, TfExtrapolationError, TfUnknownFrameError } from './tf-errors.js';

export { TfError, TfUnknownFrameError, TfDisconnectedError, TfExtrapolationError } from './tf-errors.js';
export type { TfErrorCode } from './tf-errors.js';

/** tf2's default cache: ten seconds of history per dynamic edge. */
export const DEFAULT_CACHE_DURATION_NS = 10_000_000_000n;

interface Edge {
  parent: string;
  /** Set for a static edge; dynamic edges keep `stamps`/`transforms` sorted by stamp. */
  static: Transform | null;
  stamps: bigint[];
  transforms: Transform[];
}

export class TfBuffer {
  private readonly cacheDurationNs: bigint;
  /** child frame -> its edge to the parent. */
  private readonly edges = new Map<string, Edge>();
  /** Every frame ever named, as child or parent. */
  private readonly known = new Set<string>();

  constructor(opts: { cacheDurationNs?: bigint } = {}) {
    this.cacheDurationNs = opts.cacheDurationNs ?? DEFAULT_CACHE_DURATION_NS;
    if (this.cacheDurationNs <= 0n) throw new RangeError('cacheDurationNs must be positive');
  }

  /**
   * Adds one transform (frameId <- childFrameId). A child has one parent: giving it a new parent, or switching
   * between static and dynamic, replaces its edge and history (tf2 would warn about such a graph).
   */
  setTransform(t: TransformStamped, isStatic: boolean): void {
    const parent = cleanFrame(t.frameId);
    const child = cleanFrame(t.childFrameId);
    if (!parent || !child) {
      throw new TfError('invalid_transform', `transform has an empty frame id (frame_id '${t.frameId}', child_frame_id '${t.childFrameId}')`);
    }
    if (parent === child) throw new TfError('invalid_transform', `transform from '${child}' to itself`);
    const { translation: p, rotation: q } = t.transform;
    if (![p.x, p.y, p.z].every(Number.isFinite)) {
      throw new TfError('invalid_transform', `transform ${parent} <- ${child} has a non-finite translation`);
    }
    let rotation;
    try {
      rotation = normalizeQuaternion(q);
    } catch (e) {
      throw new TfError('invalid_transform', `transform ${parent} <- ${child}: ${(e as Error).message}`);
    }
    if (this.wouldCycle(parent, child)) {
      throw new TfError('invalid_transform', `transform ${parent} <- ${child} would make a loop in the TF tree`);
    }
    const transform: Transform = { translation: { x: p.x, y: p.y, z: p.z }, rotation };
    this.known.add(parent);
    this.known.add(child);

    let edge = this.edges.get(child);
    if (!edge || edge.parent !== parent || (edge.static !== null) !== isStatic) {
      edge = { parent, static: null, stamps: [], transforms: [] };
      this.edges.set(child, edge);
    }
    if (isStatic) {
      edge.static = transform;
      return;
    }
    insertSorted(edge, t.stampNs, transform);
    // Prune relative to this edge's newest stamp, like tf2's TimeCache.
    const oldestKept = edge.stamps[edge.stamps.length - 1]! - this.cacheDurationNs;
    let drop = 0;
    while (drop < edge.stamps.length - 1 && edge.stamps[drop]! < oldestKept) drop++;
    if (drop > 0) {
      edge.stamps.splice(0, drop);
      edge.transforms.splice(0, drop);
    }
  }

  /**
   * The transform mapping points in `source` into `target` at `stampNs` (0n: the latest time every dynamic edge
   * on the path has data, like tf2). Within the buffered interval of an edge the neighbours are interpolated;
   * up to `toleranceNs` outside it the nearest sample is used; further out a TfExtrapolationError is thrown.
   */
  lookup(target: string, source: string, stampNs: bigint, toleranceNs = 0n): Transform {
    return this.resolve(target, source, stampNs, toleranceNs).transform;
  }

  /** The newest transform available for the whole chain, and the stamp it holds at (0n when all static). */
  lookupLatest(target: string, source: string): { transform: Transform; stampNs: bigint } {
    return this.resolve(target, source, 0n, 0n);
  }

  canTransform(target: string, source: string, stampNs: bigint, toleranceNs = 0n): boolean {
    try {
      this.resolve(target, source, stampNs, toleranceNs);
      return true;
    } catch (e) {
      if (e instanceof TfError) return false;
      throw e;
    }
  }

  hasFrame(frame: string): boolean {
    return this.known.has(cleanFrame(frame));
  }

  frames(): string[] {
    return [...this.known].sort();
  }

  /** A frame's parent edge (null for a root or an unknown frame): enough to draw the tree. */
  parentOf(frame: string): { parent: string; isStatic: boolean } | null {
    const edge = this.edges.get(cleanFrame(frame));
    return edge ? { parent: edge.parent, isStatic: edge.static !== null } : null;
  }

  /** Newest stamp of any dynamic transform, or null when there is none. */
  latestStampNs(): bigint | null {
    let latest: bigint | null = null;
    for (const edge of this.edges.values()) {
      const last = edge.stamps[edge.stamps.length - 1];
      if (last !== undefined && (latest === null || last > latest)) latest = last;
    }
    return latest;
  }

  clear(): void {
    this.edges.clear();
    this.known.clear();
  }

  private resolve(targetFrame: string, sourceFrame: string, stampNs: bigint, toleranceNs: bigint) {
    const target = cleanFrame(targetFrame);
    const source = cleanFrame(sourceFrame);
    for (const [role, frame] of [['target', target], ['source', source]] as const) {
      if (!this.known.has(frame)) {
        const frames = this.frames();
        throw new TfUnknownFrameError(
          frame,
          `${role} frame '${frame}' does not exist in the TF tree (known: ${frames.length ? frames.join(', ') : 'none'})`,
        );
      }
    }
    if (target === source) return { transform: IDENTITY as Transform, stampNs };

    const sourceChain = this.chainToRoot(source);
    const targetChain = this.chainToRoot(target);
    const inTarget = new Set(targetChain);
    const common = sourceChain.find((f) => inTarget.has(f));
    if (common === undefined) {
      throw new TfDisconnectedError(
        target,
        source,
        `frames '${target}' (root '${targetChain[targetChain.length - 1]}') and '${source}' (root '${sourceChain[sourceChain.length - 1]}') are not connected in the TF tree`,
      );
    }
    const sourceEdges = sourceChain.slice(0, sourceChain.indexOf(common));
    const targetEdges = targetChain.slice(0, targetChain.indexOf(common));
    const stamp = stampNs === 0n ? this.latestCommonStamp([...sourceEdges, ...targetEdges]) : stampNs;

    const commonFromSource = this.chainTransform(sourceEdges, stamp, toleranceNs);
    const commonFromTarget = this.chainTransform(targetEdges, stamp, toleranceNs);
    return { transform: compose(invert(commonFromTarget), commonFromSource), stampNs: stamp };
  }

  /** [frame, parent, grandparent, ..., root]. */
  private chainToRoot(frame: string): string[] {
    const chain = [frame];
    let edge = this.edges.get(frame);
    while (edge) {
      chain.push(edge.parent);
      edge = this.edges.get(edge.parent);
    }
    return chain;
  }

  /** Maps points in children[0] into the parent of the last child. */
  private chainTransform(children: string[], stampNs: bigint, toleranceNs: bigint): Transform {
    let acc: Transform = IDENTITY;
    for (const child of children) acc = compose(this.edgeAt(child, stampNs, toleranceNs), acc);
    return acc;
  }

  private edgeAt(child: string, stampNs: bigint, toleranceNs: bigint): Transform {
    const edge = this.edges.get(child)!;
    if (edge.static) return edge.static;
    const { stamps, transforms } = edge;
    const oldest = stamps[0]!;
    const newest = stamps[stamps.length - 1]!;
    if (stampNs < oldest || stampNs > newest) {
      const off = stampNs < oldest ? oldest - stampNs : stampNs - newest;
      if (off <= toleranceNs) return stampNs < oldest ? transforms[0]! : transforms[transforms.length - 1]!;
      const side = stampNs < oldest ? 'before the oldest' : 'after the newest';
      throw new TfExtrapolationError(
        edge.parent,
        child,
        stampNs,
        oldest,
        newest,
        `no transform ${edge.parent} <- ${child} at ${stampNs} ns: ${Number(off) / 1e6} ms ${side} buffered sample ` +
          `(buffered ${oldest}..${newest} ns, tolerance ${Number(toleranceNs) / 1e6} ms)`,
      );
    }
    // Binary search for the first stamp >= stampNs.
    let lo = 0;
    let hi = stamps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (stamps[mid]! < stampNs) lo = mid + 1;
      else hi = mid;
    }
    if (stamps[lo] === stampNs || lo === 0) return transforms[lo]!;
    const t0 = stamps[lo - 1]!;
    const t1 = stamps[lo]!;
    return interpolateTransform(transforms[lo - 1]!, transforms[lo]!, Number(stampNs - t0) / Number(t1 - t0));
  }

  /** tf2's getLatestCommonTime: the newest stamp all dynamic edges on the path cover (0n if all static). */
  private latestCommonStamp(children: string[]): bigint {
    let common: bigint | null = null;
    for (const child of children) {
      const edge = this.edges.get(child)!;
      if (edge.static) continue;
      const newest = edge.stamps[edge.stamps.length - 1]!;
      if (common === null || newest < common) common = newest;
    }
    return common ?? 0n;
  }

  private wouldCycle(parent: string, child: string): boolean {
    let frame: string | undefined = parent;
    while (frame !== undefined) {
      if (frame === child) return true;
      frame = this.edges.get(frame)?.parent;
    }
    return false;
  }
}

/** tf2 frame ids carry no leading slash; ROS 1 era data often does. */
export function cleanFrame(frame: string): string {
  return frame.startsWith('/') ? frame.slice(1) : frame;
}

function insertSorted(edge: Edge, stampNs: bigint, transform: Transform): void {
  const { stamps, transforms } = edge;
  let i = stamps.length;
  while (i > 0 && stamps[i - 1]! > stampNs) i--;
  if (i > 0 && stamps[i - 1] === stampNs) {
    transforms[i - 1] = transform;
    return;
  }
  stamps.splice(i, 0, stampNs);
  transforms.splice(i, 0, transform);
}
