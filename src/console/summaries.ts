// Small views of the bridge's state for the page: the calibration in use and where each TF frame is.
import type { Pose } from '../geometry/types.js';
import type { FrameSnapshot } from '../pipeline/types.js';
import type { ConsoleBridge } from './bridge-port.js';
import type { CameraSummary, TfFramePose } from './protocol.js';

export function cameraSummary(frame: FrameSnapshot): CameraSummary {
  const info = frame.cameraInfo;
  return {
    frameId: frame.frameId,
    width: info.width,
    height: info.height,
    distortionModel: info.distortionModel,
    k: info.k,
    d: info.d,
    p: info.p,
    colorEncoding: frame.color.kind === 'raw' ? frame.color.encoding : frame.color.format,
    depthEncoding: frame.depth.encoding,
    depthWidth: frame.depth.width,
    depthHeight: frame.depth.height,
  };
}

/** Every known frame's latest pose in the fixed frame (the bridge's target frame); unconnected frames are left out. */
export function tfSnapshot(bridge: ConsoleBridge): { fixedFrame: string; frames: TfFramePose[] } {
  const fixedFrame = bridge.config.frames.target;
  const frames: TfFramePose[] = [];
  for (const frameId of bridge.tf.frames()) {
    try {
      const { transform, stampNs } = bridge.tf.lookupLatest(fixedFrame, frameId);
      const edge = bridge.tf.parentOf(frameId);
      frames.push({ frameId, parent: edge?.parent ?? null, isStatic: edge?.isStatic ?? true, translation: transform.translation, rotation: transform.rotation, stampNs });
    } catch {
      // Not connected to the fixed frame (yet): nothing to draw.
    }
  }
  return { fixedFrame, frames };
}

/** The camera's pose in the fixed frame at a frame's capture stamp (within the bridge's TF tolerance), or null. */
export function cameraPoseAt(bridge: ConsoleBridge, frame: FrameSnapshot): Pose | null {
  const toleranceNs = BigInt(Math.round((bridge.config.tf?.toleranceMs ?? 50) * 1e6));
  try {
    const t = bridge.tf.lookup(bridge.config.frames.target, frame.frameId, frame.stampNs, toleranceNs);
    return { position: { ...t.translation }, orientation: { ...t.rotation } };
  } catch {
    return null;
  }
}
