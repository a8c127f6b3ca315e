// Sources: MCAP replay in fast mode over the demo recording (every message decoded and validated), and the
// recorder writing results that each bring a new snapshot (JPEG + 16UC1 depth + camera info). Each is compared
// with a plain baseline on the same bytes in the same run: reading the file, and writing the snapshot's bytes.
//   npm run bench -- sources
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameSnapshot, PointResult, SourceEvent } from '../src/pipeline/types.js';
import { McapSource } from '../src/sources/mcap-source.js';
import { Recorder } from '../src/sources/recorder.js';
import { fmt, median } from './stats.js';

const DEMO = 'demo/redwood_livingroom1.mcap';
const REPLAY_FRAMES = 500;
const RESULTS = 200;

/** Milliseconds per colour frame of a looping fast replay. */
async function replayMsPerFrame(): Promise<number> {
  const source = new McapSource({ path: DEMO, realtime: false, loop: true });
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

/** Milliseconds per recorded result, each with a snapshot of a new seq (so its frames are written). */
async function recorderMsPerResult(dir: string, frame: FrameSnapshot): Promise<number> {
  const rec = await Recorder.open({ path: join(dir, 'bench.mcap'), onError: (e) => { throw e; } });
  const t0 = performance.now();
  for (let i = 1; i <= RESULTS; i++) {
    const s = { ...frame, seq: i, stampNs: frame.stampNs + BigInt(i) * 66_666_666n };
    await rec.recordResult(failedResult(`r${i}`, s), s);
  }
  await rec.close();
  return (performance.now() - t0) / RESULTS;
}

/** Milliseconds per plain write of the snapshot's pixel bytes to one file each. */
async function plainWriteMs(dir: string, frame: FrameSnapshot): Promise<number> {
  const t0 = performance.now();
  for (let i = 1; i <= RESULTS; i++) await writeFile(join(dir, `plain-${i % 4}.bin`), Buffer.concat([frame.color.data, frame.depth.data]));
  return (performance.now() - t0) / RESULTS;
}

export default async function (): Promise<void> {
  const fileBytes = (await readFile(DEMO)).length;
  const replay: number[] = [];
  const readFileMs: number[] = [];
  for (let round = 0; round < 3; round++) {
    replay.push(await replayMsPerFrame());
    const t0 = performance.now();
    await readFile(DEMO);
    readFileMs.push((performance.now() - t0) / 5); // the file holds five frames
  }
  console.log(`MCAP replay, fast mode (${REPLAY_FRAMES} frames of ${DEMO}, ${fmt(fileBytes / 1e6, 1)} MB / 5 frames): median ${fmt(median(replay), 2)} ms per frame`);
  console.log(`  plain readFile of the recording, per frame: ${fmt(median(readFileMs), 3)} ms; ratio ${fmt(median(replay) / median(readFileMs), 1)}`);

  const dir = await mkdtemp(join(tmpdir(), 'sources-bench-'));
  try {
    const frame = await firstFrame();
    const recorded: number[] = [];
    const plain: number[] = [];
    for (let round = 0; round < 3; round++) {
      recorded.push(await recorderMsPerResult(dir, frame));
      plain.push(await plainWriteMs(dir, frame));
    }
    const kb = (frame.color.data.length + frame.depth.data.length) / 1000;
    console.log(`Recorder, ${RESULTS} results each with a new snapshot (${fmt(kb, 0)} KB of image bytes): median ${fmt(median(recorded), 2)} ms per result`);
    console.log(`  plain writeFile of the same image bytes: ${fmt(median(plain), 2)} ms; ratio ${fmt(median(recorded) / median(plain), 1)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
