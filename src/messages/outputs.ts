// Output messages as ROS-shaped plain objects (snake_case, stamps {sec, nanosec}) built from the pipeline's
// results, goals and health. Pure: the ROS adapter publishes them, the recorder may write them, and tests encode
// them with the official definitions to prove the shapes. Rules kept everywhere here:
// - one frame and one stamp per header: the image's capture stamp, never "now" (except diagnostics and the
//   explicit nav-goal stamp choice);
// - every quaternion is a unit quaternion (consumers break on all-zero ones);
// - fixed-size arrays (covariance[36]) are always filled: rclnodejs throws a RangeError on short ones.

import { rotateVector } from '../geometry/transform.js';
import type { Pose, Quaternion, Vec3 } from '../geometry/types.js';
import type { DispatchedGoal, Health, InputHealth, PointResult, Waypoint } from '../pipeline/types.js';
import { add, norm, scale, sub, unit } from '../pipeline/vec.js';
import { headerToMsg, stampToMsg, type HeaderMsg, type QuaternionMsg, type TimeMsg, type Vector3Msg } from './inputs.js';
import { covarianceEllipsoid, poseCovariance36, usableBox, usableCovariance } from './object-extent.js';

// ---------------------------------------------------------------------------------------------------------
// Message shapes (only the fields these types have; names as in the .msg files)

export interface PointMsg {
  x: number;
  y: number;
  z: number;
}
export interface PoseMsg {
  position: PointMsg;
  orientation: QuaternionMsg;
}
export interface PoseStampedMsg {
  header: HeaderMsg;
  pose: PoseMsg;
}
export interface PoseArrayMsg {
  header: HeaderMsg;
  poses: PoseMsg[];
}
export interface PointStampedMsg {
  header: HeaderMsg;
  point: PointMsg;
}
export interface StringMsg {
  data: string;
}
export interface DurationMsg {
  sec: number;
  nanosec: number;
}
export interface ColorRGBAMsg {
  r: number;
  g: number;
  b: number;
  a: number;
}
export interface MarkerMsg {
  header: HeaderMsg;
  ns: string;
  id: number;
  type: number;
  action: number;
  pose: PoseMsg;
  scale: Vector3Msg;
  color: ColorRGBAMsg;
  lifetime: DurationMsg;
  frame_locked: boolean;
  points: PointMsg[];
  colors: ColorRGBAMsg[];
  texture_resource: string;
  texture: { header: HeaderMsg; format: string; data: Uint8Array };
  uv_coordinates: { u: number; v: number }[];
  text: string;
  mesh_resource: string;
  mesh_file: { filename: string; data: Uint8Array };
  mesh_use_embedded_materials: boolean;
}
export interface MarkerArrayMsg {
  markers: MarkerMsg[];
}
export interface PoseWithCovarianceMsg {
  pose: PoseMsg;
  covariance: number[];
}
export interface PoseWithCovarianceStampedMsg {
  header: HeaderMsg;
  pose: PoseWithCovarianceMsg;
}
export interface Detection3DMsg {
  header: HeaderMsg;
  results: { hypothesis: { class_id: string; score: number }; pose: PoseWithCovarianceMsg }[];
  bbox: { center: PoseMsg; size: Vector3Msg };
  id: string;
}
export interface Detection3DArrayMsg {
  header: HeaderMsg;
  detections: Detection3DMsg[];
}
export interface KeyValueMsg {
  key: string;
  value: string;
}
export interface DiagnosticStatusMsg {
  level: number;
  name: string;
  message: string;
  hardware_id: string;
  values: KeyValueMsg[];
}
export interface DiagnosticArrayMsg {
  header: HeaderMsg;
  status: DiagnosticStatusMsg[];
}

