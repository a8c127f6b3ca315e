// The object under a pointed pixel, grown over the organised depth image (no colour, no learned model).
//
// The rule (docs/geometry.md, "Object segment"):
//   1. Seed: the pixel nearest the pointed one (within the lift window) whose depth lies on the lifted surface.
//   2. Supports: up to two dominant planes around the seed (support-plane.ts: a table, the floor, a wall) that the
//      seed stands clear of. A pixel on a support (within planeSigmas · σz) or behind one is not the object.
//   3. Growth, 4-connected: a neighbour q of a member p joins when
//        |z_q − z_p| ≤ stepSigmas · √2 · σz(z_p) + z_p · tan(maxSlope) / f   (the sensor's noise at that range plus
//                                                                              the step of a surface tilted ≤ 75°)
//      and q itself is *supported*: at least `minSupport` of its 8 neighbours are valid, off the supports and within
//      that step of q. A flying pixel on a silhouette or a lone noisy pixel has at most two such neighbours, so
//      growth never crosses into the background through one pixel; a real surface has up to eight.
//   4. Growth stops at the pointer's box (with a margin), at invalid depth, and farther than maxSizeM from the seed.
//   5. No object on a bare surface: without a pointer box, when the seed lies on a dominant plane of its window,
//      no support runs parallel behind that plane (it is not a raised face: a box top over the floor), and the
//      growth spread over it to the size limit (≥ 80 % of its points on that plane), the point was on the floor,
//      a table top or a wall, not on an object: null.
import type { Vec3 } from './types.js';
import type { CameraModel } from './camera-model.js';
import type { DepthImage } from './depth-image.js';
import { onDepthGrid } from './backproject.js';
import { type DepthNoiseModel, depthSigma } from './depth-noise.js';
import { type RayTable, rayTableFor } from './ray-table.js';
import { type Plane, findSupportPlanes, planeDistance } from './support-plane.js';

/** A box on the colour image's pixel grid (pixel-centre convention), e.g. the pointer's. */
export interface ImageBox {
  u0: number;
  v0: number;
  u1: number;
  v1: number;
}

export interface SegmentOptions {
  noise: DepthNoiseModel;
  /** The lifted depth at the pointed pixel: the seed must lie on that surface. */
  anchorM: number;
  /** Half size of the seed search window on the colour grid (the lift window), px. */
  seedRadius: number;
  /** Largest object: pixels farther than this from the seed's point are not part of it (default 0.5 m). */
  maxSizeM?: number;
  /** The pointer's box; growth stays inside it plus `boxMargin` of its size (default 0.1) and 2 px. */
  box?: ImageBox | null;
  boxMargin?: number;
  /** Depth-step tolerance in σz (default 3), support-plane band in σz (default 2.5), supported-neighbour count
   * (default 3 of 8), steepest surface followed (default 75°). */
  stepSigmas?: number;
  planeSigmas?: number;
  minSupport?: number;
  maxSlopeDeg?: number;
}

export interface ObjectSegment {
  /** The depth grid's size (the mask's pixel indices are row · width + col on it). */
  width: number;
  height: number;
  /** Member pixels in growth order (the seed first). */
  pixels: Int32Array;
  /** Their points in the camera optical frame, xyz triples (parallel to `pixels`). */
  points: Float64Array;
  /** The planes excluded as supports (largest first). */
  planes: Plane[];
  /** Members / (members + invalid-depth pixels inside each mask row's span): how much of the object had depth. */
  validShare: number;
  /** Depth-grid bounding box of the members, inclusive. */
  bounds: { c0: number; r0: number; c1: number; r1: number };
}

/** Planes within 15° of each other are parallel (rule 5). */
const PARALLEL_COS = Math.cos((15 * Math.PI) / 180);
/** Sampled points for the support-plane fit. */
const PLANE_SAMPLES = 600;

// Per-pixel scratch, reused between calls (segmentObject is synchronous, so no two calls share it at once). A pixel's
// entries belong to this call only when its stamp is the call's generation: nothing is cleared between calls.
let stamp = new Uint32Array(0);
let generation = 0;
let depthCache = new Float32Array(0);
let klass = new Uint8Array(0);
let queue = new Int32Array(0);
const ray = new Float64Array(2);

/** Pixel classes: not yet looked at / a candidate surface pixel / never the object / a surface pixel that is or
 * is not supported (both depend on the pixel alone, so each is decided once) / in the segment. */
