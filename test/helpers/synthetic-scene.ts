// Synthetic RGB-D scenes with exact ground truth for the object-segment tests and the geometry bench: boxes,
// cylinders and a mug-like shape (a cylinder with a handle of spheres along a half ring) standing on a table in
// front of a wall, ray-cast into a pinhole depth image, optionally with the depth noise model's Gaussian noise and
// holes (random dropouts and missing pixels along depth edges, as stereo cameras lose them).
//
// World frame: z up (REP 103), the table top is z = 0 for x < wallX, the wall is the plane x = wallX. The camera
// sits at height cameraHeight looking along +x, pitched down by pitchDeg. Ground truth per object: its exact mask,
// the centroid of its visible surface (the exact ray hits, camera optical frame), and the smallest gravity-aligned
// box around that visible surface, down to the table (the objects rest on it), found by brute force over the yaw.
import { DepthImage } from '../../src/geometry/depth-image.js';
import { type DepthNoiseModel, depthSigma } from '../../src/geometry/depth-noise.js';
import type { CameraInfo, Vec3 } from '../../src/geometry/types.js';
import { cameraInfo } from './camera-info.js';
import { mulberry32 } from './prng.js';

export type SceneObject =
  | { kind: 'box'; name: string; x: number; y: number; yawDeg: number; size: Vec3 }
  | { kind: 'cylinder'; name: string; x: number; y: number; radius: number; height: number }
  /** The handle points `handleDeg` from the line of sight to the camera (0 = toward the camera, 90 = to its left). */
  | { kind: 'mug'; name: string; x: number; y: number; radius: number; height: number; handleDeg: number };

export interface SceneSpec {
  width?: number;
  height?: number;
  focal?: number;
  cameraHeight?: number;
  pitchDeg?: number;
  wallX?: number;
  objects: SceneObject[];
  /** Gaussian depth noise by this model and holes; omitted = exact depth. */
  noise?: { model: DepthNoiseModel; dropout: number; edgeDropout: number; seed: number };
}

export interface ObjectTruth {
  name: string;
  /** 1-based label in `labels`. */
  id: number;
  pixelCount: number;
  /** Interior pixel near the mask's centre (every pixel within 3 px is on the object). */
  pointed: { u: number; v: number };
  /** Mean of the visible surface's exact points, camera optical frame. */
  visibleCentroid: Vec3;
  /** The visible surface's smallest gravity-aligned box: x ≥ y the sides of the smallest-area rectangle around its
   * footprint, z its top's height above the table (it rests on the table). */
  size: Vec3;
}

export interface Scene {
  info: CameraInfo;
  depth: DepthImage;
  /** Metres per pixel (NaN = hole), row-major. */
  metres: Float32Array;
  /** Object label per pixel (0 = table, wall, nothing). */
  labels: Uint8Array;
  objects: ObjectTruth[];
  /** World up (+z) in the camera optical frame. */
  upInCamera: Vec3;
  /** Camera optical frame -> world rotation (columns: the optical axes in the world), row-major. */
  cameraToWorld: number[];
  cameraPosition: Vec3;
}

/** A table scene with a box, a cylinder and a mug (its handle turned 30° from the camera). */
export const TABLETOP: SceneSpec = {
  objects: [
    { kind: 'box', name: 'box', x: 0.72, y: 0.17, yawDeg: 25, size: { x: 0.12, y: 0.07, z: 0.1 } },
    { kind: 'cylinder', name: 'can', x: 0.78, y: -0.03, radius: 0.035, height: 0.12 },
    { kind: 'mug', name: 'mug', x: 0.66, y: -0.19, radius: 0.04, height: 0.09, handleDeg: 30 },
  ],
};

