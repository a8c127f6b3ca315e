// Accuracy of the object segment and box on the committed synthetic tabletop (test/helpers/synthetic-scene.ts):
// exact depth, then the default noise model (a D435-like σz = 0.5 mm + 2.5 mm·z²) with 2 % random holes and half of
// the depth-edge pixels missing, over several noise seeds and at 640×480 and 1280×720.
//   npx tsx scripts/eval-synthetic.ts [seeds (default 5)]
import { DEFAULT_DEPTH_NOISE } from '../src/geometry/depth-noise.js';
import { scoreObject } from '../test/helpers/segment-score.js';
import { renderScene, TABLETOP, type SceneSpec } from '../test/helpers/synthetic-scene.js';

const seeds = Number(process.argv[2] ?? 5);
const EXACT = { baseM: 0.001, perM2: 0 };
const sizes = [{ width: 640, height: 480, focal: 600 }, { width: 1280, height: 720, focal: 910 }];

console.log('| frame | depth | object | mask IoU (min / mean) | centroid error mm (mean / max) | box size error mm (mean / max) |');
console.log('|---|---|---|---|---|---|');
for (const size of sizes) {
  for (const noisy of [false, true]) {
    const runs: SceneSpec[] = noisy
      ? Array.from({ length: seeds }, (_, k) => ({ ...TABLETOP, ...size, noise: { model: DEFAULT_DEPTH_NOISE, dropout: 0.02, edgeDropout: 0.5, seed: 100 + k } }))
      : [{ ...TABLETOP, ...size }];
    const scores = new Map<string, { iou: number[]; c: number[]; s: number[] }>();
    for (const spec of runs) {
      const scene = renderScene(spec);
      for (const o of scene.objects) {
        const r = scoreObject(scene, o, noisy ? DEFAULT_DEPTH_NOISE : EXACT);
        const e = scores.get(o.name) ?? { iou: [], c: [], s: [] };
        e.iou.push(r ? r.iou : 0);
        e.c.push(r ? r.centroidErrM * 1000 : NaN);
        e.s.push(r ? r.sizeErrM * 1000 : NaN);
        scores.set(o.name, e);
      }
    }
    const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
    for (const [name, e] of scores) {
      console.log(`| ${size.width}×${size.height} | ${noisy ? `noise + holes, ${seeds} seeds` : 'exact'} | ${name} | ${Math.min(...e.iou).toFixed(3)} / ${mean(e.iou).toFixed(3)} | ${mean(e.c).toFixed(1)} / ${Math.max(...e.c).toFixed(1)} | ${mean(e.s).toFixed(1)} / ${Math.max(...e.s).toFixed(1)} |`);
    }
  }
}