const UNKNOWN = 0, SURFACE = 1, EXCLUDED = 2, SUPPORTED = 3, UNSUPPORTED = 4, MEMBER = 5;

/** Null when no pixel near (u, v) has depth on the lifted surface. */
export function segmentObject(model: CameraModel, depth: DepthImage, u: number, v: number, opts: SegmentOptions): ObjectSegment | null {
  const W = depth.width;
  const H = depth.height;
  const size = W * H;
  if (stamp.length < size) {
    stamp = new Uint32Array(size);
    generation = 0;
    depthCache = new Float32Array(size);
    klass = new Uint8Array(size);
    queue = new Int32Array(size);
  }
  if (++generation > 0xffffffff) {
    stamp.fill(0);
    generation = 1;
  }
  const gen = generation;
  const rays = rayTableFor(model, W, H);
  const table = rays.rays;
  const noise = opts.noise;
  const stepSigmas = opts.stepSigmas ?? 3;
  const planeSigmas = opts.planeSigmas ?? 2.5;
  const minSupport = opts.minSupport ?? 3;
  const maxSizeM = opts.maxSizeM ?? 0.5;
  const grid = onDepthGrid(model, depth, u, v, opts.seedRadius);
  const slopePerZ = Math.tan(((opts.maxSlopeDeg ?? 75) * Math.PI) / 180) / (Math.min(model.fx * grid.sx, model.fy * grid.sy));

  /** Makes pixel i's scratch entries this call's (its depth read, class unknown, not a member). */
  const touch = (i: number): void => {
    if (stamp[i] === gen) return;
    stamp[i] = gen;
    depthCache[i] = depth.atIndex(i);
    klass[i] = UNKNOWN;
  };
  const z = (i: number): number => {
    touch(i);
    return depthCache[i]!;
  };

  // Growth stays inside the pointer's box (with its margin), else the whole grid.
  const { c0, r0, c1, r1 } = opts.box ? boxOnGrid(opts.box, opts.boxMargin ?? 0.1, grid.sx, grid.sy, W, H) : { c0: 0, r0: 0, c1: W - 1, r1: H - 1 };

  const seed = findSeed(grid.du, grid.dv, grid.radius, W, H, opts.anchorM, z);
  if (seed < 0 || !rays.rayInto(seed, ray)) return null;
  const zs = z(seed);
  const sx = ray[0]! * zs, sy = ray[1]! * zs;
  // Planes are sought around the object: the box plus half its size on each side, or a square of maxSizeM.
  const half = Math.ceil((grid.sx * model.fx * maxSizeM) / zs);
  const sc = seed % W;
  const sr = (seed - sc) / W;
  const window = opts.box
    ? boxOnGrid(opts.box, 0.5, grid.sx, grid.sy, W, H)
    : { c0: Math.max(0, sc - half), r0: Math.max(0, sr - half), c1: Math.min(W - 1, sc + half), r1: Math.min(H - 1, sr + half) };
  const { supports: planes, seedPlane } = supportPlanes(rays, z, W, window, { x: sx, y: sy, z: zs }, planeSigmas, noise);
  const maxSize2 = maxSizeM * maxSizeM;

  const stepK = stepSigmas * Math.SQRT2;
  const base = noise.baseM, perM2 = noise.perM2;
  /** A pixel's class once: EXCLUDED unless valid, in the window, within reach of the seed and on the camera's side of
   * every support, off it. */
  const windowed = c0 > 0 || r0 > 0 || c1 < W - 1 || r1 < H - 1;
  // The planes' coefficients in one flat array (nx, ny, nz, d per plane) for the per-pixel test.
  const pc = new Float64Array(planes.flatMap((p) => [p.normal.x, p.normal.y, p.normal.z, p.d]));
  const np = planes.length;
  const classify = (i: number): number => {
    let k = EXCLUDED;
    const d = depthCache[i]!;
    let rx = table[2 * i]!;
    if (rx !== rx && rays.rayInto(i, ray)) rx = ray[0]!;
    if (d === d && rx !== Infinity && rx === rx && (!windowed || inWindow(i))) {
      const x = rx * d, y = table[2 * i + 1]! * d;
      if ((x - sx) * (x - sx) + (y - sy) * (y - sy) + (d - zs) * (d - zs) <= maxSize2) {
        k = SURFACE;
        const band = planeSigmas * (base + perM2 * d * d);
        for (let j = 0; j < np; j++) if (pc[4 * j]! * x + pc[4 * j + 1]! * y + pc[4 * j + 2]! * d + pc[4 * j + 3]! <= band) k = EXCLUDED;
      }
    }
    klass[i] = k;
    return k;
  };
  const inWindow = (i: number): boolean => {
    const c = i % W;
    const r = (i - c) / W;
    return c >= c0 && c <= c1 && r >= r0 && r <= r1;
  };
  /** SUPPORTED when at least minSupport of the 8 neighbours are surface pixels within one step of q. */
  const support = (q: number): number => {
    const c = q % W;
    const r = (q - c) / W;
    const zq = depthCache[q]!;
    const tol = stepK * (base + perM2 * zq * zq) + zq * slopePerZ;
    let n = 0;
    for (let rr = r > 0 ? r - 1 : 0; rr <= r + 1 && rr < H; rr++) {
      for (let cc = c > 0 ? c - 1 : 0; cc <= c + 1 && cc < W; cc++) {
        const j = rr * W + cc;
        if (j === q) continue;
        if (stamp[j] !== gen) touch(j);
        const kj = klass[j] === UNKNOWN ? classify(j) : klass[j]!;
        if (kj !== EXCLUDED && Math.abs(depthCache[j]! - zq) <= tol && ++n >= minSupport) {
          klass[q] = SUPPORTED;
          return SUPPORTED;
        }
      }
    }
    klass[q] = UNSUPPORTED;
    return UNSUPPORTED;
  };

  touch(seed);
  if (classify(seed) === EXCLUDED) return null;
  let head = 0, tail = 0;
  queue[tail++] = seed;
  klass[seed] = MEMBER;
  while (head < tail) {
    const p = queue[head++]!;
    const zp = depthCache[p]!;
    const tol = stepK * (base + perM2 * zp * zp) + zp * slopePerZ;
    const c = p % W;
    for (let n = 0; n < 4; n++) {
      const q = n === 0 ? (c > 0 ? p - 1 : -1) : n === 1 ? (c < W - 1 ? p + 1 : -1) : n === 2 ? p - W : p + W;
      if (q < 0 || q >= size) continue;
      if (stamp[q] !== gen) touch(q);
      let k = klass[q]!;
      if (k === MEMBER) continue;
      if (k === UNKNOWN) k = classify(q);
      if (k === EXCLUDED || k === UNSUPPORTED || !(Math.abs(depthCache[q]! - zp) <= tol)) continue;
      if (k === SURFACE && support(q) === UNSUPPORTED) continue;
      klass[q] = MEMBER;
      queue[tail++] = q;
    }
  }

  const count = tail;
  const pixels = queue.slice(0, count);
  const points = new Float64Array(3 * count);
  let bc0 = W, br0 = H, bc1 = -1, br1 = -1;
  // Each row's first and last member column, for the holes count.
  const rowFirst = new Int32Array(H).fill(W);
  const rowLast = new Int32Array(H).fill(-1);
  for (let k = 0; k < count; k++) {
    const i = pixels[k]!;
    const d = depthCache[i]!;
    rays.rayInto(i, ray);
    points[3 * k] = ray[0]! * d;
    points[3 * k + 1] = ray[1]! * d;
    points[3 * k + 2] = d;
    const c = i % W;
    const r = (i - c) / W;
    if (c < bc0) bc0 = c;
    if (c > bc1) bc1 = c;
    if (r < br0) br0 = r;
    if (r > br1) br1 = r;
    if (c < rowFirst[r]!) rowFirst[r] = c;
    if (c > rowLast[r]!) rowLast[r] = c;
  }
  if (!opts.box && seedPlane && !planes.some((p) => parallel(p, seedPlane)) && isBareSurface(points, { x: sx, y: sy, z: zs }, maxSizeM, seedPlane, (d) => planeSigmas * depthSigma(noise, d))) {
    return null;
  }
  // Invalid-depth pixels between the first and last member of each row: holes in the object's depth.
  let holes = 0;
  for (let r = br0; r <= br1; r++) {
    for (let i = r * W + rowFirst[r]! + 1, end = r * W + rowLast[r]!; i < end; i++) {
      if (stamp[i] === gen ? klass[i] !== MEMBER && depthCache[i]! !== depthCache[i]! : !(depth.atIndex(i) >= 0)) holes++;
    }
  }
  return {
    width: W,
    height: H,
    pixels,
    points,
    planes,
    validShare: count / (count + holes),
    bounds: { c0: bc0, r0: br0, c1: bc1, r1: br1 },
  };
}