/** visualization_msgs/Marker constants used here. */
export const MARKER = { ARROW: 0, CUBE: 1, SPHERE: 2, TEXT_VIEW_FACING: 9, ADD: 0, DELETEALL: 3 } as const;
/** diagnostic_msgs/DiagnosticStatus levels. */
export const DIAGNOSTIC_LEVEL = { OK: 0, WARN: 1, ERROR: 2, STALE: 3 } as const;
export type DiagnosticLevel = (typeof DIAGNOSTIC_LEVEL)[keyof typeof DIAGNOSTIC_LEVEL];

// ---------------------------------------------------------------------------------------------------------
// Small pieces

const IDENTITY_Q: QuaternionMsg = { x: 0, y: 0, z: 0, w: 1 };

/** A unit quaternion: normalised, or identity when the input has no direction (zero / non-finite norm). */
export function unitQuaternion(q: Quaternion): QuaternionMsg {
  const n = Math.hypot(q.x, q.y, q.z, q.w);
  if (!Number.isFinite(n) || n < 1e-12) return { ...IDENTITY_Q };
  return { x: q.x / n, y: q.y / n, z: q.z / n, w: q.w / n };
}

export function pointMsg(p: Vec3): PointMsg {
  return { x: p.x, y: p.y, z: p.z };
}

export function poseMsg(p: Pose): PoseMsg {
  return { position: pointMsg(p.position), orientation: unitQuaternion(p.orientation) };
}

function header(stampNs: bigint, frameId: string): HeaderMsg {
  return headerToMsg({ stampNs, frameId });
}

/** Seconds -> builtin_interfaces/Duration (0 = forever for marker lifetimes). */
export function durationMsg(seconds: number): DurationMsg {
  const s = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const sec = Math.floor(s);
  const nanosec = Math.min(999_999_999, Math.round((s - sec) * 1e9));
  return { sec, nanosec };
}

const ZERO_TIME: TimeMsg = { sec: 0, nanosec: 0 };

/** Waypoints of an ok result in rank order (the pipeline ranks them; sorting keeps this independent of order). */
function ranked(result: PointResult): Waypoint[] {
  return [...result.waypoints].sort((a, b) => a.rank - b.rank);
}

/** The frame and stamp every output of a result carries: the waypoints' frame and the image's capture stamp. */
function resultHeader(result: PointResult): HeaderMsg | null {
  const first = result.waypoints[0];
  if (result.status !== 'ok' || !first) return null;
  return header(result.stampNs ?? first.stampNs, first.frameId);
}

// ---------------------------------------------------------------------------------------------------------
// Results

/** ~/waypoints: every waypoint's pose, best first; null unless the result is ok with at least one waypoint. */
export function poseArrayFromResult(result: PointResult): PoseArrayMsg | null {
  const h = resultHeader(result);
  if (!h) return null;
  return { header: h, poses: ranked(result).map((w) => poseMsg(w.pose)) };
}

/** ~/point: the best waypoint's 3D point (the lifted object point, not the stand-off pose). */
export function pointStampedFromResult(result: PointResult): PointStampedMsg | null {
  const h = resultHeader(result);
  const best = ranked(result)[0];
  if (!h || !best) return null;
  return { header: h, point: pointMsg(best.point) };
}

/**
 * ~/target_pose_cov: the best waypoint's pose with the 6×6 covariance of its object point (position block, in the
 * header frame, m²); what is not estimated (the orientation always, the position when the waypoint has no
 * covariance) carries UNKNOWN_VARIANCE instead of a zero that would claim certainty.
 */
export function poseWithCovarianceFromResult(result: PointResult): PoseWithCovarianceStampedMsg | null {
  const h = resultHeader(result);
  const best = ranked(result)[0];
  if (!h || !best) return null;
  return { header: h, pose: { pose: poseMsg(best.pose), covariance: poseCovariance36(usableCovariance(best)) } };
}

export function poseStampedFromWaypoint(w: Waypoint): PoseStampedMsg {
  return { header: header(w.stampNs, w.frameId), pose: poseMsg(w.pose) };
}

/** How a dispatched goal is stamped: the image's capture stamp, zero ("use the latest transform", tf2 and Nav2
 * semantics) or the current time. The pose itself is always the one computed at capture time. */
