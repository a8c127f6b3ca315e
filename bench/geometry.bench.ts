// Geometry throughput: undistort + lift per distortion model, side by side with OpenCV (Debian's python3-opencv,
// timed inside Python on the same points) when it is installed, plus how far OpenCV's default 5-iteration
// undistortPoints is from converged near the image corners.
// Then the object case (bench/segment-box.ts): segment + box per waypoint against one JPEG encode.
//   npm run bench -- geometry
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CameraModel } from '../src/geometry/camera-model.js';
import { DepthImage } from '../src/geometry/depth-image.js';
import { liftPixel } from '../src/geometry/backproject.js';
import type { CameraInfo } from '../src/geometry/types.js';
import { mulberry32 } from '../test/helpers/prng.js';
import { fmt, median, timeRounds } from './stats.js';
import { segmentBoxCase } from './segment-box.js';

const POINTS = 100_000;
const ROUNDS = 7;
/** Our stopping rule is a re-projection residual of 1e-10 px (accepted up to 1e-9): give OpenCV the same target. */
const EPS_PX = 1e-9;
const MAX_COUNT = 100;
const PYTHON = '/usr/bin/python3';

interface Lens { name: string; model: string; width: number; height: number; K: number[]; D: number[] }

// The reference fixture's lenses (test/fixtures/backproject_dev.json) and a D435-like colour camera.
const LENSES: Lens[] = [
  { name: 'plumb_bob (D435-like)', model: 'plumb_bob', width: 1280, height: 720, K: [910.43, 0, 645.32, 0, 909.57, 363.48, 0, 0, 1], D: [0.1437, -0.4573, 0.00071, -0.00034, 0.4128] },
  { name: 'plumb_bob (strong barrel)', model: 'plumb_bob', width: 1280, height: 720, K: [910.2, 0, 641.7, 0, 909.8, 362.1, 0, 0, 1], D: [-0.31, 0.12, 0.0012, -0.0008, -0.02] },
  { name: 'rational_polynomial', model: 'rational_polynomial', width: 1920, height: 1080, K: [1400, 0, 960, 0, 1400, 540, 0, 0, 1], D: [0.42, -2.61, 0.0004, -0.0003, 1.52, 0.3, -2.43, 1.44] },
  { name: 'equidistant (fisheye)', model: 'equidistant', width: 848, height: 800, K: [286.3, 0, 421.9, 0, 286.4, 398.6, 0, 0, 1], D: [-0.0081, 0.0453, -0.0421, 0.0079] },
];

function info(l: Lens): CameraInfo {
  return {
    width: l.width, height: l.height, distortionModel: l.model, d: l.D, k: l.K,
    r: [1, 0, 0, 0, 1, 0, 0, 0, 1], p: [l.K[0]!, 0, l.K[2]!, 0, 0, l.K[4]!, l.K[5]!, 0, 0, 0, 1, 0],
    binningX: 0, binningY: 0, roi: { xOffset: 0, yOffset: 0, width: 0, height: 0, doRectify: false },
  };
}

/** Random pixels the model can undistort (a fisheye's corners beyond 90° have no x/z ray, for anyone). */
function pixels(model: CameraModel, n: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const uv = new Float64Array(2 * n);
  const ray = new Float64Array(2);
  for (let i = 0, tries = 0; i < n; tries++) {
    if (tries > 100 * n) throw new Error('bench: the lens leaves too few valid pixels');
    const u = -0.5 + rand() * model.width;
    const v = -0.5 + rand() * model.height;
    if (!model.undistortInto(u, v, ray)) continue;
    uv[2 * i] = u;
    uv[2 * i + 1] = v;
    i++;
  }
  return uv;
}

/** The outermost valid pixels: distorted radius within 10% of the largest valid one (the strongest distortion). */
function outerPixels(model: CameraModel, uv: Float64Array, max: number): Float64Array {
  const n = uv.length / 2;
  const radius = (i: number): number => Math.hypot((uv[2 * i]! - model.cx) / model.fx, (uv[2 * i + 1]! - model.cy) / model.fy);
  let rMax = 0;
  for (let i = 0; i < n; i++) rMax = Math.max(rMax, radius(i));
  const out: number[] = [];
  for (let i = 0; i < n && out.length < 2 * max; i++) if (radius(i) >= 0.9 * rMax) out.push(uv[2 * i]!, uv[2 * i + 1]!);
  return Float64Array.from(out);
}

/** Undistort + lift for every pixel at a fixed depth, into a preallocated xyz array (what OpenCV's side does). */
function liftAll(model: CameraModel, uv: Float64Array, out: Float64Array): number {
  const ray = new Float64Array(2);
  const z = 1.5;
  let ok = 0;
  const n = uv.length / 2;
  for (let i = 0; i < n; i++) {
    if (!model.undistortInto(uv[2 * i]!, uv[2 * i + 1]!, ray)) continue;
    out[3 * i] = ray[0]! * z;
    out[3 * i + 1] = ray[1]! * z;
    out[3 * i + 2] = z;
    ok++;
  }
  return ok;
}

/** Readable for both 0.5 and 2e-5. */
function small(v: number): string {
  return v >= 0.01 ? fmt(v, 3) : v.toExponential(1);
}

function reprojectionPx(model: CameraModel, u: number, v: number, x: number, y: number): number {
  const p = model.project({ x, y, z: 1 });
  return p ? Math.hypot(p.u - u, p.v - v) : Infinity;
}

