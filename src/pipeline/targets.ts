import type { Pose, Quaternion, Vec3 } from '../geometry/types.js';
import { IDENTITY, quaternionFromAxes, quaternionFromYaw } from '../geometry/transform.js';
import { cross, dot, isFiniteVec, scale, sub, unit } from './vec.js';

// Turning a 3D point into the pose a robot needs. All vectors are in the waypoint's frame.
//
// Conventions (docs/pipeline.md, "Target conventions"):
// - point: the position with the identity orientation.
// - pick: the pose's +Z axis is the approach direction, pointing INTO the surface (= -normal), as in MoveIt grasp
//   frames where the gripper moves along its own z. +X is the frame's "up" (+Z) made perpendicular to the approach,
//   or, when the approach is within ~26° of vertical (|approach·Z| > 0.9), the frame's +X made perpendicular;
//   +Y = Z × X. The pre-grasp pose has the same orientation, backed off by preGraspM along -approach.
//   Without a normal, the approach is the camera ray (camera -> point) and the quality is halved.
// - navigate: a pose on the floor (z = 0 of the navigation frame), standoffM short of the object along the
//   horizontal line from the robot (or camera) to it, its +X (yaw) facing the object.

const UP: Vec3 = { x: 0, y: 0, z: 1 };
const FORWARD: Vec3 = { x: 1, y: 0, z: 0 };
/** cos(25.8°): beyond this the approach is "vertical" and the frame's up cannot orient the gripper. */
const VERTICAL_DOT = 0.9;

export function pointPose(point: Vec3): Pose {
  return { position: { ...point }, orientation: { ...IDENTITY.rotation } };
}

export interface PickTarget {
  pose: Pose;
  preGraspPose: Pose | null;
  /** Unit approach direction (the pose's +Z). */
  approach: Vec3;
  /** False when the camera ray stood in for a missing surface normal. */
  fromNormal: boolean;
}

/**
 * @param normal unit surface normal pointing toward the camera, or null when it could not be estimated
 * @param cameraOrigin the camera's optical centre (same frame), for the fallback approach along the camera ray
 */
export function pickTarget(point: Vec3, normal: Vec3 | null, cameraOrigin: Vec3, preGraspM: number): PickTarget {
  const fromNormal = normal !== null && unit(normal) !== null;
  const approach = (fromNormal ? unit(scale(normal!, -1)) : unit(sub(point, cameraOrigin))) ?? { x: 0, y: 0, z: -1 };
  const orientation = orientationFromApproach(approach);
  const pose: Pose = { position: { ...point }, orientation };
  const preGraspPose: Pose | null =
    preGraspM > 0 ? { position: sub(point, scale(approach, preGraspM)), orientation: { ...orientation } } : null;
  return { pose, preGraspPose, approach, fromNormal };
}

/** The rotation whose +Z is `approach` (unit) and whose +X follows the documented rule. */
export function orientationFromApproach(approach: Vec3): Quaternion {
  const ref = Math.abs(dot(approach, UP)) > VERTICAL_DOT ? FORWARD : UP;
  const x = unit(sub(ref, scale(approach, dot(ref, approach))))!;
  const y = cross(approach, x);
  return quaternionFromAxes(x, y, approach);
}

export interface NavigateTarget {
  pose: Pose;
  /** Unit horizontal direction from the robot (or camera) to the object. */
  direction: Vec3;
  /** Horizontal distance from the robot (or camera) to the object. */
  distanceM: number;
}

/**
 * @param object the object's point in the navigation frame
 * @param from the robot's (or camera's) position in the navigation frame
 * @param fallbackDirection used when the object is straight above/below `from` (e.g. the camera's optical axis)
 */
export function navigateTarget(object: Vec3, from: Vec3, standoffM: number, fallbackDirection: Vec3): NavigateTarget {
  const horizontal = { x: object.x - from.x, y: object.y - from.y, z: 0 };
  const distanceM = Math.hypot(horizontal.x, horizontal.y);
  const direction =
    (distanceM > 1e-6 ? unit(horizontal) : null) ??
    unit({ x: fallbackDirection.x, y: fallbackDirection.y, z: 0 }) ??
    FORWARD;
  const position = { x: object.x - direction.x * standoffM, y: object.y - direction.y * standoffM, z: 0 };
  const orientation = quaternionFromYaw(Math.atan2(direction.y, direction.x));
  if (!isFiniteVec(position)) throw new RangeError('navigate target is not finite');
  return { pose: { position, orientation }, direction, distanceM };
}
