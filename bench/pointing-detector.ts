// The bundled detector's cost per query on the demo frame (640×480 JPEG, as the recording carries it), measured
// side by side in one run: DetectorPointer.point (JPEG decode, session.run with the resize inside, decode + NMS +
// ranking) against the bare session.run of the same session on the same decoded input (goal ≤ 1.2×); the p50 for
// reference; the first-use conversion, a cached load, and the RSS the loaded model adds. Run by pointing.bench.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import type { ColorImage } from '../src/geometry/types.js';
import { CENTERNET_INPUT } from '../src/pointing/detector/bundled-model.js';
import { DetectorPointer } from '../src/pointing/detector/detector-pointer.js';
import { fmt, median, percentile } from './stats.js';

const ROUNDS = 20;

export async function detectorPerQuery(): Promise<void> {
  const ort = await import('onnxruntime-node');
  const cacheDir = mkdtempSync(join(tmpdir(), 'bench-detector-'));
  try {
    const rssBefore = settledRss();
    let t = performance.now();
    const pointer = await DetectorPointer.load({ cacheDir });
    const convertMs = performance.now() - t;

    const image: ColorImage = { kind: 'compressed', format: 'jpeg', data: readFileSync('demo/redwood_livingroom1/color_00000.jpg') };
    const session = (pointer as unknown as { session: InferenceSession }).session;
    // The bare run's input: the same frame, decoded once (the model resizes it to 512² itself).
    const sharp = (await import('sharp')).default;
    const prepared = await sharp(image.data).removeAlpha().raw().toBuffer();
    const bare = () => session.run({ [CENTERNET_INPUT]: new ort.Tensor('uint8', prepared, [1, 480, 640, 3]) });

    const first = await pointer.point(image, 'the chair');
    const rssAfter = settledRss();
    t = performance.now();
    await DetectorPointer.load({ cacheDir });
    const cachedLoadMs = performance.now() - t;
    for (let i = 0; i < 3; i++) {
      await bare();
      await pointer.point(image, 'the chair');
    }
    const runs: number[] = [];
    const points: number[] = [];
    const parts: Record<string, number[]> = { preprocess: [], inference: [], decode: [] };
    for (let i = 0; i < ROUNDS; i++) {
      t = performance.now();
      await bare();
      runs.push(performance.now() - t);
      t = performance.now();
      const r = await pointer.point(image, 'the chair');
      points.push(performance.now() - t);
      for (const k of Object.keys(parts)) parts[k]!.push(r.timings[k]!);
    }

    console.log(`### bundled detector, "the chair" on the demo frame (640×480 JPEG), ${ROUNDS} alternating rounds`);
    console.log(`load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores; found: ${first.points.map((p) => `${p.label} ${p.score?.toFixed(2)}`).join(', ') || 'nothing'}\n`);
    console.log('| step | p50 ms | p90 ms |');
    console.log('|---|---|---|');
    console.log(`| bare session.run (same session, input prepared once) | ${fmt(median(runs))} | ${fmt(percentile(runs, 90))} |`);
    console.log(`| DetectorPointer.point (whole query) | ${fmt(median(points))} | ${fmt(percentile(points, 90))} |`);
    for (const [k, v] of Object.entries(parts)) console.log(`| … of which ${k} | ${fmt(median(v))} | |`);
    console.log(`\nratio point / bare session.run: ${fmt(median(points) / median(runs))}× (goal ≤ 1.2×)`);
    console.log(`first use (convert the TF.js graph, write the cache, create the session): ${fmt(convertMs, 0)} ms; cached load: ${fmt(cachedLoadMs, 0)} ms`);
    console.log(`RSS added by the loaded model (one session, after one query): ${fmt((rssAfter - rssBefore) / 2 ** 20, 1)} MiB\n`);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function settledRss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}
