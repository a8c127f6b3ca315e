// Lens distortion models of sensor_msgs/CameraInfo, on normalised image coordinates (x = X/Z, y = Y/Z), with
// OpenCV's definitions (calib3d projectPoints and fisheye::projectPoints):
//   plumb_bob / rational_polynomial, d = [k1, k2, p1, p2, k3(, k4, k5, k6)]:
//     g = (1 + k1 r² + k2 r⁴ + k3 r⁶) / (1 + k4 r² + k5 r⁴ + k6 r⁶)
//     xd = x g + 2 p1 x y + p2 (r² + 2x²),  yd = y g + p1 (r² + 2y²) + 2 p2 x y
//   equidistant, d = [k1, k2, k3, k4]:
//     θ = atan(r),  θd = θ (1 + k1 θ² + k2 θ⁴ + k3 θ⁶ + k4 θ⁸),  (xd, yd) = (θd / r) (x, y)
// Undistortion inverts these with Newton's method on the forward model (quadratic convergence, so a handful of
// iterations reach 1e-12 px), restricted to the region where the forward model is one-to-one. Outside it the
// polynomial folds back and a pixel has either no preimage or a wrong one, so we report failure instead.

export type DistortionKind = 'none' | 'polynomial' | 'equidistant';

/** Iteration stops when the re-projection residual is below this (pixels)... */
const STOP_PX = 1e-10;
/** ...and a result is only returned when it is below this (pixels). */
export const ACCEPT_PX = 1e-9;
const MAX_ITERATIONS = 60;

/** Radial model r ↦ r·g(r²) (tangential terms aside): the first radius where it stops increasing. */
export function polynomialFoldRadius(k: Float64Array): number {
  const slope = (r: number): number => {
    const r2 = r * r;
    const num = 1 + r2 * (k[0]! + r2 * (k[1]! + r2 * k[4]!));
    const den = 1 + r2 * (k[5]! + r2 * (k[6]! + r2 * k[7]!));
    if (den <= 0 || num <= 0) return -1;
    const dnum = k[0]! + r2 * (2 * k[1]! + 3 * r2 * k[4]!);
    const dden = k[5]! + r2 * (2 * k[6]! + 3 * r2 * k[7]!);
    const g = num / den;
    const dg = (dnum * den - num * dden) / (den * den);
    return g + 2 * r2 * dg;
  };
  return firstNonPositive(slope, 1e3);
}

/** Equidistant: θ ↦ θd(θ) must increase; the ray must stay in front of the camera (θ < 90°). */
export function equidistantFoldTheta(k: Float64Array): number {
  const slope = (t: number): number => {
    const t2 = t * t;
    return 1 + t2 * (3 * k[0]! + t2 * (5 * k[1]! + t2 * (7 * k[2]! + t2 * 9 * k[3]!)));
  };
  return Math.min(firstNonPositive(slope, Math.PI / 2), Math.PI / 2 - 1e-6);
}

/** First x in (0, limit] where fn(x) <= 0 (geometric scan, then bisection), or `limit` when there is none. */
function firstNonPositive(fn: (x: number) => number, limit: number): number {
  let prev = 0;
  let x = 1e-4;
  while (x < limit) {
    if (!(fn(x) > 0)) {
      let lo = prev;
      let hi = x;
      for (let i = 0; i < 80; i++) {
        const mid = (lo + hi) / 2;
        if (fn(mid) > 0) lo = mid;
        else hi = mid;
      }
      return lo;
    }
    prev = x;
    x = x * 1.002 + 1e-4;
  }
  return limit;
}

/**
 * Forward polynomial model at (x, y). Writes [xd, yd, J00, J01, J10, J11] into `out`.
 * `k` is [k1, k2, p1, p2, k3, k4, k5, k6] (zeros for plumb_bob's missing terms).
 */
export function distortPolynomial(k: Float64Array, x: number, y: number, out: Float64Array): void {
  const k1 = k[0]!, k2 = k[1]!, p1 = k[2]!, p2 = k[3]!, k3 = k[4]!, k4 = k[5]!, k5 = k[6]!, k6 = k[7]!;
  const r2 = x * x + y * y;
  const num = 1 + r2 * (k1 + r2 * (k2 + r2 * k3));
  const den = 1 + r2 * (k4 + r2 * (k5 + r2 * k6));
  const g = num / den;
  const dnum = k1 + r2 * (2 * k2 + 3 * r2 * k3);
  const dden = k4 + r2 * (2 * k5 + 3 * r2 * k6);
  const dg = (dnum * den - num * dden) / (den * den); // dg/d(r²)
  const dgx = 2 * x * dg;
  const dgy = 2 * y * dg;
  out[0] = x * g + 2 * p1 * x * y + p2 * (r2 + 2 * x * x);
  out[1] = y * g + p1 * (r2 + 2 * y * y) + 2 * p2 * x * y;
  out[2] = g + x * dgx + 2 * p1 * y + 6 * p2 * x;
  out[3] = x * dgy + 2 * p1 * x + 2 * p2 * y;
  out[4] = y * dgx + 2 * p1 * x + 2 * p2 * y;
  out[5] = g + y * dgy + 6 * p1 * y + 2 * p2 * x;
}