export type GoalStampPolicy = 'capture' | 'zero' | 'now';

/** ~/pick_pose and /goal_pose from a confirmed goal. */
export function poseStampedFromGoal(goal: DispatchedGoal, stamp: GoalStampPolicy, nowNs: bigint): PoseStampedMsg {
  const stampMsg = stamp === 'zero' ? { ...ZERO_TIME } : stampToMsg(stamp === 'now' ? nowNs : goal.stampNs);
  return { header: { stamp: stampMsg, frame_id: goal.frameId }, pose: poseMsg(goal.pose) };
}

/** A dispatched point goal: only a position (a point has no approach direction), in its frame, capture stamp. */
export function pointStampedFromGoal(goal: DispatchedGoal): PointStampedMsg {
  return { header: header(goal.stampNs, goal.frameId), point: pointMsg(goal.pose.position) };
}

/** JSON.stringify with bigints (int64 stamps) as decimal strings, so no precision is lost. */
export function jsonWithBigints(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** ~/result: the whole result as JSON. */
export function resultJson(result: PointResult): StringMsg {
  return { data: jsonWithBigints(result) };
}

// ---------------------------------------------------------------------------------------------------------
// Markers

export interface MarkerOptions {
  /** Marker namespace. */
  ns: string;
  /** Seconds a marker stays visible; 0 = until replaced (the next result's DELETEALL removes it). */
  lifetimeS: number;
  /** Sphere diameter, metres. */
  sphereM: number;
  /** Approach arrow length when no pre-grasp pose gives one, metres. */
  arrowM: number;
  /** Text height, metres. */
  textM: number;
  /** The uncertainty ellipsoid's semi-axes in standard deviations. */
  ellipsoidSigmas: number;
}

export const DEFAULT_MARKER_OPTIONS: MarkerOptions = { ns: 'molmo_waypoints', lifetimeS: 0, sphereM: 0.04, arrowM: 0.15, textM: 0.05, ellipsoidSigmas: 2 };

/** Namespaces of the object boxes and uncertainty ellipsoids (id = rank), so RViz can show or hide each set. */
export const BOX_NS_SUFFIX = '/box';
export const UNCERTAINTY_NS_SUFFIX = '/uncertainty';
/** RViz warns about a zero scale: an ellipsoid axis thinner than this is drawn this thin, metres. */
const MIN_ELLIPSOID_AXIS_M = 1e-4;

/** ColorRGBA is float32 on the wire: keep the values float32-exact so what we build is what subscribers get. */
function rgba(r: number, g: number, b: number, a: number): ColorRGBAMsg {
  return { r: Math.fround(r), g: Math.fround(g), b: Math.fround(b), a: Math.fround(a) };
}
const BEST_COLOR = rgba(0.1, 0.85, 0.2, 1);
const OTHER_COLOR = rgba(1, 0.75, 0.1, 1);
const TEXT_COLOR = rgba(1, 1, 1, 1);
const BOX_ALPHA = 0.35;
const UNCERTAINTY_COLOR = rgba(0.3, 0.6, 1, 0.45);

function emptyMarker(h: HeaderMsg, ns: string): MarkerMsg {
  return {
    header: h,
    ns,
    id: 0,
    type: MARKER.SPHERE,
    action: MARKER.ADD,
    pose: { position: { x: 0, y: 0, z: 0 }, orientation: { ...IDENTITY_Q } },
    scale: { x: 1, y: 1, z: 1 },
    color: { r: 0, g: 0, b: 0, a: 0 },
    lifetime: { sec: 0, nanosec: 0 },
    frame_locked: false,
    points: [],
    colors: [],
    texture_resource: '',
    texture: { header: { stamp: { ...ZERO_TIME }, frame_id: '' }, format: '', data: new Uint8Array(0) },
    uv_coordinates: [],
    text: '',
    mesh_resource: '',
    mesh_file: { filename: '', data: new Uint8Array(0) },
    mesh_use_embedded_materials: false,
  };
}

/** Start and end of a waypoint's approach arrow, or null when the waypoint has no direction to show. */
function approachArrow(w: Waypoint, mode: PointResult['mode'], arrowM: number): [Vec3, Vec3] | null {
  if (mode === 'navigate') {
    // A stand-off pose on the floor facing the object: show its heading (the pose's x axis) from the pose.
    const heading = rotateVector(unitQuaternion(w.pose.orientation), { x: 1, y: 0, z: 0 });
    return [pointMsg(w.pose.position), add(w.pose.position, scale(heading, arrowM))];
  }
  if (w.preGraspPose) {
    const from = w.preGraspPose.position;
    const to = w.pose.position;
    if (norm(sub(to, from)) > 1e-6) return [pointMsg(from), pointMsg(to)];
  }
  // Arrive against the surface normal (which points toward the camera), ending at the object.
  const n = w.normal ? unit(w.normal) : null;
  return n ? [add(w.point, scale(n, arrowM)), pointMsg(w.point)] : null;
}

/**
 * ~/markers: DELETEALL first (so a result never leaves the previous result's markers behind, whatever their count),
 * then per waypoint a sphere at the object point, an approach arrow and a text label, ids 3·rank + {0,1,2}; with
 * an object box a translucent CUBE (namespace ns + BOX_NS_SUFFIX), with a covariance its ellipsoid as a SPHERE
 * scaled and turned to the covariance's axes (ns + UNCERTAINTY_NS_SUFFIX), both id = rank.
 * A result without waypoints yields the DELETEALL alone, clearing the view.
 */
export function markerArrayFromResult(result: PointResult, options: Partial<MarkerOptions> = {}): MarkerArrayMsg {
  const o = { ...DEFAULT_MARKER_OPTIONS, ...options };
  const h = resultHeader(result) ?? header(result.stampNs ?? 0n, result.targetFrame);
  const clear = emptyMarker(h, o.ns);
  clear.action = MARKER.DELETEALL;
  const markers: MarkerMsg[] = [clear];
  if (result.status !== 'ok') return { markers };
  const lifetime = durationMsg(o.lifetimeS);
  for (const w of ranked(result)) {
    const color = w.rank === 0 ? BEST_COLOR : OTHER_COLOR;
    const sphere = emptyMarker(h, o.ns);
    sphere.id = 3 * w.rank;
    sphere.type = MARKER.SPHERE;
    sphere.pose.position = pointMsg(w.point);
    sphere.scale = { x: o.sphereM, y: o.sphereM, z: o.sphereM };
    sphere.color = { ...color };
    sphere.lifetime = { ...lifetime };
    markers.push(sphere);

    const arrow = approachArrow(w, result.mode, o.arrowM);
    if (arrow) {
      const m = emptyMarker(h, o.ns);
      m.id = 3 * w.rank + 1;
      m.type = MARKER.ARROW;
      // With two points an arrow's scale is shaft diameter, head diameter, head length.
      m.points = [arrow[0], arrow[1]];
      m.scale = { x: o.sphereM * 0.25, y: o.sphereM * 0.5, z: o.sphereM * 0.5 };
      m.color = { ...color };
      m.lifetime = { ...lifetime };
      markers.push(m);
    }

    const text = emptyMarker(h, o.ns);
    text.id = 3 * w.rank + 2;
    text.type = MARKER.TEXT_VIEW_FACING;
    text.pose.position = { x: w.point.x, y: w.point.y, z: w.point.z + o.sphereM + o.textM };
    text.scale = { x: 0, y: 0, z: o.textM };
    text.color = { ...TEXT_COLOR };
    text.text = w.rank === 0 ? w.label : `${w.label} (${w.rank + 1})`;
    text.lifetime = { ...lifetime };
    markers.push(text);

    const box = usableBox(w);
    if (box) {
      const cube = emptyMarker(h, o.ns + BOX_NS_SUFFIX);
      cube.id = w.rank;
      cube.type = MARKER.CUBE;
      cube.pose = poseMsg(box.center);
      cube.scale = { x: box.size.x, y: box.size.y, z: box.size.z };
      cube.color = rgba(color.r, color.g, color.b, BOX_ALPHA);
      cube.lifetime = { ...lifetime };
      markers.push(cube);
    }

    const cov = usableCovariance(w);
    const ellipsoid = cov ? covarianceEllipsoid(cov, o.ellipsoidSigmas) : null;
    if (ellipsoid) {
      const m = emptyMarker(h, o.ns + UNCERTAINTY_NS_SUFFIX);
      m.id = w.rank;
      m.type = MARKER.SPHERE;
      m.pose = { position: pointMsg(w.point), orientation: unitQuaternion(ellipsoid.orientation) };
      const d = ellipsoid.diameters;
      m.scale = { x: Math.max(d.x, MIN_ELLIPSOID_AXIS_M), y: Math.max(d.y, MIN_ELLIPSOID_AXIS_M), z: Math.max(d.z, MIN_ELLIPSOID_AXIS_M) };
      m.color = { ...UNCERTAINTY_COLOR };
      m.lifetime = { ...lifetime };
      markers.push(m);
    }
  }
  return { markers };
}

// ---------------------------------------------------------------------------------------------------------
// Detections

/**
 * ~/detections: one Detection3D per waypoint, class id = label, score = quality, the hypothesis pose at the object
 * point with its covariance (poseCovariance36: UNKNOWN_VARIANCE where not estimated). The bbox is the object's
 * oriented box (centre pose and size) when the waypoint has a usable one, else a point (size 0) at the object point.
 */
export function detection3DArrayFromResult(result: PointResult): Detection3DArrayMsg | null {
  const h = resultHeader(result);
  if (!h) return null;
  return {
    header: h,
    detections: ranked(result).map((w) => {
      const pose: PoseMsg = { position: pointMsg(w.point), orientation: { ...IDENTITY_Q } };
      const box = usableBox(w);
      return {
        header: { stamp: { ...h.stamp }, frame_id: h.frame_id },
        results: [{ hypothesis: { class_id: w.label, score: w.quality }, pose: { pose, covariance: poseCovariance36(usableCovariance(w)) } }],
        bbox: box
          ? { center: poseMsg(box.center), size: { x: box.size.x, y: box.size.y, z: box.size.z } }
          : { center: { position: { ...pose.position }, orientation: { ...IDENTITY_Q } }, size: { x: 0, y: 0, z: 0 } },
        id: `${result.id}/${w.rank}`,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Diagnostics

export interface DiagnosticsOptions {
  /** Status name prefix, conventionally the node name. */
  name: string;
  /** An input older than this (or never seen) is reported as WARN. */
  staleMs: number;
  /** Extra statuses from the adapter (e.g. QoS incompatibilities seen on a topic). */
  extra?: DiagnosticStatusMsg[];
}

function kv(key: string, value: string | number | boolean | null): KeyValueMsg {
  return { key, value: value === null ? '' : typeof value === 'number' ? fmt(value) : String(value) };
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(3);
}

const CAMERA_INPUTS = ['color', 'depth', 'camera_info'] as const;

function inputsStatus(health: Health, o: DiagnosticsOptions): DiagnosticStatusMsg {
  const missing: string[] = [];
  const stale: string[] = [];
  const values: KeyValueMsg[] = [];
  const inputNames = Object.keys(health.inputs) as (keyof Health['inputs'])[];
  for (const name of inputNames) {
    const i: InputHealth = health.inputs[name];
    values.push(kv(`${name}.count`, i.count), kv(`${name}.rate_hz`, i.rateHz), kv(`${name}.age_ms`, i.ageMs));
    if (!(CAMERA_INPUTS as readonly string[]).includes(name)) continue;
    if (i.count === 0 || i.ageMs === null) missing.push(name);
    else if (i.ageMs > o.staleMs) stale.push(`${name} (${fmt(i.ageMs)} ms)`);
  }
  values.push(kv('dropped.sync', health.dropped.sync));
  let level: DiagnosticLevel = DIAGNOSTIC_LEVEL.OK;
  const parts: string[] = [];
  if (missing.length > 0) {
    level = DIAGNOSTIC_LEVEL.WARN;
    parts.push(`waiting for ${missing.join(', ')}`);
  }
  if (stale.length > 0) {
    level = DIAGNOSTIC_LEVEL.WARN;
    parts.push(`stale: ${stale.join(', ')}`);
  }
  return { level, name: `${o.name}: inputs`, message: parts.length > 0 ? parts.join('; ') : 'receiving', hardware_id: '', values };
}

function tfStatus(health: Health, o: DiagnosticsOptions): DiagnosticStatusMsg {
  const t = health.tf;
  const level = t.targetFrameConnected ? DIAGNOSTIC_LEVEL.OK : DIAGNOSTIC_LEVEL.WARN;
  const message = t.targetFrameConnected
    ? `target frame '${t.targetFrame}' connected`
    : t.frames.includes(t.targetFrame)
      ? `target frame '${t.targetFrame}' not connected to the camera frame`
      : `target frame '${t.targetFrame}' does not exist (known: ${t.frames.length > 0 ? t.frames.join(', ') : 'none'})`;
  return {
    level,
    name: `${o.name}: tf`,
    message,
    hardware_id: '',
    values: [kv('target_frame', t.targetFrame), kv('frames', t.frames.join(' ')), kv('latest_age_ms', t.latestAgeMs)],
  };
}

function modelStatus(health: Health, o: DiagnosticsOptions): DiagnosticStatusMsg {
  const m = health.model;
  if (!m) return { level: DIAGNOSTIC_LEVEL.OK, name: `${o.name}: model`, message: 'no model endpoints to monitor', hardware_id: '', values: [] };
  const healthy = m.endpoints.filter((e) => e.healthy).length;
  const level = m.endpoints.length === 0 || healthy === m.endpoints.length ? DIAGNOSTIC_LEVEL.OK : healthy === 0 ? DIAGNOSTIC_LEVEL.ERROR : DIAGNOSTIC_LEVEL.WARN;
  const values: KeyValueMsg[] = [kv('backend', m.backend)];
  m.endpoints.forEach((e, i) => {
    values.push(kv(`endpoint${i}.url`, e.url), kv(`endpoint${i}.healthy`, e.healthy), kv(`endpoint${i}.last_latency_ms`, e.lastLatencyMs), kv(`endpoint${i}.last_error`, e.lastError));
  });
  return { level, name: `${o.name}: model`, message: `${m.backend}: ${healthy}/${m.endpoints.length} endpoints healthy`, hardware_id: '', values };
}

function requestsStatus(health: Health, o: DiagnosticsOptions): DiagnosticStatusMsg {
  const r = health.requests;
  const l = health.latencyMs;
  const values: KeyValueMsg[] = [
    kv('in_flight', r.inFlight),
    kv('total', r.total),
    kv('latency_ms.count', l.count),
    kv('latency_ms.p50', l.p50),
    kv('latency_ms.p90', l.p90),
    kv('latency_ms.p99', l.p99),
  ];
  for (const [status, count] of Object.entries(r.byStatus)) values.push(kv(`status.${status}`, count ?? 0));
  return { level: DIAGNOSTIC_LEVEL.OK, name: `${o.name}: requests`, message: `${r.total} requests, ${r.inFlight} in flight`, hardware_id: '', values };
}

/** /diagnostics: inputs (rates, ages), TF (target frame state), model endpoints, requests; stamped now. */
export function diagnosticArrayFromHealth(health: Health, nowNs: bigint, options: DiagnosticsOptions): DiagnosticArrayMsg {
  return {
    header: header(nowNs, ''),
    status: [inputsStatus(health, options), tfStatus(health, options), modelStatus(health, options), requestsStatus(health, options), ...(options.extra ?? [])],
  };
}
