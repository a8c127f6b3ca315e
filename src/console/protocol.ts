// The console protocol: what clients may send (validated here), what the server sends back, and the HTTP
// API's request body. docs/console.md lists every message; keep the two in step.
import type { Pose } from '../geometry/types.js';
import type { Health, PointResult, Progress, DispatchedGoal, GoalExecution, RequestMode } from '../pipeline/types.js';
import { validate, type Spec } from './schema.js';

export const PROTOCOL_VERSION = 1;
/** Text messages larger than this get a 'too_large' error reply (the socket stays open). */
export const MAX_JSON_BYTES = 8 * 1024;
/** Frames larger than this close the socket (ws maxPayload, close code 1009) before they are even buffered. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

export const MODES: readonly RequestMode[] = ['point', 'pick', 'navigate'];
const MAX_PIXEL = 65535;

const ref: Spec = { kind: 'string', min: 1, max: 64, pattern: /^[\x21-\x7e]+$/, patternHint: 'must be printable ASCII without spaces' };
const id = ref;
const frameId: Spec = { kind: 'string', min: 1, max: 128, pattern: /^[\x21-\x7e]+$/, patternHint: 'must be a frame id (printable ASCII, no spaces)' };
const text = (max: number): Spec => ({ kind: 'string', min: 1, max, pattern: /^[^\x00-\x1f\x7f]+$/u, patternHint: 'must not contain control characters' });
const coord: Spec = { kind: 'number', min: -0.5, max: MAX_PIXEL };
const pixel: Spec = { kind: 'tuple', items: [coord, coord] };
const mode: Spec = { kind: 'enum', values: MODES };
const frameSeq: Spec = { kind: 'int', min: 0, max: 0xffffffff };
const maxPoints: Spec = { kind: 'int', min: 1, max: 64 };
/** A free-space target this far above the object's point along the target frame's +Z (PointRequest.offsetAboveM), m. */
export const MAX_OFFSET_ABOVE_M = 2;
const offsetAbove: Spec = { kind: 'number', min: 0, max: MAX_OFFSET_ABOVE_M };

/** Client → server messages. */
export type ClientMessage =
  | { type: 'query'; ref?: string; query: string; mode: RequestMode; targetFrame?: string; maxPoints?: number; frameSeq?: number; offsetAboveM?: number }
  | { type: 'click'; ref?: string; pixel: [number, number]; frameSeq: number; mode: RequestMode; targetFrame?: string; label?: string; offsetAboveM?: number }
  | { type: 'cancel'; id: string }
  | { type: 'confirm'; resultId: string; waypointIndex: number }
  | { type: 'hold'; frameSeq: number }
  | { type: 'depth'; frameSeq: number }
  | { type: 'ping'; t?: number };

export type ClientMessageType = ClientMessage['type'];

const CLIENT_SCHEMAS: Record<ClientMessageType, Spec> = {
  query: {
    kind: 'object',
    fields: { type: { kind: 'literal', value: 'query' }, ref, query: text(500), mode, targetFrame: frameId, maxPoints, frameSeq, offsetAboveM: offsetAbove },
    optional: ['ref', 'targetFrame', 'maxPoints', 'frameSeq', 'offsetAboveM'],
  },
  click: {
    kind: 'object',
    fields: { type: { kind: 'literal', value: 'click' }, ref, pixel, frameSeq, mode, targetFrame: frameId, label: text(64), offsetAboveM: offsetAbove },
    optional: ['ref', 'targetFrame', 'label', 'offsetAboveM'],
  },
  cancel: { kind: 'object', fields: { type: { kind: 'literal', value: 'cancel' }, id } },
  confirm: {
    kind: 'object',
    fields: { type: { kind: 'literal', value: 'confirm' }, resultId: id, waypointIndex: { kind: 'int', min: 0, max: 1023 } },
  },
  hold: { kind: 'object', fields: { type: { kind: 'literal', value: 'hold' }, frameSeq } },
  depth: { kind: 'object', fields: { type: { kind: 'literal', value: 'depth' }, frameSeq } },
  ping: { kind: 'object', fields: { type: { kind: 'literal', value: 'ping' }, t: { kind: 'number', min: -1e300, max: 1e300 } }, optional: ['t'] },
};

/** Messages that change something: only the operator role may send them. */
export const OPERATOR_MESSAGES: ReadonlySet<ClientMessageType> = new Set(['query', 'click', 'cancel', 'confirm', 'hold']);

export type ErrorCode =
  | 'bad_json'
  | 'too_large'
  | 'binary_not_accepted'
  | 'unknown_type'
  | 'invalid'
  | 'forbidden'
  | 'rate_limited'
  | 'too_many_requests'
  | 'dispatch_refused'
  | 'unknown_request';

export type ParseOutcome = { ok: true; message: ClientMessage } | { ok: false; code: ErrorCode; message: string; ref?: string };

