// `molmo-waypoints play` (issue 14, item 6) through the in-memory ROS double with the bundled demo recording: every
// message of the camera and TF topics published once per pass on the recording's topic, with the sensor-data QoS
// (camera) or tf2's (TF), restamped by one offset; and the node, fed what play published, answers a request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { McapIndexedReader } from '@mcap/core';
import { PLAY_NODE_NAME, startPlayer } from '../../src/cli/play.js';
import { decodeCdr } from '../../src/messages/cdr.js';
import { Bridge } from '../../src/pipeline/bridge.js';
import { MemoryRuntime, type MemoryNode } from '../../src/ros/memory-runtime.js';
import { prepareRosNode } from '../../src/ros/node.js';
import { SENSOR_DATA_QOS, TF_QOS, TF_STATIC_QOS } from '../../src/ros/qos.js';
import { loadDecompressHandlers } from '../../src/sources/decompress.js';
import { FileReadable } from '../../src/sources/file-readable.js';

const DEMO = new URL('../../demo/redwood_livingroom1.mcap', import.meta.url).pathname;
const NOW = 1_800_000_000_000_000_000n;

type Stamped = { header: { stamp: { sec: number; nanosec: number } } };
const ns = (t: { sec: number; nanosec: number }) => BigInt(t.sec) * 1_000_000_000n + BigInt(t.nanosec);

/** The recording read independently of McapSource: messages and header stamps per topic, in log-time order. */
async function recorded(): Promise<Map<string, { type: string; stamps: bigint[] }>> {
  const file = await FileReadable.open(DEMO);
  try {
    const reader = await McapIndexedReader.Initialize({ readable: file, decompressHandlers: await loadDecompressHandlers() });
    const out = new Map<string, { type: string; stamps: bigint[] }>();
    for await (const m of reader.readMessages()) {
      const channel = reader.channelsById.get(m.channelId)!;
      const type = reader.schemasById.get(channel.schemaId)!.name;
      const msg = decodeCdr(type, m.data) as Partial<Stamped> & { transforms?: Stamped[] };
      const stamp = msg.header ? ns(msg.header.stamp) : ns(msg.transforms![0]!.header.stamp);
      const entry = out.get(channel.topic) ?? { type, stamps: [] };
      entry.stamps.push(stamp);
      out.set(channel.topic, entry);
    }
    return out;
  } finally {
    await file.close();
  }
}

async function playOnce(runtime: MemoryRuntime) {
  const warnings: string[] = [];
  const player = startPlayer({ path: DEMO, runtime, loop: false, rate: 1, realtime: false, restamp: true, onWarning: (l) => warnings.push(l) });
  await player.done;
  return { player, node: runtime.nodes[0] as MemoryNode, warnings };
}

test('play publishes every camera and TF message of the demo with sensor-data / tf2 QoS, restamped by one offset', async () => {
  const expected = await recorded();
  const { player, node, warnings } = await playOnce(new MemoryRuntime({ now: () => NOW }));
  assert.deepEqual(warnings, []);
  assert.equal(node.name, PLAY_NODE_NAME);
  const qosFor: Record<string, unknown> = {
    '/camera/color/image_raw/compressed': SENSOR_DATA_QOS,
    '/camera/aligned_depth_to_color/image_raw': SENSOR_DATA_QOS,
    '/camera/color/camera_info': SENSOR_DATA_QOS,
    '/tf': TF_QOS,
    '/tf_static': TF_STATIC_QOS,
  };
  const published = player.published();
  let offset: bigint | null = null;
  for (const [topic, { type, stamps }] of expected) {
    assert.ok(topic in qosFor, `the demo's ${topic} is one play replays`);
    const pub = node.publisher(topic)!;
    assert.ok(pub, `${topic} published`);
    assert.equal(pub.type, type.replace(/^(\w+)\/(\w+)$/, '$1/msg/$2'), topic);
    assert.deepEqual(pub.qos, qosFor[topic], topic);
    assert.equal(published[topic], stamps.length, `${topic}: every message once`);
    const out = node.messages<Partial<Stamped> & { transforms?: Stamped[] }>(topic).map((m) => ns(m.header ? m.header.stamp : m.transforms![0]!.header.stamp));
    for (let i = 0; i < stamps.length; i++) {
      if (stamps[i] === 0n) {
        assert.equal(out[i], 0n, 'stamp 0 (no time) stays 0');
        continue;
      }
      offset ??= out[i]! - stamps[i]!;
      assert.equal(out[i]! - stamps[i]!, offset, `${topic} #${i}: one offset for the whole replay`);
    }
  }
  assert.ok(offset !== null && offset > 0n);
  const first = node.messages<Stamped>('/camera/color/image_raw/compressed')[0]!;
  const depth0 = node.messages<Stamped>('/camera/aligned_depth_to_color/image_raw')[0]!;
  assert.equal(ns(first.header.stamp), ns(depth0.header.stamp), 'colour and depth of a frame keep one stamp');
  assert.ok(ns(first.header.stamp) >= NOW && ns(first.header.stamp) - NOW < 1_000_000_000n, 'moved to now');
});

