// Hand-built pipeline results, goals and health used by the output-message and ROS adapter tests.
import type { ObjectExtent } from '../../src/geometry/types.js';
import type { DispatchedGoal, Health, PointResult, Waypoint } from '../../src/pipeline/types.js';

/** A capture stamp past 2^31 s·1e9 ns and with odd nanoseconds, so int64 handling is exercised. */
export const STAMP_NS = 1_712_345_678_123_456_789n;

export function waypoint(rank: number, over: Partial<Waypoint> = {}): Waypoint {
  const x = 0.5 + rank * 0.1;
  return {
    rank,
    label: rank === 0 ? 'red mug' : `mug ${rank}`,
    pixel: { u: 320 + rank * 10, v: 240.5 },
    cameraPoint: { x: 0.01 * rank, y: 0.02, z: 0.8 },
    point: { x, y: -0.2, z: 0.05 },
    // A pick pose approaching straight down: quaternion deliberately not normalised (×2) to check normalisation.
    pose: { position: { x, y: -0.2, z: 0.05 }, orientation: { x: 0, y: 2 * Math.SQRT1_2, z: 0, w: 2 * Math.SQRT1_2 } },
    preGraspPose: { position: { x, y: -0.2, z: 0.15 }, orientation: { x: 0, y: Math.SQRT1_2, z: 0, w: Math.SQRT1_2 } },
    normal: { x: 0, y: 0, z: 1 },
    frameId: 'base_link',
    stampNs: STAMP_NS,
    depthM: 0.8,
    validRatio: 0.9,
    depthSpreadM: 0.004,
    quality: 0.9 - rank * 0.1,
    box: null,
    object: null,
    covariance: null,
    targetKind: 'surface',
    ...over,
  };
}

/** A mug-sized object: an 8×6×10 cm box turned 30° about z, centred 5 cm below the pointed surface point. */
export const YAW30 = { x: 0, y: 0, z: Math.sin(Math.PI / 12), w: Math.cos(Math.PI / 12) };
export function objectExtent(over: Partial<ObjectExtent> = {}): ObjectExtent {
  const center = { x: 0.5, y: -0.2, z: 0 };
  return {
    centroid: { x: 0.5, y: -0.19, z: 0.01 },
    box: { center: { position: center, orientation: { ...YAW30 } }, size: { x: 0.08, y: 0.06, z: 0.1 } },
    pointCount: 1200,
    validShare: 0.95,
    maskBox: { u0: 300, v0: 220, u1: 340, v1: 262 },
    outline: [{ u: 300, v: 220 }, { u: 340, v: 220 }, { u: 340, v: 262 }, { u: 300, v: 262 }],
    samplePoints: [center],
    ...over,
  };
}

/** A full 3×3 covariance (m², row-major): σ 2, 1 and 3 mm along axes turned 30° about z. */
export const COVARIANCE: number[] = (() => {
  const c = Math.cos(Math.PI / 6);
  const s = Math.sin(Math.PI / 6);
  const r = [c, -s, 0, s, c, 0, 0, 0, 1];
  const d = [4e-6, 1e-6, 9e-6];
  const out = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) out[i * 3 + j] = out[i * 3 + j]! + r[i * 3 + k]! * d[k]! * r[j * 3 + k]!;
  return out;
})();

export function okResult(over: Partial<PointResult> = {}): PointResult {
  const waypoints = [waypoint(0), waypoint(1)];
  return {
    id: 'req-1',
    status: 'ok',
    reason: '',
    mode: 'pick',
    query: 'the red mug',
    targetFrame: 'base_link',
    stampNs: STAMP_NS,
    frameSeq: 7,
    cameraFrameId: 'camera_color_optical_frame',
    waypoints,
    pixels: waypoints.map((w, i) => ({ u: w.pixel.u, v: w.pixel.v, label: w.label, alt: null, image: 1, id: i + 1 })),
    pixelStatus: ['ok', 'ok'],
    rawText: '<points x1="50" y1="50" alt="red mug">red mug</points>',
    model: 'fake-molmo',
    timings: { point: 12.5, lift: 0.4, total: 14 },
    tfFallback: false,
    ...over,
  };
}

export function failedResult(over: Partial<PointResult> = {}): PointResult {
  return {
    id: 'req-2',
    status: 'no_points',
    reason: 'the model found no "unicorn"',
    mode: 'point',
    query: 'unicorn',
    targetFrame: 'base_link',
    stampNs: STAMP_NS,
    frameSeq: 7,
    cameraFrameId: 'camera_color_optical_frame',
    waypoints: [],
    pixels: [],
    pixelStatus: [],
    rawText: 'There are none.',
    model: 'fake-molmo',
    timings: { total: 9 },
    tfFallback: false,
    ...over,
  };
}

export function goal(over: Partial<DispatchedGoal> = {}): DispatchedGoal {
  return {
    resultId: 'req-1',
    waypointIndex: 0,
    mode: 'navigate',
    frameId: 'map',
    stampNs: STAMP_NS,
    pose: { position: { x: 2, y: 1, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 0 } },
    preGraspPose: null,
    label: 'sofa',
    by: 'console',
    atMs: 1000,
    ...over,
  };
}

export function health(over: Partial<Health> = {}): Health {
  return {
    inputs: {
      color: { count: 30, rateHz: 29.97, ageMs: 12 },
      depth: { count: 30, rateHz: 30, ageMs: 10 },
      camera_info: { count: 0, rateHz: 0, ageMs: null },
      tf: { count: 100, rateHz: 100, ageMs: 3 },
      synced: { count: 29, rateHz: 29, ageMs: 15 },
    },
    tf: { frames: ['base_link', 'camera_link'], targetFrame: 'map', targetFrameConnected: false, latestAgeMs: 3 },
    model: {
      backend: 'molmo',
      endpoints: [
        { url: 'http://a:8000', healthy: true, lastError: null, lastLatencyMs: 812.25 },
        { url: 'http://b:8000', healthy: false, lastError: 'ECONNREFUSED', lastLatencyMs: null },
      ],
    },
    latencyMs: { count: 4, p50: 900, p90: 1200.5, p99: 1300 },
    requests: { inFlight: 1, total: 5, byStatus: { ok: 3, no_points: 1 } },
    dropped: { sync: 2 },
    ...over,
  };
}
