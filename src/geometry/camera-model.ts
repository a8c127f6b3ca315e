// A pinhole camera with lens distortion, built from sensor_msgs/CameraInfo.
// Pixel convention (OpenCV/ROS): integer coordinates are pixel centres; the image spans [-0.5, width-0.5).
// Rays are normalised image coordinates in the REP 103 optical frame (x right, y down, z forward): (x/z, y/z).
import type { CameraInfo, Vec3 } from './types.js';
import { CameraInfoError } from './camera-errors.js';
import {
  type DistortionKind,
  distortEquidistant,
  distortPolynomial,
  equidistantFoldTheta,
  polynomialFoldRadius,
  undistortEquidistant,
  undistortPolynomial,
} from './distortion.js';

export { CameraInfoError } from './camera-errors.js';

/** Number of coefficients each ROS distortion model takes. */
const MODEL_COEFFS: Record<string, number> = { plumb_bob: 5, rational_polynomial: 8, equidistant: 4 };

export interface Intrinsics {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /** K[0][1]; zero for almost every camera. */
  skew?: number;
  /** ROS distortion model name ('plumb_bob', 'rational_polynomial', 'equidistant', '' / 'none'). */
  distortionModel?: string;
  d?: number[];
}

export class CameraModel {
  readonly width: number;
  readonly height: number;
  readonly fx: number;
  readonly fy: number;
  readonly cx: number;
  readonly cy: number;
  readonly skew: number;
  /** ROS name of the distortion model in use ('none' when there is no distortion to undo). */
  readonly distortionModel: string;
  /** Coefficients as given (copy). */
  readonly d: readonly number[];
  /** Things worth telling the operator that did not prevent building the model. */
  readonly warnings: readonly string[];

  private readonly kind: DistortionKind;
  /** [k1, k2, p1, p2, k3, k4, k5, k6] or [k1..k4] for equidistant. */
  private readonly coeffs: Float64Array;
  /** Squared normalised radius (polynomial) where the forward model stops being one-to-one. */
  private readonly maxR2: number;
  /** Largest ray angle (equidistant) that the model maps one-to-one and in front of the camera. */
  private readonly maxTheta: number;
  private readonly scratch = new Float64Array(6);
  private readonly out2 = new Float64Array(2);

  private constructor(p: Required<Intrinsics>, warnings: string[]) {
    this.width = p.width;
    this.height = p.height;
    this.fx = p.fx;
    this.fy = p.fy;
    this.cx = p.cx;
    this.cy = p.cy;
    this.skew = p.skew;
    this.d = [...p.d];
    this.warnings = warnings;
    const model = p.distortionModel;
    // All-zero coefficients make the polynomial models the identity; an equidistant lens with zero
    // coefficients is still a fisheye (θd = θ, not tan θ).
    const identity = p.d.every((c) => c === 0) && model !== 'equidistant';
    if (p.d.length === 0 || identity || model === 'none' || model === '') {
      this.kind = 'none';
      this.distortionModel = 'none';
      this.coeffs = new Float64Array(8);
      this.maxR2 = Infinity;
      this.maxTheta = Math.PI / 2;
    } else if (model === 'equidistant') {
      this.kind = 'equidistant';
      this.distortionModel = model;
      this.coeffs = Float64Array.from(p.d);
      this.maxR2 = Infinity;
      this.maxTheta = equidistantFoldTheta(this.coeffs);
    } else {
      this.kind = 'polynomial';
      this.distortionModel = model;
      this.coeffs = new Float64Array(8);
      this.coeffs.set(p.d);
      const r = polynomialFoldRadius(this.coeffs);
      this.maxR2 = r * r;
      this.maxTheta = Math.PI / 2;
    }
  }

