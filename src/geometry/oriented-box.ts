// The oriented bounding box of an object's visible points.
//
// Orientation: with an up direction (the target frame's +Z when TF gives it, docs/geometry.md) the box is
// gravity-aligned: its +Z is up and its +X a side of the smallest-area rectangle around the footprint (the points
// projected onto the horizontal plane; PCA's axis is off for a box seen from one corner);
// without one, its axes are the points' principal axes (largest first). Either way +Y = Z × X.
// Extents: min and max of the points along each axis, optionally trimmed (a share of the points per side left out,
// against depth noise). Resting objects: when a support plane lies under the box (its normal within 25° of up) and the gap between the
// box's bottom and the plane is at most maxGapM, the bottom is extended down to the plane: the band just above the
// table is excluded from the segment (it cannot be told from the table) and the object's underside is not visible,
// yet the object reaches the table.
import type { OrientedBox, Vec3 } from './types.js';
import { symmetricEigen3 } from './eigen3.js';
import { type Plane, planeDistance } from './support-plane.js';
import { quaternionFromAxes } from './transform.js';
import { add, cross, dot, scale, sub, unit } from './vec.js';

export interface BoxFit {
  /** Mean of the points. */
  centroid: Vec3;
  box: OrientedBox;
  /** The box's unit axes (its rotation's columns). */
  axes: [Vec3, Vec3, Vec3];
  /** The box was extended down to this support plane. */
  restsOn: Plane | null;
}

const COS_25 = Math.cos((25 * Math.PI) / 180);
/** Histogram bins per axis for trimmed extents: the cut is placed to 1/1024 of the extent. */
const BINS = 1024;

/** The pipeline's trim: 0.2 % per side (measured on the synthetic scenes: scripts/eval-synthetic.ts, docs/geometry.md). */
export const DEFAULT_BOX_TRIM = 0.002;

export interface BoxOptions {
  /** Largest gap between the box's bottom and a support plane that is closed (default 0.03 m). */
  maxGapM?: number;
  /** Share of the points left outside on each side of each axis (default 0: every point inside). Depth noise pushes
   * the extreme points outward by a few σz; trimming a little keeps the box on the surface (DEFAULT_BOX_TRIM). */
  trim?: number;
}

/**
 * @param points xyz triples (any frame; `up` and `supports` in the same frame); at least one point
 * @param up unit up direction, or null
 */
export function fitOrientedBox(points: Float64Array, up: Vec3 | null, supports: Plane[] = [], opts: BoxOptions = {}): BoxFit {
  const maxGapM = opts.maxGapM ?? 0.03;
  const trim = opts.trim ?? 0;
  const n = Math.floor(points.length / 3);
  if (n < 1) throw new RangeError('an oriented box needs at least one point');
  let mx = 0, my = 0, mz = 0;
  for (let i = 0; i < n; i++) {
    mx += points[3 * i]!;
    my += points[3 * i + 1]!;
    mz += points[3 * i + 2]!;
  }
  mx /= n; my /= n; mz /= n;
  let ax: Vec3;
  let az: Vec3;
  if (up) {
    ax = smallestFootprintAxis(points, { x: mx, y: my, z: mz }, up, anyPerpendicular(up));
    az = up;
  } else {
    let xx = 0, xy = 0, xz = 0, yy = 0, yz = 0, zz = 0;
    for (let i = 0; i < n; i++) {
      const x = points[3 * i]! - mx, y = points[3 * i + 1]! - my, z = points[3 * i + 2]! - mz;
      xx += x * x; xy += x * y; xz += x * z; yy += y * y; yz += y * z; zz += z * z;
    }
    const { vectors } = symmetricEigen3([xx, xy, xz, xy, yy, yz, xz, yz, zz]);
    ax = vec(vectors[2]!);
    az = unit(cross(ax, vec(vectors[1]!)))!;
  }
  const ay = cross(az, ax);
  const axes: [Vec3, Vec3, Vec3] = [ax, ay, az];

  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    const x = points[3 * i]!, y = points[3 * i + 1]!, z = points[3 * i + 2]!;
    for (let k = 0; k < 3; k++) {
      const a = axes[k]!;
      const s = x * a.x + y * a.y + z * a.z;
      if (s < lo[k]!) lo[k] = s;
      if (s > hi[k]!) hi[k] = s;
    }
  }
  if (trim > 0) trimExtents(points, axes, lo, hi, trim);
  let restsOn: Plane | null = null;
  if (up) {
    // The plane's height under the footprint's centre, measured along up.
    const foot = add(add(scale(ax, (lo[0]! + hi[0]!) / 2), scale(ay, (lo[1]! + hi[1]!) / 2)), scale(up, lo[2]!));
    for (const plane of supports) {
      const cos = dot(plane.normal, up);
      if (cos < COS_25) continue;
      const gap = planeDistance(plane, foot.x, foot.y, foot.z) / cos;
      if (gap >= 0 && gap <= maxGapM) {
        lo[2] = lo[2]! - gap;
        restsOn = plane;
        break;
      }
    }
  }
  const c = add(add(scale(ax, (lo[0]! + hi[0]!) / 2), scale(ay, (lo[1]! + hi[1]!) / 2)), scale(az, (lo[2]! + hi[2]!) / 2));
  return {
    centroid: { x: mx, y: my, z: mz },
    box: {
      center: { position: c, orientation: quaternionFromAxes(ax, ay, az) },
      size: { x: hi[0]! - lo[0]!, y: hi[1]! - lo[1]!, z: hi[2]! - lo[2]! },
    },
    axes,
    restsOn,
  };
}

