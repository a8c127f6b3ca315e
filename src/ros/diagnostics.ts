// /diagnostics on a timer: the bridge's health (inputs, TF, model, requests) plus what only the adapter can see:
// whether each input topic has a publisher at all and whether its offered QoS can match ours (DDS delivers
// nothing on a mismatch and says nothing), the calibration's state, and which request interfaces are offered.
import { DIAGNOSTIC_LEVEL, diagnosticArrayFromHealth, type DiagnosticStatusMsg, type KeyValueMsg } from '../messages/outputs.js';
import type { BridgeLike } from './bridge-like.js';
import type { CalibrationState } from './calibration.js';
import type { InputSubscription } from './input-subscriptions.js';
import { DEFAULT_QOS, describeQos, qosIncompatibility } from './qos.js';
import type { RosNode, RosPublisher } from './types.js';

export interface DiagnosticsSources {
  inputs: InputSubscription[];
  calibration: () => CalibrationState;
  interfaces: { action: boolean; service: boolean; detections: boolean; collisionObjects: boolean; navigateToPose: boolean };
  staleInputMs: number;
  /** The Nav2 action client's status (absent without nav2_msgs or with nav2_action empty). */
  navigation?: () => DiagnosticStatusMsg;
}

/** Graph checks of the camera inputs (TF topics may legitimately have no publisher for a while). */
const CHECKED_KINDS = new Set<InputSubscription['kind']>(['color', 'depth', 'camera_info']);

export class Diagnostics {
  private readonly publisher: RosPublisher;
  /** Incompatibilities already logged, so each is logged once. */
  private readonly logged = new Set<string>();

  constructor(
    private readonly node: RosNode,
    private readonly bridge: BridgeLike,
    private readonly sources: DiagnosticsSources,
  ) {
    this.publisher = node.createPublisher('diagnostic_msgs/msg/DiagnosticArray', '/diagnostics', DEFAULT_QOS);
  }

  private logOnce(key: string, text: string): void {
    if (this.logged.has(key)) return;
    this.logged.add(key);
    this.node.logger.warn(text);
  }

  /** One status per camera input: publishers present and QoS compatible. */
  graphStatuses(): DiagnosticStatusMsg[] {
    const out: DiagnosticStatusMsg[] = [];
    for (const input of this.sources.inputs) {
      if (!CHECKED_KINDS.has(input.kind)) continue;
      const topic = this.node.resolveTopicName(input.topic);
      const publishers = this.node.publishersInfo(input.topic);
      const values: KeyValueMsg[] = [
        { key: 'topic', value: topic },
        { key: 'type', value: input.type },
        { key: 'requested_qos', value: describeQos(input.qos) },
        { key: 'publishers', value: String(publishers.length) },
      ];
      const problems: string[] = [];
      for (const p of publishers) {
        values.push({ key: `publisher ${p.node}`, value: `${p.type}; ${describeQos(p.qos)}` });
        if (p.type !== input.type) problems.push(`${p.node} publishes ${p.type}, we expect ${input.type}`);
        const policy = qosIncompatibility(input.qos, p.qos);
        if (policy) {
          const text = `${p.node} offers ${describeQos(p.qos)} on ${topic}, we request ${describeQos(input.qos)}: ${policy} incompatible, no messages will arrive`;
          problems.push(text);
          this.logOnce(`${topic}:${p.node}:${policy}`, text);
        }
      }
      let level: number = DIAGNOSTIC_LEVEL.OK;
      let message = `${publishers.length} publisher(s)`;
      if (problems.length > 0) {
        level = DIAGNOSTIC_LEVEL.ERROR;
        message = problems.join('; ');
      } else if (publishers.length === 0) {
        level = DIAGNOSTIC_LEVEL.WARN;
        message = `no publisher on ${topic}`;
      }
      out.push({ level, name: `${this.node.name}: topic ${input.kind}`, message, hardware_id: '', values });
    }
    return out;
  }

  private adapterStatuses(): DiagnosticStatusMsg[] {
    const c = this.sources.calibration();
    const i = this.sources.interfaces;
    return [
      {
        level: c.state === 'waiting' ? DIAGNOSTIC_LEVEL.WARN : DIAGNOSTIC_LEVEL.OK,
        name: `${this.node.name}: calibration`,
        message: c.message,
        hardware_id: '',
        values: c.transforms.map((t) => ({ key: `${t.frameId} -> ${t.childFrameId}`, value: JSON.stringify(t.transform) })),
      },
      {
        level: DIAGNOSTIC_LEVEL.OK,
        name: `${this.node.name}: interfaces`,
        message: i.action && i.service ? 'PointAt action and service offered' : 'PointAt action/service off (molmo_waypoints_interfaces not built, or its overlay not sourced: see the start-up log)',
        hardware_id: '',
        values: [
          { key: 'point_at_action', value: String(i.action) },
          { key: 'point_at_service', value: String(i.service) },
          { key: 'detections', value: String(i.detections) },
          { key: 'collision_objects', value: String(i.collisionObjects) },
          { key: 'navigate_to_pose_action', value: String(i.navigateToPose) },
        ],
      },
      ...(this.sources.navigation ? [this.sources.navigation()] : []),
    ];
  }

  /** The DiagnosticArray for now (published by the timer; tests call it directly). */
  build() {
    return diagnosticArrayFromHealth(this.bridge.health(), this.node.nowNs(), {
      name: this.node.name,
      staleMs: this.sources.staleInputMs,
      extra: [...this.graphStatuses(), ...this.adapterStatuses()],
    });
  }

  publish(): void {
    this.publisher.publish(this.build());
  }
}
