// Surface normal at a pixel: a least-squares plane through the back-projected pixels of the depth window that
// belong to one surface, in the camera optical frame. Which surface: the one at `anchorM` when given (the lifted
// point's depth, so the approach and the point come from the same surface even though the normal window is larger
// than the lift's), else the window's own foreground rule (see depth-cluster.ts).
import type { Vec3 } from './types.js';
import type { CameraModel } from './camera-model.js';
import type { DepthImage } from './depth-image.js';
import { onDepthGrid } from './backproject.js';
import { symmetricEigen3 } from './eigen3.js';

export interface NormalEstimate {
  /** Unit normal pointing toward the camera (n · p < 0 for the patch centre p). */
  normal: Vec3;
  /**
   * 0..1: planarity (1 − 3·λmin/Σλ: 1 for a perfect plane, 0 for isotropic scatter) × shape (2·√(λmid/λmax),
   * capped at 1: low when the points are nearly collinear and the plane's tilt about that line is unknown) ×
   * coverage (fraction of the window's pixels that support the plane).
   */
  quality: number;
  /** Points used for the fit. */
  support: number;
  /** Centroid of those points (metres, optical frame). */
  centroid: Vec3;
}

/**
 * Null when fewer than 3 pixels of the chosen surface have depth, or they are degenerate, or (with `anchorM`) no
 * cluster of the window lies within max(2 cm, 5 % × anchorM) of the anchor depth.
 */
export function estimateNormal(
  model: CameraModel,
  depth: DepthImage,
  u: number,
  v: number,
  radius: number,
  anchorM?: number,
): NormalEstimate | null {
  if (!model.contains(u, v)) return null;
  // Depth may be aligned at another resolution: work on the depth grid, map its pixels back to the model's.
  const { du, dv, radius: r, sx, sy } = onDepthGrid(model, depth, u, v, radius);
  const sample = depth.sampleDetail(du, dv, r, undefined, anchorM);
  if (!sample) return null;

  const col = Math.round(du);
  const row = Math.round(dv);
  const c0 = Math.max(0, col - r), c1 = Math.min(depth.width - 1, col + r);
  const r0 = Math.max(0, row - r), r1 = Math.min(depth.height - 1, row + r);
  const total = (c1 - c0 + 1) * (r1 - r0 + 1);
  const pts = new Float64Array(total * 3);
  const ray = new Float64Array(2);
  let n = 0;
  for (let rr = r0; rr <= r1; rr++) {
    for (let cc = c0; cc <= c1; cc++) {
      const z = depth.at(cc, rr);
      if (!(z >= sample.clusterMinM && z <= sample.clusterMaxM)) continue;
      if (!model.undistortInto((cc + 0.5) / sx - 0.5, (rr + 0.5) / sy - 0.5, ray)) continue;
      pts[3 * n] = ray[0]! * z;
      pts[3 * n + 1] = ray[1]! * z;
      pts[3 * n + 2] = z;
      n++;
    }
  }
  if (n < 3) return null;

  let mx = 0, my = 0, mz = 0;
  for (let i = 0; i < n; i++) {
    mx += pts[3 * i]!;
    my += pts[3 * i + 1]!;
    mz += pts[3 * i + 2]!;
  }
  mx /= n;
  my /= n;
  mz /= n;
  let xx = 0, xy = 0, xz = 0, yy = 0, yz = 0, zz = 0;
  for (let i = 0; i < n; i++) {
    const x = pts[3 * i]! - mx, y = pts[3 * i + 1]! - my, z = pts[3 * i + 2]! - mz;
    xx += x * x; xy += x * y; xz += x * z; yy += y * y; yz += y * z; zz += z * z;
  }
  const { values, vectors } = symmetricEigen3([xx, xy, xz, xy, yy, yz, xz, yz, zz]);
  const [l0, l1, l2] = values;
  const sum = l0 + l1 + l2;
  if (!(sum > 0) || !(l2 > 0)) return null;
  const [nx, ny, nz] = vectors[0]!;
  // Orient toward the camera (at the origin): the normal must point against the direction to the patch.
  const flip = nx * mx + ny * my + nz * mz > 0 ? -1 : 1;
  const len = Math.hypot(nx, ny, nz);
  const planarity = Math.max(0, 1 - (3 * Math.max(0, l0)) / sum);
  const shape = Math.min(1, 2 * Math.sqrt(Math.max(0, l1) / l2));
  return {
    normal: { x: (flip * nx) / len, y: (flip * ny) / len, z: (flip * nz) / len },
    quality: planarity * shape * (n / total),
    support: n,
    centroid: { x: mx, y: my, z: mz },
  };
}
