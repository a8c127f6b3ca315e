// The depth sensor's noise model: the standard deviation of one pixel's depth grows with the square of the range,
// σz(z) = baseM + perM2 · z² (stereo and structured-light cameras: σz = z² · σ_disparity / (f · baseline); the
// base term covers quantisation and the floor of a time-of-flight sensor). Segmentation thresholds and the
// waypoint's uncertainty both read it, so one configured model describes the sensor everywhere.

export interface DepthNoiseModel {
  /** Range-independent part of σz, metres. */
  baseM: number;
  /** σz grows by this many metres per square metre of range. */
  perM2: number;
}

/** A RealSense D435-like camera at 848×480 (subpixel 0.08, 50 mm baseline, f ≈ 640 px) with 16-bit mm depth. */
export const DEFAULT_DEPTH_NOISE: Readonly<DepthNoiseModel> = Object.freeze({ baseM: 0.0005, perM2: 0.0025 });

/** σz at depth z (metres). */
export function depthSigma(noise: DepthNoiseModel, z: number): number {
  return noise.baseM + noise.perM2 * z * z;
}
