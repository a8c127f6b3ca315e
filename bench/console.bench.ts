// Console preview fan-out: 10 WebSocket clients watching 1280×720 frames at 15 fps. The console encodes each frame
// once and sends the same bytes to every client (a camera's own JPEG is forwarded without any encode), so its CPU
// per frame should stay close to the cost of one JPEG encode (issue 12's goals: raw ≤ 1.0×, compressed ≤ 0.3×).
// Both are measured here, side by side, with process.cpuUsage (user + system, all threads: sharp's worker
// included), as the median of interleaved rounds.
//
// The clients run in a child process so their CPU is not counted. On a small machine they still slow the server:
// on this 2-vCPU VM any busy process on the other vCPU makes the same encode take 50-70 % more CPU time (shared
// core resources). So the encode baseline is measured twice: alone, and next to a child that burns as much CPU as
// the clients did in the console round before it (a calibrated co-runner). The headline ratio uses the latter:
// the same frames, the same pacing and the same load on the other vCPU; only the console's work differs.
//   npm run bench -- console            (BENCH_CONSOLE_ROUNDS=9, BENCH_CONSOLE_CLIENTS=1 to vary)
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import sharp from 'sharp';
import { startConsole } from '../src/console/server.js';
import type { ColorImage, RawImage } from '../src/geometry/types.js';
import { encodeJpeg } from '../src/image/codec.js';
import { Bridge } from '../src/pipeline/bridge.js';
import { defaultConfig } from '../src/pipeline/config.js';
import { fmt, median, timeRounds } from './stats.js';
import { buildDepthGrid } from '../src/console/depth-grid.js';
import { toWireJson } from '../src/console/wire.js';
import type { FrameSnapshot } from '../src/pipeline/types.js';
import { cameraInfo } from '../test/helpers/camera-info.js';

const WIDTH = 1280;
const HEIGHT = 720;
const FPS = 15;
const CLIENTS = Number(process.env.BENCH_CONSOLE_CLIENTS ?? 10);
const RUN_MS = 2000;
/** BENCH_CONSOLE_ROUNDS=9 for a steadier median on a busy machine (about 15 s a round). */
const ROUNDS = Number(process.env.BENCH_CONSOLE_ROUNDS ?? 3);
const QUALITY = 75;
const DEMO_JPEG = 'demo/redwood_livingroom1/color_00000.jpg';
/** console.preview_max_side's default. */
const DEFAULT_PREVIEW_MAX_SIDE = 960;

/** A real photo (the demo scene) scaled to 1280×720 as raw rgb8, or a synthetic pattern when it is missing. */
async function frameImage(): Promise<RawImage> {
  if (existsSync(DEMO_JPEG)) {
    const data = await sharp(DEMO_JPEG).resize(WIDTH, HEIGHT, { fit: 'fill' }).removeAlpha().raw().toBuffer();
    return { encoding: 'rgb8', width: WIDTH, height: HEIGHT, step: WIDTH * 3, isBigEndian: false, data };
  }
  const data = new Uint8Array(WIDTH * HEIGHT * 3);
  for (let i = 0; i < WIDTH * HEIGHT; i++) {
    const x = i % WIDTH;
    const y = Math.floor(i / WIDTH);
    data[i * 3] = (x ^ y) & 255;
    data[i * 3 + 1] = (x * 3 + y) & 255;
    data[i * 3 + 2] = (y * 2) & 255;
  }
  return { encoding: 'rgb8', width: WIDTH, height: HEIGHT, step: WIDTH * 3, isBigEndian: false, data };
}

/** CPU ns of the main thread (JavaScript) and of all other threads (sharp's worker, GC helpers); Linux only. */
function threadCpuNs(): { main: number; others: number } | null {
  try {
    let main = 0;
    let others = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      let ns: number;
      try {
        ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        continue; // the thread ended meanwhile
      }
      if (Number(tid) === process.pid) main += ns;
      else others += ns;
    }
    return { main, others };
  } catch {
    return null;
  }
}

interface Measure {
  /** ms of process CPU per frame. */
  cpuPerFrame: number;
  /** The same split into the main thread and the other threads (ms per frame), when /proc allows. */
  threads: { main: number; others: number } | null;
}

/** Measures process CPU (and its thread split) over `body`, per frame. */
async function measure(frames: () => number, body: () => Promise<void>): Promise<Measure> {
  const threads = threadCpuNs();
  const cpu = process.cpuUsage();
  await body();
  const d = process.cpuUsage(cpu);
  const after = threadCpuNs();
  const n = Math.max(1, frames());
  return {
    cpuPerFrame: (d.user + d.system) / 1000 / n,
    threads: threads && after ? { main: (after.main - threads.main) / 1e6 / n, others: (after.others - threads.others) / 1e6 / n } : null,
  };
}

