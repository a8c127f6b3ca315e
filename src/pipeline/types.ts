import type { CameraInfo, ColorImage, Header, ObjectExtent, Pose, RawImage, TransformStamped, Vec3 } from '../geometry/types.js';
import type { PixelBox, PixelPoint, PointerHealth } from '../pointing/types.js';

/** One message from a source (ROS topics, an MCAP replay, image files), as the pipeline ingests it. */
export type SourceEvent =
  | { kind: 'color'; header: Header; image: ColorImage }
  | { kind: 'depth'; header: Header; image: RawImage }
  | { kind: 'camera_info'; header: Header; info: CameraInfo }
  | { kind: 'tf'; transforms: TransformStamped[]; isStatic: boolean };

/** A consistent set of colour, depth and camera info taken together (synchronised by header stamp). */
export interface FrameSnapshot {
  /** Increasing number of synced snapshots. */
  seq: number;
  /** The colour image's capture stamp: every output derived from this snapshot carries it. */
  stampNs: bigint;
  /** The colour camera's optical frame (CameraInfo/colour header frame_id). */
  frameId: string;
  color: ColorImage;
  depth: RawImage;
  depthStampNs: bigint;
  /** The depth image's header frame_id (must equal `frameId`: depth aligned to the colour camera). */
  depthFrameId?: string;
  cameraInfo: CameraInfo;
  /** Wall-clock ms (the bridge's clock) when the snapshot was completed. */
  receivedAtMs: number;
}

export type RequestMode = 'point' | 'pick' | 'navigate';

/** "Point at X": either a text query for the pointer or explicit pixels (operator click, --pixel). */
export interface PointRequest {
  id: string;
  query?: string;
  pixels?: { u: number; v: number; label?: string }[];
  mode: RequestMode;
  /** Frame to express waypoints in; defaults to the configured target frame. */
  targetFrame?: string;
  maxPoints?: number;
  /** Overall deadline in ms from submission; defaults to the configured request timeout. */
  deadlineMs?: number;
  /** Use this snapshot (e.g. the frame the operator clicked on) instead of the latest, if still held. */
  frameSeq?: number;
  /** point and pick: a free-space target this far above the object's point along the target frame's +Z, m
   * (placing, hovering); defaults to targets.offset_above_m; 0 = on the surface. */
  offsetAboveM?: number;
}

/** Every request ends in exactly one of these. */
export const RESULT_STATUSES = [
  'ok',
  'bad_request',
  'no_frame',
  'stale_frame',
  'bad_input',
  'model_error',
  'model_timeout',
  'no_points',
  'no_depth',
  'tf_error',
  'out_of_workspace',
  'cancelled',
  'deadline_exceeded',
  'internal_error',
] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export const STAGES = ['snapshot', 'point', 'lift', 'transform', 'target', 'validate'] as const;
export type Stage = (typeof STAGES)[number];

export interface Waypoint {
  /** Rank after the selection policy, 0 = best. */
  rank: number;
  label: string;
  pixel: { u: number; v: number };
  /** The lifted point in the camera optical frame. */
  cameraPoint: Vec3;
  /** The point in `frameId`. */
  point: Vec3;
  /** point mode: position with identity orientation; pick: grasp pose; navigate: stand-off pose on the floor. */
  pose: Pose;
  /** pick only: pose backed off along the approach axis by the pre-grasp distance. */
  preGraspPose: Pose | null;
  /** Unit surface normal in `frameId` (pointing toward the camera), when it could be estimated. */
  normal: Vec3 | null;
  frameId: string;
  /** The image's capture stamp. */
  stampNs: bigint;
  depthM: number;
  validRatio: number;
  depthSpreadM: number;
  /** 0..1, higher is better (depth validity, normal quality). */
  quality: number;
  /** The pointer's box for this point, when it gave one (pixel grid of the colour image). */
  box: PixelBox | null;
  /** The object the point lies on (segment from depth), when it could be grown; null otherwise. */
  object: ObjectExtent | null;
  /** 3×3 covariance of `point` in `frameId`, row-major, m²; null when it could not be estimated. */
  covariance: number[] | null;
  /** 'surface': on the object; 'free_space': offset above it (placing, hovering). */
  targetKind: 'surface' | 'free_space';
}

