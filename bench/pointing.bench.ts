// Pointing client costs, measured side by side in one run:
//  1. per-request overhead for a 1280×720 frame (JPEG encode + HTTP request + parse, the server answering at
//     once) against sharp's bare JPEG encode of the same frame (goal ≤ 1.3×);
//  2. 8 parallel queries against a server with a fixed 200 ms latency against one query (goal ≤ 1.3×), for
//     one frame (8 objects in one frame: one shared encode) and for 8 distinct frames.
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import type { ColorImage } from '../src/geometry/types.js';
import { MolmoPointer } from '../src/pointing/molmo-client.js';
import { startFakeMolmoServer } from '../test/helpers/fake-molmo-server.js';
import { fmt, median } from './stats.js';

const WIDTH = 1280;
const HEIGHT = 720;
const QUALITY = 85;
const ANSWER = `<points coords="1 ${Array.from({ length: 12 }, (_, i) => `${i + 1} ${String(80 * i + 40).padStart(3, '0')} ${String(500 + i * 10)}`).join(' ')}" alt="mug">mug</points>`;

/** A camera-like frame: smooth gradients plus sensor noise (JPEG ≈ a real frame's size, not a flat image). */
function frame(seed: number): ColorImage {
  const data = new Uint8Array(WIDTH * HEIGHT * 3);
  let s = seed >>> 0;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      s = (s * 1664525 + 1013904223) >>> 0;
      const noise = (s >>> 24) % 16;
      const i = (y * WIDTH + x) * 3;
      data[i] = ((x * 255) / WIDTH + noise) & 0xff;
      data[i + 1] = ((y * 255) / HEIGHT + noise) & 0xff;
      data[i + 2] = (((x + y) * 128) / (WIDTH + HEIGHT) + 64 + noise * Math.sin(x / 40)) & 0xff;
    }
  }
  return { kind: 'raw', encoding: 'rgb8', width: WIDTH, height: HEIGHT, step: WIDTH * 3, isBigEndian: false, data };
}

/** The same pixels in a new image object (so the per-frame encode cache does not apply). */
function copyOf(img: ColorImage): ColorImage {
  return { ...img, data: img.data.slice() };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export default async function pointingBench(): Promise<void> {
  await overheadPerRequest();
  await parallelQueries();
}

/** A chat-completions server on its own thread that answers at once: the time measured is the client's, not
 * the server's (which shares the event loop when it runs in-process). */
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
     server.listen(0, '127.0.0.1', () => parentPort.postMessage('http://127.0.0.1:' + server.address().port));`,
    { eval: true, workerData: body },
  );
  const url = await new Promise<string>((resolve) => worker.once('message', resolve));
  return { url, close: () => worker.terminate() };
}

async function overheadPerRequest(): Promise<void> {
  const server = await startThreadServer(ANSWER);
  try {
    const pointer = new MolmoPointer({ endpoints: [server.url], family: 'molmo2', model: 'bench', jpegQuality: QUALITY });
    const rounds = 40;
    const raw = frame(1) as ColorImage & { kind: 'raw' };
    const bare = () => sharp(Buffer.from(raw.data.buffer), { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: QUALITY }).toBuffer();
    const jpegBytes = (await bare()).length;
    // Warm up both paths, then alternate them so machine load hits both alike. Each client request gets a new
    // frame object, so nothing is served from the per-frame encode cache.
    for (let i = 0; i < 3; i++) {
      await bare();
      await pointer.point(copyOf(raw), 'mug');
    }
    const bareTimes: number[] = [];
    const clientTimes: number[] = [];
    const parts: Record<string, number[]> = { encode: [], queue: [], request: [], parse: [] };
    for (let i = 0; i < rounds; i++) {
      bareTimes.push(await timed(bare));
      const img = copyOf(raw);
      let timings: Record<string, number> = {};
      clientTimes.push(await timed(async () => ({ timings } = await pointer.point(img, 'mug'))));
      for (const key of Object.keys(parts)) parts[key]!.push(timings[key] ?? NaN);
    }
    const ratio = median(clientTimes) / median(bareTimes);
    console.log(`### client overhead per request, ${WIDTH}×${HEIGHT} rgb8 frame (JPEG q${QUALITY}, ${Math.round(jpegBytes / 1024)} KiB), server on another thread answers at once, ${rounds} rounds`);
    console.log(`| step | median ms |`);
    console.log(`|---|---|`);
    console.log(`| sharp JPEG encode alone | ${fmt(median(bareTimes))} |`);
    console.log(`| MolmoPointer.point (encode + request + parse) | ${fmt(median(clientTimes))} |`);
    for (const [key, values] of Object.entries(parts)) console.log(`| … of which ${key} | ${fmt(median(values))} |`);
    console.log(`\nratio point / bare encode: ${fmt(ratio)}× (goal ≤ 1.3×)\n`);
  } finally {
    await server.close();
  }
}

async function parallelQueries(): Promise<void> {
  const latencyMs = 200;
  const server = await startFakeMolmoServer({ lightweight: true, latencyMs, fallback: { answer: ANSWER } });
  try {
    const pointer = new MolmoPointer({ endpoints: [server.url], family: 'molmo2', model: 'bench', concurrency: 8 });
    const queries = ['mug', 'cup', 'bowl', 'spoon', 'fork', 'plate', 'knife', 'glass'];
    const rounds = 5;
    const one: number[] = [];
    const sameFrame: number[] = [];
    const distinctFrames: number[] = [];
    const base = frame(7);
    await pointer.point(copyOf(base), 'warm-up');
    for (let r = 0; r < rounds; r++) {
      const single = copyOf(base);
      one.push(await timed(() => pointer.point(single, 'mug')));
      const shared = copyOf(base);
      sameFrame.push(await timed(() => Promise.all(queries.map((q) => pointer.point(shared, q)))));
      const eight = queries.map(() => copyOf(base));
      distinctFrames.push(await timed(() => Promise.all(queries.map((q, i) => pointer.point(eight[i]!, q)))));
    }
    const oneMs = median(one);
    console.log(`### 8 parallel queries, server latency ${latencyMs} ms, concurrency 8, ${rounds} rounds (server saw at most ${server.maxInFlight} in flight)`);
    console.log(`| case | median ms | ratio to one query |`);
    console.log(`|---|---|---|`);
    console.log(`| one query | ${fmt(oneMs)} | 1.00 |`);
    console.log(`| 8 queries, one frame (shared encode) | ${fmt(median(sameFrame))} | ${fmt(median(sameFrame) / oneMs)} |`);
    console.log(`| 8 queries, 8 distinct frames | ${fmt(median(distinctFrames))} | ${fmt(median(distinctFrames) / oneMs)} |`);
    console.log(`\ngoal: 8 parallel ≤ 1.3× one query`);
  } finally {
    await server.close();
  }
}
