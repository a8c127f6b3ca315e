import { STAGES } from '../pipeline/types.js';
import { BALANCE_POLICIES } from '../pointing/endpoint-pool.js';
import { FAMILY_NAMES } from '../pointing/families/names.js';

// Every configuration key: its YAML path, type, default, environment variable and one line of documentation.
// One table drives defaults, validation, environment and flag overrides, and the docs check (every key here must
// appear in docs/pipeline.md). Keys are snake_case and dotted like the YAML (`model.timeout_ms`).

export type KeyKind =
  | { type: 'string' }
  /** A file path; relative paths are resolved against the config file's folder (or the working directory). */
  | { type: 'path' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'number'; min?: number; max?: number; exclusiveMin?: boolean }
  | { type: 'int'; min?: number; max?: number }
  | { type: 'bool' }
  /** A YAML list of strings, or one comma-separated string (environment, flags). */
  | { type: 'string_list' }
  /** [x, y, z] in metres. */
  | { type: 'vec3' };

export interface KeySpec {
  key: string;
  kind: KeyKind;
  default: unknown;
  doc: string;
  env?: string;
}

const positive = { type: 'number', min: 0, exclusiveMin: true } as const;
const nonNegative = { type: 'number', min: 0 } as const;
const str = { type: 'string' } as const;
const path = { type: 'path' } as const;
const bool = { type: 'bool' } as const;

