import type { BridgeConfig, CameraInfoPolicy, PickPoint, SelectionPolicy, SyncPolicy } from '../pipeline/config.js';
import { STAGES, type Stage } from '../pipeline/types.js';
import type { BalancePolicy } from '../pointing/endpoint-pool.js';
import type { FamilyName } from '../pointing/families/names.js';

// The whole application's configuration, typed (camelCase), after defaults, file, environment and flags.

export type RosMode = 'auto' | 'on' | 'off';
export type ModelBackend = 'molmo' | 'onnx' | 'detector' | 'none';

export interface AppConfig {
  source:
    | { type: 'none' }
    | {
        type: 'mcap';
        path: string;
        topics: { color: string; depth: string; cameraInfo: string; tf: string; tfStatic: string };
        realtime: boolean;
        rate: number;
        loop: boolean;
      }
    | { type: 'images'; color: string; depth: string; cameraInfo: string; frameId: string; rateHz: number };
  model: {
    /** 'auto' already resolved. */
    backend: ModelBackend;
    urls: string[];
    name: string;
    family: FamilyName;
    balance: BalancePolicy;
    apiKey: string;
    timeoutMs: number;
    retries: number;
    concurrency: number;
    maxSide: number;
    maxTokens: number;
    prompt: string;
    onnx: { modelPath: string; manifestPath: string };
    detector: { minScore: number; cacheDir: string };
  };
  bridge: BridgeConfig;
  tf: { staticTransforms: string; handEye: string; handEyeAttachFrame: string };
  console: {
    enabled: boolean;
    host: string;
    port: number;
    token: string;
    viewerToken: string;
    previewFps: number;
    previewMaxSide: number;
    previewQuality: number;
  };
  recording: {
    enabled: boolean;
    path: string;
    compression: 'none' | 'zstd' | 'lz4';
    frames: boolean;
    maxSizeMb: number;
    maxAgeS: number;
    maxFiles: number;
  };
  ros: RosMode;
}

