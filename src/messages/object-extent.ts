// What the output messages take from a waypoint's object extent and covariance, checked once: a box or a covariance
// that cannot be drawn or planned with (missing, non-finite, zero-sized) is treated as absent, and every message
// falls back to what it carried before there were objects (a point-sized detection, no collision object).
import { symmetricEigen3 } from '../geometry/eigen3.js';
import { quaternionFromAxes } from '../geometry/transform.js';
import type { OrientedBox, Quaternion, Vec3 } from '../geometry/types.js';
import type { Waypoint } from '../pipeline/types.js';
import { cross, isFiniteVec } from '../pipeline/vec.js';

/**
 * Variance written for what is not estimated (m², rad²): large rather than zero, because a zero variance claims
 * certainty to any consumer that fuses the pose; a large one gives the entry no weight.
 */
export const UNKNOWN_VARIANCE = 1e6;

const finiteQuaternion = (q: Quaternion) => [q.x, q.y, q.z, q.w].every(Number.isFinite) && Math.hypot(q.x, q.y, q.z, q.w) > 1e-12;

/** The waypoint's object box, when it has one with a finite pose and every side longer than zero. */
export function usableBox(w: Waypoint): OrientedBox | null {
  const box = w.object?.box;
  if (!box) return null;
  const { x, y, z } = box.size;
  if (![x, y, z].every((s) => Number.isFinite(s) && s > 0)) return null;
  if (!isFiniteVec(box.center.position) || !finiteQuaternion(box.center.orientation)) return null;
  return box;
}

/** The waypoint's 3×3 point covariance (row-major, m²), when it has one: 9 finite values, a non-negative diagonal. */
export function usableCovariance(w: Waypoint): readonly number[] | null {
  const c = w.covariance;
  if (!c || c.length !== 9 || !c.every(Number.isFinite)) return null;
  if (c[0]! < 0 || c[4]! < 0 || c[8]! < 0) return null;
  return c;
}

/**
 * geometry_msgs/PoseWithCovariance's 6×6 (x, y, z, rotations about X, Y, Z; row-major) from a 3×3 position
 * covariance: the position block is the given one, or UNKNOWN_VARIANCE on its diagonal when there is none; the
 * rotation block is never estimated (UNKNOWN_VARIANCE on its diagonal); cross terms 0.
 */
export function poseCovariance36(position: readonly number[] | null): number[] {
  const out = new Array<number>(36).fill(0);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) out[i * 6 + j] = position ? position[i * 3 + j]! : i === j ? UNKNOWN_VARIANCE : 0;
    out[(i + 3) * 6 + (i + 3)] = UNKNOWN_VARIANCE;
  }
  return out;
}

/** An ellipsoid: its axes' orientation and full axis lengths (diameters) along them, metres. */
export interface Ellipsoid {
  orientation: Quaternion;
  diameters: Vec3;
}

/**
 * The `sigmas`-σ ellipsoid of a 3×3 covariance: axes along its eigenvectors (made right-handed), semi-axes
 * sigmas·√λ. Null when the covariance has no positive eigenvalue (nothing to draw).
 */
export function covarianceEllipsoid(cov: readonly number[], sigmas: number): Ellipsoid | null {
  const { values, vectors } = symmetricEigen3(cov);
  if (!(values[2] > 0)) return null;
  const [a, b] = vectors.map(([x, y, z]) => ({ x, y, z })) as [Vec3, Vec3];
  const d = (v: number) => 2 * sigmas * Math.sqrt(Math.max(0, v));
  return { orientation: quaternionFromAxes(a, b, cross(a, b)), diameters: { x: d(values[0]), y: d(values[1]), z: d(values[2]) } };
}