/** Rule 5: a support parallel to the seed's plane makes it a raised face (a box top over the floor). */
function parallel(a: Plane, b: Plane): boolean {
  return Math.abs(a.normal.x * b.normal.x + a.normal.y * b.normal.y + a.normal.z * b.normal.z) > PARALLEL_COS;
}

/** Rule 5: the points reach 90 % of maxSizeM from the seed and 80 % of them lie within `band` of the seed's plane. */
function isBareSurface(points: Float64Array, seed: Vec3, maxSizeM: number, plane: Plane, band: (z: number) => number): boolean {
  const n = points.length / 3;
  let reach2 = 0;
  let on = 0;
  for (let k = 0; k < 3 * n; k += 3) {
    const x = points[k]!, y = points[k + 1]!, z = points[k + 2]!;
    const r2 = (x - seed.x) ** 2 + (y - seed.y) ** 2 + (z - seed.z) ** 2;
    if (r2 > reach2) reach2 = r2;
    if (Math.abs(planeDistance(plane, x, y, z)) <= band(z)) on++;
  }
  return reach2 >= (0.9 * maxSizeM) ** 2 && on >= 0.8 * n;
}

/** The nearest pixel to (du, dv) within `radius` whose depth is on the anchor's surface (the lift's cluster gap
 * rule: within max(2 cm, 5 % of the depth)); -1 when none. */