export const CONFIG_KEYS: readonly KeySpec[] = [
  // Source (standalone runs; under ROS the node subscribes to topics instead)
  { key: 'source.type', kind: { type: 'enum', values: ['none', 'mcap', 'images'] }, default: 'none', doc: "Where frames come from without ROS: 'mcap' (a rosbag2 recording), 'images' (files), 'none'." },
  { key: 'source.mcap.path', kind: path, default: '', doc: 'The recording to replay: an MCAP file (uncompressed, zstd or lz4 chunks, or no chunks) or a rosbag2 bag folder (metadata.yaml and its .mcap splits).' },
  { key: 'source.mcap.topics.color', kind: str, default: '/camera/color/image_raw/compressed', doc: 'Colour topic (sensor_msgs/Image or CompressedImage).' },
  { key: 'source.mcap.topics.depth', kind: str, default: '/camera/aligned_depth_to_color/image_raw', doc: 'Depth topic aligned to colour (sensor_msgs/Image, 16UC1/mono16 mm or 32FC1 m).' },
  { key: 'source.mcap.topics.camera_info', kind: str, default: '/camera/color/camera_info', doc: "The colour camera's CameraInfo topic." },
  { key: 'source.mcap.topics.tf', kind: str, default: '/tf', doc: 'Dynamic transforms topic.' },
  { key: 'source.mcap.topics.tf_static', kind: str, default: '/tf_static', doc: 'Static transforms topic.' },
  { key: 'source.mcap.realtime', kind: bool, default: true, doc: 'Replay with the recorded timing (false: as fast as possible).' },
  { key: 'source.mcap.rate', kind: positive, default: 1, doc: 'Playback speed factor for real-time replay (2 = twice as fast).' },
  { key: 'source.mcap.loop', kind: bool, default: true, doc: 'Start again at the end (stamps keep increasing).' },
  { key: 'source.images.color', kind: path, default: '', doc: 'Colour image file (JPEG or PNG).' },
  { key: 'source.images.depth', kind: path, default: '', doc: 'Depth image file: 16-bit PNG in millimetres, aligned to the colour image.' },
  { key: 'source.images.camera_info', kind: path, default: '', doc: 'Camera info file (camera_calibration_parsers YAML, ROS 2 CameraInfo YAML/JSON, Open3D intrinsics JSON).' },
  { key: 'source.images.frame_id', kind: str, default: '', doc: "Optical frame of the images (empty: the camera info file's, else camera_color_optical_frame)." },
  { key: 'source.images.rate_hz', kind: positive, default: 1, doc: 'How often the still frame is re-sent, Hz.' },

  // Model
  { key: 'model.backend', kind: { type: 'enum', values: ['auto', 'molmo', 'onnx', 'detector', 'none'] }, default: 'auto', doc: "'molmo' (OpenAI-compatible server), 'onnx' (local model), 'detector' (the bundled COCO detector, CPU, offline), 'none' (pixels only: clicks, --pixel); 'auto' = molmo when model.urls is set, else detector." },
  { key: 'model.urls', kind: { type: 'string_list' }, default: [], doc: 'Base URLs of Molmo servers, in order of preference (failover), e.g. http://gpu-box:8000.', env: 'MOLMO_URL' },
  { key: 'model.name', kind: str, default: '', doc: 'Model name to request; empty = ask the server (GET /v1/models).', env: 'MOLMO_MODEL' },
  { key: 'model.family', kind: { type: 'enum', values: FAMILY_NAMES }, default: 'molmo', doc: 'The model family: prompt, transport, answer grammar and coordinates (docs/pointing.md). Never guessed: set it to match the served model.', env: 'MOLMO_FAMILY' },
  { key: 'model.balance', kind: { type: 'enum', values: BALANCE_POLICIES }, default: 'failover', doc: "Several model.urls: 'failover' (the first healthy one, in order) or 'least_loaded' (the healthy one with the fewest requests in flight)." },
  { key: 'model.api_key', kind: str, default: '', doc: 'Sent as a bearer token (hosted endpoints).', env: 'MOLMO_API_KEY' },
  { key: 'model.timeout_ms', kind: positive, default: 15000, doc: 'Per-attempt model timeout (connect, upload, whole answer), ms; cut to timeouts.point_ms / (retries + 1) when longer, so a hung endpoint fails over within the request.', env: 'MOLMO_TIMEOUT_MS' },
  { key: 'model.retries', kind: { type: 'int', min: 0, max: 10 }, default: 2, doc: 'Extra attempts for connection errors, 429 and 5xx.' },
  { key: 'model.concurrency', kind: { type: 'int', min: 1, max: 256 }, default: 8, doc: 'Most model requests in flight at once (the rest queue).' },
  { key: 'model.max_side', kind: { type: 'int', min: 0 }, default: 0, doc: 'Downscale images so the longer side is at most this before sending (0 = full size). Points still come back in full-size pixels.', env: 'MOLMO_MAX_SIDE' },
  { key: 'model.max_tokens', kind: { type: 'int', min: 1 }, default: 1024, doc: 'Answer length limit (room for dozens of points).' },
  { key: 'model.prompt', kind: str, default: '', doc: 'Prompt template with {query}; empty = the default of the family.' },
  { key: 'model.onnx.model_path', kind: path, default: '', doc: "backend 'onnx': the .onnx model file." },
  { key: 'model.onnx.manifest_path', kind: path, default: '', doc: "backend 'onnx': its manifest (empty = next to the model)." },
  { key: 'model.detector.min_score', kind: { type: 'number', min: 0, max: 1 }, default: 0.3, doc: "backend 'detector': boxes scoring below this are dropped (the model scores real objects about 0.4–0.6)." },
  { key: 'model.detector.cache_dir', kind: path, default: '', doc: "backend 'detector': where the model converted to ONNX is cached; empty = $MOLMO_WAYPOINTS_CACHE, else $XDG_CACHE_HOME/molmo-waypoints or ~/.cache/molmo-waypoints." },

  // Frames
  { key: 'frames.target', kind: str, default: 'base_link', doc: 'Frame of point and pick waypoints unless a request names one.', env: 'MOLMO_WAYPOINTS_TARGET_FRAME' },
  { key: 'frames.navigation', kind: str, default: 'map', doc: 'Frame of navigate goals; its z = 0 plane is the floor.' },
  { key: 'frames.robot', kind: str, default: 'base_link', doc: 'Robot base frame: navigate stand-offs lie on the line from it to the object, and targets.selection closest ranks by distance from it (the camera when TF does not know it).' },
  { key: 'camera.rectified', kind: bool, default: false, doc: 'The colour images are rectified: lift with P instead of K and D.' },

  // Sync and store
  { key: 'sync.policy', kind: { type: 'enum', values: ['exact', 'approximate'] }, default: 'approximate', doc: "Pair colour and depth by identical stamps ('exact') or within sync.slop_ms ('approximate')." },
  { key: 'sync.slop_ms', kind: nonNegative, default: 20, doc: 'Largest colour/depth/camera info stamp difference for the approximate policy, ms.' },
  { key: 'sync.queue_size', kind: { type: 'int', min: 1, max: 1000 }, default: 10, doc: 'Unmatched messages kept per input; the oldest is dropped and counted.' },
  { key: 'sync.camera_info', kind: { type: 'enum', values: ['stamp', 'latest'] }, default: 'latest', doc: "'stamp': camera info must carry the images' stamp; 'latest': prefer that, else the latest camera info of the colour frame (latched or slower publishers)." },
  { key: 'store.size', kind: { type: 'int', min: 1, max: 1000 }, default: 10, doc: 'Synced snapshots kept (requests may name one by seq).' },
  { key: 'store.max_age_ms', kind: positive, default: 2000, doc: 'A request for the latest frame fails with stale_frame when the newest snapshot is older than this, ms.' },

  // Depth
  { key: 'depth.window_radius', kind: { type: 'int', min: 0, max: 100 }, default: 2, doc: 'Half size of the depth window sampled around a pixel (0 = the pixel alone).' },
  { key: 'depth.min_valid_ratio', kind: { type: 'number', min: 0, max: 1 }, default: 0.3, doc: 'Share of valid depth pixels the window needs.' },
  { key: 'depth.min_m', kind: nonNegative, default: 0.1, doc: 'Nearest accepted depth (along the optical axis), m.' },
  { key: 'depth.max_m', kind: positive, default: 10, doc: 'Farthest accepted depth, m.' },
  { key: 'depth.normal_radius', kind: { type: 'int', min: 1, max: 100 }, default: 6, doc: 'Half size of the window for surface normals (pick approach).' },
  { key: 'depth.noise_base_m', kind: nonNegative, default: 0.0005, doc: "The depth sensor's noise σz(z) = noise_base_m + noise_per_m2·z²: its range-independent part, m (segmentation thresholds, uncertainty)." },
  { key: 'depth.noise_per_m2', kind: nonNegative, default: 0.0025, doc: 'σz growth per square metre of range, m/m² (0.0025 ≈ a RealSense D435; ≈ 0.0014 Kinect v1 / Xtion).' },

  // Object segment and uncertainty
  { key: 'segment.enabled', kind: bool, default: true, doc: "Grow each waypoint's object over the depth image: mask, oriented box, centroid, size (docs/geometry.md)." },
  { key: 'segment.max_size_m', kind: positive, default: 0.5, doc: 'Largest object: depth pixels farther than this from the pointed point are not part of it, m.' },
  { key: 'uncertainty.pointing_px_molmo', kind: nonNegative, default: 8, doc: "Pixel error (1 σ) of Molmo's points, px (the waypoint covariance's pointing term)." },
  { key: 'uncertainty.pointing_px_onnx', kind: nonNegative, default: 8, doc: "Pixel error (1 σ) of the ONNX backends' points (model.backend onnx and detector), px." },
  { key: 'uncertainty.pointing_px_click', kind: nonNegative, default: 2, doc: 'Pixel error (1 σ) of explicit pixels (operator clicks, --pixel), px.' },
  { key: 'uncertainty.calibration_m', kind: nonNegative, default: 0.002, doc: "The camera's extrinsic calibration accuracy (1 σ), translation, m." },
  { key: 'uncertainty.calibration_rad', kind: nonNegative, default: 0.002, doc: "The camera's extrinsic calibration accuracy (1 σ), rotation, rad." },

  // Targets
  { key: 'targets.standoff_m', kind: nonNegative, default: 0.6, doc: 'navigate: the goal stops this far short of the object (horizontally), m.' },
  { key: 'targets.pre_grasp_m', kind: nonNegative, default: 0.1, doc: 'pick: pre-grasp pose backed off along the approach axis, m (0 = none).' },
  { key: 'targets.selection', kind: { type: 'enum', values: ['first', 'closest', 'best_depth'] }, default: 'first', doc: "Waypoint order: 'first' (the model's), 'closest' (nearest the origin of frames.robot via TF; the camera when TF lacks it, and the reason says so), 'best_depth' (most valid depth, then least spread)." },
  { key: 'targets.max_points', kind: { type: 'int', min: 1, max: 256 }, default: 10, doc: 'Most waypoints per request unless the request says.' },
  { key: 'targets.pick_point', kind: { type: 'enum', values: ['surface', 'centroid', 'top'] }, default: 'surface', doc: "point and pick: the waypoint's point: 'surface' (the pointed surface point), 'centroid' (the object's visible centroid) or 'top' (its box's top centre, for top-down grasps); the approach axis is the surface normal's either way." },
  { key: 'targets.offset_above_m', kind: nonNegative, default: 0, doc: "point and pick: put the waypoint this far above its point along the target frame's +Z (a free-space target: placing, hovering; the request's offsetAboveM wins), m; 0 = on the surface." },
  { key: 'targets.max_candidates', kind: { type: 'int', min: 1, max: 10000 }, default: 256, doc: "Most points of one answer that are lifted to 3D, in the model's order; the rest get pixelStatus over_max_candidates and the reason says so (lifting is synchronous: thousands of points would stall the process)." },

  // Workspace
  { key: 'workspace.enabled', kind: bool, default: false, doc: 'Reject point and pick waypoints outside the box (status out_of_workspace).' },
  { key: 'workspace.frame', kind: str, default: '', doc: "Frame of the box; empty = the request's target frame." },
  { key: 'workspace.min', kind: { type: 'vec3' }, default: [-1, -1, -1], doc: 'Box corner [x, y, z] (minimum), m.' },
  { key: 'workspace.max', kind: { type: 'vec3' }, default: [1, 1, 1], doc: 'Box corner [x, y, z] (maximum), m.' },

  // TF
  { key: 'tf.tolerance_ms', kind: nonNegative, default: 50, doc: "How far from the image's capture stamp a transform may be taken, ms." },
  { key: 'tf.fallback_to_latest', kind: bool, default: false, doc: 'When TF at the capture stamp is missing, use the latest transform (result.tfFallback, the reason says so) instead of tf_error.' },
  { key: 'tf.static_transforms', kind: path, default: '', doc: 'YAML file of static transforms added to TF (e.g. base_link -> camera mount).' },
  { key: 'tf.hand_eye', kind: path, default: '', doc: 'easy_handeye2 .calib file added to TF as a static transform.' },
  { key: 'tf.hand_eye_attach_frame', kind: str, default: '', doc: "Attach the hand-eye calibration to this frame instead of its camera frame (e.g. camera_link when the recording's or driver's TF already gives the optical frame a parent); waits for that chain in TF. Empty = as in the file." },

  // Timeouts
  { key: 'timeouts.request_ms', kind: positive, default: 60000, doc: 'Overall deadline of a request unless it brings its own, ms (deadline_exceeded).' },
  ...STAGES.map((stage) => ({
    key: `timeouts.${stage}_ms`,
    kind: positive,
    default: stage === 'point' ? 45000 : 1000,
    doc: stage === 'point' ? "Deadline of the 'point' stage (the model), ms (model_timeout)." : `Deadline of the '${stage}' stage, ms (deadline_exceeded).`,
  })),

  // Dispatch
  { key: 'dispatch.max_age_ms', kind: positive, default: 60000, doc: 'A waypoint can be dispatched (sent to the robot) only this long after its result finished, ms; older results are refused as stale.' },

  // Diagnostics
  { key: 'diagnostics.results_kept', kind: { type: 'int', min: 1, max: 100000 }, default: 200, doc: 'Recent results kept for dispatch and the console.' },
  { key: 'diagnostics.health_window_ms', kind: positive, default: 5000, doc: 'Sliding window of input rates and latency percentiles, ms.' },

  // Adapters
  { key: 'console.enabled', kind: bool, default: true, doc: 'Serve the operator console (HTTP + WebSocket).' },
  { key: 'console.host', kind: str, default: '127.0.0.1', doc: 'Interface to bind; 127.0.0.1 keeps it local (0.0.0.0 only on a trusted network).', env: 'MOLMO_WAYPOINTS_CONSOLE_HOST' },
  { key: 'console.port', kind: { type: 'int', min: 0, max: 65535 }, default: 8765, doc: 'TCP port (0 = any free port).', env: 'MOLMO_WAYPOINTS_CONSOLE_PORT' },
  { key: 'console.token', kind: str, default: '', doc: 'Operator token; empty = a fresh random one, printed at start.', env: 'MOLMO_WAYPOINTS_TOKEN' },
  { key: 'console.viewer_token', kind: str, default: '', doc: 'Watch-only token; empty = a fresh random one.' },
  { key: 'console.preview_fps', kind: { type: 'number', min: 0.1, max: 60 }, default: 10, doc: 'Live preview frames per second sent to each client, at most (0.1 to 60).' },
  { key: 'console.preview_max_side', kind: { type: 'int', min: 64, max: 8192 }, default: 960, doc: "Longer side of the preview JPEG, px (waypoints and clicks stay in the original image's pixels); 64 to 8192." },
  { key: 'console.preview_quality', kind: { type: 'int', min: 1, max: 100 }, default: 75, doc: 'Preview JPEG quality, 1 to 100.' },
  { key: 'recording.enabled', kind: bool, default: false, doc: 'Record requests, results and their frames to an MCAP file (demo: on).' },
  { key: 'recording.path', kind: path, default: '', doc: 'Recording file; empty = recordings/<command>-<time>.mcap.', env: 'MOLMO_WAYPOINTS_RECORDING' },
  { key: 'recording.compression', kind: { type: 'enum', values: ['none', 'zstd', 'lz4'] }, default: 'zstd', doc: "Chunk compression of the recording: 'zstd' (as rosbag2's MCAP storage writes; a quarter of the size, no slower to write), 'lz4' (bigger and slower to write here, faster to read) or 'none'." },
  { key: 'recording.frames', kind: bool, default: true, doc: 'Record the colour, depth and camera info each result was computed from (false: requests, results and markers only).' },
  { key: 'recording.max_size_mb', kind: nonNegative, default: 0, doc: 'Go on in a new file (<name>_1.mcap, <name>_2.mcap, ...) once a file reaches this size, MB (10^6 bytes; 0 = no limit).' },
  { key: 'recording.max_age_s', kind: nonNegative, default: 0, doc: 'Go on in a new file once a file has been open this long, s (0 = no limit).' },
  { key: 'recording.max_files', kind: { type: 'int', min: 0, max: 100000 }, default: 0, doc: 'Keep at most this many files of a recording: after a new file starts, the oldest beyond it are deleted (0 = keep all).' },
  { key: 'ros', kind: { type: 'enum', values: ['auto', 'on', 'off'] }, default: 'auto', doc: "Run as a ROS 2 node: 'auto' = when ROS 2 is sourced (ROS_DISTRO set), 'on' = required, 'off' = never.", env: 'MOLMO_WAYPOINTS_ROS' },
];

export const KEY_INDEX: ReadonlyMap<string, KeySpec> = new Map(CONFIG_KEYS.map((k) => [k.key, k]));
