// Our small YAML for fixed mounts that are not in the robot's URDF (a camera on a tripod, a second camera):
//   transforms:
//     - parent: base_link
//       child: camera_link
//       translation: [x, y, z]            # metres; or {x, y, z}
//       rotation: [x, y, z, w]            # quaternion; or {x, y, z, w}
//     - parent: camera_link
//       child: camera_color_optical_frame
//       translation: [0, 0, 0]
//       rpy: [-1.5707963, 0, -1.5707963]  # radians, fixed axes X, Y, Z (tf2 setRPY); instead of rotation
//     - parent: base_link
//       child: side_camera_link
//       matrix: [r00, r01, r02, tx,  r10, r11, r12, ty,  r20, r21, r22, tz,  0, 0, 0, 1]
//                                       # 4×4 homogeneous, row-major; instead of translation and rotation/rpy
// Each entry maps child points into the parent: p_parent = R·p_child + t (as tf2_ros static_transform_publisher).
import { normalizeQuaternion, quaternionFromRpy } from '../geometry/transform.js';
import type { Quaternion, TransformStamped, Vec3 } from '../geometry/types.js';
import { CalibrationFileError } from './errors.js';
import { transformFromMatrix } from './matrix-transform.js';
import { type Doc, Fields, readDocument } from './read-document.js';

/** `doc`: the file already parsed (loadTransformsFile reads it once to tell the kinds apart). */
export function loadStaticTransforms(path: string, doc: Doc = readDocument(path)): TransformStamped[] {
  const f: Fields = new Fields(path, doc);
  const list = f.raw('transforms');
  if (!Array.isArray(list)) f.fail('transforms', list === undefined ? 'missing' : 'must be a list');
  if (list.length === 0) f.fail('transforms', 'is empty');
  return list.map((entry, i) => {
    const key = `transforms[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new CalibrationFileError(path, key, 'must be a mapping with parent, child, and translation with rotation or rpy, or matrix');
    }
    const e: Fields = new Fields(path, entry as Doc, key);
    const parent = e.nonEmptyString('parent');
    const child = e.nonEmptyString('child');
    if (parent === child) e.fail('child', `equals parent '${parent}'`);
    if (e.has('matrix')) {
      for (const other of ['translation', 'rotation', 'rpy']) {
        if (e.has(other)) e.fail(other, 'give either matrix or translation with rotation/rpy, not both');
      }
      return { frameId: parent, childFrameId: child, stampNs: 0n, transform: transformFromMatrix(e, 'matrix') };
    }
    const translation = vector(e, 'translation', ['x', 'y', 'z']) as unknown as Vec3;
    let rotation: Quaternion;
    if (e.has('rotation') && e.has('rpy')) e.fail('rpy', 'give either rotation or rpy, not both');
    if (e.has('rpy')) {
      const [roll, pitch, yaw] = e.numbers('rpy', [3]) as [number, number, number];
      rotation = quaternionFromRpy(roll, pitch, yaw);
    } else if (e.has('rotation')) {
      const q = vector(e, 'rotation', ['x', 'y', 'z', 'w']) as unknown as Quaternion;
      try {
        rotation = normalizeQuaternion(q);
      } catch {
        e.fail('rotation', `quaternion (${q.x}, ${q.y}, ${q.z}, ${q.w}) has zero norm`);
      }
    } else {
      e.fail('rotation', 'missing (give rotation as a quaternion [x, y, z, w] or rpy [roll, pitch, yaw], or a 4×4 matrix instead)');
    }
    return { frameId: parent, childFrameId: child, stampNs: 0n, transform: { translation, rotation } };
  });
}

/** A list [a, b, ...] or a mapping {x: a, ...} into {x, y, ...}. */
function vector(f: Fields, key: string, names: string[]): Record<string, number> {
  const raw = f.raw(key);
  if (Array.isArray(raw)) {
    const values = f.numbers(key, [names.length]);
    return Object.fromEntries(names.map((n, i) => [n, values[i]!]));
  }
  const o = f.object(key);
  return Object.fromEntries(names.map((n) => [n, o.number(n)]));
}