function hasOpenCv(): boolean {
  return spawnSync(PYTHON, ['-c', 'import cv2'], { stdio: 'ignore' }).status === 0;
}

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'molmo-geometry-bench-'));
  try {
    const rows = [];
    for (const [k, lens] of LENSES.entries()) {
      const model = CameraModel.fromCameraInfo(info(lens));
      const uv = pixels(model, POINTS, 1 + k);
      const corners = outerPixels(model, uv, 2000);
      const xyz = new Float64Array(3 * POINTS);
      const times = await timeRounds(() => liftAll(model, uv, xyz), ROUNDS);
      writeFileSync(join(dir, `points${k}.bin`), uv);
      writeFileSync(join(dir, `corners${k}.bin`), corners);
      rows.push({ lens, model, uv, corners, times });
    }

    // Full liftPixel (depth window r = 3 with the foreground rule) on a uniform depth image, for scale.
    const l0 = rows[0]!;
    const depth = DepthImage.fromMetres(l0.model.width, l0.model.height, new Float32Array(l0.model.width * l0.model.height).fill(1.5));
    const liftTimes = await timeRounds(() => {
      for (let i = 0; i < 20_000; i++) liftPixel(l0.model, depth, l0.uv[2 * i]!, l0.uv[2 * i + 1]!, { windowRadius: 3 });
    }, ROUNDS);

    let cv: { version: string; results: { median_ms: number; corner_default: number[]; corner_iter: number[] }[] } | null = null;
    if (hasOpenCv()) {
      const script = fileURLToPath(new URL('./geometry_opencv.py', import.meta.url));
      const jobs = LENSES.map((lens, k) => ({
        model: lens.model, K: lens.K, D: lens.D, points: join(dir, `points${k}.bin`), corners: join(dir, `corners${k}.bin`),
        rays_out: join(dir, `rays${k}.bin`), rounds: ROUNDS, eps: EPS_PX, max_count: MAX_COUNT,
      }));
      cv = JSON.parse(execFileSync(PYTHON, [script], { input: JSON.stringify({ jobs }), maxBuffer: 64 << 20 }).toString());
    }

    console.log(`undistort + lift of ${POINTS} random pixels (points that have a ray), median of ${ROUNDS} rounds`);
    console.log(cv ? `OpenCV ${cv.version}: undistortPointsIter / fisheye.undistortPoints, criteria COUNT ${MAX_COUNT} + EPS ${EPS_PX} px, timed in Python` : 'OpenCV: not available (/usr/bin/python3 -c "import cv2" failed)');
    console.log('');
    console.log('| model | ours Mpts/s | OpenCV Mpts/s | time ratio ours/OpenCV | > 1e-9 px after solve: ours / OpenCV | outer 10% max error, OpenCV default (5 it.): px, mm at 1 m | ours: px |');
    console.log('|---|---|---|---|---|---|---|');
    rows.forEach((row, k) => {
      const ours = median(row.times);
      const oursRate = POINTS / ours / 1000;
      let oursBad = 0;
      const ray = new Float64Array(2);
      for (let i = 0; i < POINTS; i++) {
        const u = row.uv[2 * i]!, v = row.uv[2 * i + 1]!;
        if (!row.model.undistortInto(u, v, ray) || reprojectionPx(row.model, u, v, ray[0]!, ray[1]!) > 1e-9) oursBad++;
      }
      let cvCols = ['-', '-', '-', '-'];
      let oursCorner = 0;
      const nc = row.corners.length / 2;
      for (let i = 0; i < nc; i++) {
        const u = row.corners[2 * i]!, v = row.corners[2 * i + 1]!;
        row.model.undistortInto(u, v, ray);
        oursCorner = Math.max(oursCorner, reprojectionPx(row.model, u, v, ray[0]!, ray[1]!));
      }
      if (cv) {
        const r = cv.results[k]!;
        const cvRate = POINTS / r.median_ms / 1000;
        const iter = new Float64Array(readFileSync(join(dir, `rays${k}.bin`)).buffer.slice(0));
        let cvBad = 0;
        for (let i = 0; i < POINTS; i++) {
          if (!(reprojectionPx(row.model, row.uv[2 * i]!, row.uv[2 * i + 1]!, iter[2 * i]!, iter[2 * i + 1]!) <= 1e-9)) cvBad++;
        }
        let worstPx = 0, worstMm = 0;
        for (let i = 0; i < nc; i++) {
          const u = row.corners[2 * i]!, v = row.corners[2 * i + 1]!;
          const x = r.corner_default[2 * i]!, y = r.corner_default[2 * i + 1]!;
          worstPx = Math.max(worstPx, reprojectionPx(row.model, u, v, x, y));
          row.model.undistortInto(u, v, ray);
          worstMm = Math.max(worstMm, Math.hypot(x - ray[0]!, y - ray[1]!) * 1000);
        }
        cvCols = [fmt(cvRate, 2), `${fmt(ours / r.median_ms, 2)}×`, `${oursBad} / ${cvBad}`, `${small(worstPx)} px, ${small(worstMm)} mm`];
      } else {
        cvCols[2] = `${oursBad} / -`;
      }
      console.log(`| ${row.lens.name} | ${fmt(oursRate, 2)} | ${cvCols[0]} | ${cvCols[1]} | ${cvCols[2]} | ${cvCols[3]} | ${oursCorner.toExponential(1)} |`);
    });
    console.log('');
    console.log(`liftPixel with a 7×7 depth window (foreground rule), ${rows[0]!.lens.name}: ${fmt(20_000 / median(liftTimes) / 1000, 2)} Mpts/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await segmentBoxCase();
}
