// Pixel + depth -> point in the camera optical frame. Depth is Z along the optical axis (what depth cameras
// publish), not the range along the ray: p = (x·Z, y·Z, Z) for the undistorted ray (x, y, 1).
import type { Vec3 } from './types.js';
import type { CameraModel } from './camera-model.js';
import type { DepthImage, DepthSample } from './depth-image.js';

/** Null when the depth is not a positive finite number or the pixel cannot be undistorted. */
export function backproject(model: CameraModel, u: number, v: number, depthM: number): Vec3 | null {
  if (!(depthM > 0) || depthM === Infinity) return null;
  const ray = model.undistort(u, v);
  if (!ray) return null;
  return { x: ray.x * depthM, y: ray.y * depthM, z: depthM };
}

/**
 * A colour pixel and window radius on the depth image's grid (aligned depth may have another resolution): pixel
 * centres map as u_d = (u + 0.5)·sx − 0.5 with sx = W_d / W, and the radius scales by the larger factor.
 */
export function onDepthGrid(
  model: CameraModel,
  depth: DepthImage,
  u: number,
  v: number,
  radius: number,
): { du: number; dv: number; radius: number; sx: number; sy: number } {
  const sx = depth.width / model.width;
  const sy = depth.height / model.height;
  if (sx === 1 && sy === 1) return { du: u, dv: v, radius, sx, sy };
  return { du: (u + 0.5) * sx - 0.5, dv: (v + 0.5) * sy - 0.5, radius: Math.round(radius * Math.max(sx, sy)), sx, sy };
}

/** Whether an image of aw×ah can be mapped onto one of bw×bh by scaling alone (the same field of view at another
 * resolution): the aspect ratios agree within 1 %. onDepthGrid's mapping is only right when they do. */
export function sameAspect(aw: number, ah: number, bw: number, bh: number): boolean {
  return Math.abs(aw / ah - bw / bh) / (bw / bh) <= 0.01;
}

export type LiftResult =
  | { status: 'ok'; point: Vec3; sample: DepthSample }
  | { status: 'outside_image' | 'undistort_failed' | 'no_depth'; reason: string };

/**
 * Lifts a raw pixel of the colour image to a 3D point using the aligned depth image. When the depth image has
 * another resolution than the model (aligned but resized), the pixel and window are mapped onto the depth grid
 * (onDepthGrid).
 */
export function liftPixel(
  model: CameraModel,
  depth: DepthImage,
  u: number,
  v: number,
  opts: { windowRadius: number; minValidRatio?: number },
): LiftResult {
  if (!Number.isFinite(u) || !Number.isFinite(v) || !model.contains(u, v)) {
    return { status: 'outside_image', reason: `pixel (${u}, ${v}) is outside the ${model.width}×${model.height} image` };
  }
  const ray = model.undistort(u, v);
  if (!ray) {
    return {
      status: 'undistort_failed',
      reason: `pixel (${u}, ${v}) lies outside the valid region of the ${model.distortionModel} lens model`,
    };
  }
  const { du, dv, radius } = onDepthGrid(model, depth, u, v, opts.windowRadius);
  const sample = depth.sample(du, dv, radius);
  if (!sample) {
    return { status: 'no_depth', reason: `no valid depth within ${radius} px of (${u}, ${v})` };
  }
  const minValid = opts.minValidRatio ?? 0;
  if (sample.validRatio < minValid) {
    return {
      status: 'no_depth',
      reason: `only ${(sample.validRatio * 100).toFixed(0)}% of the depth window around (${u}, ${v}) is valid (need ${(minValid * 100).toFixed(0)}%)`,
    };
  }
  const z = sample.depthM;
  return { status: 'ok', point: { x: ray.x * z, y: ray.y * z, z }, sample };
}
