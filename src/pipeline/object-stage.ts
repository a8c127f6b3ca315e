import type { ObjectExtent, Transform, Vec3 } from '../geometry/types.js';
import type { DepthSample } from '../geometry/depth-image.js';
import { traceOutline } from '../geometry/mask-outline.js';
import { DEFAULT_BOX_TRIM, fitOrientedBox, type BoxFit } from '../geometry/oriented-box.js';
import { segmentObject, type ObjectSegment } from '../geometry/segment.js';
import { pointCovariance, rotateCovariance, type PointKind } from '../geometry/uncertainty.js';
import { applyTransform, conjugate, multiplyQuaternions, rotateVector } from '../geometry/transform.js';
import type { PixelPoint } from '../pointing/types.js';
import type { BridgeConfig } from './config.js';
import type { PreparedFrame } from './prepared-frame.js';
import type { RequestMode, Waypoint } from './types.js';
import { add, dot, scale } from './vec.js';

// Per waypoint, after the transform: the object under the point (geometry/segment.ts), its box in the target frame,
// the waypoint's point by the pick mode (targets.pick_point) and the free-space offset, and its covariance.
//
// Up: the target frame's +Z is up (REP 103: base_link, odom, map and every body frame) unless the target frame is
// an optical frame (its name ends in _optical_frame or _optical: +Z is the viewing direction there). Without that,
// a support plane under the object whose normal points up in the image (within 60° of the optical −Y) stands in;
// without either the box takes the points' own principal axes, and 'top' and the offset have no up to use.

/** Samples of the object's points carried for drawing, and outline vertices. */
const SAMPLE_POINTS = 200;
const OUTLINE_POINTS = 64;
/** Fewer member pixels than this are a speckle, not an object. */
const MIN_OBJECT_PIXELS = 10;

export interface ObjectStageInput {
  frame: PreparedFrame;
  pixel: PixelPoint;
  cameraPoint: Vec3;
  sample: DepthSample;
  toTarget: Transform;
  targetFrame: string;
  mode: RequestMode;
  /** The pixel came from the request (an operator click), not from the model. */
  explicit: boolean;
  /** The request's free-space offset (else the configured one). */
  offsetAboveM: number | undefined;
  /** Grow the object (when segment.enabled): the waypoint is among those the request returns. */
  segment: boolean;
}

export type ObjectStageResult = Pick<Waypoint, 'object' | 'covariance' | 'targetKind' | 'point'> & {
  /** Set when the pick mode or the offset could not be applied as configured (the result's reason says so). */
  note: string | null;
};

export function objectStage(config: BridgeConfig, input: ObjectStageInput): ObjectStageResult {
  const { frame, toTarget: T } = input;
  const surface = applyTransform(T, input.cameraPoint);
  const frameUp = isOpticalFrame(input.targetFrame) ? null : rotateVector(conjugate(T.rotation), { x: 0, y: 0, z: 1 });
  const seg = config.segment.enabled && input.segment ? segment(config, input) : null;
  let fit: BoxFit | null = null;
  let up = frameUp;
  if (seg) {
    up ??= supportUp(seg);
    fit = fitOrientedBox(seg.points, up, seg.planes, { trim: DEFAULT_BOX_TRIM });
  }
  const object = seg && fit ? extent(seg, fit, input) : null;

  const notes: string[] = [];
  let chosen = input.cameraPoint;
  let kind: PointKind = { kind: 'surface', fx: frame.model.fx, fy: frame.model.fy, spreadM: input.sample.spreadM };
  const pick = input.mode === 'navigate' ? 'surface' : config.targets.pickPoint;
  if (pick !== 'surface' && !fit) {
    // Points ranked out of the result are not grown, and their waypoints are not returned: no note.
    if (input.segment) notes.push(`targets.pick_point '${pick}' needs the object's segment, none was found: the surface point is used`);
  } else if (pick === 'centroid' && fit) {
    chosen = fit.centroid;
    kind = { kind: 'mean', count: seg!.pixels.length };
  } else if (pick === 'top' && fit && up) {
    chosen = add(fit.box.center.position, scale(up, fit.box.size.z / 2));
    kind = { kind: 'top' };
  } else if (pick === 'top' && fit) {
    chosen = fit.centroid;
    kind = { kind: 'mean', count: seg!.pixels.length };
    notes.push("targets.pick_point 'top' needs an up direction (an optical target frame and no support plane): the centroid is used");
  }
  const pixelPx = input.explicit ? config.uncertainty.clickPx : config.uncertainty.pointingPx;
  const covariance = rotateCovariance(
    T.rotation,
    pointCovariance(chosen, kind, { pointingPx: pixelPx, noise: config.depth.noise, calibrationM: config.uncertainty.calibrationM, calibrationRad: config.uncertainty.calibrationRad }),
  );
  let point = chosen === input.cameraPoint ? surface : applyTransform(T, chosen);
  let targetKind: Waypoint['targetKind'] = 'surface';
  const offset = input.mode === 'navigate' ? 0 : (input.offsetAboveM ?? config.targets.offsetAboveM);
  if (offset > 0) {
    const upInTarget = frameUp ? { x: 0, y: 0, z: 1 } : up ? rotateVector(T.rotation, up) : null;
    if (upInTarget) {
      point = add(point, scale(upInTarget, offset));
      targetKind = 'free_space';
    } else notes.push(`the ${offset} m offset above needs an up direction ('${input.targetFrame}' is an optical frame and no support plane was found): the point stays on the object`);
  }
  return { object, covariance, targetKind, point, note: notes.length > 0 ? notes.join('; ') : null };
}

