// Sources: MCAP replay in fast mode over the demo recording (every message decoded and validated), in each layout
// (uncompressed, zstd and lz4 chunks, no chunks, a two-split bag folder: scripts/make-recording-layouts.ts), and
// the recorder writing results that each bring a new snapshot (JPEG + 16UC1 depth + camera info) with each chunk
// compression. Each is compared with a plain baseline on the same bytes in the same run: reading the file, and
// writing the snapshot's bytes. First the chunk codecs themselves, side by side (chunk-codecs.ts).
//   npm run bench -- sources
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameSnapshot, PointResult, SourceEvent } from '../src/pipeline/types.js';
import type { ChunkCompression } from '../src/sources/compress.js';
import { McapSource } from '../src/sources/mcap-source.js';
import { Recorder } from '../src/sources/recorder.js';
import { makeRecordingLayouts, RECORDING_LAYOUTS } from '../scripts/make-recording-layouts.js';
import { compareChunkCodecs } from './chunk-codecs.js';
import { fmt, median } from './stats.js';

const DEMO = 'demo/redwood_livingroom1.mcap';
const REPLAY_FRAMES = 500;
const RESULTS = 200;

/** Milliseconds per colour frame of a looping fast replay. */
async function replayMsPerFrame(path = DEMO): Promise<number> {
  const source = new McapSource({ path, realtime: false, loop: true });
  let n = 0;
  const t0 = performance.now();
  await source.start((e) => {
    if (e.kind === 'color' && ++n === REPLAY_FRAMES) source.stop();
  });
  return (performance.now() - t0) / REPLAY_FRAMES;
}

async function firstFrame(): Promise<FrameSnapshot> {
  const events: SourceEvent[] = [];
  await new McapSource({ path: DEMO, realtime: false }).start((e) => events.push(e));
  const color = events.find((e) => e.kind === 'color');
  const depth = events.find((e) => e.kind === 'depth');
  const info = events.find((e) => e.kind === 'camera_info');
  if (color?.kind !== 'color' || depth?.kind !== 'depth' || info?.kind !== 'camera_info') throw new Error(`${DEMO}: no first frame`);
  return {
    seq: 0, stampNs: color.header.stampNs, frameId: color.header.frameId, color: color.image, depth: depth.image,
    depthStampNs: depth.header.stampNs, cameraInfo: info.info, receivedAtMs: 0,
  };
}

function failedResult(id: string, s: FrameSnapshot): PointResult {
  return {
    id, status: 'no_points', reason: 'bench', mode: 'point', query: 'the chair', targetFrame: 'map', stampNs: s.stampNs,
    frameSeq: s.seq, cameraFrameId: s.frameId, waypoints: [], pixels: [], pixelStatus: [], rawText: '', model: 'bench',
    timings: { snapshot: 0, point: 0, total: 0 }, tfFallback: false,
  };
}

/** Milliseconds and file bytes per recorded result, each with a snapshot of a new seq (so its frames are written). */
async function recorderPerResult(dir: string, frame: FrameSnapshot, compression: ChunkCompression): Promise<{ ms: number; bytes: number }> {
  const path = join(dir, `bench-${compression}.mcap`);
  const rec = await Recorder.open({ path, compression, onError: (e) => { throw e; } });
  const t0 = performance.now();
  for (let i = 1; i <= RESULTS; i++) {
    const s = { ...frame, seq: i, stampNs: frame.stampNs + BigInt(i) * 66_666_666n };
    await rec.recordResult(failedResult(`r${i}`, s), s);
  }
  await rec.close();
  return { ms: (performance.now() - t0) / RESULTS, bytes: (await stat(path)).size / RESULTS };
}

/** Milliseconds per plain write of the snapshot's pixel bytes to one file each. */
async function plainWriteMs(dir: string, frame: FrameSnapshot): Promise<number> {
  const t0 = performance.now();
  for (let i = 1; i <= RESULTS; i++) await writeFile(join(dir, `plain-${i % 4}.bin`), Buffer.concat([frame.color.data, frame.depth.data]));
  return (performance.now() - t0) / RESULTS;
}

export default async function (): Promise<void> {
  await compareChunkCodecs(DEMO);

  const dir = await mkdtemp(join(tmpdir(), 'sources-bench-'));
  try {
    const layouts = await makeRecordingLayouts(DEMO, join(dir, 'layouts'));
    const paths: [string, string][] = [['uncompressed (the demo)', DEMO], ...RECORDING_LAYOUTS.map((l): [string, string] => [l, layouts[l]])];
    const replay = new Map<string, number[]>(paths.map(([name]) => [name, []]));
    const readFileMs: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const [name, path] of paths) replay.get(name)!.push(await replayMsPerFrame(path));
      const t0 = performance.now();
      await readFile(DEMO);
      readFileMs.push((performance.now() - t0) / 5); // the file holds five frames
    }
    const base = median(replay.get(paths[0]![0])!);
    console.log(`MCAP replay, fast mode (${REPLAY_FRAMES} frames of ${DEMO}, ${fmt((await stat(DEMO)).size / 1e6, 1)} MB / 5 frames, median of 3), ms per frame:`);
    for (const [name] of paths) {
      const ms = median(replay.get(name)!);
      console.log(`  ${name}: ${fmt(ms, 2)}${name === paths[0]![0] ? '' : ` (${fmt(ms / base, 2)}× uncompressed)`}`);
    }
    console.log(`  plain readFile of the recording, per frame: ${fmt(median(readFileMs), 3)} ms; uncompressed replay / readFile = ${fmt(base / median(readFileMs), 1)}`);

    const frame = await firstFrame();
    const compressions: ChunkCompression[] = ['none', 'zstd', 'lz4'];
    const recorded = new Map<ChunkCompression, { ms: number[]; bytes: number }>(compressions.map((c) => [c, { ms: [], bytes: 0 }]));
    const plain: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const c of compressions) {
        const r = await recorderPerResult(dir, frame, c);
        recorded.get(c)!.ms.push(r.ms);
        recorded.get(c)!.bytes = r.bytes;
      }
      plain.push(await plainWriteMs(dir, frame));
    }
    const kb = (frame.color.data.length + frame.depth.data.length) / 1000;
    console.log(`Recorder, ${RESULTS} results each with a new snapshot (${fmt(kb, 0)} KB of image bytes), median of 3:`);
    for (const c of compressions) {
      const { ms, bytes } = recorded.get(c)!;
      console.log(`  ${c}: ${fmt(median(ms), 2)} ms and ${fmt(bytes / 1000, 0)} KB of file per result; ${fmt(median(ms) / median(plain), 1)}× a plain write`);
    }
    console.log(`  plain writeFile of the same image bytes: ${fmt(median(plain), 2)} ms`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
