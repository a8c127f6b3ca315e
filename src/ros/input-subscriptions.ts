// Camera and TF subscriptions. Callbacks only convert the message (no copy of pixel data) and hand it to the
// bridge, which queues it; decoding and geometry happen per request, never on the callback path.
import {
  cameraInfoEventFromMsg,
  colorEventFromCompressedMsg,
  colorEventFromImageMsg,
  depthEventFromMsg,
  tfEventFromMsg,
} from '../messages/inputs.js';
import type { SourceEvent } from '../pipeline/types.js';
import type { BridgeLike } from './bridge-like.js';
import { LogThrottle } from './log-throttle.js';
import type { RosNodeSettings } from './parameters.js';
import { TF_QOS, TF_STATIC_LISTENER_QOS, cameraInfoQos, imageQos } from './qos.js';
import type { QosProfile, RosNode, RosSubscription } from './types.js';

/** One input subscription as made: what the diagnostics check against the graph. */
export interface InputSubscription {
  kind: 'color' | 'depth' | 'camera_info' | 'tf' | 'tf_static';
  type: string;
  topic: string;
  qos: QosProfile;
  subscription: RosSubscription;
}

export interface InputOptions {
  /** Called after every accepted TF message (the calibration publisher waits for the camera's static frames). */
  onTf?: () => void;
}

export function subscribeInputs(node: RosNode, bridge: BridgeLike, s: RosNodeSettings, opts: InputOptions = {}): InputSubscription[] {
  const throttle = new LogThrottle(5000);
  const camera = imageQos(s.imageReliability, s.imageQueueDepth);
  const subs: InputSubscription[] = [];

  const add = (kind: InputSubscription['kind'], type: string, topic: string, qos: QosProfile, convert: (msg: unknown) => SourceEvent) => {
    const subscription = node.createSubscription(
      type,
      topic,
      qos,
      (msg: unknown) => {
        let event: SourceEvent;
        try {
          event = convert(msg);
        } catch (err) {
          const reason = (err as Error).message;
          const text = throttle.message(topic, `dropped a ${type} on ${topic}: ${reason}`);
          if (text) node.logger.warn(text);
          // A request that then finds no frame, or an old one, names this instead of "is the camera publishing?".
          if (kind === 'color' || kind === 'depth' || kind === 'camera_info') bridge.refuse(kind, `${topic}: ${reason}`);
          return;
        }
        try {
          bridge.ingest(event);
          if (event.kind === 'tf') opts.onTf?.();
        } catch (err) {
          // An exception must not reach the client library's executor (it would stop the node).
          const text = throttle.message(`${topic}:ingest`, `ingesting a ${type} from ${topic} failed: ${(err as Error).message}`);
          if (text) node.logger.error(text);
        }
      },
    );
    subs.push({ kind, type, topic, qos, subscription });
  };

  if (s.colorTransport === 'compressed') {
    add('color', 'sensor_msgs/msg/CompressedImage', `${s.colorTopic.replace(/\/$/, '')}/compressed`, camera, colorEventFromCompressedMsg);
  } else {
    add('color', 'sensor_msgs/msg/Image', s.colorTopic, camera, colorEventFromImageMsg);
  }
  add('depth', 'sensor_msgs/msg/Image', s.depthTopic, camera, depthEventFromMsg);
  add('camera_info', 'sensor_msgs/msg/CameraInfo', s.cameraInfoTopic, cameraInfoQos(camera, s.cameraInfoDurability), cameraInfoEventFromMsg);
  add('tf', 'tf2_msgs/msg/TFMessage', '/tf', TF_QOS, (m) => tfEventFromMsg(m, false));
  add('tf_static', 'tf2_msgs/msg/TFMessage', '/tf_static', TF_STATIC_LISTENER_QOS, (m) => tfEventFromMsg(m, true));
  return subs;
}
