// The geometry bench's object case: segment + oriented box per waypoint on a 1280×720 synthetic tabletop with the
// noise model's noise and holes, as a ratio to one JPEG encode of a 1280×720 frame (sharp, defaults) in the same
// run, rounds interleaved so both see the same machine load. Goal ≤ 0.5×.
import { CameraModel } from '../src/geometry/camera-model.js';
import { DEFAULT_DEPTH_NOISE } from '../src/geometry/depth-noise.js';
import { DEFAULT_BOX_TRIM, fitOrientedBox } from '../src/geometry/oriented-box.js';
import { segmentObject } from '../src/geometry/segment.js';
import { encodeJpeg } from '../src/image/codec.js';
import { renderScene, TABLETOP } from '../test/helpers/synthetic-scene.js';
import { colorFrame } from './frames.js';
import { fmt, median } from './stats.js';

const ROUNDS = 21;
const WARMUP = 30;

export async function segmentBoxCase(): Promise<void> {
  const scene = renderScene({ ...TABLETOP, width: 1280, height: 720, focal: 910, noise: { model: DEFAULT_DEPTH_NOISE, dropout: 0.02, edgeDropout: 0.5, seed: 3 } });
  const model = CameraModel.fromCameraInfo(scene.info);
  const frame = colorFrame(1280, 720, 11);
  const seeds = scene.objects.map((o) => ({ o, anchor: scene.depth.sample(o.pointed.u, o.pointed.v, 2)!.depthM }));
  const one = () => {
    let pixels = 0;
    for (const { o, anchor } of seeds) {
      const seg = segmentObject(model, scene.depth, o.pointed.u, o.pointed.v, { noise: DEFAULT_DEPTH_NOISE, anchorM: anchor, seedRadius: 2 });
      if (!seg) throw new Error(`bench: no segment for ${o.name}`);
      fitOrientedBox(seg.points, scene.upInCamera, seg.planes, { trim: DEFAULT_BOX_TRIM });
      pixels += seg.pixels.length;
    }
    return pixels;
  };
  const t0 = performance.now();
  const pixels = one(); // the first call also fills the camera's ray table
  const coldMs = (performance.now() - t0) / seeds.length;
  // Warm up until the JIT has optimised the growth loop (a running node segments many waypoints).
  for (let i = 0; i < WARMUP; i++) {
    one();
    await encodeJpeg(frame);
  }
  const seg: number[] = [];
  const jpeg: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t = performance.now();
    one();
    seg.push((performance.now() - t) / seeds.length);
    t = performance.now();
    await encodeJpeg(frame);
    jpeg.push(performance.now() - t);
  }
  const ratio = median(seg) / median(jpeg);
  console.log('');
  console.log(`segment + oriented box per waypoint, 1280×720 synthetic tabletop (3 objects, ${Math.round(pixels / seeds.length)} px each on average, D435-like noise and holes), median of ${ROUNDS} rounds after ${WARMUP} warm-up rounds:`);
  console.log(`| case | ms | ratio to one JPEG encode | goal |`);
  console.log('|---|---|---|---|');
  console.log(`| JPEG encode 1280×720 (sharp defaults) | ${fmt(median(jpeg))} | 1 | |`);
  console.log(`| segment + box per waypoint | ${fmt(median(seg))} | ${fmt(ratio)}× | ≤ 0.5×: ${ratio <= 0.5 ? 'met' : 'not met'} |`);
  console.log(`| first waypoint on a new camera (fills the ray table) | ${fmt(coldMs)} | ${fmt(coldMs / median(jpeg))}× | |`);
}