/** Builds the typed config from validated flat values (key -> value). */
export function buildAppConfig(v: (key: string) => unknown): AppConfig {
  const s = (key: string) => v(key) as string;
  const n = (key: string) => v(key) as number;
  const b = (key: string) => v(key) as boolean;
  const vec = (key: string) => {
    const [x, y, z] = v(key) as number[];
    return { x: x!, y: y!, z: z! };
  };
  const sourceType = s('source.type');
  const source: AppConfig['source'] =
    sourceType === 'mcap'
      ? {
          type: 'mcap',
          path: s('source.mcap.path'),
          topics: {
            color: s('source.mcap.topics.color'),
            depth: s('source.mcap.topics.depth'),
            cameraInfo: s('source.mcap.topics.camera_info'),
            tf: s('source.mcap.topics.tf'),
            tfStatic: s('source.mcap.topics.tf_static'),
          },
          realtime: b('source.mcap.realtime'),
          rate: n('source.mcap.rate'),
          loop: b('source.mcap.loop'),
        }
      : sourceType === 'images'
        ? {
            type: 'images',
            color: s('source.images.color'),
            depth: s('source.images.depth'),
            cameraInfo: s('source.images.camera_info'),
            frameId: s('source.images.frame_id'),
            rateHz: n('source.images.rate_hz'),
          }
        : { type: 'none' };
  const urls = v('model.urls') as string[];
  const backendSetting = s('model.backend');
  // Without a model server the bundled detector answers words (offline, CPU); 'none' keeps clicks only.
  const backend: ModelBackend = backendSetting === 'auto' ? (urls.length > 0 ? 'molmo' : 'detector') : (backendSetting as ModelBackend);
  const stageMs = Object.fromEntries(STAGES.map((stage) => [stage, n(`timeouts.${stage}_ms`)])) as Record<Stage, number>;
  const bridge: BridgeConfig = {
    frames: { target: s('frames.target'), navigation: s('frames.navigation'), robot: s('frames.robot') },
    sync: {
      policy: s('sync.policy') as SyncPolicy,
      slopMs: n('sync.slop_ms'),
      queueSize: n('sync.queue_size'),
      cameraInfo: s('sync.camera_info') as CameraInfoPolicy,
    },
    camera: { rectified: b('camera.rectified') },
    store: { size: n('store.size'), maxAgeMs: n('store.max_age_ms') },
    depth: {
      windowRadius: n('depth.window_radius'),
      minValidRatio: n('depth.min_valid_ratio'),
      minM: n('depth.min_m'),
      maxM: n('depth.max_m'),
      normalRadius: n('depth.normal_radius'),
      noise: { baseM: n('depth.noise_base_m'), perM2: n('depth.noise_per_m2') },
    },
    segment: { enabled: b('segment.enabled'), maxSizeM: n('segment.max_size_m') },
    uncertainty: {
      // The model's pixel error is the configured backend's (with no model only clicks come, at clickPx).
      pointingPx: n(backend === 'onnx' || backend === 'detector' ? 'uncertainty.pointing_px_onnx' : 'uncertainty.pointing_px_molmo'),
      clickPx: n('uncertainty.pointing_px_click'),
      calibrationM: n('uncertainty.calibration_m'),
      calibrationRad: n('uncertainty.calibration_rad'),
    },
    targets: {
      standoffM: n('targets.standoff_m'),
      preGraspM: n('targets.pre_grasp_m'),
      selection: s('targets.selection') as SelectionPolicy,
      maxPoints: n('targets.max_points'),
      maxCandidates: n('targets.max_candidates'),
      pickPoint: s('targets.pick_point') as PickPoint,
      offsetAboveM: n('targets.offset_above_m'),
    },
    workspace: b('workspace.enabled') ? { frame: s('workspace.frame'), min: vec('workspace.min'), max: vec('workspace.max') } : null,
    tf: { toleranceMs: n('tf.tolerance_ms'), fallbackToLatest: b('tf.fallback_to_latest') },
    timeouts: { requestMs: n('timeouts.request_ms'), stageMs },
    dispatch: { maxAgeMs: n('dispatch.max_age_ms') },
    resultsKept: n('diagnostics.results_kept'),
    healthWindowMs: n('diagnostics.health_window_ms'),
  };
  return {
    source,
    model: {
      backend,
      urls,
      name: s('model.name'),
      family: s('model.family') as FamilyName,
      balance: s('model.balance') as BalancePolicy,
      apiKey: s('model.api_key'),
      timeoutMs: n('model.timeout_ms'),
      retries: n('model.retries'),
      concurrency: n('model.concurrency'),
      maxSide: n('model.max_side'),
      maxTokens: n('model.max_tokens'),
      prompt: s('model.prompt'),
      onnx: { modelPath: s('model.onnx.model_path'), manifestPath: s('model.onnx.manifest_path') },
      detector: { minScore: n('model.detector.min_score'), cacheDir: s('model.detector.cache_dir') },
    },
    bridge,
    tf: { staticTransforms: s('tf.static_transforms'), handEye: s('tf.hand_eye'), handEyeAttachFrame: s('tf.hand_eye_attach_frame').trim() },
    console: {
      enabled: b('console.enabled'),
      host: s('console.host'),
      port: n('console.port'),
      token: s('console.token'),
      viewerToken: s('console.viewer_token'),
      previewFps: n('console.preview_fps'),
      previewMaxSide: n('console.preview_max_side'),
      previewQuality: n('console.preview_quality'),
    },
    recording: {
      enabled: b('recording.enabled'),
      path: s('recording.path'),
      compression: s('recording.compression') as AppConfig['recording']['compression'],
      frames: b('recording.frames'),
      maxSizeMb: n('recording.max_size_mb'),
      maxAgeS: n('recording.max_age_s'),
      maxFiles: n('recording.max_files'),
    },
    ros: s('ros') as RosMode,
  };
}
