// Publishers of results and goals. Result outputs keep the image's capture stamp; robot-moving outputs (goal point,
// pick pose, nav goal) are published only for a dispatched goal (an operator's confirmation or auto_dispatch).
import {
  detection3DArrayFromResult,
  markerArrayFromResult,
  pointStampedFromGoal,
  pointStampedFromResult,
  poseArrayFromResult,
  poseStampedFromGoal,
  poseWithCovarianceFromResult,
  resultJson,
} from '../messages/outputs.js';
import type { DispatchedGoal, PointResult } from '../pipeline/types.js';
import { CollisionObjectPublisher } from './collision-object-publisher.js';
import type { RosNodeSettings } from './parameters.js';
import { DEFAULT_QOS } from './qos.js';
import type { QosProfile, RosNode, RosPublisher } from './types.js';

/** Result outputs describe the latest result: reliable and transient local (depth 1), so a late subscriber
 * (RViz opened afterwards, `ros2 topic echo`) still gets the latest one. */
export const RESULT_QOS: QosProfile = { history: 'keep_last', depth: 1, reliability: 'reliable', durability: 'transient_local' };

/** Goals move the robot: volatile, so a navigation stack or arm controller that (re)starts later never receives
 * an old goal. Reliable and volatile is also what Nav2's /goal_pose subscription requests. */
export const GOAL_QOS: QosProfile = DEFAULT_QOS;

export const OUTPUT_TOPICS = {
  waypoints: '~/waypoints',
  point: '~/point',
  markers: '~/markers',
  detections: '~/detections',
  result: '~/result',
  targetPoseCov: '~/target_pose_cov',
  goalPoint: '~/goal_point',
  pickPose: '~/pick_pose',
  preGraspPose: '~/pre_grasp_pose',
} as const;

export class OutputPublishers {
  private readonly waypoints: RosPublisher;
  private readonly point: RosPublisher;
  private readonly markers: RosPublisher;
  /** Null when vision_msgs is not available (diagnostics report it). */
  readonly detections: RosPublisher | null;
  private readonly result: RosPublisher;
  private readonly targetPoseCov: RosPublisher;
  /** Off (available false) when moveit_msgs is not available (diagnostics report it). */
  readonly collisionObjects: CollisionObjectPublisher;
  private readonly goalPoint: RosPublisher;
  private readonly pickPose: RosPublisher;
  private readonly preGraspPose: RosPublisher;
  private navGoal: RosPublisher | null = null;

  constructor(
    private readonly node: RosNode,
    private readonly settings: RosNodeSettings,
  ) {
    this.waypoints = node.createPublisher('geometry_msgs/msg/PoseArray', OUTPUT_TOPICS.waypoints, RESULT_QOS);
    this.point = node.createPublisher('geometry_msgs/msg/PointStamped', OUTPUT_TOPICS.point, RESULT_QOS);
    this.markers = node.createPublisher('visualization_msgs/msg/MarkerArray', OUTPUT_TOPICS.markers, RESULT_QOS);
    this.detections = node.hasInterface('vision_msgs/msg/Detection3DArray')
      ? node.createPublisher('vision_msgs/msg/Detection3DArray', OUTPUT_TOPICS.detections, RESULT_QOS)
      : null;
    if (!this.detections) node.logger.info('vision_msgs is not available: ~/detections is off (install ros-<distro>-vision-msgs and reinstall rclnodejs to enable it)');
    this.result = node.createPublisher('std_msgs/msg/String', OUTPUT_TOPICS.result, RESULT_QOS);
    this.targetPoseCov = node.createPublisher('geometry_msgs/msg/PoseWithCovarianceStamped', OUTPUT_TOPICS.targetPoseCov, RESULT_QOS);
    this.collisionObjects = new CollisionObjectPublisher(node, settings.collisionObjectsTopic);
    this.goalPoint = node.createPublisher('geometry_msgs/msg/PointStamped', OUTPUT_TOPICS.goalPoint, GOAL_QOS);
    this.pickPose = node.createPublisher('geometry_msgs/msg/PoseStamped', OUTPUT_TOPICS.pickPose, GOAL_QOS);
    this.preGraspPose = node.createPublisher('geometry_msgs/msg/PoseStamped', OUTPUT_TOPICS.preGraspPose, GOAL_QOS);
    this.updateNavGoal();
  }

  /**
   * Makes the nav goal publisher once publish_nav_goal is on (at start, or when set at runtime): at once rather
   * than with the first goal, so Nav2's subscription has matched by the time a goal is sent. Turned off again,
   * the publisher stays but publishes nothing.
   */
  updateNavGoal(): void {
    if (this.settings.publishNavGoal && !this.navGoal) this.navGoal = this.node.createPublisher('geometry_msgs/msg/PoseStamped', this.settings.navGoalTopic, GOAL_QOS);
  }

  /** Every result: its JSON and markers (a DELETEALL clears the view for a failed one); geometry when ok. */
  publishResult(r: PointResult): void {
    this.result.publish(resultJson(r));
    this.markers.publish(markerArrayFromResult(r, { lifetimeS: this.settings.markerLifetimeS }));
    const poses = poseArrayFromResult(r);
    if (poses) this.waypoints.publish(poses);
    const point = pointStampedFromResult(r);
    if (point) this.point.publish(point);
    const detections = this.detections ? detection3DArrayFromResult(r) : null;
    if (detections) this.detections?.publish(detections);
    const poseCov = poseWithCovarianceFromResult(r);
    if (poseCov) this.targetPoseCov.publish(poseCov);
    this.collisionObjects.publishResult(r);
  }

  /**
   * A confirmed goal: navigate goals to the nav goal topic (when enabled), pick goals to ~/pick_pose (and
   * ~/pre_grasp_pose), point goals to ~/goal_point as a PointStamped — a point result's pose has the identity
   * orientation, which under the +Z-approach convention would read as "approach from below".
   */
  publishGoal(g: DispatchedGoal): void {
    const label = `'${g.label}' (result ${g.resultId}, waypoint ${g.waypointIndex}, by ${g.by})`;
    if (g.mode === 'navigate') {
      if (!this.navGoal || !this.settings.publishNavGoal) {
        this.node.logger.warn(`navigate goal ${label} not sent: publish_nav_goal is false`);
        return;
      }
      this.navGoal.publish(poseStampedFromGoal(g, this.settings.navGoalStamp, this.node.nowNs()));
      this.node.logger.info(`sent navigate goal ${label} on ${this.settings.navGoalTopic} in ${g.frameId}`);
      return;
    }
    if (g.mode === 'point') {
      this.goalPoint.publish(pointStampedFromGoal(g));
      this.node.logger.info(`sent point goal ${label} on ${this.node.resolveTopicName(OUTPUT_TOPICS.goalPoint)} in ${g.frameId}`);
      return;
    }
    // The grasp pose keeps the capture stamp: it was computed from that image, in the target frame.
    this.pickPose.publish(poseStampedFromGoal(g, 'capture', 0n));
    if (g.preGraspPose) this.preGraspPose.publish(poseStampedFromGoal({ ...g, pose: g.preGraspPose }, 'capture', 0n));
    this.node.logger.info(`sent ${g.mode} pose ${label} on ${OUTPUT_TOPICS.pickPose} in ${g.frameId}`);
  }
}