/** Parses and validates one text message from a client. Never throws. */
export function parseClientMessage(raw: string): ParseOutcome {
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes > MAX_JSON_BYTES) return { ok: false, code: 'too_large', message: `message is ${bytes} bytes; the limit is ${MAX_JSON_BYTES}` };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { ok: false, code: 'bad_json', message: `not JSON: ${(error as Error).message.slice(0, 120)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, code: 'invalid', message: 'a message must be a JSON object' };
  const record = value as Record<string, unknown>;
  const echo = typeof record.ref === 'string' && record.ref.length <= 64 ? record.ref : undefined;
  const type = record.type;
  if (typeof type !== 'string') return { ok: false, code: 'invalid', message: 'type: required (a string)', ...(echo ? { ref: echo } : {}) };
  if (!Object.hasOwn(CLIENT_SCHEMAS, type)) {
    return { ok: false, code: 'unknown_type', message: `unknown message type '${type.slice(0, 40)}'`, ...(echo ? { ref: echo } : {}) };
  }
  const error = validate(value, CLIENT_SCHEMAS[type as ClientMessageType]);
  if (error) return { ok: false, code: 'invalid', message: `${type}: ${error}`, ...(echo ? { ref: echo } : {}) };
  return { ok: true, message: value as ClientMessage };
}

/** Body of `POST /api/v1/point` (snake_case, like the CLI flags). Exactly one of query, pixel, pixels. */
export interface ApiPointBody {
  query?: string;
  pixel?: [number, number];
  pixels?: [number, number][];
  label?: string;
  mode?: RequestMode;
  target_frame?: string;
  max_points?: number;
  frame_seq?: number;
  timeout_ms?: number;
  offset_above_m?: number;
}

const API_POINT_SCHEMA: Spec = {
  kind: 'object',
  fields: {
    query: text(500),
    pixel,
    pixels: { kind: 'array', items: pixel, min: 1, max: 64 },
    label: text(64),
    mode,
    target_frame: frameId,
    max_points: maxPoints,
    frame_seq: frameSeq,
    timeout_ms: { kind: 'int', min: 100, max: 600_000 },
    offset_above_m: offsetAbove,
  },
  optional: ['query', 'pixel', 'pixels', 'label', 'mode', 'target_frame', 'max_points', 'frame_seq', 'timeout_ms', 'offset_above_m'],
};

export function validateApiPointBody(value: unknown): { ok: true; body: ApiPointBody } | { ok: false; message: string } {
  const error = validate(value, API_POINT_SCHEMA);
  if (error) return { ok: false, message: error };
  const body = value as ApiPointBody;
  const given = [body.query, body.pixel, body.pixels].filter((x) => x !== undefined).length;
  if (given !== 1) return { ok: false, message: 'give exactly one of query, pixel, pixels' };
  return { ok: true, body };
}

/** Server → client messages (JSON text; stamps as decimal strings). Preview frames are binary (see wire.ts). */
export type ServerMessage =
  | { type: 'hello'; protocol: number; clientId: number; role: Role; config: HelloConfig }
  | { type: 'camera'; camera: CameraSummary }
  | { type: 'accepted'; id: string; ref?: string; kind: 'query' | 'click' }
  | { type: 'progress'; progress: Progress }
  | { type: 'result'; result: PointResult; requestedAtMs: number | null }
  | { type: 'history'; results: PointResult[]; dispatched: DispatchedGoal[]; requestedAtMs: Record<string, number> }
  | { type: 'held'; frameSeq: number; held: boolean; forMs: number }
  | { type: 'dispatch'; goal: DispatchedGoal }
  /** A dispatched goal's progress from the adapter carrying it (Nav2: feedback, then the result); cancel it with `cancel` and its result id. */
  | { type: 'goal_execution'; execution: GoalExecution }
  | { type: 'health'; health: Health; console: ConsoleStats; you: ClientStats }
  | { type: 'tf'; fixedFrame: string; frames: TfFramePose[] }
  | DepthGridMessage
  | { type: 'pong'; t?: number; serverMs: number }
  | { type: 'error'; code: ErrorCode; message: string; ref?: string };

export type Role = 'viewer' | 'operator';

/** The answer to a 'depth' request: the frame's downsampled depth (depth-grid.ts), or grid null and the reason. */
export interface DepthGridMessage {
  type: 'depth';
  frameSeq: number;
  stampNs: bigint | null;
  frameId: string | null;
  /** The camera's optical frame in the fixed frame (the 'tf' message's) at the frame's stamp, or null. */
  cameraPose: Pose | null;
  grid: { width: number; height: number; step: number; offset: number; cols: number; rows: number; valid: number; points: string } | null;
  reason: string;
}

export interface HelloConfig {
  previewFps: number;
  previewMaxSide: number;
  targetFrame: string;
  modes: readonly RequestMode[];
  maxJsonBytes: number;
  /** The bridge refuses to dispatch a result that finished longer ago than this (null: not known). */
  dispatchMaxAgeMs: number | null;
  /** New for every server start: a page that sees another one drops its history and dispatch marks. */
  bootId: string;
  /** The backend that answers text queries ('molmo', 'onnx', …), or null: the console can only click. */
  queryBackend: string | null;
  /** What receives dispatched goals (e.g. the ROS 2 node), or null: nothing does (ROS is off). */
  dispatchSink: string | null;
  /** How long a frame the page froze on (after a click or a 'hold') stays liftable, ms. */
  frameHoldMs: number;
}

/** The calibration in use, as the console shows it. */
export interface CameraSummary {
  frameId: string;
  width: number;
  height: number;
  distortionModel: string;
  k: number[];
  d: number[];
  p: number[];
  colorEncoding: string;
  depthEncoding: string;
  depthWidth: number;
  depthHeight: number;
}

/** A TF frame's latest pose in the fixed frame (for the 3D view's axes and the camera frustum). */
export interface TfFramePose {
  frameId: string;
  /** The frame's parent in the TF tree (null for a root) and whether that edge is static: the page's TF tree. */
  parent: string | null;
  isStatic: boolean;
  translation: { x: number; y: number; z: number };
  rotation: { x: number; y: number; z: number; w: number };
  stampNs: bigint;
}

export interface ClientStats {
  clientId: number;
  role: Role;
  framesSent: number;
  framesDropped: number;
  bufferedBytes: number;
}

export interface ConsoleStats {
  clients: number;
  previewFps: number;
  framesEncoded: number;
  framesSkipped: number;
  encodeMsP50: number | null;
  lastEncodeBytes: number;
  clientStats: ClientStats[];
}