export function renderScene(spec: SceneSpec): Scene {
  const W = spec.width ?? 640;
  const H = spec.height ?? 480;
  const f = spec.focal ?? 600;
  const cx = (W - 1) / 2;
  const cy = (H - 1) / 2;
  const pitch = ((spec.pitchDeg ?? 40) * Math.PI) / 180;
  const origin: Vec3 = { x: 0, y: 0, z: spec.cameraHeight ?? 0.55 };
  const wallX = spec.wallX ?? 1.1;
  // Optical axes in the world: x right, y down, z forward (pitched down).
  const ax: Vec3 = { x: 0, y: -1, z: 0 };
  const ay: Vec3 = { x: -Math.sin(pitch), y: 0, z: -Math.cos(pitch) };
  const az: Vec3 = { x: Math.cos(pitch), y: 0, z: -Math.sin(pitch) };
  const metres = new Float32Array(W * H);
  const labels = new Uint8Array(W * H);
  const hits: Vec3[][] = spec.objects.map(() => []);
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < W; c++) {
      const xn = (c - cx) / f;
      const yn = (r - cy) / f;
      // Ray o + t·d with d = R·(xn, yn, 1): t is the optical-axis depth.
      const d: Vec3 = { x: ax.x * xn + ay.x * yn + az.x, y: ax.y * xn + ay.y * yn + az.y, z: ax.z * xn + ay.z * yn + az.z };
      let best = Infinity;
      let label = 0;
      const table = d.z < 0 ? -origin.z / d.z : Infinity;
      if (table > 0 && origin.x + table * d.x < wallX) best = table;
      const wall = d.x > 0 ? (wallX - origin.x) / d.x : Infinity;
      if (wall > 0 && wall < best && origin.z + wall * d.z >= 0) best = wall;
      spec.objects.forEach((o, k) => {
        const t = hitObject(o, origin, d, origin);
        if (t > 0 && t < best) {
          best = t;
          label = k + 1;
        }
      });
      const i = r * W + c;
      metres[i] = Number.isFinite(best) ? best : NaN;
      labels[i] = label;
      if (label > 0) hits[label - 1]!.push({ x: xn * best, y: yn * best, z: best });
    }
  }
  if (spec.noise) addNoise(metres, W, H, spec.noise);
  const objects = spec.objects.map((o, k) => truth(o, k + 1, hits[k]!, labels, W, H, { ax, ay, az }, origin));
  return {
    info: cameraInfo({ width: W, height: H, fx: f, fy: f, cx, cy }),
    depth: DepthImage.fromMetres(W, H, metres),
    metres,
    labels,
    objects,
    upInCamera: { x: ax.z, y: ay.z, z: az.z },
    cameraToWorld: [ax.x, ay.x, az.x, ax.y, ay.y, az.y, ax.z, ay.z, az.z],
    cameraPosition: origin,
  };
}

/** Nearest positive ray parameter of the object's surface, or Infinity. */
function hitObject(o: SceneObject, p: Vec3, d: Vec3, camera: Vec3): number {
  if (o.kind === 'box') {
    const yaw = (o.yawDeg * Math.PI) / 180;
    const cs = Math.cos(yaw), sn = Math.sin(yaw);
    // Into the box frame (rotation by -yaw about z, centred on its footprint, z from the table).
    const lp = { x: cs * (p.x - o.x) + sn * (p.y - o.y), y: -sn * (p.x - o.x) + cs * (p.y - o.y), z: p.z };
    const ld = { x: cs * d.x + sn * d.y, y: -sn * d.x + cs * d.y, z: d.z };
    let t0 = -Infinity, t1 = Infinity;
    for (const [a, b, lo, hi] of [[lp.x, ld.x, -o.size.x / 2, o.size.x / 2], [lp.y, ld.y, -o.size.y / 2, o.size.y / 2], [lp.z, ld.z, 0, o.size.z]] as const) {
      if (Math.abs(b) < 1e-15) {
        if (a < lo || a > hi) return Infinity;
        continue;
      }
      const ta = (lo - a) / b, tb = (hi - a) / b;
      t0 = Math.max(t0, Math.min(ta, tb));
      t1 = Math.min(t1, Math.max(ta, tb));
    }
    return t0 <= t1 && t0 > 0 ? t0 : Infinity;
  }
  let best = cylinder(p, d, o.x, o.y, o.radius, o.height);
  if (o.kind === 'mug') {
    // The handle: spheres along a vertical half ring.
    const ring = 0.03, thick = 0.007;
    const h = handleDirection(o, camera);
    for (let k = 0; k <= 12; k++) {
      const a = (Math.PI * k) / 12;
      const reach = o.radius + ring * Math.sin(a) - 0.004;
      const centre = { x: o.x + h.x * reach, y: o.y + h.y * reach, z: o.height / 2 + ring * Math.cos(a) };
      best = Math.min(best, sphere(p, d, centre, thick));
    }
  }
  return best;
}

/** The mug's handle direction (horizontal, unit) in the world. */
function handleDirection(o: { x: number; y: number; handleDeg: number }, camera: Vec3): Vec3 {
  const h = Math.hypot(camera.x - o.x, camera.y - o.y);
  const tx = (camera.x - o.x) / h, ty = (camera.y - o.y) / h;
  const a = (o.handleDeg * Math.PI) / 180;
  return { x: Math.cos(a) * tx - Math.sin(a) * ty, y: Math.sin(a) * tx + Math.cos(a) * ty, z: 0 };
}

/** Vertical cylinder standing on z = 0: side and top cap. */
function cylinder(p: Vec3, d: Vec3, x: number, y: number, radius: number, height: number): number {
  let best = Infinity;
  const ox = p.x - x, oy = p.y - y;
  const a = d.x * d.x + d.y * d.y;
  const b = 2 * (ox * d.x + oy * d.y);
  const c = ox * ox + oy * oy - radius * radius;
  const disc = b * b - 4 * a * c;
  if (disc >= 0 && a > 0) {
    const t = (-b - Math.sqrt(disc)) / (2 * a);
    const z = p.z + t * d.z;
    if (t > 0 && z >= 0 && z <= height) best = t;
  }
  if (Math.abs(d.z) > 1e-15) {
    const t = (height - p.z) / d.z;
    const hx = ox + t * d.x, hy = oy + t * d.y;
    if (t > 0 && hx * hx + hy * hy <= radius * radius && t < best) best = t;
  }
  return best;
}

