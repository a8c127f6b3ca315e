// The QoS profiles the node uses, as data, and the request/offer compatibility rule that decides whether a
// subscription receives anything at all (DDS silently delivers nothing on a mismatch).
import type { QosProfile, ReliabilityPolicy } from './types.js';

/** rmw_qos_profile_sensor_data: best effort, keep last 5. A best-effort subscription matches reliable and
 * best-effort publishers alike, which is why camera inputs use it. */
export const SENSOR_DATA_QOS: QosProfile = { history: 'keep_last', depth: 5, reliability: 'best_effort', durability: 'volatile' };

/** tf2_ros DynamicListenerQoS: reliable, keep last 100. */
export const TF_QOS: QosProfile = { history: 'keep_last', depth: 100, reliability: 'reliable', durability: 'volatile' };

/** tf2_ros StaticBroadcasterQoS: reliable, transient local, keep last 1 — one message holding every static transform
 * of this publisher, which late joiners still receive. Used for our calibration publisher. */
export const TF_STATIC_QOS: QosProfile = { history: 'keep_last', depth: 1, reliability: 'reliable', durability: 'transient_local' };

/** tf2_ros StaticListenerQoS: as the broadcaster's, but keep last 100. Every latched /tf_static publisher (robot
 * state publisher, camera driver, calibrations) delivers its message when we join; a depth of 1 could keep only
 * one of them, and static transforms are never sent again. */
export const TF_STATIC_LISTENER_QOS: QosProfile = { ...TF_STATIC_QOS, depth: 100 };

/** rmw_qos_profile_default: reliable, volatile, keep last 10 (outputs, requests, diagnostics, Nav2's /goal_pose). */
export const DEFAULT_QOS: QosProfile = { history: 'keep_last', depth: 10, reliability: 'reliable', durability: 'volatile' };

/** Camera input QoS from the parameters: sensor data, with the configured reliability and queue depth. */
export function imageQos(reliability: ReliabilityPolicy, depth: number): QosProfile {
  return { ...SENSOR_DATA_QOS, reliability, depth };
}

/**
 * Camera info QoS: the images' profile, or with 'transient_local' a latching one. A driver that publishes camera
 * info once, latched, stores it for late joiners; only a transient-local subscription asks for it, and reliable,
 * because the stored message reaches a late joiner through the reliable protocol. Such a subscription matches only
 * reliable, transient-local publishers (qosIncompatibility).
 */
export function cameraInfoQos(images: QosProfile, durability: 'volatile' | 'transient_local'): QosProfile {
  return durability === 'transient_local' ? { ...images, reliability: 'reliable', durability } : images;
}

/**
 * The policy that stops an offered QoS from matching a requested one, or null when they match: a reliable request
 * needs a reliable offer, a transient-local request needs a transient-local offer. 'system_default' offers are
 * taken as the rmw default (reliable, volatile).
 */
export function qosIncompatibility(requested: QosProfile, offered: QosProfile): 'RELIABILITY' | 'DURABILITY' | null {
  const offeredReliability = offered.reliability === 'system_default' ? 'reliable' : offered.reliability;
  const offeredDurability = offered.durability === 'system_default' ? 'volatile' : offered.durability;
  if (requested.reliability === 'reliable' && offeredReliability === 'best_effort') return 'RELIABILITY';
  if (requested.durability === 'transient_local' && offeredDurability === 'volatile') return 'DURABILITY';
  return null;
}

export function describeQos(q: QosProfile): string {
  return `${q.reliability}, ${q.durability}, ${q.history === 'keep_last' ? `keep last ${q.depth}` : q.history}`;
}
