// Every setting of the ROS node as a declared parameter with a description, and the mapping from parameter values
// to the bridge's config, the Molmo client's options and the node's own settings. Defaults come from the base
// config handed in (the YAML file / flags the CLI read), so a params file overrides the config file, which
// overrides the built-in defaults. Names are snake_case and dotted like the YAML (`sync.slop_ms`).
import type { BridgeConfig, CameraInfoPolicy, PickPoint, SelectionPolicy, SyncPolicy } from '../pipeline/config.js';
import type { GoalStampPolicy } from '../messages/outputs.js';
import type { RequestMode, Stage } from '../pipeline/types.js';
import { STAGES } from '../pipeline/types.js';
import { BALANCE_POLICIES, type BalancePolicy } from '../pointing/endpoint-pool.js';
import { FAMILY_NAMES, type FamilyName } from '../pointing/families/names.js';
import type { DurabilityPolicy, ParameterSpec, ParameterValue, ReliabilityPolicy, RosNode } from './types.js';

export type ColorTransport = 'raw' | 'compressed';

/** Options for the Molmo client (structurally the pointing layer's MolmoPointerOptions); the CLI builds it. */
export interface MolmoSettings {
  endpoints: string[];
  /** Empty = ask each server (GET /v1/models). */
  model?: string;
  family: FamilyName;
  /** Several endpoints: 'failover' (first healthy) or 'least_loaded'. */
  balance?: BalancePolicy;
  maxSide?: number;
  maxTokens?: number;
  timeoutMs?: number;
  retries?: number;
  concurrency?: number;
  prompt?: string;
  /** model.backend 'detector' (the bundled detector, not the Molmo client): run.ts hands these to it. */
  detector?: { minScore: number; cacheDir: string };
}

/** The node's own settings (what is not the bridge's or the model's). */
export interface RosNodeSettings {
  colorTopic: string;
  colorTransport: ColorTransport;
  depthTopic: string;
  cameraInfoTopic: string;
  imageReliability: ReliabilityPolicy;
  imageQueueDepth: number;
  /** 'transient_local' receives a camera info published once (latched) before the node started. */
  cameraInfoDurability: Extract<DurabilityPolicy, 'volatile' | 'transient_local'>;
  queryTopic: string;
  defaultMode: RequestMode;
  autoDispatch: boolean;
  publishNavGoal: boolean;
  navGoalTopic: string;
  navGoalStamp: GoalStampPolicy;
  /** Nav2's NavigateToPose action for navigate goals when nav2_msgs is available; '' = always nav_goal_topic. */
  nav2Action: string;
  /** Where moveit_msgs/CollisionObject goes: ~/collision_objects, or /collision_object for MoveIt's scene. */
  collisionObjectsTopic: string;
  handEyeCalibration: string;
  handEyeAttachFrame: string;
  staticTransforms: string;
  diagnosticsPeriodS: number;
  staleInputMs: number;
  markerLifetimeS: number;
}

export interface RosSettings {
  bridge: BridgeConfig;
  molmo: MolmoSettings;
  node: RosNodeSettings;
}

export const DEFAULT_NODE_SETTINGS: RosNodeSettings = {
  // A RealSense-style layout under /camera (the bundled demo recording's); realsense2_camera 4.x publishes under
  // /camera/camera by default (its camera_namespace and camera_name are both 'camera'): the launch file's
  // camera_namespace argument sets all three.
  colorTopic: '/camera/color/image_raw',
  colorTransport: 'raw',
  depthTopic: '/camera/aligned_depth_to_color/image_raw',
  cameraInfoTopic: '/camera/color/camera_info',
  imageReliability: 'best_effort',
  imageQueueDepth: 5,
  cameraInfoDurability: 'volatile',
  queryTopic: '~/point_at',
  defaultMode: 'point',
  autoDispatch: false,
  publishNavGoal: false,
  navGoalTopic: '/goal_pose',
  navGoalStamp: 'zero',
  nav2Action: 'navigate_to_pose',
  collisionObjectsTopic: '~/collision_objects',
  handEyeCalibration: '',
  handEyeAttachFrame: '',
  staticTransforms: '',
  diagnosticsPeriodS: 1,
  staleInputMs: 1000,
  markerLifetimeS: 0,
};

