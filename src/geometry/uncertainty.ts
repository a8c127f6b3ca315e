// How sure a waypoint's position is, as a 3×3 covariance (row-major, m²). Independent sources add:
//   pointing:    the pointer's pixel error σp (a per-backend parameter) moves a surface point across the image by
//                z·σp/f in x and y (optical frame; the first-order pinhole Jacobian);
//   depth:       σz(z)² of the noise model plus the depth window's own spread (IQR / 1.349, a Gaussian's σ) move
//                it along its ray, dp/dz = (x/z, y/z, 1);
//   calibration: the extrinsic calibration's stated accuracy, σt isotropic plus the rotation error σr turning the
//                point about the camera: (|p|·σr)² across the line of sight.
// A point that is a mean of n visible points (the centroid pick mode) has no pointing term (the segment does not
// move with the exact pixel) and depth noise σz²/n; the top centre (top pick mode) is set by the topmost points, so
// it keeps one pixel's σz² and no pointing term. Covariances are computed in the optical frame and rotated into the
// waypoint's frame (R Σ Rᵀ); translations do not change them.
import type { Quaternion, Vec3 } from './types.js';
import { type DepthNoiseModel, depthSigma } from './depth-noise.js';
import { symmetricEigen3 } from './eigen3.js';
import { matrixFromQuaternion } from './transform.js';

export interface UncertaintyModel {
  /** The pointer's pixel error (1 σ), colour-image px. */
  pointingPx: number;
  noise: DepthNoiseModel;
  /** The extrinsic calibration's accuracy (1 σ): translation, m, and rotation, rad. */
  calibrationM: number;
  calibrationRad: number;
}

export type PointKind =
  | { kind: 'surface'; fx: number; fy: number; spreadM: number }
  | { kind: 'mean'; count: number }
  | { kind: 'top' };

/** Covariance of `p` (optical frame) by the sources above for the way the point was found. */
export function pointCovariance(p: Vec3, how: PointKind, model: UncertaintyModel): number[] {
  const cov = new Array<number>(9).fill(0);
  const z = p.z;
  const sz = depthSigma(model.noise, z);
  let depthVar = sz * sz;
  if (how.kind === 'surface') {
    const spread = how.spreadM / 1.349;
    depthVar += spread * spread;
    const lx = (z * model.pointingPx) / how.fx;
    const ly = (z * model.pointingPx) / how.fy;
    cov[0]! += lx * lx;
    cov[4]! += ly * ly;
  } else if (how.kind === 'mean') {
    depthVar /= Math.max(1, how.count);
  }
  const r = [p.x / z, p.y / z, 1];
  const range2 = p.x * p.x + p.y * p.y + z * z;
  const rot = range2 * model.calibrationRad * model.calibrationRad;
  const t = model.calibrationM * model.calibrationM;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const pi = i === 0 ? p.x : i === 1 ? p.y : z;
      const pj = j === 0 ? p.x : j === 1 ? p.y : z;
      // (|p|σr)² (I − p̂p̂ᵀ) = σr² (|p|² I − p pᵀ)
      cov[3 * i + j]! += depthVar * r[i]! * r[j]! + (i === j ? t + rot : 0) - model.calibrationRad ** 2 * pi * pj;
    }
  }
  return cov;
}

/** R Σ Rᵀ: a covariance expressed in a frame rotated by `q` (the frame's rotation from the source frame). */
export function rotateCovariance(q: Quaternion, cov: readonly number[]): number[] {
  const R = matrixFromQuaternion(q);
  const out = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) s += R[3 * i + a]! * cov[3 * a + b]! * R[3 * j + b]!;
      out[3 * i + j] = s;
    }
  }
  return out;
}

/** √(largest eigenvalue): the 1 σ error along the worst direction, m (what "± N mm" shows). */
export function covarianceRadius(cov: readonly number[]): number {
  return Math.sqrt(Math.max(0, symmetricEigen3(cov).values[2]));
}