export interface PointResult {
  id: string;
  status: ResultStatus;
  /** Human-readable reason, naming the failed stage; empty when ok unless a fallback was used (it says which). */
  reason: string;
  mode: RequestMode;
  query: string | null;
  targetFrame: string;
  /** Capture stamp of the snapshot used, or null when none was taken. */
  stampNs: bigint | null;
  frameSeq: number | null;
  cameraFrameId: string | null;
  /** The camera's optical frame in `targetFrame` at the capture stamp (the transform the waypoints were made with):
   * where the camera rays start. Null before the transform stage; absent in results recorded before it existed. */
  cameraPose?: Pose | null;
  waypoints: Waypoint[];
  /** Every pixel the pointer returned (also those that produced no waypoint). */
  pixels: PixelPoint[];
  /** Per-pixel outcome, parallel to `pixels`: 'ok' or why it produced no waypoint. */
  pixelStatus: string[];
  rawText: string;
  model: string;
  /** ms per stage, plus `total`. */
  timings: Partial<Record<Stage, number>> & { total: number };
  /** Set when TF at the capture stamp was unavailable and the latest transform was used (configured fallback). */
  tfFallback: boolean;
}

export interface Progress {
  id: string;
  stage: Stage;
  state: 'start' | 'done';
  atMs: number;
}

/** A confirmed result turned into a robot goal (published by the ROS adapter, shown in the console). */
export interface DispatchedGoal {
  resultId: string;
  waypointIndex: number;
  mode: RequestMode;
  frameId: string;
  stampNs: bigint;
  pose: Pose;
  preGraspPose: Pose | null;
  label: string;
  by: string;
  atMs: number;
}

/**
 * How a dispatched goal is getting on, as the adapter carrying it reports it (the ROS node's Nav2 NavigateToPose
 * action client: its feedback and result). 'sending' → 'active' → 'succeeded' | 'canceled' | 'aborted'; or
 * 'unavailable' (no action server), 'rejected' (the server refused it), 'failed' (the client could not send it).
 */
export interface GoalExecution {
  resultId: string;
  waypointIndex: number;
  /** What carries the goal, e.g. the action's resolved name `/navigate_to_pose`. */
  via: string;
  state: 'sending' | 'unavailable' | 'rejected' | 'failed' | 'active' | 'canceling' | 'succeeded' | 'canceled' | 'aborted';
  /** From the latest feedback (null before the first): metres left, recoveries run, seconds driven and left. */
  distanceRemainingM: number | null;
  recoveries: number | null;
  navigationTimeS: number | null;
  estimatedTimeRemainingS: number | null;
  /** action_msgs/GoalStatus of the ended goal (4 succeeded, 5 canceled, 6 aborted); null while it runs. */
  statusCode: number | null;
  /** Nav2's result error_code (Jazzy and later; 0 = none); null when the result has none (Humble). */
  errorCode: number | null;
  /** What happened, in words (Nav2's error_msg when it gave one). */
  message: string;
  /** The bridge's clock (ms) at this report. */
  atMs: number;
}

export interface InputHealth {
  count: number;
  rateHz: number;
  ageMs: number | null;
}

export interface Health {
  inputs: Record<'color' | 'depth' | 'camera_info' | 'tf' | 'synced', InputHealth>;
  tf: { frames: string[]; targetFrame: string; targetFrameConnected: boolean; latestAgeMs: number | null };
  model: PointerHealth | null;
  latencyMs: { count: number; p50: number | null; p90: number | null; p99: number | null };
  requests: { inFlight: number; total: number; byStatus: Partial<Record<ResultStatus, number>> };
  dropped: { sync: number };
}
