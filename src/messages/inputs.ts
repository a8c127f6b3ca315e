// ROS 2 input messages as plain objects (snake_case fields, stamps {sec, nanosec}, `data: Uint8Array`), the exact
// shape rclnodejs hands to callbacks and our CDR decoder returns, <-> our camelCase types with bigint stamps.
// Validation here is about shape (fields present, sizes consistent); what the values mean (a usable camera
// model, a supported depth encoding) is checked where they are used.

import { nsFromRos, rosFromNs } from '../geometry/time.js';
import type {
  CameraInfo,
  CompressedImage,
  Header,
  RawImage,
  RegionOfInterest,
  Transform,
  TransformStamped,
} from '../geometry/types.js';
import type { SourceEvent } from '../pipeline/types.js';

export interface TimeMsg {
  sec: number;
  nanosec: number;
}
export interface HeaderMsg {
  stamp: TimeMsg;
  frame_id: string;
}
export interface ImageMsg {
  header: HeaderMsg;
  height: number;
  width: number;
  encoding: string;
  /** uint8 on the wire; rclnodejs and CDR give a number, some code a boolean. */
  is_bigendian: number | boolean;
  step: number;
  data: Uint8Array;
}
export interface CompressedImageMsg {
  header: HeaderMsg;
  format: string;
  data: Uint8Array;
}
export interface RegionOfInterestMsg {
  x_offset: number;
  y_offset: number;
  height: number;
  width: number;
  do_rectify: boolean;
}
export interface CameraInfoMsg {
  header: HeaderMsg;
  height: number;
  width: number;
  distortion_model: string;
  /** float64 arrays: number[] from rclnodejs, Float64Array from CDR decoding. */
  d: ArrayLike<number>;
  k: ArrayLike<number>;
  r: ArrayLike<number>;
  p: ArrayLike<number>;
  binning_x: number;
  binning_y: number;
  roi: RegionOfInterestMsg;
}
export interface Vector3Msg {
  x: number;
  y: number;
  z: number;
}
export interface QuaternionMsg {
  x: number;
  y: number;
  z: number;
  w: number;
}
export interface TransformMsg {
  translation: Vector3Msg;
  rotation: QuaternionMsg;
}
export interface TransformStampedMsg {
  header: HeaderMsg;
  child_frame_id: string;
  transform: TransformMsg;
}
export interface TFMessageMsg {
  transforms: TransformStampedMsg[];
}

