// easy_handeye2 calibration files (`.calib`, YAML). Current layout (easy_handeye2 tests/data/*.calib):
//   parameters: {name, calibration_type: eye_on_base | eye_in_hand, robot_base_frame, robot_effector_frame,
//                tracking_base_frame, tracking_marker_frame, freehand_robot_movement, move_group_namespace, move_group}
//   transform:  {translation: {x, y, z}, rotation: {x, y, z, w}}
// The older layout (parameters.eye_on_hand: bool, namespace; transformation: {x, y, z, qx, qy, qz, qw}) is read too.
// The transform maps the camera (tracking_base_frame) into the robot base (eye_on_base) or the effector
// (eye_in_hand): p_parent = R·p_camera + t — exactly what easy_handeye2's publisher broadcasts on /tf_static.
import { compose, invert, normalizeQuaternion } from '../geometry/transform.js';
import type { Quaternion, Transform, TransformStamped } from '../geometry/types.js';
import { type Doc, Fields, readDocument } from './read-document.js';

export type HandEyeType = 'eye_on_base' | 'eye_in_hand';

export interface HandEyeCalibration {
  type: HandEyeType;
  /** robot_base_frame (eye_on_base) or robot_effector_frame (eye_in_hand). */
  parentFrame: string;
  /** tracking_base_frame: the camera frame the calibration was made for. */
  childFrame: string;
  /** Maps childFrame points into parentFrame. */
  transform: Transform;
}

/** `doc`: the file already parsed (loadTransformsFile reads it once to tell the kinds apart). */
export function loadHandEye(path: string, doc: Doc = readDocument(path)): HandEyeCalibration {
  const f: Fields = new Fields(path, doc);
  const params: Fields = f.object('parameters');
  let type: HandEyeType;
  if (params.has('calibration_type')) {
    const t = params.string('calibration_type');
    if (t !== 'eye_on_base' && t !== 'eye_in_hand') params.fail('calibration_type', `must be eye_on_base or eye_in_hand, got '${t}'`);
    type = t;
  } else if (params.has('eye_on_hand')) {
    type = params.boolean('eye_on_hand') ? 'eye_in_hand' : 'eye_on_base';
  } else {
    params.fail('calibration_type', 'missing (neither calibration_type nor eye_on_hand is set)');
  }
  const parentFrame = params.nonEmptyString(type === 'eye_on_base' ? 'robot_base_frame' : 'robot_effector_frame');
  const childFrame = params.nonEmptyString('tracking_base_frame');

  if (f.has('transform')) {
    const t: Fields = f.object('transform');
    const tr = t.object('translation');
    const ro = t.object('rotation');
    const translation = { x: tr.number('x'), y: tr.number('y'), z: tr.number('z') };
    const rotation = unit(t, 'rotation', { x: ro.number('x'), y: ro.number('y'), z: ro.number('z'), w: ro.number('w') });
    return { type, parentFrame, childFrame, transform: { translation, rotation } };
  }
  const t: Fields = f.object('transformation');
  const translation = { x: t.number('x'), y: t.number('y'), z: t.number('z') };
  const rotation = unit(t, 'qw', { x: t.number('qx'), y: t.number('qy'), z: t.number('qz'), w: t.number('qw') });
  return { type, parentFrame, childFrame, transform: { translation, rotation } };
}

/** The calibration as a static transform (stamp 0), parent <- camera, for a TF buffer or /tf_static. */
export function handEyeTransform(c: HandEyeCalibration): TransformStamped {
  return { frameId: c.parentFrame, childFrameId: c.childFrame, stampNs: 0n, transform: c.transform };
}

/**
 * The calibration moved onto `attachFrame` (e.g. camera_link), for a camera whose driver or URDF already gives the
 * optical frame a parent: a TF frame has one parent, so parent -> attach is published instead of parent -> optical.
 * T(parent <- attach) = T(parent <- child) · T(attach <- child)⁻¹, with `attachFromChild` the camera's own chain.
 */
export function attachedHandEyeTransform(c: HandEyeCalibration, attachFrame: string, attachFromChild: Transform): TransformStamped {
  return { frameId: c.parentFrame, childFrameId: attachFrame, stampNs: 0n, transform: compose(c.transform, invert(attachFromChild)) };
}

function unit(f: Fields, field: string, q: Quaternion): Quaternion {
  try {
    return normalizeQuaternion(q);
  } catch {
    return f.fail(field, `quaternion (${q.x}, ${q.y}, ${q.z}, ${q.w}) has zero norm`);
  }
}