/** The bundled detector's defaults (src/pointing/detector/detector-pointer.ts; empty cache_dir = the default place). */
const DEFAULT_DETECTOR: Readonly<NonNullable<MolmoSettings['detector']>> = Object.freeze({ minScore: 0.3, cacheDir: '' });

/** The Molmo client's own defaults (src/pointing/molmo-client.ts) and the detector's, declared as the parameters' defaults. */
export const DEFAULT_MOLMO_SETTINGS: MolmoSettings = {
  endpoints: [],
  family: 'molmo',
  balance: 'failover',
  maxTokens: 1024,
  timeoutMs: 15000,
  retries: 2,
  concurrency: 8,
  detector: { ...DEFAULT_DETECTOR },
};

/** A parameter: its declaration, its default from the base settings, and where its value goes. */
interface ParameterDef {
  spec: Omit<ParameterSpec, 'default'>;
  get(base: RosSettings): ParameterValue;
  set(out: RosSettings, value: ParameterValue): void;
  /**
   * Dynamic parameters only (the others are declared read_only): carries this parameter's effect from freshly
   * validated settings over to the running ones, which the bridge and the node read at each request or result.
   */
  apply?(live: RosSettings, next: RosSettings): void;
}

/** Thrown when a parameter value is of the right type but not acceptable (unknown enum, bad range). */
export class ParameterValueError extends Error {
  constructor(name: string, detail: string) {
    super(`parameter '${name}' ${detail}`);
    this.name = 'ParameterValueError';
  }
}

