import { sameAspect } from '../geometry/backproject.js';
import { CameraInfoError, CameraModel } from '../geometry/camera-model.js';
import { DepthEncodingError, DepthImage } from '../geometry/depth-image.js';
import { ImageDecodeError, colorSize } from '../image/codec.js';
import { StageFailure } from './stage-failure.js';
import type { FrameSnapshot } from './types.js';

// What a request needs from a snapshot besides the pixels: the camera model in the colour image's pixel grid and a
// depth view. Built once per snapshot and shared by every request on it.

export interface PreparedFrame {
  snapshot: FrameSnapshot;
  /** Camera model for the colour image's grid (camera info scaled when only the resolution differs). */
  model: CameraModel;
  depth: DepthImage;
  colorWidth: number;
  colorHeight: number;
}

const cache = new WeakMap<FrameSnapshot, Promise<PreparedFrame>>();

/** Rejects with a bad_input StageFailure naming what does not fit. */
export function prepareFrame(snapshot: FrameSnapshot, rectified: boolean): Promise<PreparedFrame> {
  let prepared = cache.get(snapshot);
  if (!prepared) {
    prepared = build(snapshot, rectified);
    cache.set(snapshot, prepared);
  }
  return prepared;
}

async function build(snapshot: FrameSnapshot, rectified: boolean): Promise<PreparedFrame> {
  if (snapshot.depthFrameId !== undefined && snapshot.depthFrameId !== snapshot.frameId) {
    throw new StageFailure(
      'bad_input',
      `depth frame '${snapshot.depthFrameId}' is not the colour frame '${snapshot.frameId}': depth must be aligned to the colour camera (e.g. aligned_depth_to_color)`,
    );
  }
  let model: CameraModel;
  let depth: DepthImage;
  let size: { width: number; height: number };
  try {
    model = CameraModel.fromCameraInfo(snapshot.cameraInfo, { rectified });
  } catch (err) {
    if (err instanceof CameraInfoError) throw new StageFailure('bad_input', err.message);
    throw err;
  }
  try {
    depth = DepthImage.fromImage(snapshot.depth);
  } catch (err) {
    if (err instanceof DepthEncodingError) throw new StageFailure('bad_input', `depth image: ${err.message}`);
    throw err;
  }
  try {
    size = await colorSize(snapshot.color);
  } catch (err) {
    if (err instanceof ImageDecodeError) throw new StageFailure('bad_input', `colour image: ${err.message}`);
    throw err;
  }
  if (model.width !== size.width || model.height !== size.height) {
    requireSameAspect('camera info', model.width, model.height, 'colour image', size.width, size.height);
    model = model.scaledTo(size.width, size.height);
  }
  if (depth.width !== size.width || depth.height !== size.height) {
    // Lifting maps colour pixels onto the depth grid; that is only right for the same field of view.
    requireSameAspect('depth image', depth.width, depth.height, 'colour image', size.width, size.height);
  }
  return { snapshot, model, depth, colorWidth: size.width, colorHeight: size.height };
}

function requireSameAspect(aName: string, aw: number, ah: number, bName: string, bw: number, bh: number): void {
  if (!sameAspect(aw, ah, bw, bh)) {
    throw new StageFailure(
      'bad_input',
      `${aName} is ${aw}x${ah} but the ${bName} is ${bw}x${bh}: only a change of resolution can be scaled, not a different aspect ratio (crop?)`,
    );
  }
}
