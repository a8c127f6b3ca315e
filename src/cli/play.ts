// `molmo-waypoints play <mcap>`: publishes a recording's camera and TF topics on ROS 2 through rclnodejs — a replay
// for machines without rosbag2 or its MCAP storage plugin (scripts/ros-smoke.sh uses it when `ros2 bag` is
// missing). The recording is read by the MCAP replay (McapSource: indexed or damaged files, bag folders, real time,
// loop offsets), each event is written back as its ROS message and published on the recording's topic name:
// camera topics with the sensor-data QoS a camera driver offers, /tf and /tf_static with tf2's broadcaster QoS.
// Header stamps are moved to now (the node's clock at the first message, one offset for the whole replay, so
// colour, depth and camera info of one frame keep one stamp); stamp 0 ("no time") stays 0.
import { parseArgs } from 'node:util';
import { cameraInfoToMsg, compressedImageToMsg, rawImageToMsg, transformsToTfMsg } from '../messages/inputs.js';
import type { SourceEvent } from '../pipeline/types.js';
import { SENSOR_DATA_QOS, TF_QOS, TF_STATIC_QOS } from '../ros/qos.js';
import type { QosProfile, RosNode, RosPublisher, RosRuntime } from '../ros/types.js';
import { DEFAULT_MCAP_TOPICS, McapSource, type McapRole, type McapTopics } from '../sources/mcap-source.js';
import { reportError, untilSignal } from './run.js';

export const PLAY_NODE_NAME = 'molmo_waypoints_play';

/** The QoS each role is offered with. */
export const PLAY_QOS: Record<McapRole, QosProfile> = {
  color: SENSOR_DATA_QOS,
  depth: SENSOR_DATA_QOS,
  cameraInfo: SENSOR_DATA_QOS,
  tf: TF_QOS,
  tfStatic: TF_STATIC_QOS,
};

export interface PlayOptions {
  /** An MCAP file or a rosbag2 bag folder. */
  path: string;
  runtime: RosRuntime;
  /** Topic per role (default: the bundled demo's, a RealSense driver's). */
  topics?: Partial<McapTopics>;
  loop: boolean;
  /** Speed factor (> 0) when `realtime`. */
  rate: number;
  /** Honour the recording's timing (false: as fast as possible; tests). */
  realtime: boolean;
  /** Move header stamps to now (default); false publishes them as recorded. */
  restamp: boolean;
  nodeName?: string;
  onWarning?: (line: string) => void;
}

export interface Player {
  readonly node: RosNode;
  readonly topics: McapTopics;
  /** Settles when the recording has been played (a looping one: after stop()). */
  readonly done: Promise<void>;
  /** Messages published per topic. */
  published(): Record<string, number>;
  stop(): void;
}

/** Creates the node and starts publishing. The caller spins nothing: publishing needs no executor. */
export function startPlayer(opts: PlayOptions): Player {
  const node = opts.runtime.createNode(opts.nodeName ?? PLAY_NODE_NAME);
  const source = new McapSource({
    path: opts.path,
    ...(opts.topics ? { topics: opts.topics } : {}),
    loop: opts.loop,
    rate: opts.rate,
    realtime: opts.realtime,
    onWarning: (w) => opts.onWarning?.(`${w.topic ? `${w.topic}: ` : ''}${w.message}`),
  });
  const publishers = new Map<string, RosPublisher>();
  const counts: Record<string, number> = {};
  let offsetNs: bigint | null = opts.restamp ? null : 0n;
  const restamp = (ns: bigint): bigint => {
    if (ns === 0n) return ns;
    offsetNs ??= node.nowNs() - ns;
    return ns + offsetNs;
  };
  const publish = (role: McapRole, type: string, message: unknown) => {
    const topic = source.topics[role];
    const key = `${topic} ${type}`;
    let pub = publishers.get(key);
    if (!pub) publishers.set(key, (pub = node.createPublisher(type, topic, PLAY_QOS[role])));
    pub.publish(message);
    counts[topic] = (counts[topic] ?? 0) + 1;
  };
  const onEvent = (e: SourceEvent) => {
    if (e.kind === 'tf') {
      const transforms = e.transforms.map((t) => ({ ...t, stampNs: restamp(t.stampNs) }));
      publish(e.isStatic ? 'tfStatic' : 'tf', 'tf2_msgs/msg/TFMessage', transformsToTfMsg(transforms));
      return;
    }
    const header = { ...e.header, stampNs: restamp(e.header.stampNs) };
    if (e.kind === 'color') {
      if (e.image.kind === 'compressed') publish('color', 'sensor_msgs/msg/CompressedImage', compressedImageToMsg(e.image, header));
      else publish('color', 'sensor_msgs/msg/Image', rawImageToMsg(e.image, header));
    } else if (e.kind === 'depth') {
      publish('depth', 'sensor_msgs/msg/Image', rawImageToMsg(e.image, header));
    } else {
      publish('cameraInfo', 'sensor_msgs/msg/CameraInfo', cameraInfoToMsg(e.info, header));
    }
  };
  const done = source.start(onEvent);
  done.catch(() => undefined); // the caller awaits it; never an unhandled rejection
  return { node, topics: source.topics, done, published: () => ({ ...counts }), stop: () => source.stop() };
}

