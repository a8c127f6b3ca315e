import { DEFAULT_DEPTH_NOISE, type DepthNoiseModel } from '../geometry/depth-noise.js';
import type { Vec3 } from '../geometry/types.js';
import type { Stage } from './types.js';

// The bridge's own settings (camelCase, already validated). src/config/ turns the YAML file, flags and environment
// into this; tests build it with defaultConfig() and override what they need.

export type SyncPolicy = 'exact' | 'approximate';
/** 'stamp': camera info must carry the images' stamp (within the slop); 'latest': prefer that, else the latest camera
 * info of the colour frame (drivers that publish it once, latched, or at a lower rate). */
export type CameraInfoPolicy = 'stamp' | 'latest';
export type SelectionPolicy = 'first' | 'closest' | 'best_depth';
/** What a waypoint's point is: the pointed surface point, the object's visible centroid, or its box's top centre. */
export type PickPoint = 'surface' | 'centroid' | 'top';

export interface WorkspaceBox {
  /** Frame the box is expressed in; empty = the request's target frame. */
  frame: string;
  min: Vec3;
  max: Vec3;
}

export interface BridgeConfig {
  frames: {
    /** Default frame for point and pick waypoints. */
    target: string;
    /** Frame whose z = 0 plane is the floor for navigate goals (and their default frame). */
    navigation: string;
    /** The robot's base: navigate stand-offs are measured along the line from it to the object. */
    robot: string;
  };
  sync: {
    policy: SyncPolicy;
    /** Largest colour/depth (and camera info) stamp difference accepted by the approximate policy. */
    slopMs: number;
    /** Unmatched messages kept per input; the oldest is dropped (and counted) when full. */
    queueSize: number;
    cameraInfo: CameraInfoPolicy;
  };
  camera: {
    /** The colour topic is rectified (image_rect*): lift with the projection matrix P instead of K and D. */
    rectified: boolean;
  };
  store: {
    /** Synced snapshots kept (requests may name one by seq, e.g. the frame an operator clicked on). */
    size: number;
    /** A request for the latest frame fails with stale_frame when the newest snapshot is older than this. */
    maxAgeMs: number;
  };
  depth: {
    /** Half size of the square depth window sampled around a pixel (0 = the pixel alone). */
    windowRadius: number;
    /** Share of valid depth pixels in the window needed to accept a sample. */
    minValidRatio: number;
    /** Accepted depth range along the optical axis, metres; outside it the pixel counts as having no depth. */
    minM: number;
    maxM: number;
    /** Half size of the window used to estimate the surface normal for pick poses. */
    normalRadius: number;
    /** The sensor's depth noise σz(z) = baseM + perM2·z² (segmentation thresholds and uncertainty). */
    noise: DepthNoiseModel;
  };
  segment: {
    /** Grow each waypoint's object over the depth image (box, centroid, size). */
    enabled: boolean;
    /** Largest object: pixels farther than this from the pointed point are not part of it, metres. */
    maxSizeM: number;
  };
  uncertainty: {
    /** The pointer's pixel error (1 σ) for model answers, px (the backend's; config resolves it). */
    pointingPx: number;
    /** ...and for explicit pixels (operator clicks, --pixel). */
    clickPx: number;
    /** The extrinsic calibration's accuracy (1 σ): translation, m; rotation, rad. */
    calibrationM: number;
    calibrationRad: number;
  };
  targets: {
    /** navigate: distance of the goal short of the object, metres (horizontal). */
    standoffM: number;
    /** pick: pre-grasp pose backed off along the approach axis by this much, metres (0 = no pre-grasp pose). */
    preGraspM: number;
    selection: SelectionPolicy;
    /** Default cap on waypoints per request. */
    maxPoints: number;
    /** Most points of one answer that are lifted (in the model's order); the rest are 'over_max_candidates'. Lifting
     * is synchronous, so an answer with thousands of points would otherwise block the event loop. */
    maxCandidates: number;
    /** point and pick: the waypoint's point on the object (needs the segment for 'centroid' and 'top'). */
    pickPoint: PickPoint;
    /** point and pick: place the waypoint this far above the point along the target frame's +Z (a free-space
     * target: placing, hovering) unless the request says; 0 = on the surface. */
    offsetAboveM: number;
  };
  /** Bounds for point and pick waypoints; null = unbounded. */
  workspace: WorkspaceBox | null;
  tf: {
    /** How far from the image's capture stamp a transform may be taken (tf2-style interpolation tolerance). */
    toleranceMs: number;
    /** When TF at the capture stamp is unavailable, use the latest transform instead (result.tfFallback = true). */
    fallbackToLatest: boolean;
  };
  timeouts: {
    /** Overall deadline of a request unless it brings its own. */
    requestMs: number;
    /** Per-stage deadlines. */
    stageMs: Record<Stage, number>;
  };
  dispatch: {
    /** dispatch() refuses a result that finished longer ago than this (the scene, the robot or TF may have moved). */
    maxAgeMs: number;
  };
  /** Recent results kept for dispatch() and the console. */
  resultsKept: number;
  /** Sliding window for the input rates and request latency percentiles in health(). */
  healthWindowMs: number;
}

export function defaultConfig(): BridgeConfig {
  return {
    frames: { target: 'base_link', navigation: 'map', robot: 'base_link' },
    sync: { policy: 'approximate', slopMs: 20, queueSize: 10, cameraInfo: 'latest' },
    camera: { rectified: false },
    store: { size: 10, maxAgeMs: 2000 },
    depth: { windowRadius: 2, minValidRatio: 0.3, minM: 0.1, maxM: 10, normalRadius: 6, noise: { ...DEFAULT_DEPTH_NOISE } },
    segment: { enabled: true, maxSizeM: 0.5 },
    uncertainty: { pointingPx: 8, clickPx: 2, calibrationM: 0.002, calibrationRad: 0.002 },
    targets: { standoffM: 0.6, preGraspM: 0.1, selection: 'first', maxPoints: 10, maxCandidates: 256, pickPoint: 'surface', offsetAboveM: 0 },
    workspace: null,
    tf: { toleranceMs: 50, fallbackToLatest: false },
    timeouts: {
      requestMs: 60000,
      stageMs: { snapshot: 1000, point: 45000, lift: 1000, transform: 1000, target: 1000, validate: 1000 },
    },
    dispatch: { maxAgeMs: 60000 },
    resultsKept: 200,
    healthWindowMs: 5000,
  };
}
