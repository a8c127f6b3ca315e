// Console preview fan-out: 10 WebSocket clients watching 1280×720 frames at 15 fps. The console encodes each frame
// once and sends the same bytes to every client, so its CPU per delivered frame should stay close to the cost of
// one JPEG encode (goal ≤ 1.2×). Both are measured here, side by side, with process.cpuUsage (user + system, all
// threads: sharp's libvips workers included). The clients run in a child process so their CPU is not counted.
//   npm run bench -- console
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import sharp from 'sharp';
import { startConsole } from '../src/console/server.js';
import type { RawImage } from '../src/geometry/types.js';
import { encodeJpeg } from '../src/image/codec.js';
import { Bridge } from '../src/pipeline/bridge.js';
import { defaultConfig } from '../src/pipeline/config.js';
import { fmt, median } from './stats.js';

const WIDTH = 1280;
const HEIGHT = 720;
const FPS = 15;
const CLIENTS = Number(process.env.BENCH_CONSOLE_CLIENTS ?? 10);
const RUN_MS = 2000;
const ROUNDS = 5;
const QUALITY = 75;
const DEMO_JPEG = 'demo/redwood_livingroom1/color_00000.jpg';

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

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

/** Waits until frame i's slot at FPS since `started`. */
async function pace(started: number, i: number): Promise<void> {
  const wait = started + ((i + 1) * 1000) / FPS - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

/**
 * CPU ms of one encodeJpeg (the same call the console makes), paced at FPS like the console's frames: encoding
 * back-to-back keeps caches and the worker thread hot and reads up to a third lower than the same encode done
 * 15 times a second, which is what the console does.
 */
async function encodeCpuPerFrame(image: RawImage, frames: number): Promise<number> {
  const color = { kind: 'raw' as const, ...image };
  await encodeJpeg(color, { maxSide: WIDTH, quality: QUALITY });
  const started = performance.now();
  const start = process.cpuUsage();
  for (let i = 0; i < frames; i++) {
    await encodeJpeg(color, { maxSide: WIDTH, quality: QUALITY });
    await pace(started, i);
  }
  return cpuMs(start) / frames;
}

const CLIENT_SCRIPT = `
import { WebSocket } from 'ws';
const [url, n] = [process.argv[1], Number(process.argv[2])];
const counts = new Array(n).fill(0);
let open = 0;
for (let i = 0; i < n; i++) {
  const ws = new WebSocket(url);
  ws.on('open', () => { if (++open === n) console.log('ready'); });
  ws.on('message', (_d, binary) => { if (binary) counts[i]++; });
}
process.stdin.on('data', () => { console.log(JSON.stringify(counts)); process.exit(0); });
`;

interface Round {
  cpuPerFrame: number;
  encoded: number;
  delivered: number[];
}

async function consoleRound(image: RawImage): Promise<Round> {
  const config = defaultConfig();
  config.frames = { target: 'camera', navigation: 'camera', robot: 'camera' };
  const bridge = new Bridge({ pointer: null, config });
  const handle = await startConsole(bridge, { port: 0, log: () => {}, previewFps: FPS, previewMaxSide: WIDTH, previewQuality: QUALITY });
  const child = spawn(process.execPath, ['--input-type=module', '-e', CLIENT_SCRIPT, `ws://127.0.0.1:${handle.port}/ws?token=${handle.token}`, String(CLIENTS)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const nextLine = () => new Promise<string>((resolve) => lines.once('line', resolve));
  try {
    await nextLine(); // ready
    const depth: RawImage = { encoding: '16UC1', width: WIDTH, height: HEIGHT, step: WIDTH * 2, isBigEndian: false, data: new Uint8Array(WIDTH * HEIGHT * 2) };
    const info = {
      width: WIDTH, height: HEIGHT, distortionModel: 'plumb_bob', d: [0, 0, 0, 0, 0], k: [900, 0, 639.5, 0, 900, 359.5, 0, 0, 1],
      r: [1, 0, 0, 0, 1, 0, 0, 0, 1], p: [900, 0, 639.5, 0, 0, 900, 359.5, 0, 0, 0, 1, 0], binningX: 0, binningY: 0,
      roi: { xOffset: 0, yOffset: 0, width: 0, height: 0, doRectify: false },
    };
    const frames = Math.round((RUN_MS / 1000) * FPS);
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < frames; i++) {
      const header = { stampNs: 1_700_000_000_000_000_000n + BigInt(i) * 66_666_666n, frameId: 'camera' };
      bridge.ingest({ kind: 'camera_info', header, info });
      bridge.ingest({ kind: 'depth', header, image: depth });
      bridge.ingest({ kind: 'color', header, image: { kind: 'raw', ...image } });
      await pace(started, i);
    }
    await new Promise((r) => setTimeout(r, 150)); // let the last encode and sends finish
    const cpuPerFrame = cpuMs(cpu) / Math.max(1, handle.stats().framesEncoded);
    child.stdin!.write('stop\n');
    const delivered = JSON.parse(await nextLine()) as number[];
    return { cpuPerFrame, encoded: handle.stats().framesEncoded, delivered };
  } finally {
    child.kill();
    await handle.close();
  }
}

export default async function (): Promise<void> {
  const image = await frameImage();
  const framesPerRound = Math.round((RUN_MS / 1000) * FPS);
  const encodeCpu: number[] = [];
  const consoleCpu: number[] = [];
  const rounds: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    encodeCpu.push(await encodeCpuPerFrame(image, framesPerRound));
    const round = await consoleRound(image);
    rounds.push(round);
    consoleCpu.push(round.cpuPerFrame);
  }
  const encodeMedian = median(encodeCpu);
  const consoleMedian = median(consoleCpu);
  const last = rounds.at(-1)!;
  const jpegBytes = (await encodeJpeg({ kind: 'raw', ...image }, { maxSide: WIDTH, quality: QUALITY })).jpeg.byteLength;
  console.log(`${CLIENTS} clients, ${WIDTH}×${HEIGHT} rgb8 at ${FPS} fps, JPEG q${QUALITY} (${(jpegBytes / 1024).toFixed(0)} KiB), ${ROUNDS} rounds of ${RUN_MS} ms`);
  console.log(`one JPEG encode per frame:       ${fmt(encodeMedian)} ms CPU per frame (median, paced at ${FPS} fps)`);
  console.log(`console, per frame to ${CLIENTS} clients: ${fmt(consoleMedian)} ms CPU per frame (median; ingest + encode + fan-out + health)`);
  console.log(`ratio console / one encode:      ${fmt(consoleMedian / encodeMedian)}× (goal ≤ 1.2×)`);
  console.log(`per round (encode / console ms): ${encodeCpu.map((e, i) => `${fmt(e)}/${fmt(consoleCpu[i]!)}`).join('  ')}`);
  console.log(`frames encoded per round: ${rounds.map((r) => r.encoded).join(', ')} of ${framesPerRound} offered; last round delivered per client: ${last.delivered.join(' ')}`);
}