/**
 * Solves distortPolynomial(x, y) = (xd, yd) for (x, y) with x² + y² < maxR2. `fx`, `fy` convert residuals to
 * pixels. Writes the solution into out[0], out[1]; returns false when there is none in the valid region.
 * `scratch` needs 6 entries.
 */
export function undistortPolynomial(
  k: Float64Array,
  maxR2: number,
  fx: number,
  fy: number,
  xd: number,
  yd: number,
  out: Float64Array,
  scratch: Float64Array,
): boolean {
  let x = xd;
  let y = yd;
  const startR2 = x * x + y * y;
  if (startR2 >= maxR2) {
    const s = Math.sqrt((0.5 * maxR2) / startR2);
    x *= s;
    y *= s;
  }
  let prevErr = Infinity;
  let px = x, py = y, pdx = 0, pdy = 0;
  let lambda = 1;
  let bestErr = Infinity, bestX = x, bestY = y;
  const stop2 = STOP_PX * STOP_PX;
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    distortPolynomial(k, x, y, scratch);
    const ex = scratch[0]! - xd;
    const ey = scratch[1]! - yd;
    const err = (ex * fx) * (ex * fx) + (ey * fy) * (ey * fy);
    const j00 = scratch[2]!, j01 = scratch[3]!, j10 = scratch[4]!, j11 = scratch[5]!;
    const det = j00 * j11 - j01 * j10;
    if (err < bestErr && det > 0) {
      bestErr = err;
      bestX = x;
      bestY = y;
    }
    if (err <= stop2) break;
    if (err >= prevErr) {
      // The full Newton step did not reduce the residual: backtrack along it.
      lambda *= 0.5;
      if (lambda < 1e-8) break;
      x = px - lambda * pdx;
      y = py - lambda * pdy;
      continue;
    }
    if (!(det > 0)) return false; // past the fold (or degenerate): no trustworthy inverse here
    pdx = (j11 * ex - j01 * ey) / det;
    pdy = (j00 * ey - j10 * ex) / det;
    px = x;
    py = y;
    prevErr = err;
    lambda = 1;
    x = px - pdx;
    y = py - pdy;
    // Keep the iterate inside the one-to-one disc.
    while (x * x + y * y >= maxR2 && lambda > 1e-8) {
      lambda *= 0.5;
      x = px - lambda * pdx;
      y = py - lambda * pdy;
    }
  }
  if (!(bestErr <= ACCEPT_PX * ACCEPT_PX) || bestX * bestX + bestY * bestY >= maxR2) return false;
  out[0] = bestX;
  out[1] = bestY;
  return true;
}

/** θd(θ) and its derivative. */
function equidistantThetaD(k: Float64Array, t: number): number {
  const t2 = t * t;
  return t * (1 + t2 * (k[0]! + t2 * (k[1]! + t2 * (k[2]! + t2 * k[3]!))));
}

/** Forward equidistant model; returns false when the ray is not in front of the camera's valid cone. */
export function distortEquidistant(k: Float64Array, maxTheta: number, x: number, y: number, out: Float64Array): boolean {
  const r = Math.sqrt(x * x + y * y);
  const theta = Math.atan(r);
  if (theta >= maxTheta) return false;
  const scale = r > 1e-12 ? equidistantThetaD(k, theta) / r : 1;
  out[0] = x * scale;
  out[1] = y * scale;
  return true;
}

/** Inverse of distortEquidistant: 1-D safeguarded Newton on θd(θ) over [0, maxTheta). */
export function undistortEquidistant(
  k: Float64Array,
  maxTheta: number,
  fMax: number,
  xd: number,
  yd: number,
  out: Float64Array,
): boolean {
  const thetaD = Math.sqrt(xd * xd + yd * yd);
  if (thetaD < 1e-15) {
    out[0] = xd;
    out[1] = yd;
    return true;
  }
  if (thetaD >= equidistantThetaD(k, maxTheta)) return false;
  let lo = 0;
  let hi = maxTheta;
  let t = Math.min(thetaD, 0.5 * (lo + hi));
  const stop = STOP_PX / fMax;
  let converged = false;
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    const t2 = t * t;
    const h = t * (1 + t2 * (k[0]! + t2 * (k[1]! + t2 * (k[2]! + t2 * k[3]!)))) - thetaD;
    if (Math.abs(h) <= stop * Math.max(1, thetaD)) {
      converged = true;
      break;
    }
    if (h > 0) hi = t;
    else lo = t;
    const dh = 1 + t2 * (3 * k[0]! + t2 * (5 * k[1]! + t2 * (7 * k[2]! + t2 * 9 * k[3]!)));
    let next = t - h / dh;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi); // Newton left the bracket: bisect
    t = next;
  }
  if (!converged || t >= maxTheta) return false;
  const scale = Math.tan(t) / thetaD;
  out[0] = xd * scale;
  out[1] = yd * scale;
  return true;
}
