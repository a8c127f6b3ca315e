// The `offered_qos_profiles` channel metadata rosbag2 stores per topic, which `ros2 bag play` uses to publish
// with the recorded QoS (so /tf_static is latched). Written in rosbag2's integer form (metadata version 8):
// Humble reads only that form and Jazzy and later detect it.

export interface OfferedQos {
  reliable: boolean;
  transientLocal: boolean;
  depth: number;
}

export const SENSOR_QOS: OfferedQos = { reliable: true, transientLocal: false, depth: 10 };
export const LATCHED_QOS: OfferedQos = { reliable: true, transientLocal: true, depth: 1 };

/** rosbag2's YAML for one offered profile: keep_last(depth), reliable or best effort, (transient) local. */
export function offeredQosProfilesYaml(q: OfferedQos): string {
  // rmw enums: history KEEP_LAST = 1; reliability RELIABLE = 1, BEST_EFFORT = 2; durability TRANSIENT_LOCAL = 1,
  // VOLATILE = 2; liveliness AUTOMATIC = 1. A zero duration means "not set" (the rmw default, i.e. infinite).
  return [
    '- history: 1',
    `  depth: ${q.depth}`,
    `  reliability: ${q.reliable ? 1 : 2}`,
    `  durability: ${q.transientLocal ? 1 : 2}`,
    '  deadline:',
    '    sec: 0',
    '    nsec: 0',
    '  lifespan:',
    '    sec: 0',
    '    nsec: 0',
    '  liveliness: 1',
    '  liveliness_lease_duration:',
    '    sec: 0',
    '    nsec: 0',
    '  avoid_ros_namespace_conventions: false',
  ].join('\n');
}