  /**
   * Builds the model for images described by `info`. Raw images (default) use K and D; `rectified: true`
   * (image_rect topics) uses P and no distortion. Binning and ROI shrink the image and shift K/P exactly as
   * image_geometry's PinholeCameraModel does (fx/bx, (cx - x_offset)/bx), so our pixels agree with ROS tools.
   */
  static fromCameraInfo(info: CameraInfo, opts: { rectified?: boolean } = {}): CameraModel {
    const warnings: string[] = [];
    requirePositiveInt('width', info.width);
    requirePositiveInt('height', info.height);
    const binX = binning('binning_x', info.binningX);
    const binY = binning('binning_y', info.binningY);
    const roi = effectiveRoi(info);

    let fx: number, fy: number, cx: number, cy: number, skew: number;
    let model = normaliseModelName(info.distortionModel);
    let d = info.d ?? [];
    requireFiniteArray('r', info.r ?? [], [0, 9]);
    if (opts.rectified) {
      const p = requireFiniteArray('p', info.p ?? [], [12]);
      if (!(p[0]! > 0) || !(p[5]! > 0)) {
        throw new CameraInfoError('p', `a rectified image needs P with positive focal lengths (P[0]=${p[0]}, P[5]=${p[5]})`);
      }
      [fx, skew, cx, fy, cy] = [p[0]!, p[1]!, p[2]!, p[5]!, p[6]!];
      if (p[3] !== 0 || p[7] !== 0) {
        warnings.push(`P has a stereo baseline term (Tx=${p[3]}, Ty=${p[7]}); rays are given in this camera's own frame`);
      }
      model = 'none';
      d = [];
    } else {
      const k = requireFiniteArray('k', info.k ?? [], [9]);
      if (k.every((v) => v === 0)) throw new CameraInfoError('k', 'K is all zeros: the camera is not calibrated');
      if (!(k[0]! > 0) || !(k[4]! > 0)) {
        throw new CameraInfoError('k', `focal lengths must be positive (K[0]=${k[0]}, K[4]=${k[4]})`);
      }
      if (k[3] !== 0 || k[6] !== 0 || k[7] !== 0 || k[8] !== 1) {
        throw new CameraInfoError('k', `K must be [fx s cx; 0 fy cy; 0 0 1], got bottom rows [${k.slice(3).join(', ')}]`);
      }
      [fx, skew, cx, fy, cy] = [k[0]!, k[1]!, k[2]!, k[4]!, k[5]!];
      requireFiniteArray('d', d, [d.length]);
      if (d.length > 0) {
        const need = MODEL_COEFFS[model];
        if (model === 'none') {
          if (!d.every((c) => c === 0)) {
            throw new CameraInfoError('distortion_model', `is '${info.distortionModel}' but d has non-zero coefficients [${d.join(', ')}]`);
          }
        } else if (need === undefined) {
          throw new CameraInfoError(
            'distortion_model',
            `'${info.distortionModel}' is not supported (use plumb_bob, rational_polynomial, equidistant or an empty d)`,
          );
        } else if (d.length !== need) {
          throw new CameraInfoError('d', `${model} needs ${need} coefficients, got ${d.length}`);
        }
      } else if (model !== 'none' && MODEL_COEFFS[model] === undefined) {
        throw new CameraInfoError('distortion_model', `'${info.distortionModel}' is not supported`);
      } else if (model !== 'none') {
        warnings.push(`distortion_model is ${model} but d is empty: treating the image as undistorted`);
      }
    }

    if (binX !== 1 || binY !== 1 || roi.x !== 0 || roi.y !== 0 || roi.width !== info.width || roi.height !== info.height) {
      fx /= binX;
      skew /= binX;
      cx = (cx - roi.x) / binX;
      fy /= binY;
      cy = (cy - roi.y) / binY;
    }
    return new CameraModel(
      {
        width: Math.floor(roi.width / binX),
        height: Math.floor(roi.height / binY),
        fx, fy, cx, cy, skew,
        distortionModel: model,
        d,
      },
      warnings,
    );
  }

  /** A model from plain intrinsics (tests, tools, image-file sources). Validated like fromCameraInfo. */
  static fromIntrinsics(p: Intrinsics): CameraModel {
    return CameraModel.fromCameraInfo({
      width: p.width,
      height: p.height,
      distortionModel: p.distortionModel ?? (p.d && p.d.length ? 'plumb_bob' : ''),
      d: p.d ?? [],
      k: [p.fx, p.skew ?? 0, p.cx, 0, p.fy, p.cy, 0, 0, 1],
      r: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      p: [p.fx, p.skew ?? 0, p.cx, 0, 0, p.fy, p.cy, 0, 0, 0, 1, 0],
      binningX: 0,
      binningY: 0,
      roi: { xOffset: 0, yOffset: 0, width: 0, height: 0, doRectify: false },
    });
  }

  /** Pixel centres at integers: the image covers [-0.5, width-0.5) × [-0.5, height-0.5). */
  contains(u: number, v: number): boolean {
    return u >= -0.5 && u < this.width - 0.5 && v >= -0.5 && v < this.height - 0.5;
  }

  /**
   * Normalised ray (x/z, y/z) of a raw pixel, iterated to convergence (re-projection residual <= 1e-9 px).
   * Null when the pixel has no trustworthy inverse (beyond the lens model's one-to-one region).
   */
  undistort(u: number, v: number): { x: number; y: number } | null {
    return this.undistortInto(u, v, this.out2) ? { x: this.out2[0]!, y: this.out2[1]! } : null;
  }

