// Rigid transforms as translation + unit quaternion (ROS x, y, z, w order), as plain numbers.
// Convention everywhere: a Transform T maps a point from its child frame into its parent frame,
// p_parent = R(T.rotation) · p_child + T.translation (geometry_msgs/Transform as tf2 uses it).
import type { Quaternion, Transform, Vec3 } from './types.js';

export const IDENTITY: Readonly<Transform> = Object.freeze({
  translation: Object.freeze({ x: 0, y: 0, z: 0 }),
  rotation: Object.freeze({ x: 0, y: 0, z: 0, w: 1 }),
});

/** Unit quaternion with the same rotation. Throws on a zero, NaN or infinite norm (never a silent identity). */
export function normalizeQuaternion(q: Quaternion): Quaternion {
  const n = Math.hypot(q.x, q.y, q.z, q.w);
  if (!Number.isFinite(n) || n < 1e-12) {
    throw new RangeError(`quaternion (${q.x}, ${q.y}, ${q.z}, ${q.w}) has no usable norm (${n})`);
  }
  return { x: q.x / n, y: q.y / n, z: q.z / n, w: q.w / n };
}

/** Hamilton product a ⊗ b: rotating by b first, then by a. */
export function multiplyQuaternions(a: Quaternion, b: Quaternion): Quaternion {
  return {
    x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
    y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
    z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w,
    w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
  };
}

export function conjugate(q: Quaternion): Quaternion {
  return { x: -q.x, y: -q.y, z: -q.z, w: q.w };
}

/** R(q)·v for a unit quaternion q (v + 2w(u×v) + 2u×(u×v), u the vector part). */
export function rotateVector(q: Quaternion, v: Vec3): Vec3 {
  const tx = 2 * (q.y * v.z - q.z * v.y);
  const ty = 2 * (q.z * v.x - q.x * v.z);
  const tz = 2 * (q.x * v.y - q.y * v.x);
  return {
    x: v.x + q.w * tx + (q.y * tz - q.z * ty),
    y: v.y + q.w * ty + (q.z * tx - q.x * tz),
    z: v.z + q.w * tz + (q.x * ty - q.y * tx),
  };
}

/** p -> R·p + t. */
export function applyTransform(t: Transform, p: Vec3): Vec3 {
  const r = rotateVector(t.rotation, p);
  return { x: r.x + t.translation.x, y: r.y + t.translation.y, z: r.z + t.translation.z };
}

/** The transform p -> a(b(p)): if b maps C into B and a maps B into A, the result maps C into A. */
export function compose(a: Transform, b: Transform): Transform {
  return {
    translation: applyTransform(a, b.translation),
    rotation: renormalize(multiplyQuaternions(a.rotation, b.rotation)),
  };
}

export function invert(t: Transform): Transform {
  const qi = conjugate(t.rotation);
  const ti = rotateVector(qi, t.translation);
  return { translation: { x: -ti.x, y: -ti.y, z: -ti.z }, rotation: qi };
}

/** Spherical linear interpolation along the shorter arc; s = 0 gives q1, s = 1 gives q2 (or -q2). */
export function slerp(q1: Quaternion, q2: Quaternion, s: number): Quaternion {
  let dot = q1.x * q2.x + q1.y * q2.y + q1.z * q2.z + q1.w * q2.w;
  let b = q2;
  if (dot < 0) {
    dot = -dot;
    b = { x: -q2.x, y: -q2.y, z: -q2.z, w: -q2.w };
  }
  let wa: number;
  let wb: number;
  if (dot > 0.9999995) {
    // Nearly identical: sin(θ) ≈ 0 would amplify rounding, and linear interpolation is exact to ~1e-13 here.
    wa = 1 - s;
    wb = s;
  } else {
    const theta = Math.acos(Math.min(1, dot));
    const sinTheta = Math.sin(theta);
    wa = Math.sin((1 - s) * theta) / sinTheta;
    wb = Math.sin(s * theta) / sinTheta;
  }
  return renormalize({
    x: wa * q1.x + wb * b.x,
    y: wa * q1.y + wb * b.y,
    z: wa * q1.z + wb * b.z,
    w: wa * q1.w + wb * b.w,
  });
}

