// moveit_msgs/CollisionObject per object of a result, so MoveIt's planning scene can avoid the object or attach it
// (MoveIt Task Constructor picks a named collision object). Pure: which objects to remove when a later result
// replaces them is the publisher's state (src/ros/collision-object-publisher.ts).
import type { PointResult, Waypoint } from '../pipeline/types.js';
import { headerToMsg, type HeaderMsg } from './inputs.js';
import { usableBox } from './object-extent.js';
import { poseMsg, type PointMsg, type PoseMsg } from './outputs.js';

/** shape_msgs/SolidPrimitive (polygon: PRISM only, empty otherwise). */
export interface SolidPrimitiveMsg {
  type: number;
  dimensions: number[];
  polygon: { points: PointMsg[] };
}

export interface CollisionObjectMsg {
  header: HeaderMsg;
  pose: PoseMsg;
  id: string;
  type: { key: string; db: string };
  primitives: SolidPrimitiveMsg[];
  primitive_poses: PoseMsg[];
  meshes: { triangles: { vertex_indices: number[] }[]; vertices: PointMsg[] }[];
  mesh_poses: PoseMsg[];
  planes: { coef: number[] }[];
  plane_poses: PoseMsg[];
  subframe_names: string[];
  subframe_poses: PoseMsg[];
  operation: number;
}

/** moveit_msgs/CollisionObject operations used here. */
export const COLLISION_OBJECT = { ADD: 0, REMOVE: 1 } as const;
/** shape_msgs/SolidPrimitive.BOX; its dimensions are the side lengths along the pose's x, y, z. */
export const SOLID_PRIMITIVE_BOX = 1;

const IDENTITY_POSE: PoseMsg = { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } };

/**
 * The object's name in the planning scene: label, request and rank, e.g. `red_mug_req-1_0`. Only letters, digits,
 * '_' and '-' (anything else becomes '_'): MoveIt reads '/' in a name as `object/subframe`.
 */
export function collisionObjectId(resultId: string, w: Pick<Waypoint, 'label' | 'rank'>): string {
  const slug = (s: string) => s.trim().replace(/[^A-Za-z0-9_-]+/g, '_');
  return `${slug(w.label) || 'object'}_${slug(resultId)}_${w.rank}`;
}

function emptyObject(header: HeaderMsg, id: string, operation: number): CollisionObjectMsg {
  return {
    header,
    pose: { position: { ...IDENTITY_POSE.position }, orientation: { ...IDENTITY_POSE.orientation } },
    id,
    type: { key: '', db: '' },
    primitives: [],
    primitive_poses: [],
    meshes: [],
    mesh_poses: [],
    planes: [],
    plane_poses: [],
    subframe_names: [],
    subframe_poses: [],
    operation,
  };
}

/**
 * One ADD per waypoint of an ok result whose object has a usable box, best first: the object's pose is the box
 * centre (its axes the box's axes), one BOX primitive of the box's size at the object's origin. In the waypoints'
 * frame with the image's capture stamp. Waypoints without a box add nothing.
 */
export function collisionObjectsFromResult(result: PointResult): CollisionObjectMsg[] {
  if (result.status !== 'ok') return [];
  const out: CollisionObjectMsg[] = [];
  for (const w of [...result.waypoints].sort((a, b) => a.rank - b.rank)) {
    const box = usableBox(w);
    if (!box) continue;
    const o = emptyObject(headerToMsg({ stampNs: result.stampNs ?? w.stampNs, frameId: w.frameId }), collisionObjectId(result.id, w), COLLISION_OBJECT.ADD);
    o.pose = poseMsg(box.center);
    o.primitives = [{ type: SOLID_PRIMITIVE_BOX, dimensions: [box.size.x, box.size.y, box.size.z], polygon: { points: [] } }];
    o.primitive_poses = [{ position: { ...IDENTITY_POSE.position }, orientation: { ...IDENTITY_POSE.orientation } }];
    out.push(o);
  }
  return out;
}

/** REMOVE of a named object (MoveIt removes everything with that id; the geometry stays empty). */
export function removeCollisionObject(id: string, header: HeaderMsg): CollisionObjectMsg {
  return emptyObject({ stamp: { ...header.stamp }, frame_id: header.frame_id }, id, COLLISION_OBJECT.REMOVE);
}
