// Normalised rays (x/z, y/z) of the depth grid's pixels, undistorted once and kept: segmenting an object touches
// tens of thousands of pixels per waypoint, and the iterated undistortion costs far more than a table look-up. Rays
// depend only on the camera and the grid, so one table serves every frame of the same camera; it is filled lazily
// (only the pixels some request touched).
import type { CameraModel } from './camera-model.js';

const UNKNOWN = NaN;
/** Marks a pixel the lens model cannot undistort. */
const INVALID = Infinity;
const KEPT = 4;
const tables = new Map<string, RayTable>();

export class RayTable {
  /** (x, y) per pixel: NaN = not computed yet (call rayInto once), Infinity = no ray. Hot loops read it directly. */
  readonly rays: Float32Array;
  private readonly sx: number;
  private readonly sy: number;
  private readonly scratch = new Float64Array(2);

  constructor(
    private readonly model: CameraModel,
    readonly width: number,
    readonly height: number,
  ) {
    this.rays = new Float32Array(width * height * 2).fill(UNKNOWN);
    this.sx = width / model.width;
    this.sy = height / model.height;
  }

  /** Writes the ray of depth-grid pixel `index` (row · width + col) into out[0], out[1]; false when it has none. */
  rayInto(index: number, out: Float64Array): boolean {
    let x = this.rays[2 * index]!;
    if (x !== x) {
      const col = index % this.width;
      const row = (index - col) / this.width;
      // Depth-grid pixel centre -> colour-grid pixel (backproject.ts onDepthGrid, inverted).
      const ok = this.model.undistortInto((col + 0.5) / this.sx - 0.5, (row + 0.5) / this.sy - 0.5, this.scratch);
      x = ok ? this.scratch[0]! : INVALID;
      this.rays[2 * index] = x;
      this.rays[2 * index + 1] = ok ? this.scratch[1]! : INVALID;
    }
    if (x === INVALID) return false;
    out[0] = x;
    out[1] = this.rays[2 * index + 1]!;
    return true;
  }
}

/** The table of this camera on a width × height depth grid (the last few cameras are kept). */
export function rayTableFor(model: CameraModel, width: number, height: number): RayTable {
  const key = [model.width, model.height, model.fx, model.fy, model.cx, model.cy, model.skew, model.distortionModel, ...model.d, width, height].join(',');
  let table = tables.get(key);
  if (table) {
    tables.delete(key); // re-inserted below: the Map's order is the recency order
  } else {
    table = new RayTable(model, width, height);
    if (tables.size >= KEPT) tables.delete(tables.keys().next().value!);
  }
  tables.set(key, table);
  return table;
}
