// The bridge's own time per request for a 1280×720 RGB-D frame, against one JPEG encode of that frame in the same
// run (goal ≤ 1.5×), p50 and p99:
//  1. bridge alone: a fresh synced frame per request (sync, snapshot checks, camera model, depth view), a pointer
//     answering at once (ClickPointer), lift with depth window + surface normal, TF, pick pose, validate;
//  2. bridge + MolmoPointer against a chat-completions server answering at once on its own thread: adds the JPEG
//     encode of the raw frame, the HTTP round trip and parsing: everything but the model.
import { Worker } from 'node:worker_threads';
import type { ColorImage, RawImage } from '../src/geometry/types.js';
import { encodeJpeg } from '../src/image/codec.js';
import { Bridge } from '../src/pipeline/bridge.js';
import { defaultConfig } from '../src/pipeline/config.js';
import type { Pointer } from '../src/pointing/types.js';
import { ClickPointer } from '../src/pointing/click-pointer.js';
import { MolmoPointer } from '../src/pointing/molmo-client.js';
import { colorFrame, pinholeInfo } from './frames.js';
import { fmt, percentile, timeRounds } from './stats.js';

const WIDTH = 1280;
const HEIGHT = 720;
const ROUNDS = 80;
const WARMUP = 10;
const CAMERA = 'camera_color_optical_frame';

/** 16UC1 depth: a tilted table top at ~1.2 m with ±3 mm noise and 5 % holes. */
function depthFrame(seed: number): RawImage {
  const data = new Uint8Array(WIDTH * HEIGHT * 2);
  const view = new DataView(data.buffer);
  let s = seed >>> 0;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      s = (s * 1664525 + 1013904223) >>> 0;
      const hole = (s >>> 16) % 100 < 5;
      const mm = 1200 + (y - HEIGHT / 2) * 0.4 + ((s >>> 24) % 7) - 3;
      view.setUint16((y * WIDTH + x) * 2, hole ? 0 : Math.round(mm), true);
    }
  }
  return { encoding: '16UC1', width: WIDTH, height: HEIGHT, step: WIDTH * 2, isBigEndian: false, data };
}

const INFO = pinholeInfo(WIDTH, HEIGHT, 910, [0.05, -0.1, 0.001, 0.0005, 0.02]);

function makeBridge(pointer: Pointer): Bridge {
  const config = defaultConfig();
  config.store.maxAgeMs = 1e9;
  const bridge = new Bridge({ pointer, config });
  bridge.ingest({
    kind: 'tf',
    isStatic: true,
    transforms: [{ frameId: 'base_link', childFrameId: CAMERA, stampNs: 0n, transform: { translation: { x: 0.1, y: 0, z: 1.2 }, rotation: { x: -0.5, y: 0.5, z: -0.5, w: 0.5 } } }],
  });
  return bridge;
}

/** Distinct frame objects reused round-robin: each request gets a new synced snapshot (no per-frame caches). */
function frames(n: number): { color: ColorImage; depth: RawImage }[] {
  return Array.from({ length: n }, (_, i) => ({ color: colorFrame(WIDTH, HEIGHT, i + 1), depth: depthFrame(i + 7) }));
}

/** Per request: ingest a fresh frame (colour, depth, camera info with a new stamp), then time request(). */
async function timeBridge(bridge: Bridge, pool: { color: ColorImage; depth: RawImage }[], query: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const f = pool[i % pool.length]!;
    const stampNs = 1_700_000_000_000_000_000n + BigInt(i) * 33_000_000n;
    // A new object per round so nothing keyed by the image object can be reused.
    const color: ColorImage = { ...f.color };
    bridge.ingest({ kind: 'camera_info', header: { stampNs, frameId: CAMERA }, info: INFO });
    bridge.ingest({ kind: 'color', header: { stampNs, frameId: CAMERA }, image: color });
    bridge.ingest({ kind: 'depth', header: { stampNs, frameId: CAMERA }, image: { ...f.depth } });
    const start = performance.now();
    const r = await bridge.request({ id: `b${i}`, query, mode: 'pick' });
    const ms = performance.now() - start;
    if (r.status !== 'ok') throw new Error(`bench request failed: ${r.status} ${r.reason}`);
    if (i >= WARMUP) times.push(ms);
  }
  return times;
}

function timeJpeg(pool: { color: ColorImage }[]): Promise<number[]> {
  let i = 0;
  return timeRounds(() => encodeJpeg(pool[i++ % pool.length]!.color), ROUNDS, WARMUP);
}

/** A chat-completions server on its own thread answering at once, so its work is not on our event loop. */
async function startThreadServer(answer: string): Promise<{ url: string; close(): Promise<number> }> {
  const body = JSON.stringify({ model: 'bench', choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }] });
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const server = require('node:http').createServer((req, res) => {
       req.resume();
       req.on('end', () => {
         res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(workerData) });
         res.end(workerData);
       });
     });
     server.keepAliveTimeout = 60000;
     server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
     parentPort.on('message', () => server.close(() => process.exit(0)));`,
    { eval: true, workerData: body },
  );
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      worker.postMessage('close');
      return new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

function row(name: string, times: number[], base: { p50: number; p99: number }): string {
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  return `| ${name} | ${fmt(p50)} | ${fmt(p99)} | ${fmt(p50 / base.p50)}× | ${fmt(p99 / base.p99)}× |`;
}

export default async function pipelineBench(): Promise<void> {
  const pool = frames(4);
  const server = await startThreadServer('<point x="50.0" y="50.0" alt="mug">mug</point>');
  try {
    // Interleave the three measurements in two passes so machine noise hits them alike.
    const jpeg: number[] = [];
    const alone: number[] = [];
    const withMolmo: number[] = [];
    const clickBridge = makeBridge(new ClickPointer([{ u: 640, v: 360 }]));
    const molmoBridge = makeBridge(new MolmoPointer({ endpoints: [server.url], family: 'molmo', model: 'bench', retries: 0 }));
    for (let pass = 0; pass < 2; pass++) {
      jpeg.push(...(await timeJpeg(pool)));
      alone.push(...(await timeBridge(clickBridge, pool, 'mug')));
      withMolmo.push(...(await timeBridge(molmoBridge, pool, 'mug')));
    }
    const base = { p50: percentile(jpeg, 50), p99: percentile(jpeg, 99) };
    console.log(`1280×720 RGB-D frame, pick mode (depth window 5×5, normal window 13×13, distortion), ${jpeg.length} requests each, fresh frame per request`);
    console.log('');
    console.log('| per request | p50 ms | p99 ms | p50 / JPEG encode | p99 / JPEG encode |');
    console.log('|---|---|---|---|---|');
    console.log(`| one JPEG encode of the frame (sharp, q85) | ${fmt(base.p50)} | ${fmt(base.p99)} | 1.00× | 1.00× |`);
    console.log(row('bridge alone (pointer answers at once)', alone, base));
    console.log(row('bridge + MolmoPointer (JPEG + HTTP, server answers at once)', withMolmo, base));
    console.log('');
    console.log(`goal: bridge alone ≤ 1.5× one JPEG encode: ${percentile(alone, 50) / base.p50 <= 1.5 ? 'met' : 'NOT met'} at p50`);
  } finally {
    await server.close();
  }
}