function sphere(p: Vec3, d: Vec3, c: Vec3, radius: number): number {
  const ox = p.x - c.x, oy = p.y - c.y, oz = p.z - c.z;
  const a = d.x * d.x + d.y * d.y + d.z * d.z;
  const b = 2 * (ox * d.x + oy * d.y + oz * d.z);
  const cc = ox * ox + oy * oy + oz * oz - radius * radius;
  const disc = b * b - 4 * a * cc;
  if (disc < 0) return Infinity;
  const t = (-b - Math.sqrt(disc)) / (2 * a);
  return t > 0 ? t : Infinity;
}

function addNoise(metres: Float32Array, W: number, H: number, noise: NonNullable<SceneSpec['noise']>): void {
  const rand = mulberry32(noise.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const exact = metres.slice();
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < W; c++) {
      const i = r * W + c;
      const z = exact[i]!;
      if (!(z > 0)) continue;
      // A depth edge: a neighbour more than 2 cm away (stereo loses these pixels often).
      const edge = (c > 0 && Math.abs(exact[i - 1]! - z) > 0.02) || (c < W - 1 && Math.abs(exact[i + 1]! - z) > 0.02) ||
        (r > 0 && Math.abs(exact[i - W]! - z) > 0.02) || (r < H - 1 && Math.abs(exact[i + W]! - z) > 0.02);
      if (rand() < noise.dropout || (edge && rand() < noise.edgeDropout)) metres[i] = NaN;
      else metres[i] = z + depthSigma(noise.model, z) * gauss();
    }
  }
}

function truth(o: SceneObject, id: number, hits: Vec3[], labels: Uint8Array, W: number, H: number, axes: { ax: Vec3; ay: Vec3; az: Vec3 }, origin: Vec3): ObjectTruth {
  let sc = 0, sr = 0, n = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === id) { sc += i % W; sr += Math.floor(i / W); n++; }
  if (n === 0) throw new Error(`scene object '${o.name}' is not visible`);
  // The interior pixel nearest the mask's pixel centroid.
  let pointed = { u: -1, v: -1 };
  let bestDist = Infinity;
  for (let r = 3; r < H - 3; r++) {
    for (let c = 3; c < W - 3; c++) {
      const dist = (c - sc / n) ** 2 + (r - sr / n) ** 2;
      if (labels[r * W + c] !== id || dist >= bestDist) continue;
      let interior = true;
      for (let dr = -3; dr <= 3 && interior; dr++) for (let dc = -3; dc <= 3; dc++) if (labels[(r + dr) * W + c + dc] !== id) { interior = false; break; }
      if (interior) { bestDist = dist; pointed = { u: c, v: r }; }
    }
  }
  const centroid = hits.reduce((a, p) => ({ x: a.x + p.x / hits.length, y: a.y + p.y / hits.length, z: a.z + p.z / hits.length }), { x: 0, y: 0, z: 0 });
  // The smallest-area footprint rectangle (brute force over the yaw, 0.1° steps) and the height above the table.
  const world = hits.map((p) => ({
    x: origin.x + axes.ax.x * p.x + axes.ay.x * p.y + axes.az.x * p.z,
    y: origin.y + axes.ax.y * p.x + axes.ay.y * p.y + axes.az.y * p.z,
    z: origin.z + axes.ax.z * p.x + axes.ay.z * p.y + axes.az.z * p.z,
  }));
  let best = { area: Infinity, a: 0, b: 0 };
  for (let k = 0; k < 900; k++) {
    const yaw = (k / 10) * (Math.PI / 180);
    const cs = Math.cos(yaw), sn = Math.sin(yaw);
    let lo1 = Infinity, hi1 = -Infinity, lo2 = Infinity, hi2 = -Infinity;
    for (const w of world) {
      const s1 = cs * w.x + sn * w.y, s2 = -sn * w.x + cs * w.y;
      if (s1 < lo1) lo1 = s1;
      if (s1 > hi1) hi1 = s1;
      if (s2 < lo2) lo2 = s2;
      if (s2 > hi2) hi2 = s2;
    }
    const area = (hi1 - lo1) * (hi2 - lo2);
    if (area < best.area) best = { area, a: hi1 - lo1, b: hi2 - lo2 };
  }
  const top = Math.max(...world.map((w) => w.z));
  const size = { x: Math.max(best.a, best.b), y: Math.min(best.a, best.b), z: top };
  return { name: o.name, id, pixelCount: n, pointed, visibleCentroid: centroid, size };
}
