// Publishes the camera calibration on /tf_static and feeds it to the bridge's TF buffer.
//
// A hand-eye calibration usually names the camera's optical frame (easy_handeye2's tracking_base_frame), but the
// camera driver or a camera URDF already gives that frame a parent (camera_link -> ... -> optical frame), and a TF
// frame can have only one parent. With `hand_eye_attach_frame` set (e.g. camera_link), the calibration is moved
// onto that frame (calibration/hand-eye.ts attachedHandEyeTransform), once the camera's own static chain
// attach -> child is known. Empty: the transform is published as written in the file.
import { attachedHandEyeTransform, handEyeTransform, loadHandEye, type HandEyeCalibration } from '../calibration/hand-eye.js';
import { loadStaticTransforms } from '../calibration/static-transforms.js';
import type { TransformStamped } from '../geometry/types.js';
import { transformsToTfMsg } from '../messages/inputs.js';
import type { BridgeLike } from './bridge-like.js';
import { TF_STATIC_QOS } from './qos.js';
import type { RosNode, RosPublisher } from './types.js';

export interface CalibrationSettings {
  handEyeCalibration: string;
  handEyeAttachFrame: string;
  staticTransforms: string;
}

export interface CalibrationState {
  /** 'none' (no file), 'waiting' (for the camera chain to attach to), 'published'. */
  state: 'none' | 'waiting' | 'published';
  message: string;
  transforms: TransformStamped[];
}

export class CalibrationPublisher {
  private readonly publisher: RosPublisher | null;
  private readonly handEye: HandEyeCalibration | null;
  private readonly fixed: TransformStamped[];
  /** Empty until published (a configured calibration always has at least one transform). */
  private published: TransformStamped[] = [];

  /** Loads the files (throws CalibrationFileError naming file and field) and publishes what it can right away. */
  constructor(
    private readonly node: RosNode,
    private readonly bridge: BridgeLike,
    private readonly s: CalibrationSettings,
  ) {
    this.handEye = s.handEyeCalibration ? loadHandEye(s.handEyeCalibration) : null;
    this.fixed = s.staticTransforms ? loadStaticTransforms(s.staticTransforms) : [];
    const configured = this.handEye !== null || this.fixed.length > 0;
    this.publisher = configured ? node.createPublisher('tf2_msgs/msg/TFMessage', '/tf_static', TF_STATIC_QOS) : null;
    this.tryPublish();
  }

  /** Retries a calibration that waits for the camera's frames (call when TF arrives). */
  tryPublish(): void {
    if (!this.publisher || this.published.length > 0) return;
    const stampNs = this.node.nowNs();
    const handEye = this.handEye ? this.handEyeTransform(this.handEye, stampNs) : null;
    if (this.handEye && !handEye) return;
    const transforms = [...this.fixed.map((t) => ({ ...t, stampNs })), ...(handEye ? [handEye] : [])];
    // One message with every transform: on /tf_static each publisher's latest message is all it offers.
    this.publisher.publish(transformsToTfMsg(transforms));
    this.bridge.ingest({ kind: 'tf', transforms, isStatic: true });
    this.published = transforms;
    for (const t of transforms) this.node.logger.info(`published static transform ${t.frameId} -> ${t.childFrameId} on /tf_static`);
  }

  private handEyeTransform(c: HandEyeCalibration, stampNs: bigint): TransformStamped | null {
    const attach = this.s.handEyeAttachFrame;
    if (!attach || attach === c.childFrame) {
      return { ...handEyeTransform(c), stampNs };
    }
    let attachFromChild;
    try {
      attachFromChild = this.bridge.tf.lookupLatest(attach, c.childFrame).transform;
    } catch {
      return null;
    }
    return { ...attachedHandEyeTransform(c, attach, attachFromChild), stampNs };
  }

  state(): CalibrationState {
    if (!this.handEye && this.fixed.length === 0) return { state: 'none', message: 'no calibration file configured', transforms: [] };
    if (this.published.length === 0 && this.handEye) {
      return {
        state: 'waiting',
        message: `hand-eye calibration waits for TF ${this.s.handEyeAttachFrame} -> ${this.handEye.childFrame} (from the camera driver or camera URDF) to attach ${this.handEye.parentFrame} -> ${this.s.handEyeAttachFrame}`,
        transforms: [],
      };
    }
    return {
      state: 'published',
      message: this.published.map((t) => `${t.frameId} -> ${t.childFrameId}`).join(', '),
      transforms: this.published,
    };
  }
}