function oneOf<T extends string>(name: string, allowed: readonly T[], v: ParameterValue): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ParameterValueError(name, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

function num(name: string, v: ParameterValue, min: number, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new ParameterValueError(name, `must be a number in [${min}, ${max === Infinity ? '∞' : max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

function vec3(name: string, v: ParameterValue): { x: number; y: number; z: number } {
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new ParameterValueError(name, `must be [x, y, z], got ${JSON.stringify(v)}`);
  }
  const [x, y, z] = v as number[];
  return { x: x!, y: y!, z: z! };
}

const str = (v: ParameterValue) => String(v);
const bool = (v: ParameterValue) => v === true;

function p(
  name: string,
  type: ParameterSpec['type'],
  description: string,
  get: (b: RosSettings) => ParameterValue,
  set: (o: RosSettings, v: ParameterValue, name: string) => void,
  constraints?: string,
): ParameterDef {
  return { spec: { name, type, description, ...(constraints ? { constraints } : {}), readOnly: true }, get, set: (o, v) => set(o, v, name) };
}

/** Marks a parameter dynamic: `ros2 param set` changes it at runtime (validated like at start). */
function live(d: ParameterDef, apply: ParameterDef['apply'] = (l, n) => d.set(l, d.get(n))): ParameterDef {
  return { ...d, spec: { ...d.spec, readOnly: false }, apply };
}

/** The workspace box is one setting made of four parameters: whichever changed, the whole box is replaced. */
const applyWorkspace: ParameterDef['apply'] = (l, n) => void (l.bridge.workspace = n.bridge.workspace ? structuredClone(n.bridge.workspace) : null);

const MODES = ['point', 'pick', 'navigate'] as const;
const STAMP_POLICIES = ['zero', 'now', 'capture'] as const;
const PICK_POINTS: readonly PickPoint[] = ['surface', 'centroid', 'top'];

// timeouts.point_ms is read at start: the model client's per-attempt timeout is fitted to it then (run.ts).
const STAGE_PARAMETERS: ParameterDef[] = STAGES.map((stage: Stage) => {
  const d = p(`timeouts.${stage}_ms`, 'double', `Deadline of the '${stage}' stage of a request, ms; the result names the stage that ran out.`, (b) => b.bridge.timeouts.stageMs[stage], (o, v, n) => void (o.bridge.timeouts.stageMs[stage] = num(n, v, 1)), '> 0');
  return stage === 'point' ? d : live(d);
});

/** All parameters, in the order they are declared (and documented in docs/ros.md). */
export const PARAMETERS: ParameterDef[] = [
  // Inputs
  p('topics.color', 'string', 'Colour image topic (sensor_msgs/Image; with topics.color_transport compressed, <topics.color>/compressed is subscribed).', (b) => b.node.colorTopic, (o, v) => void (o.node.colorTopic = str(v))),
  p('topics.color_transport', 'string', "'raw' (sensor_msgs/Image) or 'compressed' (sensor_msgs/CompressedImage on <topics.color>/compressed, image_transport naming).", (b) => b.node.colorTransport, (o, v, n) => void (o.node.colorTransport = oneOf(n, ['raw', 'compressed'], v)), 'one of: raw, compressed'),
  p('topics.depth', 'string', 'Depth image aligned to the colour camera (sensor_msgs/Image, 16UC1/mono16 mm or 32FC1 m).', (b) => b.node.depthTopic, (o, v) => void (o.node.depthTopic = str(v))),
  p('topics.camera_info', 'string', "The colour camera's sensor_msgs/CameraInfo.", (b) => b.node.cameraInfoTopic, (o, v) => void (o.node.cameraInfoTopic = str(v))),
  p('topics.query', 'string', 'std_msgs/String topic: each message is a query run in default_mode.', (b) => b.node.queryTopic, (o, v) => void (o.node.queryTopic = str(v))),
  p('qos.image_reliability', 'string', "Reliability requested for colour, depth and camera info: 'best_effort' (sensor data; matches reliable and best-effort publishers) or 'reliable' (matches reliable publishers only).", (b) => b.node.imageReliability, (o, v, n) => void (o.node.imageReliability = oneOf(n, ['best_effort', 'reliable'], v)), 'one of: best_effort, reliable'),
  p('qos.image_depth', 'integer', 'Queue depth (keep last N) of the camera subscriptions.', (b) => b.node.imageQueueDepth, (o, v, n) => void (o.node.imageQueueDepth = num(n, v, 1, 1000)), '1..1000'),
  p('qos.camera_info_durability', 'string', "Durability requested for camera info: 'volatile' (matches every publisher; a camera info published once before the node started is missed) or 'transient_local' (also receives a latched one; requested reliable too, and matches only reliable transient-local publishers).", (b) => b.node.cameraInfoDurability, (o, v, n) => void (o.node.cameraInfoDurability = oneOf(n, ['volatile', 'transient_local'], v)), 'one of: volatile, transient_local'),
  // Frames
  live(p('frames.target', 'string', 'Frame of point and pick waypoints unless a request names one.', (b) => b.bridge.frames.target, (o, v) => void (o.bridge.frames.target = str(v)))),
  live(p('frames.navigation', 'string', "Global frame of navigate goals (its z = 0 plane is the floor), usually Nav2's 'map'.", (b) => b.bridge.frames.navigation, (o, v) => void (o.bridge.frames.navigation = str(v)))),
  live(p('frames.robot', 'string', 'The robot base: navigate stand-offs lie on the line from it to the object; targets.selection closest ranks by distance from it.', (b) => b.bridge.frames.robot, (o, v) => void (o.bridge.frames.robot = str(v)))),
  // Sync and frame store
  p('sync.policy', 'string', "Pairing of colour, depth and camera info by header stamp: 'exact' or 'approximate' (within sync.slop_ms).", (b) => b.bridge.sync.policy, (o, v, n) => void (o.bridge.sync.policy = oneOf<SyncPolicy>(n, ['exact', 'approximate'], v)), 'one of: exact, approximate'),
  p('sync.slop_ms', 'double', 'Largest stamp difference the approximate policy pairs, ms.', (b) => b.bridge.sync.slopMs, (o, v, n) => void (o.bridge.sync.slopMs = num(n, v, 0))),
  p('sync.queue_size', 'integer', 'Unmatched messages kept per input before the oldest is dropped (and counted).', (b) => b.bridge.sync.queueSize, (o, v, n) => void (o.bridge.sync.queueSize = num(n, v, 1))),
  p('sync.camera_info', 'string', "'stamp': camera info must carry the images' stamp; 'latest': else the latest one (drivers that publish it latched or slower).", (b) => b.bridge.sync.cameraInfo, (o, v, n) => void (o.bridge.sync.cameraInfo = oneOf<CameraInfoPolicy>(n, ['stamp', 'latest'], v)), 'one of: stamp, latest'),
  p('camera.rectified', 'bool', 'The colour topic is rectified (image_rect): lift pixels with the projection matrix P instead of K and D.', (b) => b.bridge.camera.rectified, (o, v) => void (o.bridge.camera.rectified = bool(v))),
  p('store.size', 'integer', 'Synced snapshots kept (a request may name one by sequence number).', (b) => b.bridge.store.size, (o, v, n) => void (o.bridge.store.size = num(n, v, 1))),
  live(p('store.max_age_ms', 'double', 'A request fails with stale_frame when the newest snapshot is older than this, ms.', (b) => b.bridge.store.maxAgeMs, (o, v, n) => void (o.bridge.store.maxAgeMs = num(n, v, 0)))),
  // Depth
  live(p('depth.window_radius', 'integer', 'Half size of the square depth window sampled around a pixel (0 = the pixel alone).', (b) => b.bridge.depth.windowRadius, (o, v, n) => void (o.bridge.depth.windowRadius = num(n, v, 0, 100)))),
  live(p('depth.min_valid_ratio', 'double', 'Share of valid depth pixels the window needs.', (b) => b.bridge.depth.minValidRatio, (o, v, n) => void (o.bridge.depth.minValidRatio = num(n, v, 0, 1)), '0..1')),
  live(p('depth.min_m', 'double', 'Nearest accepted depth along the optical axis, m.', (b) => b.bridge.depth.minM, (o, v, n) => void (o.bridge.depth.minM = num(n, v, 0)))),
  live(p('depth.max_m', 'double', 'Farthest accepted depth along the optical axis, m.', (b) => b.bridge.depth.maxM, (o, v, n) => void (o.bridge.depth.maxM = num(n, v, 0)))),
  live(p('depth.normal_radius', 'integer', 'Half size of the window for surface normals (pick approach).', (b) => b.bridge.depth.normalRadius, (o, v, n) => void (o.bridge.depth.normalRadius = num(n, v, 1, 100)))),
  live(p('depth.noise_base_m', 'double', "The depth sensor's noise σz(z) = depth.noise_base_m + depth.noise_per_m2·z²: its range-independent part, m (segmentation thresholds, uncertainty).", (b) => b.bridge.depth.noise.baseM, (o, v, n) => void (o.bridge.depth.noise.baseM = num(n, v, 0)))),
  live(p('depth.noise_per_m2', 'double', 'σz growth per square metre of range, m/m² (0.0025 ≈ a RealSense D435; ≈ 0.0014 Kinect v1 / Xtion).', (b) => b.bridge.depth.noise.perM2, (o, v, n) => void (o.bridge.depth.noise.perM2 = num(n, v, 0)))),
  // Object segment and uncertainty
  live(p('segment.enabled', 'bool', "Grow each waypoint's object over the depth image: mask, oriented box, centroid, size (docs/geometry.md).", (b) => b.bridge.segment.enabled, (o, v) => void (o.bridge.segment.enabled = bool(v)))),
  live(p('segment.max_size_m', 'double', 'Largest object: depth pixels farther than this from the pointed point are not part of it, m.', (b) => b.bridge.segment.maxSizeM, (o, v, n) => void (o.bridge.segment.maxSizeM = num(n, v, 0.001)), '>= 0.001')),
  // One value for the model's points: the config resolves pointing_px_molmo or pointing_px_onnx by model.backend.
  live(p('uncertainty.pointing_px', 'double', "Pixel error (1 σ) of the model's points, px (the waypoint covariance's pointing term); default: the config's uncertainty.pointing_px_molmo or uncertainty.pointing_px_onnx, by model.backend.", (b) => b.bridge.uncertainty.pointingPx, (o, v, n) => void (o.bridge.uncertainty.pointingPx = num(n, v, 0)))),
  live(p('uncertainty.pointing_px_click', 'double', 'Pixel error (1 σ) of explicit pixels (operator clicks, request pixels), px.', (b) => b.bridge.uncertainty.clickPx, (o, v, n) => void (o.bridge.uncertainty.clickPx = num(n, v, 0)))),
  live(p('uncertainty.calibration_m', 'double', "The camera's extrinsic calibration accuracy (1 σ), translation, m.", (b) => b.bridge.uncertainty.calibrationM, (o, v, n) => void (o.bridge.uncertainty.calibrationM = num(n, v, 0)))),
  live(p('uncertainty.calibration_rad', 'double', "The camera's extrinsic calibration accuracy (1 σ), rotation, rad.", (b) => b.bridge.uncertainty.calibrationRad, (o, v, n) => void (o.bridge.uncertainty.calibrationRad = num(n, v, 0)))),
  // Targets
  live(p('targets.standoff_m', 'double', 'navigate: the goal stops this far short of the object (horizontal), m.', (b) => b.bridge.targets.standoffM, (o, v, n) => void (o.bridge.targets.standoffM = num(n, v, 0)))),
  live(p('targets.pre_grasp_m', 'double', 'pick: pre-grasp pose backed off along the approach by this much, m (0 = none).', (b) => b.bridge.targets.preGraspM, (o, v, n) => void (o.bridge.targets.preGraspM = num(n, v, 0)))),
  live(p('targets.selection', 'string', "Order of the waypoints: 'first' (as the model listed them), 'closest' (nearest the origin of frames.robot via TF; the camera when TF lacks it, and the reason says so) or 'best_depth' (most valid depth, then least spread).", (b) => b.bridge.targets.selection, (o, v, n) => void (o.bridge.targets.selection = oneOf<SelectionPolicy>(n, ['first', 'closest', 'best_depth'], v)), 'one of: first, closest, best_depth')),
  live(p('targets.max_points', 'integer', 'Most waypoints per request unless the request says.', (b) => b.bridge.targets.maxPoints, (o, v, n) => void (o.bridge.targets.maxPoints = num(n, v, 1)))),
  live(p('targets.max_candidates', 'integer', "Most points of one answer that are lifted to 3D, in the model's order; the rest get pixelStatus over_max_candidates.", (b) => b.bridge.targets.maxCandidates, (o, v, n) => void (o.bridge.targets.maxCandidates = num(n, v, 1, 10000)), '1..10000')),
  live(p('targets.pick_point', 'string', "point and pick: the waypoint's point: 'surface' (the pointed surface point), 'centroid' (the object's visible centroid) or 'top' (its box's top centre, for top-down grasps); needs segment.enabled for centroid and top. The approach axis is the surface normal's either way.", (b) => b.bridge.targets.pickPoint, (o, v, n) => void (o.bridge.targets.pickPoint = oneOf(n, PICK_POINTS, v)), 'one of: surface, centroid, top')),
  live(p('targets.offset_above_m', 'double', "point and pick: put the waypoint this far above its point along the target frame's +Z (placing, hovering; a request's offsetAboveM wins), m; 0 = on the surface.", (b) => b.bridge.targets.offsetAboveM, (o, v, n) => void (o.bridge.targets.offsetAboveM = num(n, v, 0)))),
  live(p('default_mode', 'string', "Mode of topics.query messages and of action/service goals with an empty mode: 'point', 'pick' or 'navigate'.", (b) => b.node.defaultMode, (o, v, n) => void (o.node.defaultMode = oneOf(n, MODES, v)), 'one of: point, pick, navigate')),
  // Workspace
  live(p('workspace.enabled', 'bool', 'Reject point and pick waypoints outside the workspace box (status out_of_workspace).', (b) => b.bridge.workspace !== null, (o, v) => void (o.bridge.workspace = bool(v) ? (o.bridge.workspace ?? { frame: '', min: { x: -1, y: -1, z: -1 }, max: { x: 1, y: 1, z: 1 } }) : null)), applyWorkspace),
  live(p('workspace.frame', 'string', "Frame of the workspace box; empty = the request's target frame.", (b) => b.bridge.workspace?.frame ?? '', (o, v) => void (o.bridge.workspace && (o.bridge.workspace.frame = str(v)))), applyWorkspace),
  live(p('workspace.min', 'double_array', 'Workspace box corner [x, y, z] (minimum), m.', (b) => { const m = b.bridge.workspace?.min ?? { x: -1, y: -1, z: -1 }; return [m.x, m.y, m.z]; }, (o, v, n) => { const m = vec3(n, v); if (o.bridge.workspace) o.bridge.workspace.min = m; }), applyWorkspace),
  live(p('workspace.max', 'double_array', 'Workspace box corner [x, y, z] (maximum), m.', (b) => { const m = b.bridge.workspace?.max ?? { x: 1, y: 1, z: 1 }; return [m.x, m.y, m.z]; }, (o, v, n) => { const m = vec3(n, v); if (o.bridge.workspace) o.bridge.workspace.max = m; }), applyWorkspace),
  // TF
  live(p('tf.tolerance_ms', 'double', "How far from the image's capture stamp a transform may be taken, ms.", (b) => b.bridge.tf.toleranceMs, (o, v, n) => void (o.bridge.tf.toleranceMs = num(n, v, 0)))),
  live(p('tf.fallback_to_latest', 'bool', 'When TF at the capture stamp is missing, use the latest transform (the result says so) instead of failing with tf_error.', (b) => b.bridge.tf.fallbackToLatest, (o, v) => void (o.bridge.tf.fallbackToLatest = bool(v)))),
  p('tf.hand_eye', 'string', 'easy_handeye2 .calib file; its transform is published on /tf_static and fed to the TF buffer. Empty = none.', (b) => b.node.handEyeCalibration, (o, v) => void (o.node.handEyeCalibration = str(v))),
  p('tf.hand_eye_attach_frame', 'string', "Publish the hand-eye calibration onto this frame instead of its tracking_base_frame (e.g. camera_link when the camera driver or URDF already gives the optical frame a parent). Empty = as in the file.", (b) => b.node.handEyeAttachFrame, (o, v) => void (o.node.handEyeAttachFrame = str(v))),
  p('tf.static_transforms', 'string', 'YAML file of extra static transforms to publish on /tf_static. Empty = none.', (b) => b.node.staticTransforms, (o, v) => void (o.node.staticTransforms = str(v))),
  // Timeouts
  live(p('timeouts.request_ms', 'double', "Overall deadline of a request unless it brings its own, ms.", (b) => b.bridge.timeouts.requestMs, (o, v, n) => void (o.bridge.timeouts.requestMs = num(n, v, 1)), '> 0')),
  ...STAGE_PARAMETERS,
  // Model
  p('model.urls', 'string_array', 'Base URLs of OpenAI-compatible Molmo servers, in order of preference (failover).', (b) => b.molmo.endpoints, (o, v) => void (o.molmo.endpoints = (v as string[]).filter((u) => u !== ''))),
  p('model.name', 'string', 'Model name to request; empty = ask each server (GET /v1/models).', (b) => b.molmo.model ?? '', (o, v) => void (str(v) === '' ? delete o.molmo.model : (o.molmo.model = str(v)))),
  p('model.family', 'string', 'The model family: prompt, transport, answer grammar and coordinates (docs/pointing.md). Never guessed.', (b) => b.molmo.family, (o, v, n) => void (o.molmo.family = oneOf(n, FAMILY_NAMES, v)), `one of: ${FAMILY_NAMES.join(', ')}`),
  p('model.balance', 'string', "Several model.urls: 'failover' (the first healthy one, in order) or 'least_loaded' (the healthy one with the fewest requests in flight).", (b) => b.molmo.balance ?? 'failover', (o, v, n) => void (o.molmo.balance = oneOf(n, BALANCE_POLICIES, v)), `one of: ${BALANCE_POLICIES.join(', ')}`),
  p('model.max_side', 'integer', 'Downscale images so the longer side is at most this before sending (0 = send full size).', (b) => b.molmo.maxSide ?? 0, (o, v, n) => void (num(n, v, 0) === 0 ? delete o.molmo.maxSide : (o.molmo.maxSide = num(n, v, 0)))),
  p('model.max_tokens', 'integer', 'Answer length limit (room for dozens of points).', (b) => b.molmo.maxTokens ?? 1024, (o, v, n) => void (o.molmo.maxTokens = num(n, v, 1))),
  p('model.timeout_ms', 'double', 'Per-attempt model timeout (connect, upload and the whole answer), ms; cut to timeouts.point_ms / (model.retries + 1) when longer.', (b) => b.molmo.timeoutMs ?? 15000, (o, v, n) => void (o.molmo.timeoutMs = num(n, v, 1))),
  p('model.retries', 'integer', 'Extra attempts after the first for connection errors, 429 and 5xx.', (b) => b.molmo.retries ?? 2, (o, v, n) => void (o.molmo.retries = num(n, v, 0))),
  p('model.concurrency', 'integer', 'Most model requests in flight at once.', (b) => b.molmo.concurrency ?? 8, (o, v, n) => void (o.molmo.concurrency = num(n, v, 1))),
  p('model.prompt', 'string', 'Prompt template with {query}; empty = the default of the family.', (b) => b.molmo.prompt ?? '', (o, v) => void (str(v) === '' ? delete o.molmo.prompt : (o.molmo.prompt = str(v)))),
  p('model.detector.min_score', 'double', "model.backend 'detector': boxes scoring below this are dropped (the model scores real objects about 0.4–0.6).", (b) => (b.molmo.detector ?? DEFAULT_DETECTOR).minScore, (o, v, n) => void (o.molmo.detector = { ...DEFAULT_DETECTOR, ...o.molmo.detector, minScore: num(n, v, 0, 1) }), '0..1'),
  p('model.detector.cache_dir', 'string', "model.backend 'detector': where the model converted to ONNX is cached; empty = $MOLMO_WAYPOINTS_CACHE, else $XDG_CACHE_HOME/molmo-waypoints or ~/.cache/molmo-waypoints.", (b) => (b.molmo.detector ?? DEFAULT_DETECTOR).cacheDir, (o, v) => void (o.molmo.detector = { ...DEFAULT_DETECTOR, ...o.molmo.detector, cacheDir: str(v) })),
  // Requests and outputs
  live(p('auto_dispatch', 'bool', 'Dispatch the best waypoint of every ok result without an operator (publishes ~/goal_point, ~/pick_pose or the nav goal). Off by default: the robot moves only after a person confirmed.', (b) => b.node.autoDispatch, (o, v) => void (o.node.autoDispatch = bool(v)))),
  live(p('dispatch.max_age_ms', 'double', 'A waypoint can be dispatched (operator or auto_dispatch) only this long after its result finished, ms; older results are refused as stale.', (b) => b.bridge.dispatch.maxAgeMs, (o, v, n) => void (o.bridge.dispatch.maxAgeMs = num(n, v, 1)), '> 0')),
  live(p('publish_nav_goal', 'bool', 'Send dispatched navigate goals to Nav2: to the nav2_action action when nav2_msgs is available, else on nav_goal_topic (bt_navigator listens on /goal_pose).', (b) => b.node.publishNavGoal, (o, v) => void (o.node.publishNavGoal = bool(v)))),
  p('nav_goal_topic', 'string', 'Topic of dispatched navigate goals (geometry_msgs/PoseStamped).', (b) => b.node.navGoalTopic, (o, v) => void (o.node.navGoalTopic = str(v))),
  live(p('nav_goal_stamp', 'string', "Stamp of nav goals: 'zero' (tf2/Nav2 use the latest transform), 'now', or 'capture' (the image's stamp). The pose is always computed in frames.navigation at capture time.", (b) => b.node.navGoalStamp, (o, v, n) => void (o.node.navGoalStamp = oneOf(n, STAMP_POLICIES, v)), 'one of: zero, now, capture')),
  p('nav2_action', 'string', "Nav2's nav2_msgs/action/NavigateToPose action that dispatched navigate goals go to when nav2_msgs is available (feedback and result in /diagnostics and the console; resolved in the node's namespace). Empty = always publish on nav_goal_topic.", (b) => b.node.nav2Action, (o, v) => void (o.node.nav2Action = str(v))),
  p('collision_objects_topic', 'string', "Topic of moveit_msgs/CollisionObject (a BOX per object with an extent; ADD, REMOVE when a later result replaces it). '/collision_object' feeds MoveIt's planning scene monitor directly.", (b) => b.node.collisionObjectsTopic, (o, v) => void (o.node.collisionObjectsTopic = str(v))),
  live(p('marker_lifetime_s', 'double', 'Lifetime of ~/markers, s (0 = until the next result replaces them).', (b) => b.node.markerLifetimeS, (o, v, n) => void (o.node.markerLifetimeS = num(n, v, 0)))),
  p('diagnostics.period_s', 'double', 'Period of /diagnostics, s.', (b) => b.node.diagnosticsPeriodS, (o, v, n) => void (o.node.diagnosticsPeriodS = num(n, v, 0.05)), '>= 0.05'),
  p('diagnostics.stale_input_ms', 'double', 'An input older than this is reported stale in /diagnostics, ms.', (b) => b.node.staleInputMs, (o, v, n) => void (o.node.staleInputMs = num(n, v, 1))),
  live(p('diagnostics.results_kept', 'integer', 'Recent results kept for dispatch and the console.', (b) => b.bridge.resultsKept, (o, v, n) => void (o.bridge.resultsKept = num(n, v, 1)))),
  p('diagnostics.health_window_ms', 'double', 'Sliding window of input rates and latency percentiles, ms.', (b) => b.bridge.healthWindowMs, (o, v, n) => void (o.bridge.healthWindowMs = num(n, v, 1))),
];

function cloneSettings(s: RosSettings): RosSettings {
  return structuredClone(s);
}

/** The declarations with their defaults taken from `base` (what `ros2 param describe` and docs list). */
export function parameterSpecs(base: RosSettings): ParameterSpec[] {
  return PARAMETERS.map((d) => ({ ...d.spec, default: d.get(base) }));
}

/**
 * Declares every parameter on the node (defaults from `base`, overrides from --ros-args / --params-file) and
 * returns the settings they describe. Throws ParameterValueError / a type error naming the parameter.
 */
export function declareParameters(node: RosNode, base: RosSettings): RosSettings {
  const declared = new Map(PARAMETERS.map((def) => [def.spec.name, node.declareParameter({ ...def.spec, default: def.get(base) })]));
  return settingsFromParameters(base, (name) => declared.get(name)!);
}

/**
 * The settings a full set of parameter values describes: `base` with every parameter applied (in declaration
 * order) and checked, alone and together. At start and for `ros2 param set` alike; throws ParameterValueError.
 */
export function settingsFromParameters(base: RosSettings, value: (name: string) => ParameterValue): RosSettings {
  const out = cloneSettings(base);
  for (const def of PARAMETERS) def.set(out, value(def.spec.name));
  if (out.bridge.depth.maxM <= out.bridge.depth.minM) {
    throw new ParameterValueError('depth.max_m', `(${out.bridge.depth.maxM}) must be greater than depth.min_m (${out.bridge.depth.minM})`);
  }
  const w = out.bridge.workspace;
  if (w && (w.min.x > w.max.x || w.min.y > w.max.y || w.min.z > w.max.z)) {
    throw new ParameterValueError('workspace.min', `must not exceed workspace.max on any axis (min ${JSON.stringify(w.min)}, max ${JSON.stringify(w.max)})`);
  }
  return out;
}

/**
 * Applies `ros2 param set` changes (values already of their declared types) to the running settings, in place:
 * every current value with the changes on top goes through settingsFromParameters, the checks of the start; then
 * each changed dynamic parameter's effect is carried over to `live`. Returns null when applied, else the reason
 * nothing changed. Names that are not ours (use_sim_time) pass through untouched.
 */
export function applyParameterChanges(live: RosSettings, current: (name: string) => ParameterValue, changes: ReadonlyMap<string, ParameterValue>): string | null {
  const changed = PARAMETERS.filter((d) => changes.has(d.spec.name));
  const fixed = changed.find((d) => !d.apply);
  if (fixed) return `parameter '${fixed.spec.name}' is read at start (read only): restart the node to change it`;
  let next: RosSettings;
  try {
    next = settingsFromParameters(live, (name) => (changes.has(name) ? changes.get(name)! : current(name)));
  } catch (err) {
    if (err instanceof ParameterValueError) return err.message;
    throw err;
  }
  for (const d of changed) d.apply!(live, next);
  return null;
}

/** Names of the parameters `ros2 param set` changes at runtime (the others are read_only). */
export function dynamicParameterNames(): string[] {
  return PARAMETERS.filter((d) => d.apply).map((d) => d.spec.name);
}

/**
 * Parameters whose values in `settings` differ from a running bridge's config or an already built model client's
 * options: they cannot take effect there (startRosNode reports them).
 */
export function parametersNotApplied(settings: RosSettings, running: { bridge: BridgeConfig; molmo: MolmoSettings }): string[] {
  const other: RosSettings = { bridge: running.bridge, molmo: running.molmo, node: settings.node };
  return PARAMETERS.filter((d) => JSON.stringify(d.get(settings)) !== JSON.stringify(d.get(other))).map((d) => d.spec.name);
}
