import type { Vec3 } from '../geometry/types.js';

// Axis-aligned workspace bounds, inclusive.

export function insideBox(p: Vec3, min: Vec3, max: Vec3): boolean {
  return p.x >= min.x && p.x <= max.x && p.y >= min.y && p.y <= max.y && p.z >= min.z && p.z <= max.z;
}

/** Why a point is outside, e.g. "z = 1.52 m above max 1.20 m", naming the first violated axis. */
export function describeOutside(p: Vec3, min: Vec3, max: Vec3): string {
  for (const axis of ['x', 'y', 'z'] as const) {
    if (p[axis] < min[axis]) return `${axis} = ${p[axis].toFixed(3)} m below min ${min[axis].toFixed(3)} m`;
    if (p[axis] > max[axis]) return `${axis} = ${p[axis].toFixed(3)} m above max ${max[axis].toFixed(3)} m`;
  }
  return 'inside';
}
