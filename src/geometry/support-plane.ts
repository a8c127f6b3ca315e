// The surfaces an object rests on or stands in front of: dominant planes of the depth around the pointed point
// (a table, the floor, a wall), found by RANSAC and refined by least squares. A plane counts as a support only
// when the pointed point lies clearly on the camera's side of it (more than the inlier threshold away): a plane
// through the point is the object's own face and must stay part of it.
import type { Vec3 } from './types.js';
import { symmetricEigen3 } from './eigen3.js';

/** The plane n·p + d = 0 with unit n oriented toward the camera (d > 0: the optical centre is on its + side). */
export interface Plane {
  normal: Vec3;
  d: number;
  /** Inliers of the final fit among the sampled points. */
  inliers: number;
}

export interface SupportPlaneOptions {
  /** Inlier distance at depth z, metres (e.g. 2.5 σz(z)). */
  thresholdAt: (z: number) => number;
  /** Most RANSAC hypotheses per plane (default 150; fewer when a large plane shows up early). */
  iterations?: number;
  /** A plane needs at least this share of the sampled points (default 0.2). */
  minShare?: number;
  /** Most planes returned (default 2: a table and the wall behind it). */
  maxPlanes?: number;
}

/** Signed distance of (x, y, z) from the plane (positive on the camera's side). */
export function planeDistance(p: Plane, x: number, y: number, z: number): number {
  return p.normal.x * x + p.normal.y * y + p.normal.z * z + p.d;
}

/**
 * Support planes among `points` (xyz triples, camera optical frame) for an object at `seed`, largest first, and
 * the largest plane through the seed itself (its own face, or the bare surface it is on), or null.
 * Deterministic: the sampling is seeded, so the same depth gives the same planes.
 */
export function findSupportPlanes(points: Float64Array, seed: Vec3, opts: SupportPlaneOptions): { supports: Plane[]; seedPlane: Plane | null } {
  const iterations = opts.iterations ?? 150;
  const minShare = opts.minShare ?? 0.2;
  const maxPlanes = opts.maxPlanes ?? 2;
  const n = Math.floor(points.length / 3);
  const threshold = new Float64Array(n);
  for (let i = 0; i < n; i++) threshold[i] = opts.thresholdAt(points[3 * i + 2]!);
  const taken = new Uint8Array(n);
  const seedThreshold = opts.thresholdAt(seed.z);
  const planes: Plane[] = [];
  let seedPlane: Plane | null = null;
  let rand = 0x9e3779b9;
  const next = (): number => {
    rand = (Math.imul(rand, 1664525) + 1013904223) >>> 0;
    return rand / 4294967296;
  };
  const minInliers = Math.max(10, Math.ceil(minShare * n));
  for (let round = 0; round < maxPlanes * 2 && planes.length < maxPlanes; round++) {
    const free: number[] = [];
    for (let i = 0; i < n; i++) if (!taken[i]) free.push(i);
    if (free.length < minInliers) break;
    let best: { nx: number; ny: number; nz: number; d: number } | null = null;
    let bestCount = 0;
    // Adaptive stop: enough hypotheses for a 99 % chance of one all-inlier triple at the best share seen so far.
    let needed = iterations;
    for (let it = 0; it < Math.min(iterations, needed); it++) {
      const a = free[Math.floor(next() * free.length)]!;
      const b = free[Math.floor(next() * free.length)]!;
      const c = free[Math.floor(next() * free.length)]!;
      const h = planeThrough(points, a, b, c);
      if (!h) continue;
      let count = 0;
      for (const i of free) {
        if (Math.abs(h.nx * points[3 * i]! + h.ny * points[3 * i + 1]! + h.nz * points[3 * i + 2]! + h.d) <= threshold[i]!) count++;
      }
      if (count > bestCount) {
        bestCount = count;
        best = h;
        const w = count / free.length;
        needed = w >= 1 ? 1 : Math.ceil(Math.log(0.01) / Math.log(1 - w * w * w));
      }
    }
    if (!best || bestCount < minInliers) break;
    const plane = refine(points, free, threshold, best);
    if (!plane) break;
    for (const i of free) if (Math.abs(planeDistance(plane, points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!)) <= threshold[i]!) taken[i] = 1;
    // Only planes the object stands clear of, on the camera's side; the others (its own face) are not supports.
    const seedDistance = planeDistance(plane, seed.x, seed.y, seed.z);
    if (seedDistance > seedThreshold) planes.push(plane);
    else if (seedPlane === null && Math.abs(seedDistance) <= seedThreshold) seedPlane = plane;
  }
  return { supports: planes, seedPlane };
}

function planeThrough(p: Float64Array, a: number, b: number, c: number): { nx: number; ny: number; nz: number; d: number } | null {
  const ux = p[3 * b]! - p[3 * a]!, uy = p[3 * b + 1]! - p[3 * a + 1]!, uz = p[3 * b + 2]! - p[3 * a + 2]!;
  const vx = p[3 * c]! - p[3 * a]!, vy = p[3 * c + 1]! - p[3 * a + 1]!, vz = p[3 * c + 2]! - p[3 * a + 2]!;
  let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
  const len = Math.hypot(nx, ny, nz);
  if (!(len > 1e-12)) return null;
  nx /= len; ny /= len; nz /= len;
  return { nx, ny, nz, d: -(nx * p[3 * a]! + ny * p[3 * a + 1]! + nz * p[3 * a + 2]!) };
}

/** Least-squares plane through the hypothesis' inliers, oriented toward the camera. */
function refine(p: Float64Array, free: number[], threshold: Float64Array, h: { nx: number; ny: number; nz: number; d: number }): Plane | null {
  let n = 0, mx = 0, my = 0, mz = 0;
  const inliers: number[] = [];
  for (const i of free) {
    if (Math.abs(h.nx * p[3 * i]! + h.ny * p[3 * i + 1]! + h.nz * p[3 * i + 2]! + h.d) > threshold[i]!) continue;
    inliers.push(i);
    mx += p[3 * i]!; my += p[3 * i + 1]!; mz += p[3 * i + 2]!;
    n++;
  }
  if (n < 3) return null;
  mx /= n; my /= n; mz /= n;
  let xx = 0, xy = 0, xz = 0, yy = 0, yz = 0, zz = 0;
  for (const i of inliers) {
    const x = p[3 * i]! - mx, y = p[3 * i + 1]! - my, z = p[3 * i + 2]! - mz;
    xx += x * x; xy += x * y; xz += x * z; yy += y * y; yz += y * z; zz += z * z;
  }
  const [nx, ny, nz] = symmetricEigen3([xx, xy, xz, xy, yy, yz, xz, yz, zz]).vectors[0]!;
  let d = -(nx * mx + ny * my + nz * mz);
  const s = d < 0 ? -1 : 1;
  d *= s;
  return { normal: { x: s * nx, y: s * ny, z: s * nz }, d, inliers: n };
}
