// The foreground rule for depth windows.
//
// A pointed pixel on a thin object (a cable, a cup handle, a chair leg) has a window that mixes the object with
// the wall behind it; a plain median then lands on the wall, or between the two on "flying pixels". We instead:
//   1. sort the window's valid depths;
//   2. split them into clusters wherever two neighbours in depth differ by more than
//      max(minGapM, relativeGap × depth) — surfaces are continuous, jumps between surfaces are not;
//   3. when the pointed (centre) pixel has valid depth and its own cluster holds at least
//      min(minSupport, 2·radius + 1) pixels, take that cluster: the pixel says which surface was meant. A 1-px
//      cable crossing the window has 2r+1 pixels, far under 15 % of (2r+1)², and a wall pixel beside a nearer
//      object must not take the object's depth (a point in mid-air);
//   4. otherwise (no centre depth, or the centre is an isolated speckle) take the NEAREST cluster holding at least
//      minSupport = max(2, minClusterFraction × valid) pixels (1 when there are fewer than 3 valid pixels), so
//      isolated speckles and flying pixels in front cannot win;
//   5. if no cluster has that support (fragmented window), take the largest cluster, nearest on ties.
// The depth is the chosen cluster's median, and its spread the cluster's interquartile range.
//
// clusterAt() picks the cluster of a depth known from elsewhere (the lifted point's depth, so that a surface
// normal is fitted to the same surface as the point).

export interface ClusterOptions {
  /** Fraction of the valid pixels a cluster needs to be chosen (default 0.15). */
  minClusterFraction?: number;
  /** A jump larger than this fraction of the depth starts a new cluster (default 0.05). */
  relativeGap?: number;
  /** ...and at least this many metres (default 0.02), so millimetre quantisation near the camera never splits. */
  minGapM?: number;
}

export const DEFAULT_CLUSTER_OPTIONS: Required<ClusterOptions> = {
  minClusterFraction: 0.15,
  relativeGap: 0.05,
  minGapM: 0.02,
};

export interface ClusterStats {
  /** Index range [start, end) of the chosen cluster in the sorted values. */
  start: number;
  end: number;
  median: number;
  iqr: number;
}

/** The pointed pixel of the window: its depth (NaN when invalid) and the window radius. */
export interface WindowCentre {
  depthM: number;
  radius: number;
}

/**
 * Applies the foreground rule to sorted[0..n) (ascending, all valid). n must be >= 1. Without `centre` (or with
 * an invalid centre depth) step 3 is skipped.
 */
export function foregroundCluster(sorted: Float64Array, n: number, opts: ClusterOptions = {}, centre?: WindowCentre): ClusterStats {
  const minFraction = opts.minClusterFraction ?? DEFAULT_CLUSTER_OPTIONS.minClusterFraction;
  const minSupport = n < 3 ? 1 : Math.max(2, Math.ceil(minFraction * n));

  if (centre && centre.depthM > 0) {
    const own = clusterContaining(sorted, n, centre.depthM, opts);
    if (own && own[1] - own[0] >= Math.min(minSupport, 2 * centre.radius + 1)) return stats(sorted, own[0], own[1]);
  }

  let bestStart = 0;
  let bestEnd = 0;
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (!isBoundary(sorted, n, i, opts)) continue;
    const size = i - start;
    if (size >= minSupport) {
      bestStart = start;
      bestEnd = i;
      break;
    }
    if (size > bestEnd - bestStart) {
      bestStart = start;
      bestEnd = i;
    }
    start = i;
  }
  return stats(sorted, bestStart, bestEnd);
}

/**
 * The cluster of sorted[0..n) whose depth range contains `anchorM`; else the nearest cluster within
 * max(minGapM, relativeGap × anchorM) of it; else null (no surface at that depth in this window).
 */
export function clusterAt(sorted: Float64Array, n: number, anchorM: number, opts: ClusterOptions = {}): ClusterStats | null {
  if (!(anchorM > 0) || n < 1) return null;
  const relGap = opts.relativeGap ?? DEFAULT_CLUSTER_OPTIONS.relativeGap;
  const minGap = opts.minGapM ?? DEFAULT_CLUSTER_OPTIONS.minGapM;
  const tolerance = Math.max(minGap, relGap * anchorM);
  let best: [number, number] | null = null;
  let bestDistance = Infinity;
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (!isBoundary(sorted, n, i, opts)) continue;
    const lo = sorted[start]!;
    const hi = sorted[i - 1]!;
    const distance = anchorM < lo ? lo - anchorM : anchorM > hi ? anchorM - hi : 0;
    if (distance < bestDistance) {
      best = [start, i];
      bestDistance = distance;
    }
    start = i;
  }
  return best && bestDistance <= tolerance ? stats(sorted, best[0], best[1]) : null;
}

/** Index range of the cluster whose depth range contains `depthM` exactly, or null. */
function clusterContaining(sorted: Float64Array, n: number, depthM: number, opts: ClusterOptions): [number, number] | null {
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (!isBoundary(sorted, n, i, opts)) continue;
    if (depthM >= sorted[start]! && depthM <= sorted[i - 1]!) return [start, i];
    start = i;
  }
  return null;
}

/** Whether a cluster ends before index i (always at i = n). */
function isBoundary(sorted: Float64Array, n: number, i: number, opts: ClusterOptions): boolean {
  if (i === n) return true;
  const relGap = opts.relativeGap ?? DEFAULT_CLUSTER_OPTIONS.relativeGap;
  const minGap = opts.minGapM ?? DEFAULT_CLUSTER_OPTIONS.minGapM;
  return sorted[i]! - sorted[i - 1]! > Math.max(minGap, relGap * sorted[i - 1]!);
}

function stats(sorted: Float64Array, start: number, end: number): ClusterStats {
  return {
    start,
    end,
    median: quantile(sorted, start, end, 0.5),
    iqr: quantile(sorted, start, end, 0.75) - quantile(sorted, start, end, 0.25),
  };
}

/** Linear-interpolated quantile of sorted[start..end). */
function quantile(sorted: Float64Array, start: number, end: number, q: number): number {
  const pos = start + q * (end - start - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, end - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