/** Frames whose +Z is the viewing direction, not up (REP 103's optical frames). */
export function isOpticalFrame(frameId: string): boolean {
  return /_optical(_frame)?$/.test(frameId);
}

function segment(config: BridgeConfig, input: ObjectStageInput): ObjectSegment | null {
  const { model, depth } = input.frame;
  // Snapped or explicit pixels lie inside the image; clamp onto the last pixel centre for the seed search.
  const u = Math.min(Math.max(input.pixel.u, 0), model.width - 1);
  const v = Math.min(Math.max(input.pixel.v, 0), model.height - 1);
  const seg = segmentObject(model, depth, u, v, {
    noise: config.depth.noise,
    anchorM: input.sample.depthM,
    seedRadius: config.depth.windowRadius,
    maxSizeM: config.segment.maxSizeM,
    box: input.pixel.box ?? null,
  });
  return seg && seg.pixels.length >= MIN_OBJECT_PIXELS ? seg : null;
}

/** The largest support plane whose normal points up in the image (optical −Y within 60°), or null. */
function supportUp(seg: ObjectSegment): Vec3 | null {
  for (const p of seg.planes) if (dot(p.normal, { x: 0, y: -1, z: 0 }) > 0.5) return p.normal;
  return null;
}

function extent(seg: ObjectSegment, fit: BoxFit, input: ObjectStageInput): ObjectExtent {
  const T = input.toTarget;
  const { model } = input.frame;
  const sx = seg.width / model.width;
  const sy = seg.height / model.height;
  // Depth-grid pixel centre -> colour-grid pixel (onDepthGrid inverted).
  const toColor = (i: number) => {
    const c = i % seg.width;
    return { u: (c + 0.5) / sx - 0.5, v: ((i - c) / seg.width + 0.5) / sy - 0.5 };
  };
  const mask = new Uint8Array(seg.width * seg.height);
  let first = seg.pixels[0]!;
  for (const i of seg.pixels) {
    mask[i] = 1;
    if (i < first) first = i;
  }
  const boundary = traceOutline(mask, seg.width, seg.height, first);
  const outlineStep = Math.max(1, Math.ceil(boundary.length / OUTLINE_POINTS));
  const outline = boundary.filter((_, k) => k % outlineStep === 0).map(toColor);
  const n = seg.pixels.length;
  const sampleStep = Math.max(1, Math.ceil(n / SAMPLE_POINTS));
  const samplePoints: Vec3[] = [];
  for (let k = 0; k < n; k += sampleStep) {
    samplePoints.push(applyTransform(T, { x: seg.points[3 * k]!, y: seg.points[3 * k + 1]!, z: seg.points[3 * k + 2]! }));
  }
  const b = seg.bounds;
  const lo = toColor(b.r0 * seg.width + b.c0);
  const hi = toColor(b.r1 * seg.width + b.c1);
  return {
    centroid: applyTransform(T, fit.centroid),
    box: {
      center: { position: applyTransform(T, fit.box.center.position), orientation: multiplyQuaternions(T.rotation, fit.box.center.orientation) },
      size: fit.box.size,
    },
    pointCount: n,
    validShare: seg.validShare,
    maskBox: { u0: lo.u, v0: lo.v, u1: hi.u, v1: hi.v },
    outline,
    samplePoints,
  };
}