  /** Allocation-free undistort for hot loops: writes (x, y) into out[0], out[1]; false when invalid. */
  undistortInto(u: number, v: number, out: Float64Array): boolean {
    if (!Number.isFinite(u) || !Number.isFinite(v)) return false;
    const yd = (v - this.cy) / this.fy;
    const xd = (u - this.cx - this.skew * yd) / this.fx;
    switch (this.kind) {
      case 'none':
        out[0] = xd;
        out[1] = yd;
        return true;
      case 'polynomial':
        return undistortPolynomial(this.coeffs, this.maxR2, this.fx, this.fy, xd, yd, out, this.scratch);
      case 'equidistant':
        return undistortEquidistant(this.coeffs, this.maxTheta, Math.max(this.fx, this.fy), xd, yd, out);
    }
  }

  /** Raw pixel of a point in the optical frame; null behind the camera or outside the model's valid region. */
  project(p: Vec3): { u: number; v: number } | null {
    if (!(p.z > 0) || !Number.isFinite(p.x) || !Number.isFinite(p.y)) return null;
    const x = p.x / p.z;
    const y = p.y / p.z;
    const s = this.scratch;
    switch (this.kind) {
      case 'none':
        s[0] = x;
        s[1] = y;
        break;
      case 'polynomial':
        if (x * x + y * y >= this.maxR2) return null;
        distortPolynomial(this.coeffs, x, y, s);
        break;
      case 'equidistant':
        if (!distortEquidistant(this.coeffs, this.maxTheta, x, y, s)) return null;
        break;
    }
    return { u: this.fx * s[0]! + this.skew * s[1]! + this.cx, v: this.fy * s[1]! + this.cy };
  }

  /**
   * The same camera for the image resized to width × height. Pixel centres map as u' = (u + 0.5)·s - 0.5
   * (what OpenCV's resize does: pixel *areas* scale, so the top-left corner -0.5 stays fixed), giving
   * fx' = fx·s and cx' = (cx + 0.5)·s - 0.5. image_geometry scales cx by s directly, which shifts rays by
   * (s - 1)/2 px. Distortion lives in normalised coordinates and does not change.
   */
  scaledTo(width: number, height: number): CameraModel {
    requirePositiveInt('width', width);
    requirePositiveInt('height', height);
    if (width === this.width && height === this.height) return this;
    const sx = width / this.width;
    const sy = height / this.height;
    return new CameraModel(
      {
        width,
        height,
        fx: this.fx * sx,
        fy: this.fy * sy,
        cx: (this.cx + 0.5) * sx - 0.5,
        cy: (this.cy + 0.5) * sy - 0.5,
        skew: this.skew * sx,
        distortionModel: this.distortionModel,
        d: [...this.d],
      },
      [...this.warnings],
    );
  }
}

function normaliseModelName(name: string | undefined): string {
  const n = (name ?? '').trim().toLowerCase();
  if (n === '' || n === 'none') return 'none';
  if (n === 'fisheye' || n === 'kannala_brandt') return 'equidistant';
  return n;
}

function requirePositiveInt(field: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) throw new CameraInfoError(field, `must be a positive integer, got ${value}`);
}

function binning(field: string, value: number | undefined): number {
  const b = value ?? 0;
  if (!Number.isInteger(b) || b < 0) throw new CameraInfoError(field, `must be a non-negative integer, got ${value}`);
  return b === 0 ? 1 : b; // 0 means no binning, as in image_geometry
}

function effectiveRoi(info: CameraInfo): { x: number; y: number; width: number; height: number } {
  const r = info.roi;
  if (!r || (r.xOffset === 0 && r.yOffset === 0 && r.width === 0 && r.height === 0)) {
    return { x: 0, y: 0, width: info.width, height: info.height }; // all zeros = full image
  }
  for (const [name, v] of [['x_offset', r.xOffset], ['y_offset', r.yOffset], ['width', r.width], ['height', r.height]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new CameraInfoError(`roi.${name}`, `must be a non-negative integer, got ${v}`);
  }
  if (r.width === 0 || r.height === 0 || r.xOffset + r.width > info.width || r.yOffset + r.height > info.height) {
    throw new CameraInfoError(
      'roi',
      `${r.width}×${r.height} at (${r.xOffset}, ${r.yOffset}) does not fit the ${info.width}×${info.height} image`,
    );
  }
  return { x: r.xOffset, y: r.yOffset, width: r.width, height: r.height };
}

function requireFiniteArray(field: string, values: number[], lengths: number[]): number[] {
  if (!Array.isArray(values) && !ArrayBuffer.isView(values)) throw new CameraInfoError(field, 'must be an array of numbers');
  if (!lengths.includes(values.length)) {
    throw new CameraInfoError(field, `needs ${lengths.join(' or ')} values, got ${values.length}`);
  }
  const arr = Array.from(values as ArrayLike<number>);
  const bad = arr.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) throw new CameraInfoError(field, `value ${bad} is not a finite number (${arr[bad]})`);
  return arr;
}