const USAGE = `usage: molmo-waypoints play <recording.mcap | bag folder> [options] [--ros-args ...]

Publishes the recording's colour, depth, camera info, /tf and /tf_static on ROS 2 (needs ROS 2 sourced and
rclnodejs), looping, with header stamps moved to now: camera topics best effort (sensor data QoS), TF as tf2
broadcasts it. For machines without rosbag2's MCAP plugin. Ctrl-C stops.

  --once                 play the recording once, then exit (default: loop)
  --rate <x>             playback speed (default 1)
  --no-restamp           publish the recorded stamps
  --color <topic>        colour topic in the recording (default ${DEFAULT_MCAP_TOPICS.color})
  --depth <topic>        depth topic (default ${DEFAULT_MCAP_TOPICS.depth})
  --camera-info <topic>  camera info topic (default ${DEFAULT_MCAP_TOPICS.cameraInfo})
  -h, --help             this help`;

export async function run(argv: string[]): Promise<number> {
  const rosAt = argv.indexOf('--ros-args');
  const own = rosAt >= 0 ? argv.slice(0, rosAt) : argv;
  const rosArgv = ['node', 'molmo-waypoints', ...(rosAt >= 0 ? argv.slice(rosAt) : [])];
  let runtime: RosRuntime | null = null;
  try {
    const { values, positionals } = parseArgs({
      args: own,
      allowPositionals: true,
      options: {
        once: { type: 'boolean' },
        rate: { type: 'string' },
        'no-restamp': { type: 'boolean' },
        color: { type: 'string' },
        depth: { type: 'string' },
        'camera-info': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals.length !== 1) {
      console.error(`molmo-waypoints play: expected one recording, got ${positionals.length} (see --help)`);
      return 2;
    }
    const rate = values.rate === undefined ? 1 : Number(values.rate);
    if (!(rate > 0) || !Number.isFinite(rate)) {
      console.error(`molmo-waypoints play: --rate must be a positive number, got '${values.rate}'`);
      return 2;
    }
    const topics: Partial<McapTopics> = {
      ...(values.color ? { color: values.color } : {}),
      ...(values.depth ? { depth: values.depth } : {}),
      ...(values['camera-info'] ? { cameraInfo: values['camera-info'] } : {}),
    };
    const { loadRosRuntime } = await import('../ros/load.js');
    runtime = await loadRosRuntime({ argv: rosArgv });
    const player = startPlayer({
      path: positionals[0]!,
      runtime,
      topics,
      loop: !values.once,
      rate,
      realtime: true,
      restamp: !values['no-restamp'],
      onWarning: (line) => console.error(`play: ${line}`),
    });
    const t = player.topics;
    console.error(
      `playing ${positionals[0]} on ROS 2 ${runtime.distro} as ${player.node.name}: ${t.color}, ${t.depth}, ${t.cameraInfo}, ${t.tf}, ${t.tfStatic}` +
        `${values.once ? '' : ' (looping)'}${values['no-restamp'] ? '' : ', stamps moved to now'}; Ctrl-C stops`,
    );
    const stop = untilSignal();
    const why = await Promise.race([stop.signal, player.done.then(() => 'end' as const)]).finally(() => stop.dispose());
    player.stop();
    await player.done;
    const counts = Object.entries(player.published()).map(([topic, n]) => `${topic} ${n}`);
    console.error(`${why === 'end' ? 'played' : `${why}: stopped`}: ${counts.join(', ') || 'nothing published'}`);
    return 0;
  } catch (err) {
    return reportError('play', err);
  } finally {
    runtime?.shutdown();
  }
}
