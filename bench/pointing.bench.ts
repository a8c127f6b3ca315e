// Pointing client costs, measured side by side in one run:
//  1. per-request overhead for a 1280×720 frame (JPEG encode + HTTP request + parse, the server answering at
//     once) against sharp's bare JPEG encode of the same frame (goal ≤ 1.3×);
//  2. 8 parallel queries against a server with a fixed 200 ms latency against one query (goal ≤ 1.3×), for
//     one frame (8 objects in one frame: one shared encode) and for 8 distinct frames;
//  3. the bundled detector per query on the demo frame against its bare session.run (bench/pointing-detector.ts).
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import sharp from 'sharp';
import type { ColorImage } from '../src/geometry/types.js';
import { MolmoPointer } from '../src/pointing/molmo-client.js';
import { startFakeMolmoServer } from '../test/helpers/fake-molmo-server.js';
import { colorFrame } from './frames.js';
import { detectorPerQuery } from './pointing-detector.js';
import { fmt, median } from './stats.js';

const WIDTH = 1280;
const HEIGHT = 720;
const QUALITY = 85;
const ANSWER = `<points coords="1 ${Array.from({ length: 12 }, (_, i) => `${i + 1} ${String(80 * i + 40).padStart(3, '0')} ${String(500 + i * 10)}`).join(' ')}" alt="mug">mug</points>`;

/** The bench's camera-like frame (the blue ripple keeps its JPEG size what it has always been). */
function frame(seed: number): ColorImage {
  return colorFrame(WIDTH, HEIGHT, seed, { blueRipple: true });
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
  await detectorPerQuery();
}

/** A chat-completions server in a child process that answers at once: the time measured (wall and CPU) is the
 * client's alone, not the server's. */
async function startProcessServer(answer: string): Promise<{ url: string; close(): void }> {
  const body = JSON.stringify({ model: 'bench', choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }] });
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const body = process.argv[1];
       const server = require('node:http').createServer((req, res) => {
         req.resume();
         req.on('end', () => {
           res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
           res.end(body);
         });
       });
       server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));`,
      body,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
  return { url, close: () => child.kill() };
}

/** Wall-clock and process CPU time (all threads: libvips included) of one call, in ms. */
async function measure(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await fn();
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

async function overheadPerRequest(): Promise<void> {
  const server = await startProcessServer(ANSWER);
  try {
    const pointer = new MolmoPointer({ endpoints: [server.url], family: 'molmo2', model: 'bench', jpegQuality: QUALITY });
    const rounds = 40;
    const raw = frame(1) as ColorImage & { kind: 'raw' };
    // Baselines: sharp's default JPEG encode (optimised Huffman tables), and one with the client's own settings
    // (no Huffman optimisation), so the second ratio is the client's cost beyond the encode itself.
    // Every measured call gets its own fresh copy of the frame, so allocation and GC costs fall alike.
    const encodeWith = (optimiseCoding: boolean) => (img: ColorImage & { kind: 'raw' }) => () =>
      sharp(Buffer.from(img.data.buffer), { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: QUALITY, optimiseCoding }).toBuffer();
    const bare = encodeWith(true);
    const bareSame = encodeWith(false);
    const fresh = () => copyOf(raw) as ColorImage & { kind: 'raw' };
    const jpegBytes = (await bareSame(raw)()).length;
    // Warm up both paths, then alternate them so machine load hits both alike. Each client request gets a new
    // frame object, so nothing is served from the per-frame encode cache.
    for (let i = 0; i < 3; i++) {
      await bare(fresh())();
      await bareSame(fresh())();
      await pointer.point(fresh(), 'mug');
    }
    const bareRuns: { wall: number; cpu: number }[] = [];
    const bareSameRuns: { wall: number; cpu: number }[] = [];
    const clientRuns: { wall: number; cpu: number }[] = [];
    const parts: Record<string, number[]> = { encode: [], queue: [], request: [], parse: [] };
    for (let i = 0; i < rounds; i++) {
      bareRuns.push(await measure(bare(fresh())));
      bareSameRuns.push(await measure(bareSame(fresh())));
      const img = fresh();
      let timings: Record<string, number> = {};
      clientRuns.push(await measure(async () => ({ timings } = await pointer.point(img, 'mug'))));
      for (const key of Object.keys(parts)) parts[key]!.push(timings[key] ?? NaN);
    }
    const wall = (runs: { wall: number }[]) => median(runs.map((r) => r.wall));
    const cpu = (runs: { cpu: number }[]) => median(runs.map((r) => r.cpu));
    console.log(`### client overhead per request, ${WIDTH}×${HEIGHT} rgb8 frame (JPEG q${QUALITY}, ${Math.round(jpegBytes / 1024)} KiB)`);
    console.log(`server in another process, answering at once; ${rounds} alternating rounds; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores\n`);
    console.log(`| step | median wall ms | median CPU ms |`);
    console.log(`|---|---|---|`);
    console.log(`| sharp JPEG encode alone, default settings | ${fmt(wall(bareRuns))} | ${fmt(cpu(bareRuns))} |`);
    console.log(`| sharp JPEG encode alone, client's settings (optimiseCoding off) | ${fmt(wall(bareSameRuns))} | ${fmt(cpu(bareSameRuns))} |`);
    console.log(`| MolmoPointer.point (encode + request + parse) | ${fmt(wall(clientRuns))} | ${fmt(cpu(clientRuns))} |`);
    for (const [key, values] of Object.entries(parts)) console.log(`| … of which ${key} | ${fmt(median(values))} | |`);
    const ratio = (base: { wall: number; cpu: number }[]) => `wall ${fmt(wall(clientRuns) / wall(base))}×, CPU ${fmt(cpu(clientRuns) / cpu(base))}×`;
    console.log(`\nratio point / default encode: ${ratio(bareRuns)} (goal ≤ 1.3×)`);
    console.log(`ratio point / encode with the same settings: ${ratio(bareSameRuns)}\n`);
  } finally {
    server.close();
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