/** Calls `step(i)` for each frame slot at FPS. */
async function paced(frames: number, step: (i: number) => unknown): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < frames; i++) {
    await step(i);
    const wait = started + ((i + 1) * 1000) / FPS - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

// The helper process: either CLIENTS WebSocket clients counting frames, or a co-runner burning a given share of
// one CPU (busy for `share` of every 10 ms). Both answer 'ready', then report on any stdin line and exit.
const CHILD_SCRIPT = `
const [mode, arg, n] = process.argv.slice(1);
const start = process.cpuUsage(); const t0 = performance.now();
const report = (extra) => { const d = process.cpuUsage(start); console.log(JSON.stringify({ ...extra, cpuShare: (d.user + d.system) / 1000 / (performance.now() - t0) })); process.exit(0); };
if (mode === 'clients') {
  const { WebSocket } = await import('ws');
  const counts = new Array(Number(n)).fill(0);
  let open = 0;
  for (let i = 0; i < counts.length; i++) {
    const ws = new WebSocket(arg);
    ws.on('open', () => { if (++open === counts.length) console.log('ready'); });
    ws.on('message', (_d, binary) => { if (binary) counts[i]++; });
  }
  process.stdin.on('data', () => report({ counts }));
} else {
  const share = Number(arg);
  console.log('ready');
  process.stdin.on('data', () => report({}));
  const burn = () => { const until = performance.now() + 10 * share; while (performance.now() < until); setTimeout(burn, 10 * (1 - share)); };
  burn();
}
`;

class Helper {
  private readonly lines: Interface;
  private constructor(private readonly child: ChildProcess) {
    this.lines = createInterface({ input: child.stdout! });
  }
  static async start(args: string[]): Promise<Helper> {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    const helper = new Helper(child);
    await helper.line();
    return helper;
  }
  private line(): Promise<string> {
    return new Promise((resolve) => this.lines.once('line', resolve));
  }
  async stop(): Promise<{ cpuShare: number; counts?: number[] }> {
    this.child.stdin!.write('stop\n');
    const out = JSON.parse(await this.line());
    this.child.kill();
    return out;
  }
}

async function encodeRound(image: RawImage, frames: number, coRunnerShare: number | null): Promise<Measure> {
  const color = { kind: 'raw' as const, ...image };
  await encodeJpeg(color, { maxSide: WIDTH, quality: QUALITY });
  const coRunner = coRunnerShare === null ? null : await Helper.start(['burn', String(Math.min(coRunnerShare, 0.95))]);
  try {
    return await measure(() => frames, () => paced(frames, () => encodeJpeg(color, { maxSide: WIDTH, quality: QUALITY })));
  } finally {
    await coRunner?.stop();
  }
}

interface ConsoleRound extends Measure {
  encoded: number;
  delivered: number[];
  clientCpuShare: number;
}

/** The console fed `color` (raw, or the source's JPEG: CompressedImage) at FPS, with CLIENTS watching. */
async function consoleRound(color: ColorImage, frames: number, previewMaxSide = WIDTH): Promise<ConsoleRound> {
  const config = defaultConfig();
  config.frames = { target: 'camera', navigation: 'camera', robot: 'camera' };
  const bridge = new Bridge({ pointer: null, config });
  const handle = await startConsole(bridge, { port: 0, log: () => {}, previewFps: FPS, previewMaxSide, previewQuality: QUALITY });
  const clients = await Helper.start(['clients', `ws://127.0.0.1:${handle.port}/ws?token=${handle.token}`, String(CLIENTS)]);
  try {
    const depth: RawImage = { encoding: '16UC1', width: WIDTH, height: HEIGHT, step: WIDTH * 2, isBigEndian: false, data: new Uint8Array(WIDTH * HEIGHT * 2) };
    const info = {
      width: WIDTH, height: HEIGHT, distortionModel: 'plumb_bob', d: [0, 0, 0, 0, 0], k: [900, 0, 639.5, 0, 900, 359.5, 0, 0, 1],
      r: [1, 0, 0, 0, 1, 0, 0, 0, 1], p: [900, 0, 639.5, 0, 0, 900, 359.5, 0, 0, 0, 1, 0], binningX: 0, binningY: 0,
      roi: { xOffset: 0, yOffset: 0, width: 0, height: 0, doRectify: false },
    };
    const m = await measure(
      () => handle.stats().framesEncoded,
      async () => {
        await paced(frames, (i) => {
          const header = { stampNs: 1_700_000_000_000_000_000n + BigInt(i) * 66_666_666n, frameId: 'camera' };
          bridge.ingest({ kind: 'camera_info', header, info });
          bridge.ingest({ kind: 'depth', header, image: depth });
          bridge.ingest({ kind: 'color', header, image: color });
        });
        await new Promise((r) => setTimeout(r, 100)); // the last encode and sends
      },
    );
    const report = await clients.stop();
    return { ...m, encoded: handle.stats().framesEncoded, delivered: report.counts ?? [], clientCpuShare: report.cpuShare };
  } finally {
    await handle.close();
  }
}

export default async function (): Promise<void> {
  const image = await frameImage();
  const frames = Math.round((RUN_MS / 1000) * FPS);
  const alone: Measure[] = [];
  const coRun: Measure[] = [];
  const rounds: ConsoleRound[] = [];
  const compressedRounds: ConsoleRound[] = [];
  const defaultSizeRounds: ConsoleRound[] = [];
  // The same frame as a camera driver's CompressedImage (JPEG q75): the preview forwards its bytes.
  const sourceJpeg: ColorImage = { kind: 'compressed', format: 'jpeg', data: (await encodeJpeg({ kind: 'raw', ...image }, { quality: QUALITY })).jpeg };
  for (let r = 0; r < ROUNDS; r++) {
    alone.push(await encodeRound(image, frames, null));
    const round = await consoleRound({ kind: 'raw', ...image }, frames);
    rounds.push(round);
    coRun.push(await encodeRound(image, frames, round.clientCpuShare));
    compressedRounds.push(await consoleRound(sourceJpeg, frames));
    // The console's default preview size (960 px): each raw frame is downscaled, then encoded once.
    defaultSizeRounds.push(await consoleRound({ kind: 'raw', ...image }, frames, DEFAULT_PREVIEW_MAX_SIDE));
  }
  const med = (m: Measure[]) => median(m.map((x) => x.cpuPerFrame));
  const split = (m: Measure[]) => {
    const t = m.filter((x) => x.threads !== null).map((x) => x.threads!);
    return t.length ? `main thread ${fmt(median(t.map((x) => x.main)))} + other threads ${fmt(median(t.map((x) => x.others)))} ms` : '';
  };
  const jpegBytes = (await encodeJpeg({ kind: 'raw', ...image }, { maxSide: WIDTH, quality: QUALITY })).jpeg.byteLength;
  const consoleMs = med(rounds);
  console.log(`${CLIENTS} clients, ${WIDTH}×${HEIGHT} rgb8 at ${FPS} fps, JPEG q${QUALITY} (${(jpegBytes / 1024).toFixed(0)} KiB), ${ROUNDS} rounds of ${RUN_MS} ms, ${cpus().length} CPUs`);
  console.log(`clients' CPU (child process, not counted): ${fmt(median(rounds.map((r) => r.clientCpuShare * 100)), 0)} % of one CPU`);
  console.log('');
  console.log('| per frame (median)                         | CPU ms | ratio | split |');
  console.log('|---|---|---|---|');
  console.log(`| one encode, alone                          | ${fmt(med(alone))} | ${fmt(consoleMs / med(alone))}× | ${split(alone)} |`);
  console.log(`| one encode, next to a co-runner like the clients | ${fmt(med(coRun))} | **${fmt(consoleMs / med(coRun))}×** | ${split(coRun)} |`);
  console.log(`| console to ${CLIENTS} clients (ingest + encode + fan-out + health) | ${fmt(consoleMs)} | | ${split(rounds)} |`);
  const compressedMs = med(compressedRounds);
  console.log(
    `| console to ${CLIENTS} clients, compressed source (JPEG bytes forwarded) | ${fmt(compressedMs)} | ${fmt(compressedMs / med(alone))}× / **${fmt(compressedMs / med(coRun))}×** | ${split(compressedRounds)} |`,
  );
  const defaultMs = med(defaultSizeRounds);
  console.log(
    `| console to ${CLIENTS} clients, raw source, default preview size ${DEFAULT_PREVIEW_MAX_SIDE} px (downscale + encode) | ${fmt(defaultMs)} | ${fmt(defaultMs / med(alone))}× / **${fmt(defaultMs / med(coRun))}×** | ${split(defaultSizeRounds)} |`,
  );
  // The raw round is one encode plus everything else; the compressed round is that everything else alone
  // (ingest, frame message, fan-out, health), so the two differences below should agree.
  const beyondEncode = consoleMs - med(coRun);
  console.log(
    `| raw console minus one encode (what is not the encode) | ${fmt(beyondEncode)} | **${fmt(beyondEncode / med(coRun))}×** | compare the compressed round: ${fmt(compressedMs / med(coRun))}× |`,
  );
  console.log('');
  console.log(`ratio = console / encode (alone / with the co-runner); goals: raw source ≤ 1.0×, compressed source ≤ 0.3× (against the encode with the same co-runner load)`);
  const deliveredPerFrame = (r: ConsoleRound[]) => median(r.map((x) => x.delivered.reduce((a, b) => a + b, 0) / Math.max(1, x.encoded)));
  console.log(
    `per frame delivered to one client (CPU / client copies sent): raw ${fmt(consoleMs / deliveredPerFrame(rounds) / med(coRun))}×, compressed ${fmt(compressedMs / deliveredPerFrame(compressedRounds) / med(coRun))}× one encode`,
  );
  console.log(`per round (alone / co-run / console): ${alone.map((a, i) => `${fmt(a.cpuPerFrame)}/${fmt(coRun[i]!.cpuPerFrame)}/${fmt(rounds[i]!.cpuPerFrame)}`).join('  ')}`);
  console.log(`frames encoded per round: ${rounds.map((r) => r.encoded).join(', ')} of ${frames}; delivered per client (last round): ${rounds.at(-1)!.delivered.join(' ')}`);
  console.log(`compressed source: frames sent per round ${compressedRounds.map((r) => r.encoded).join(', ')}; console CPU per round ${compressedRounds.map((r) => fmt(r.cpuPerFrame)).join(' ')} ms`);
  await depthGridCost(image);
  await downscaleKernelCost(image);
}

/** The preview's bilinear downscale next to lanczos3 (model images), 1280×720 → 960×540: CPU per encode, interleaved. */
async function downscaleKernelCost(image: RawImage): Promise<void> {
  const color: ColorImage = { kind: 'raw', ...image };
  const cpuPer = async (resizeKernel: 'lanczos3' | 'linear'): Promise<number> => {
    const n = 20;
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) await encodeJpeg(color, { maxSide: DEFAULT_PREVIEW_MAX_SIDE, quality: QUALITY, resizeKernel });
    const d = process.cpuUsage(start);
    return (d.user + d.system) / 1000 / n;
  };
  await cpuPer('lanczos3');
  await cpuPer('linear');
  const lanczos: number[] = [];
  const linear: number[] = [];
  for (let r = 0; r < 7; r++) {
    lanczos.push(await cpuPer('lanczos3'));
    linear.push(await cpuPer('linear'));
  }
  console.log(
    `preview downscale to ${DEFAULT_PREVIEW_MAX_SIDE} px + encode, CPU per frame (median of 7 interleaved rounds of 20): ` +
      `lanczos3 ${fmt(median(lanczos))} ms, linear (the preview's) ${fmt(median(linear))} ms, ${fmt(median(linear) / median(lanczos))}×`,
  );
}

