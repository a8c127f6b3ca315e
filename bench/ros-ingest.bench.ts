// ROS ingest path: a 1920×1080 rgb8 colour image, a 16UC1 depth image and their camera info at 30 Hz, each
// handed to the node's subscription callbacks exactly as rclnodejs delivers them (plain objects, `data` a fresh
// Uint8Array per message), through message conversion and bridge.ingest into frame sync and the frame store.
// The callbacks must not copy or decode pixels, so their CPU time per frame is compared with a plain copy of the
// frame's bytes (colour + depth) measured in the same run, interleaved frame by frame. Memory must stay flat:
// RSS is sampled every second; growth is the last sample against the first after warm-up (the store fills up
// with its `store.size` snapshots during warm-up).
//   npm run bench -- ros-ingest            10 s
//   npm run bench -- ros-ingest --long     2 minutes (or BENCH_LONG=1)
import { cameraInfoToMsg, headerToMsg } from '../src/messages/inputs.js';
import { Bridge } from '../src/pipeline/bridge.js';
import { MemoryRuntime, type MemoryNode } from '../src/ros/memory-runtime.js';
import { prepareRosNode } from '../src/ros/node.js';
import { pinholeInfo } from './frames.js';
import { fmt, median, percentile } from './stats.js';

const W = 1920;
const H = 1080;
const HZ = 30;
const LONG = process.argv.includes('--long') || process.env.BENCH_LONG === '1';
const DURATION_MS = LONG ? 120_000 : 10_000;
const WARMUP_MS = LONG ? 10_000 : 3_000;
const FRAME = 'camera_color_optical_frame';

const INFO = pinholeInfo(W, H, 1380, [0.1, -0.2, 0, 0, 0.05]);

function stampNsOf(i: number): bigint {
  return 1_767_225_600_000_000_000n + (BigInt(i) * 1_000_000_000n) / BigInt(HZ);
}

/** One frame's messages, as rclnodejs would hand them over (new objects and new pixel buffers each time). */
function messages(i: number) {
  const stamped = { stampNs: stampNsOf(i), frameId: FRAME };
  const header = headerToMsg(stamped);
  return {
    info: cameraInfoToMsg(INFO, stamped),
    color: { header, height: H, width: W, encoding: 'rgb8', is_bigendian: 0, step: W * 3, data: new Uint8Array(W * H * 3) },
    depth: { header, height: H, width: W, encoding: '16UC1', is_bigendian: 0, step: W * 2, data: new Uint8Array(W * H * 2) },
  };
}

function callback(node: MemoryNode, topic: string): (m: unknown) => void {
  const sub = node.subscription(topic);
  if (!sub) throw new Error(`no subscription on ${topic}`);
  return sub.callback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default async function () {
  const runtime = new MemoryRuntime();
  const prepared = await prepareRosNode({ runtime });
  const bridge = new Bridge({ pointer: null, config: prepared.settings.bridge });
  const handle = await prepared.start(bridge);
  const node = prepared.node as MemoryNode;
  const s = prepared.settings.node;
  const onInfo = callback(node, s.cameraInfoTopic);
  const onColor = callback(node, s.colorTopic);
  const onDepth = callback(node, s.depthTopic);

  const ingestMs: number[] = [];
  const copyMs: number[] = [];
  const ingestCpuUs: number[] = [];
  const copyCpuUs: number[] = [];
  const rss: { atMs: number; mb: number }[] = [];
  let sink = 0;
  const start = performance.now();
  let lastSample = -Infinity;
  let frames = 0;
  for (let i = 0; ; i++) {
    const due = start + (i * 1000) / HZ;
    const now = performance.now();
    if (now - start >= DURATION_MS) break;
    if (due > now) await sleep(due - now);
    const m = messages(i);

    // Our path: the three callbacks (convert + ingest; sync completes the snapshot on the last one).
    let c0 = process.cpuUsage();
    let t0 = performance.now();
    onInfo(m.info);
    onColor(m.color);
    onDepth(m.depth);
    ingestMs.push(performance.now() - t0);
    let c1 = process.cpuUsage(c0);
    ingestCpuUs.push(c1.user + c1.system);

    // The reference: one plain copy of the same bytes.
    c0 = process.cpuUsage();
    t0 = performance.now();
    const colorCopy = new Uint8Array(m.color.data);
    const depthCopy = new Uint8Array(m.depth.data);
    copyMs.push(performance.now() - t0);
    c1 = process.cpuUsage(c0);
    copyCpuUs.push(c1.user + c1.system);
    sink += colorCopy[0]! + depthCopy[0]!;
    frames++;

    const elapsed = performance.now() - start;
    if (elapsed - lastSample >= 1000) {
      lastSample = elapsed;
      rss.push({ atMs: elapsed, mb: process.memoryUsage().rss / 2 ** 20 });
    }
  }
  const synced = bridge.health().inputs.synced.count;
  handle.close();

  const afterWarmup = rss.filter((r) => r.atMs >= WARMUP_MS);
  const first = afterWarmup[0]!;
  const last = afterWarmup[afterWarmup.length - 1]!;
  const growth = ((last.mb - first.mb) / first.mb) * 100;
  const bytes = W * H * 5;
  console.log(`${LONG ? 'long' : 'short'} run: ${fmt(DURATION_MS / 1000, 0)} s at ${HZ} Hz, ${W}×${H} rgb8 + 16UC1 (${fmt(bytes / 2 ** 20, 1)} MiB per frame), ${frames} frames, ${synced} synced snapshots`);
  console.log(`ingest (3 callbacks): median ${fmt(median(ingestMs), 4)} ms wall, ${fmt(median(ingestCpuUs), 0)} µs CPU; p99 ${fmt(percentile(ingestMs, 99), 4)} ms`);
  console.log(`plain copy of the bytes: median ${fmt(median(copyMs), 3)} ms wall, ${fmt(median(copyCpuUs), 0)} µs CPU`);
  console.log(`ratio ingest / copy (median wall): ${fmt(median(ingestMs) / median(copyMs), 4)}; CPU: ${fmt(median(ingestCpuUs) / Math.max(1, median(copyCpuUs)), 4)}`);
  console.log(`RSS after ${fmt(WARMUP_MS / 1000, 0)} s warm-up: ${fmt(first.mb, 1)} MiB -> ${fmt(last.mb, 1)} MiB at the end (${growth >= 0 ? '+' : ''}${fmt(growth, 2)} %, max ${fmt(Math.max(...afterWarmup.map((r) => r.mb)), 1)} MiB; goal < 5 %: ${growth < 5 ? 'met' : 'NOT met'})`);
  if (sink < 0) console.log(sink);
}