function findSeed(du: number, dv: number, radius: number, W: number, H: number, anchorM: number, z: (i: number) => number): number {
  const col = Math.round(du);
  const row = Math.round(dv);
  const tolerance = Math.max(0.02, 0.05 * anchorM);
  let best = -1;
  let bestDist = Infinity;
  for (let r = Math.max(0, row - radius); r <= Math.min(H - 1, row + radius); r++) {
    for (let c = Math.max(0, col - radius); c <= Math.min(W - 1, col + radius); c++) {
      const d = z(r * W + c);
      if (!(Math.abs(d - anchorM) <= tolerance)) continue;
      const dist = (c - du) ** 2 + (r - dv) ** 2;
      if (dist < bestDist) {
        bestDist = dist;
        best = r * W + c;
      }
    }
  }
  return best;
}

/** A colour-grid box on the depth grid, grown by `margin` of its size plus 2 px on each side, clipped. */
function boxOnGrid(b: ImageBox, margin: number, sx: number, sy: number, W: number, H: number) {
  const mu = margin * (b.u1 - b.u0) + 2;
  const mv = margin * (b.v1 - b.v0) + 2;
  return {
    c0: Math.max(0, Math.floor((b.u0 - mu + 0.5) * sx - 0.5)),
    c1: Math.min(W - 1, Math.ceil((b.u1 + mu + 0.5) * sx - 0.5)),
    r0: Math.max(0, Math.floor((b.v0 - mv + 0.5) * sy - 0.5)),
    r1: Math.min(H - 1, Math.ceil((b.v1 + mv + 0.5) * sy - 0.5)),
  };
}

/** Support planes from an evenly strided sample (about PLANE_SAMPLES points) of the window's depth. */
function supportPlanes(
  rays: RayTable,
  z: (i: number) => number,
  W: number,
  w: { c0: number; r0: number; c1: number; r1: number },
  seedPoint: Vec3,
  planeSigmas: number,
  noise: DepthNoiseModel,
): { supports: Plane[]; seedPlane: Plane | null } {
  const area = (w.c1 - w.c0 + 1) * (w.r1 - w.r0 + 1);
  const stride = Math.max(1, Math.floor(Math.sqrt(area / PLANE_SAMPLES)));
  const sample: number[] = [];
  for (let r = w.r0; r <= w.r1; r += stride) {
    for (let c = w.c0; c <= w.c1; c += stride) {
      const i = r * W + c;
      const d = z(i);
      if (d === d && rays.rayInto(i, ray)) sample.push(ray[0]! * d, ray[1]! * d, d);
    }
  }
  return findSupportPlanes(Float64Array.from(sample), seedPoint, { thresholdAt: (d) => planeSigmas * depthSigma(noise, d) });
}