/**
 * The panels' depth grid is built on request (a page asks for the frame it shows, at most once a second while
 * live), not per frame: its wall time per request next to one preview encode of the same frame.
 */
async function depthGridCost(image: RawImage): Promise<void> {
  const depth = new Uint8Array(WIDTH * HEIGHT * 2);
  const view = new DataView(depth.buffer);
  for (let i = 0; i < WIDTH * HEIGHT; i++) view.setUint16(i * 2, i % 97 === 0 ? 0 : 800 + (i % WIDTH), true);
  const info = cameraInfo({ width: WIDTH, height: HEIGHT, fx: 910, fy: 910, cx: 639.5, cy: 359.5, d: [-0.05, 0.08, 0.0005, -0.0003, -0.02] });
  let seq = 0;
  const snapshot = (): FrameSnapshot => ({
    seq: seq++,
    stampNs: 0n,
    frameId: 'camera_color_optical_frame',
    color: { kind: 'raw', ...image },
    depth: { encoding: '16UC1', width: WIDTH, height: HEIGHT, step: WIDTH * 2, isBigEndian: false, data: depth },
    depthStampNs: 0n,
    cameraInfo: info,
    receivedAtMs: 0,
  });
  let bytes = 0;
  const grid = await timeRounds(async () => (bytes = toWireJson(await buildDepthGrid(snapshot(), false, null)).length), 15);
  const encode = await timeRounds(() => encodeJpeg({ kind: 'raw', ...image }, { maxSide: 960, quality: QUALITY }), 15);
  console.log('');
  console.log(
    `depth grid on request (${WIDTH}×${HEIGHT}, plumb_bob, fresh frame each time): ${fmt(median(grid))} ms wall per request, ` +
      `${fmt(median(grid) / median(encode))}× one preview encode (${fmt(median(encode))} ms), ${(bytes / 1024).toFixed(0)} KiB of JSON`,
  );
}
