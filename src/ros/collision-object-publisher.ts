// moveit_msgs/CollisionObject on collision_objects_topic (~/collision_objects, or /collision_object where MoveIt's
// planning scene monitor listens): the objects of the latest ok result. Each ok result replaces the previous one's
// objects (REMOVE for those it does not add again); a failed result removes nothing — an obstacle the planner knows
// stays until a result that saw the scene again replaces it. On shutdown the node removes what it added.
import { collisionObjectsFromResult, removeCollisionObject, type CollisionObjectMsg } from '../messages/collision-objects.js';
import type { HeaderMsg } from '../messages/inputs.js';
import type { PointResult } from '../pipeline/types.js';
import type { QosProfile, RosNode, RosPublisher } from './types.js';

export const COLLISION_OBJECT_TYPE = 'moveit_msgs/msg/CollisionObject';

/**
 * What MoveIt's /collision_object subscription requests (reliable, volatile); deep, because one result sends a
 * burst (a REMOVE per old object, an ADD per new one) that a shallow reliable history could overwrite unsent.
 */
export const COLLISION_OBJECT_QOS: QosProfile = { history: 'keep_last', depth: 256, reliability: 'reliable', durability: 'volatile' };

export class CollisionObjectPublisher {
  private readonly publisher: RosPublisher<CollisionObjectMsg> | null;
  /** The objects in the planning scene from us: removed when replaced or on shutdown. */
  private added: { id: string; header: HeaderMsg }[] = [];

  constructor(
    private readonly node: RosNode,
    readonly topic: string,
  ) {
    this.publisher = node.hasInterface(COLLISION_OBJECT_TYPE) ? node.createPublisher<CollisionObjectMsg>(COLLISION_OBJECT_TYPE, topic, COLLISION_OBJECT_QOS) : null;
    if (!this.publisher) node.logger.info(`moveit_msgs is not available: ${topic} is off (install ros-<distro>-moveit-msgs and reinstall rclnodejs to enable it)`);
  }

  get available(): boolean {
    return this.publisher !== null;
  }

  publishResult(r: PointResult): void {
    if (!this.publisher || r.status !== 'ok') return;
    const adds = collisionObjectsFromResult(r);
    const kept = new Set(adds.map((o) => o.id));
    // An ADD of an existing id replaces it in MoveIt; the others go.
    for (const old of this.added) if (!kept.has(old.id)) this.publisher.publish(removeCollisionObject(old.id, old.header));
    for (const o of adds) this.publisher.publish(o);
    this.added = adds.map((o) => ({ id: o.id, header: o.header }));
  }

  /** REMOVE for everything still added (node shutdown), so no stale obstacle outlives the node. */
  removeAll(): void {
    if (!this.publisher) return;
    for (const old of this.added) this.publisher.publish(removeCollisionObject(old.id, old.header));
    this.added = [];
  }
}