/** A message whose shape is wrong; the message names the type and the field. */
export class MessageShapeError extends Error {
  constructor(
    readonly type: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${type}: ${field} ${detail}`);
    this.name = 'MessageShapeError';
  }
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const UINT32_MAX = 2 ** 32 - 1;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function requireObject(type: string, field: string, v: unknown): Record<string, unknown> {
  if (!isObject(v)) throw new MessageShapeError(type, field, `must be an object, got ${describe(v)}`);
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return typeof v === 'object' ? (v.constructor?.name ?? 'object') : `${typeof v} ${String(v)}`;
}

function requireString(type: string, field: string, v: unknown): string {
  if (typeof v !== 'string') throw new MessageShapeError(type, field, `must be a string, got ${describe(v)}`);
  return v;
}

function requireUint32(type: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > UINT32_MAX) {
    throw new MessageShapeError(type, field, `must be an integer in [0, 2^32), got ${describe(v)}`);
  }
  return v;
}

function requireFinite(type: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new MessageShapeError(type, field, `must be a finite number, got ${describe(v)}`);
  }
  return v;
}

function requireBool(type: string, field: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  throw new MessageShapeError(type, field, `must be a boolean (or 0/1), got ${describe(v)}`);
}

function requireBytes(type: string, field: string, v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  // Some bindings hand uint8[] over as a plain array; accept it but only if every entry is a byte.
  if (Array.isArray(v)) {
    const out = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const b: unknown = v[i];
      if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 255) {
        throw new MessageShapeError(type, `${field}[${i}]`, `must be a byte, got ${describe(b)}`);
      }
      out[i] = b;
    }
    return out;
  }
  throw new MessageShapeError(type, field, `must be a Uint8Array, got ${describe(v)}`);
}

function requireFloats(type: string, field: string, v: unknown, length: number | null): number[] {
  const isArrayLike = Array.isArray(v) || ArrayBuffer.isView(v);
  if (!isArrayLike || v instanceof DataView) {
    throw new MessageShapeError(type, field, `must be an array of numbers, got ${describe(v)}`);
  }
  const arr = v as ArrayLike<unknown>;
  if (length !== null && arr.length !== length) {
    throw new MessageShapeError(type, field, `must have ${length} entries, got ${arr.length}`);
  }
  const out = new Array<number>(arr.length);
  for (let i = 0; i < arr.length; i++) out[i] = requireFinite(type, `${field}[${i}]`, arr[i]);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Header and time

/** builtin_interfaces/Time -> int64 ns, exact for any int32 `sec` (a double would lose nanoseconds). */
export function stampFromMsg(t: unknown, type = 'builtin_interfaces/Time', field = 'stamp'): bigint {
  const o = requireObject(type, field, t);
  const sec = o['sec'];
  const nanosec = o['nanosec'];
  if (typeof sec !== 'number' || !Number.isInteger(sec) || sec < INT32_MIN || sec > INT32_MAX) {
    throw new MessageShapeError(type, `${field}.sec`, `must be an int32, got ${describe(sec)}`);
  }
  if (typeof nanosec !== 'number' || !Number.isInteger(nanosec) || nanosec < 0 || nanosec >= 1e9) {
    throw new MessageShapeError(type, `${field}.nanosec`, `must be an integer in [0, 1e9), got ${describe(nanosec)}`);
  }
  return nsFromRos({ sec, nanosec });
}

/** int64 ns -> builtin_interfaces/Time; throws when the seconds do not fit the message's int32. */
export function stampToMsg(ns: bigint, type = 'builtin_interfaces/Time', field = 'stamp'): TimeMsg {
  const t = rosFromNs(ns);
  if (t.sec < INT32_MIN || t.sec > INT32_MAX) {
    throw new MessageShapeError(type, `${field}.sec`, `${t.sec} does not fit int32 (stamp ${ns} ns)`);
  }
  return t;
}

export function headerFromMsg(msg: unknown, type = 'std_msgs/Header'): Header {
  const o = requireObject(type, 'header', msg);
  return {
    stampNs: stampFromMsg(o['stamp'], type, 'header.stamp'),
    frameId: requireString(type, 'header.frame_id', o['frame_id']),
  };
}

export function headerToMsg(h: Header, type = 'std_msgs/Header'): HeaderMsg {
  return { stamp: stampToMsg(h.stampNs, type, 'header.stamp'), frame_id: h.frameId };
}

// ---------------------------------------------------------------------------------------------------------
// Images

const NAMED_ENCODING_BYTES: Record<string, number> = {
  rgb8: 3, bgr8: 3, rgba8: 4, bgra8: 4, mono8: 1, mono16: 2, rgb16: 6, bgr16: 6, rgba16: 8, bgra16: 8,
  yuv422: 2, uyvy: 2, yuyv: 2, yuv422_yuy2: 2,
  bayer_rggb8: 1, bayer_bggr8: 1, bayer_gbrg8: 1, bayer_grbg8: 1,
  bayer_rggb16: 2, bayer_bggr16: 2, bayer_gbrg16: 2, bayer_grbg16: 2,
};
const CV_ENCODING = /^(8|16|32|64)(U|S|F)C([1-9]\d*)$/;

/** Bytes per pixel of a sensor_msgs/image_encodings name, or null when the name is not one we know. */
export function bytesPerPixel(encoding: string): number | null {
  const named = NAMED_ENCODING_BYTES[encoding.toLowerCase()];
  if (named !== undefined) return named;
  const m = CV_ENCODING.exec(encoding.toUpperCase());
  return m ? (Number(m[1]) / 8) * Number(m[3]) : null;
}

/** sensor_msgs/Image -> RawImage (no copy: `data` is the message's buffer). */
export function rawImageFromMsg(msg: unknown): RawImage {
  const T = 'sensor_msgs/Image';
  const o = requireObject(T, 'message', msg);
  const width = requireUint32(T, 'width', o['width']);
  const height = requireUint32(T, 'height', o['height']);
  const step = requireUint32(T, 'step', o['step']);
  const encoding = requireString(T, 'encoding', o['encoding']);
  if (encoding === '') throw new MessageShapeError(T, 'encoding', 'is empty');
  const isBigEndian = requireBool(T, 'is_bigendian', o['is_bigendian']);
  const data = requireBytes(T, 'data', o['data']);
  const bpp = bytesPerPixel(encoding);
  if (bpp !== null && step < width * bpp) {
    throw new MessageShapeError(T, 'step', `${step} is less than width*${bpp} = ${width * bpp} for ${encoding}`);
  }
  if (data.length < step * height) {
    throw new MessageShapeError(T, 'data', `has ${data.length} bytes, fewer than step*height = ${step}*${height} = ${step * height}`);
  }
  return { encoding, width, height, step, isBigEndian, data };
}

export function rawImageToMsg(img: RawImage, header: Header): ImageMsg {
  return {
    header: headerToMsg(header, 'sensor_msgs/Image'),
    height: img.height,
    width: img.width,
    encoding: img.encoding,
    is_bigendian: img.isBigEndian ? 1 : 0,
    step: img.step,
    data: img.data,
  };
}

/** sensor_msgs/CompressedImage -> CompressedImage (no copy). */
export function compressedImageFromMsg(msg: unknown): CompressedImage {
  const T = 'sensor_msgs/CompressedImage';
  const o = requireObject(T, 'message', msg);
  const format = requireString(T, 'format', o['format']);
  const data = requireBytes(T, 'data', o['data']);
  if (data.length === 0) throw new MessageShapeError(T, 'data', 'is empty');
  return { format, data };
}

export function compressedImageToMsg(img: CompressedImage, header: Header): CompressedImageMsg {
  return { header: headerToMsg(header, 'sensor_msgs/CompressedImage'), format: img.format, data: img.data };
}

// ---------------------------------------------------------------------------------------------------------
// CameraInfo

function roiFromMsg(v: unknown): RegionOfInterest {
  const T = 'sensor_msgs/CameraInfo';
  const o = requireObject(T, 'roi', v);
  return {
    xOffset: requireUint32(T, 'roi.x_offset', o['x_offset']),
    yOffset: requireUint32(T, 'roi.y_offset', o['y_offset']),
    width: requireUint32(T, 'roi.width', o['width']),
    height: requireUint32(T, 'roi.height', o['height']),
    doRectify: requireBool(T, 'roi.do_rectify', o['do_rectify']),
  };
}

/** sensor_msgs/CameraInfo -> CameraInfo; `d` any length, `k`/`r` 9 and `p` 12 entries, all finite. */
export function cameraInfoFromMsg(msg: unknown): CameraInfo {
  const T = 'sensor_msgs/CameraInfo';
  const o = requireObject(T, 'message', msg);
  return {
    width: requireUint32(T, 'width', o['width']),
    height: requireUint32(T, 'height', o['height']),
    distortionModel: requireString(T, 'distortion_model', o['distortion_model']),
    d: requireFloats(T, 'd', o['d'], null),
    k: requireFloats(T, 'k', o['k'], 9),
    r: requireFloats(T, 'r', o['r'], 9),
    p: requireFloats(T, 'p', o['p'], 12),
    binningX: requireUint32(T, 'binning_x', o['binning_x']),
    binningY: requireUint32(T, 'binning_y', o['binning_y']),
    roi: roiFromMsg(o['roi']),
  };
}

export function cameraInfoToMsg(info: CameraInfo, header: Header): CameraInfoMsg {
  return {
    header: headerToMsg(header, 'sensor_msgs/CameraInfo'),
    height: info.height,
    width: info.width,
    distortion_model: info.distortionModel,
    d: [...info.d],
    k: [...info.k],
    r: [...info.r],
    p: [...info.p],
    binning_x: info.binningX,
    binning_y: info.binningY,
    roi: {
      x_offset: info.roi.xOffset,
      y_offset: info.roi.yOffset,
      height: info.roi.height,
      width: info.roi.width,
      do_rectify: info.roi.doRectify,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Transforms

function transformFromMsg(v: unknown, field: string): Transform {
  const T = 'tf2_msgs/TFMessage';
  const o = requireObject(T, field, v);
  const t = requireObject(T, `${field}.translation`, o['translation']);
  const r = requireObject(T, `${field}.rotation`, o['rotation']);
  return {
    translation: {
      x: requireFinite(T, `${field}.translation.x`, t['x']),
      y: requireFinite(T, `${field}.translation.y`, t['y']),
      z: requireFinite(T, `${field}.translation.z`, t['z']),
    },
    rotation: {
      x: requireFinite(T, `${field}.rotation.x`, r['x']),
      y: requireFinite(T, `${field}.rotation.y`, r['y']),
      z: requireFinite(T, `${field}.rotation.z`, r['z']),
      w: requireFinite(T, `${field}.rotation.w`, r['w']),
    },
  };
}

/** geometry_msgs/TransformStamped -> TransformStamped (quaternion as sent; the TF buffer normalises). */
export function transformStampedFromMsg(msg: unknown, field = 'transform'): TransformStamped {
  const T = 'tf2_msgs/TFMessage';
  const o = requireObject(T, field, msg);
  const header = requireObject(T, `${field}.header`, o['header']);
  const childFrameId = requireString(T, `${field}.child_frame_id`, o['child_frame_id']);
  const frameId = requireString(T, `${field}.header.frame_id`, header['frame_id']);
  if (frameId === '') throw new MessageShapeError(T, `${field}.header.frame_id`, 'is empty');
  if (childFrameId === '') throw new MessageShapeError(T, `${field}.child_frame_id`, 'is empty');
  return {
    frameId,
    childFrameId,
    stampNs: stampFromMsg(header['stamp'], T, `${field}.header.stamp`),
    transform: transformFromMsg(o['transform'], `${field}.transform`),
  };
}

/** tf2_msgs/TFMessage -> TransformStamped[]; one bad entry rejects the message (its index is in the error). */
export function transformsFromTfMsg(msg: unknown): TransformStamped[] {
  const T = 'tf2_msgs/TFMessage';
  const o = requireObject(T, 'message', msg);
  const list = o['transforms'];
  if (!Array.isArray(list)) throw new MessageShapeError(T, 'transforms', `must be an array, got ${describe(list)}`);
  return list.map((t, i) => transformStampedFromMsg(t, `transforms[${i}]`));
}

export function transformStampedToMsg(t: TransformStamped): TransformStampedMsg {
  const { translation: p, rotation: q } = t.transform;
  return {
    header: headerToMsg({ stampNs: t.stampNs, frameId: t.frameId }, 'geometry_msgs/TransformStamped'),
    child_frame_id: t.childFrameId,
    transform: { translation: { x: p.x, y: p.y, z: p.z }, rotation: { x: q.x, y: q.y, z: q.z, w: q.w } },
  };
}

export function transformsToTfMsg(transforms: readonly TransformStamped[]): TFMessageMsg {
  return { transforms: transforms.map(transformStampedToMsg) };
}

// ---------------------------------------------------------------------------------------------------------
// Source events: what every source (ROS subscription, MCAP replay) hands the pipeline for one message.

export function colorEventFromImageMsg(msg: unknown): SourceEvent {
  const header = headerFromMsg(requireObject('sensor_msgs/Image', 'message', msg)['header'], 'sensor_msgs/Image');
  return { kind: 'color', header, image: { kind: 'raw', ...rawImageFromMsg(msg) } };
}

export function colorEventFromCompressedMsg(msg: unknown): SourceEvent {
  const T = 'sensor_msgs/CompressedImage';
  const header = headerFromMsg(requireObject(T, 'message', msg)['header'], T);
  return { kind: 'color', header, image: { kind: 'compressed', ...compressedImageFromMsg(msg) } };
}

export function depthEventFromMsg(msg: unknown): SourceEvent {
  const header = headerFromMsg(requireObject('sensor_msgs/Image', 'message', msg)['header'], 'sensor_msgs/Image');
  return { kind: 'depth', header, image: rawImageFromMsg(msg) };
}

export function cameraInfoEventFromMsg(msg: unknown): SourceEvent {
  const T = 'sensor_msgs/CameraInfo';
  const header = headerFromMsg(requireObject(T, 'message', msg)['header'], T);
  return { kind: 'camera_info', header, info: cameraInfoFromMsg(msg) };
}

export function tfEventFromMsg(msg: unknown, isStatic: boolean): SourceEvent {
  return { kind: 'tf', transforms: transformsFromTfMsg(msg), isStatic };
}
