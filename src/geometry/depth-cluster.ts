// The foreground rule for depth windows.
//
// A pointed pixel on a thin object (a cable, a cup handle, a chair leg) has a window that mixes the object with
// the wall behind it; a plain median then lands on the wall, or between the two on "flying pixels". We instead:
//   1. sort the window's valid depths;
//   2. split them into clusters wherever two neighbours in depth differ by more than
//      max(minGapM, relativeGap × depth) — surfaces are continuous, jumps between surfaces are not;
//   3. take the NEAREST cluster holding at least max(2, minClusterFraction × valid) pixels (1 when there are
//      fewer than 3 valid pixels), so isolated speckles and flying pixels in front cannot win;
//   4. if no cluster has that support (fragmented window), take the largest cluster, nearest on ties.
// The depth is the chosen cluster's median, and its spread the cluster's interquartile range.

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

/** Applies the foreground rule to sorted[0..n) (ascending, all valid). n must be >= 1. */
export function foregroundCluster(sorted: Float64Array, n: number, opts: ClusterOptions = {}): ClusterStats {
  const minFraction = opts.minClusterFraction ?? DEFAULT_CLUSTER_OPTIONS.minClusterFraction;
  const relGap = opts.relativeGap ?? DEFAULT_CLUSTER_OPTIONS.relativeGap;
  const minGap = opts.minGapM ?? DEFAULT_CLUSTER_OPTIONS.minGapM;
  const minSupport = n < 3 ? 1 : Math.max(2, Math.ceil(minFraction * n));

  let bestStart = 0;
  let bestEnd = 0;
  let start = 0;
  for (let i = 1; i <= n; i++) {
    const boundary = i === n || sorted[i]! - sorted[i - 1]! > Math.max(minGap, relGap * sorted[i - 1]!);
    if (!boundary) continue;
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
  return {
    start: bestStart,
    end: bestEnd,
    median: quantile(sorted, bestStart, bestEnd, 0.5),
    iqr: quantile(sorted, bestStart, bestEnd, 0.75) - quantile(sorted, bestStart, bestEnd, 0.25),
  };
}

/** Linear-interpolated quantile of sorted[start..end). */
function quantile(sorted: Float64Array, start: number, end: number, q: number): number {
  const pos = start + q * (end - start - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, end - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