/** Linear in translation, slerp in rotation (what tf2 does between two stamps). */
export function interpolateTransform(t1: Transform, t2: Transform, s: number): Transform {
  const a = t1.translation;
  const b = t2.translation;
  return {
    translation: { x: a.x + (b.x - a.x) * s, y: a.y + (b.y - a.y) * s, z: a.z + (b.z - a.z) * s },
    rotation: slerp(t1.rotation, t2.rotation, s),
  };
}

/** Fixed-axis roll (X), pitch (Y), yaw (Z) in radians, as tf2's setRPY: R = Rz(yaw)·Ry(pitch)·Rx(roll). */
export function quaternionFromRpy(roll: number, pitch: number, yaw: number): Quaternion {
  const cr = Math.cos(roll / 2);
  const sr = Math.sin(roll / 2);
  const cp = Math.cos(pitch / 2);
  const sp = Math.sin(pitch / 2);
  const cy = Math.cos(yaw / 2);
  const sy = Math.sin(yaw / 2);
  return {
    x: sr * cp * cy - cr * sp * sy,
    y: cr * sp * cy + sr * cp * sy,
    z: cr * cp * sy - sr * sp * cy,
    w: cr * cp * cy + sr * sp * sy,
  };
}

/** Inverse of quaternionFromRpy; pitch in [-π/2, π/2]. */
export function rpyFromQuaternion(q: Quaternion): { roll: number; pitch: number; yaw: number } {
  const roll = Math.atan2(2 * (q.w * q.x + q.y * q.z), 1 - 2 * (q.x * q.x + q.y * q.y));
  const sinPitch = Math.max(-1, Math.min(1, 2 * (q.w * q.y - q.z * q.x)));
  const pitch = Math.asin(sinPitch);
  const yaw = Math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z));
  return { roll, pitch, yaw };
}

export function quaternionFromYaw(yaw: number): Quaternion {
  return { x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) };
}

/** Row-major 3×3 rotation matrix of a unit quaternion. */
export function matrixFromQuaternion(q: Quaternion): number[] {
  const { x, y, z, w } = q;
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
  ];
}

/** Unit quaternion of a row-major 3×3 rotation matrix (Shepperd's method: divides by the largest term). */
export function quaternionFromMatrix(m: ArrayLike<number>): Quaternion {
  if (m.length !== 9) throw new RangeError(`rotation matrix needs 9 values, got ${m.length}`);
  const m00 = m[0]!, m01 = m[1]!, m02 = m[2]!;
  const m10 = m[3]!, m11 = m[4]!, m12 = m[5]!;
  const m20 = m[6]!, m21 = m[7]!, m22 = m[8]!;
  const trace = m00 + m11 + m22;
  let q: Quaternion;
  if (trace > 0) {
    const s = 2 * Math.sqrt(trace + 1);
    q = { w: s / 4, x: (m21 - m12) / s, y: (m02 - m20) / s, z: (m10 - m01) / s };
  } else if (m00 > m11 && m00 > m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    q = { w: (m21 - m12) / s, x: s / 4, y: (m01 + m10) / s, z: (m02 + m20) / s };
  } else if (m11 > m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    q = { w: (m02 - m20) / s, x: (m01 + m10) / s, y: s / 4, z: (m12 + m21) / s };
  } else {
    const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
    q = { w: (m10 - m01) / s, x: (m02 + m20) / s, y: (m12 + m21) / s, z: s / 4 };
  }
  return normalizeQuaternion(q);
}

/** Rotation whose columns are the given orthonormal axes (the child frame's axes seen in the parent frame). */
export function quaternionFromAxes(xAxis: Vec3, yAxis: Vec3, zAxis: Vec3): Quaternion {
  return quaternionFromMatrix([
    xAxis.x, yAxis.x, zAxis.x,
    xAxis.y, yAxis.y, zAxis.y,
    xAxis.z, yAxis.z, zAxis.z,
  ]);
}

function renormalize(q: Quaternion): Quaternion {
  const n = Math.hypot(q.x, q.y, q.z, q.w);
  return { x: q.x / n, y: q.y / n, z: q.z / n, w: q.w / n };
}
