// Scores the object segment and its box against a synthetic scene's exact ground truth (tests, scripts/eval-synthetic).
import { CameraModel } from '../../src/geometry/camera-model.js';
import type { DepthNoiseModel } from '../../src/geometry/depth-noise.js';
import { DEFAULT_BOX_TRIM, fitOrientedBox, type BoxFit } from '../../src/geometry/oriented-box.js';
import { segmentObject, type ImageBox, type ObjectSegment } from '../../src/geometry/segment.js';
import type { ObjectTruth, Scene } from './synthetic-scene.js';

export interface SegmentScore {
  seg: ObjectSegment;
  fit: BoxFit;
  /** Mask IoU against the exact label mask. */
  iou: number;
  /** Distance of the segment's centroid from the visible surface's exact centroid, m. */
  centroidErrM: number;
  /** Largest difference of the box's sides (x ≥ y horizontal, z up) from the truth's, m. */
  sizeErrM: number;
}

/** Null when no segment grew. The lift's depth at the pointed pixel (r = 2 window) anchors the seed. */
export function scoreObject(scene: Scene, o: ObjectTruth, noise: DepthNoiseModel, box?: ImageBox): SegmentScore | null {
  const model = CameraModel.fromCameraInfo(scene.info);
  const sample = scene.depth.sample(o.pointed.u, o.pointed.v, 2);
  if (!sample) return null;
  const seg = segmentObject(model, scene.depth, o.pointed.u, o.pointed.v, { noise, anchorM: sample.depthM, seedRadius: 2, box });
  if (!seg) return null;
  let inter = 0;
  for (const i of seg.pixels) if (scene.labels[i] === o.id) inter++;
  const fit = fitOrientedBox(seg.points, scene.upInCamera, seg.planes, { trim: DEFAULT_BOX_TRIM });
  const c = fit.centroid;
  const g = o.visibleCentroid;
  const s = fit.box.size;
  const [sx, sy] = s.x >= s.y ? [s.x, s.y] : [s.y, s.x];
  return {
    seg,
    fit,
    iou: inter / (seg.pixels.length + o.pixelCount - inter),
    centroidErrM: Math.hypot(c.x - g.x, c.y - g.y, c.z - g.z),
    sizeErrM: Math.max(Math.abs(sx - o.size.x), Math.abs(sy - o.size.y), Math.abs(s.z - o.size.z)),
  };
}