test('the molmo_waypoints node fed what play published answers a pixel request in map with the restamped stamp', async () => {
  const { node: playNode } = await playOnce(new MemoryRuntime({ now: () => NOW }));
  const runtime = new MemoryRuntime({ parameterOverrides: { 'topics.color_transport': 'compressed', 'frames.target': 'map', 'store.max_age_ms': 60000 } });
  const prepared = await prepareRosNode({ runtime });
  const bridge = new Bridge({ config: prepared.settings.bridge, pointer: null });
  const handle = await prepared.start(bridge);
  try {
    const node = prepared.node as MemoryNode;
    for (const m of playNode.published) assert.equal(node.inject(m.topic, m.message), 1, `the node subscribes to ${m.topic} as ${m.type}`);
    const r = await bridge.request({ id: 'play-1', mode: 'point', pixels: [{ u: 320, v: 240 }] });
    assert.equal(r.status, 'ok', r.reason);
    assert.equal(r.waypoints[0]!.frameId, 'map');
    assert.ok(r.stampNs !== null && r.stampNs >= NOW, 'the result carries the restamped capture stamp');
  } finally {
    handle.close();
  }
});

test('the command: --help, a missing recording or bad rate (exit 2), and without ROS the one-line reason (exit 1)', async () => {
  const { spawnSync } = await import('node:child_process');
  const env = { ...process.env };
  delete env['ROS_DISTRO'];
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'play', ...args], { encoding: 'utf8', env });
  const help = cli('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: molmo-waypoints play <recording.mcap/);
  assert.equal(cli().status, 2);
  const rate = cli(DEMO, '--rate', '0');
  assert.equal(rate.status, 2);
  assert.match(rate.stderr, /--rate must be a positive number, got '0'/);
  const noRos = cli(DEMO, '--once');
  assert.equal(noRos.status, 1);
  assert.match(noRos.stderr, /^molmo-waypoints play: ROS 2 is not sourced \(ROS_DISTRO is unset\)/);
});

test('looping: the second pass follows the first with later stamps (time never runs back for TF buffers)', async () => {
  const runtime = new MemoryRuntime({ now: () => NOW });
  const player = startPlayer({ path: DEMO, runtime, loop: true, rate: 1, realtime: false, restamp: true });
  const topic = '/camera/color/image_raw/compressed';
  const perPass = (await recorded()).get(topic)!.stamps.length;
  const until = Date.now() + 20_000;
  while ((player.published()[topic] ?? 0) <= perPass + 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  player.stop();
  await player.done;
  const stamps = (runtime.nodes[0] as MemoryNode).messages<Stamped>(topic).map((m) => ns(m.header.stamp));
  assert.ok(stamps.length > perPass + 2, `a second pass started (${stamps.length} of ${perPass} per pass)`);
  for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i]! > stamps[i - 1]!, `colour #${i} is later than #${i - 1}`);
});
