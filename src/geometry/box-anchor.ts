// The pixel of a detector's box to lift. The box centre often is not on the object (a chair's centre may look
// through its frame at the wall): take the depths inside the box's central region, find the box's foreground by
// the foreground rule of depth-cluster.ts (the nearest depth cluster holding a real share of the pixels), and
// return the box pixel nearest the centre whose depth lies in that cluster, with enough neighbours on it that the
// lift's window sample takes the same surface. Pure; reads the depth image only.
import { onDepthGrid } from './backproject.js';
import type { CameraModel } from './camera-model.js';
import { foregroundCluster } from './depth-cluster.js';
import type { DepthImage } from './depth-image.js';

export interface AnchorBox {
  u0: number;
  v0: number;
  u1: number;
  v1: number;
}

export interface BoxAnchor {
  /** The chosen pixel on the colour image's grid (integer pixel centre). */
  u: number;
  v: number;
  /** The foreground cluster's depth range, metres. */
  minM: number;
  maxM: number;
}

/** Most depth samples used for the cluster (a regular grid over the central region). */
const MAX_SAMPLES = 4096;

/**
 * Null when the box's central region has no valid depth (the caller lifts the box centre, which then reports why).
 * `centralFraction` is the share of the box's width and height the cluster is taken over (default 0.8: the corners
 * are mostly background, but a frame-like object — a chair's back, a ring — may lie only near the box's edges).
 */
export function boxAnchor(model: CameraModel, depth: DepthImage, box: AnchorBox, opts: { centralFraction?: number } = {}): BoxAnchor | null {
  const f = opts.centralFraction ?? 0.8;
  const cu = (box.u0 + box.u1) / 2;
  const cv = (box.v0 + box.v1) / 2;
  const hw = ((box.u1 - box.u0) * f) / 2;
  const hh = ((box.v1 - box.v0) * f) / 2;
  const toDepth = (u: number, v: number) => onDepthGrid(model, depth, u, v, 0);

  // 1. The central region's depths, on a grid of at most MAX_SAMPLES points.
  const a = toDepth(cu - hw, cv - hh);
  const b = toDepth(cu + hw, cv + hh);
  const c0 = Math.max(0, Math.ceil(a.du));
  const c1 = Math.min(depth.width - 1, Math.floor(b.du));
  const r0 = Math.max(0, Math.ceil(a.dv));
  const r1 = Math.min(depth.height - 1, Math.floor(b.dv));
  if (c1 < c0 || r1 < r0) return null;
  const step = Math.max(1, Math.ceil(Math.sqrt(((c1 - c0 + 1) * (r1 - r0 + 1)) / MAX_SAMPLES)));
  const values = new Float64Array(Math.ceil((c1 - c0 + 1) / step) * Math.ceil((r1 - r0 + 1) / step));
  let n = 0;
  for (let r = r0; r <= r1; r += step) {
    for (let c = c0; c <= c1; c += step) {
      const z = depth.at(c, r);
      if (z === z) values[n++] = z;
    }
  }
  if (n === 0) return null;
  const sorted = values.subarray(0, n).sort();
  const cluster = foregroundCluster(sorted, n);
  const minM = sorted[cluster.start]!;
  const maxM = sorted[cluster.end - 1]!;
  const onObject = (c: number, r: number) => {
    const z = depth.at(c, r);
    return z >= minM && z <= maxM;
  };

  // 2. The box pixel nearest the centre (in rings of growing Chebyshev radius, nearest in Euclidean distance within
  //    a ring) that lies on the cluster with at least 5 of its 3×3 neighbours.
  const centre = toDepth(Math.round(cu), Math.round(cv));
  const cc = Math.round(centre.du);
  const cr = Math.round(centre.dv);
  const lo = toDepth(box.u0, box.v0);
  const hi = toDepth(box.u1, box.v1);
  const bc0 = Math.max(0, Math.ceil(lo.du));
  const bc1 = Math.min(depth.width - 1, Math.floor(hi.du));
  const br0 = Math.max(0, Math.ceil(lo.dv));
  const br1 = Math.min(depth.height - 1, Math.floor(hi.dv));
  const maxRing = Math.max(cc - bc0, bc1 - cc, cr - br0, br1 - cr);
  for (let ring = 0; ring <= maxRing; ring++) {
    let best: [number, number] | null = null;
    let bestD = Infinity;
    for (let r = cr - ring; r <= cr + ring; r++) {
      if (r < br0 || r > br1) continue;
      const edge = r === cr - ring || r === cr + ring;
      for (let c = cc - ring; c <= cc + ring; c += edge ? 1 : 2 * ring || 1) {
        if (c < bc0 || c > bc1 || !onObject(c, r)) continue;
        const d = (c - cc) ** 2 + (r - cr) ** 2;
        if (d >= bestD || supportAround(c, r, onObject) < 5) continue;
        best = [c, r];
        bestD = d;
      }
    }
    if (best) {
      // Back onto the colour grid (the inverse of onDepthGrid's centre mapping).
      const u = depth.width === model.width ? best[0] : Math.round((best[0] + 0.5) / (depth.width / model.width) - 0.5);
      const v = depth.height === model.height ? best[1] : Math.round((best[1] + 0.5) / (depth.height / model.height) - 0.5);
      return { u, v, minM, maxM };
    }
  }
  return null;
}

function supportAround(c: number, r: number, on: (c: number, r: number) => boolean): number {
  let k = 0;
  for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) if (on(c + dc, r + dr)) k++;
  return k;
}