/** Footprint buckets: the farthest point from the centroid per direction stands in for the footprint's outline. */
const BUCKETS = 128;

/** The horizontal axis along a side of the smallest-area rectangle around the points' footprint, found on the
 * convex hull of a per-direction reduction of the footprint (its sides' directions are the candidates). */
function smallestFootprintAxis(points: Float64Array, c: Vec3, up: Vec3, e1: Vec3): Vec3 {
  const e2 = cross(up, e1);
  const far = new Float64Array(BUCKETS * 2);
  const r2 = new Float64Array(BUCKETS).fill(-1);
  const n = points.length / 3;
  for (let i = 0; i < n; i++) {
    const x = points[3 * i]! - c.x, y = points[3 * i + 1]! - c.y, z = points[3 * i + 2]! - c.z;
    const s = x * e1.x + y * e1.y + z * e1.z;
    const t = x * e2.x + y * e2.y + z * e2.z;
    const d = s * s + t * t;
    // A pseudo-angle in [0, 4) (monotone in the true angle, no atan2).
    const a = s + t === 0 && s === 0 ? 0 : t >= 0 ? (s >= 0 ? t / (s + t) : 1 - s / (t - s)) : s < 0 ? 2 - t / (-s - t) : 3 + s / (s - t);
    const b = Math.min(BUCKETS - 1, Math.floor((a / 4) * BUCKETS));
    if (d > r2[b]!) {
      r2[b] = d;
      far[2 * b] = s;
      far[2 * b + 1] = t;
    }
  }
  const outline: [number, number][] = [];
  for (let b = 0; b < BUCKETS; b++) if (r2[b]! >= 0) outline.push([far[2 * b]!, far[2 * b + 1]!]);
  const hull = convexHull(outline);
  let bestArea = Infinity;
  let best: [number, number] = [1, 0];
  for (let k = 0; k < hull.length; k++) {
    const [x0, y0] = hull[k]!;
    const [x1, y1] = hull[(k + 1) % hull.length]!;
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (!(len > 1e-12)) continue;
    const ux = (x1 - x0) / len, uy = (y1 - y0) / len;
    let lo1 = Infinity, hi1 = -Infinity, lo2 = Infinity, hi2 = -Infinity;
    for (const [x, y] of hull) {
      const a = x * ux + y * uy, b = -x * uy + y * ux;
      lo1 = Math.min(lo1, a); hi1 = Math.max(hi1, a); lo2 = Math.min(lo2, b); hi2 = Math.max(hi2, b);
    }
    const area = (hi1 - lo1) * (hi2 - lo2);
    if (area < bestArea - 1e-12) {
      bestArea = area;
      // The longer side is +X.
      best = hi1 - lo1 >= hi2 - lo2 ? [ux, uy] : [-uy, ux];
    }
  }
  return unit(add(scale(e1, best[0]), scale(e2, best[1]))) ?? e1;
}

/** Andrew's monotone chain, counter-clockwise, without collinear points. */
function convexHull(pts: [number, number][]): [number, number][] {
  if (pts.length < 3) return pts;
  const p = [...pts].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const turn = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: [number, number][] = [];
  for (const q of p) {
    while (lower.length >= 2 && turn(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: [number, number][] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i]!;
    while (upper.length >= 2 && turn(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** Moves lo/hi inward so that `trim` of the points lie beyond each (per axis, by a histogram of the projections). */
function trimExtents(points: Float64Array, axes: Vec3[], lo: number[], hi: number[], trim: number): void {
  const n = points.length / 3;
  const cut = Math.floor(trim * n);
  if (cut < 1) return;
  const hist = new Uint32Array(BINS);
  for (let k = 0; k < 3; k++) {
    const a = axes[k]!;
    const l = lo[k]!, w = (hi[k]! - l) / BINS;
    if (!(w > 0)) continue;
    hist.fill(0);
    for (let i = 0; i < n; i++) {
      const s = points[3 * i]! * a.x + points[3 * i + 1]! * a.y + points[3 * i + 2]! * a.z;
      hist[Math.min(BINS - 1, Math.floor((s - l) / w))]!++;
    }
    let below = 0, b = 0;
    while (b < BINS && below + hist[b]! <= cut) below += hist[b++]!;
    let above = 0, t = BINS - 1;
    while (t > b && above + hist[t]! <= cut) above += hist[t--]!;
    lo[k] = l + b * w;
    hi[k] = l + (t + 1) * w;
  }
}

const vec = (v: readonly number[]): Vec3 => ({ x: v[0]!, y: v[1]!, z: v[2]! });
function anyPerpendicular(a: Vec3): Vec3 {
  return unit(cross(a, Math.abs(a.x) < 0.9 ? { x: 1, y: 0, z: 0 } : { x: 0, y: 1, z: 0 }))!;
}
