// A read-only view over a depth sensor_msgs/Image. Units follow the encoding (REP 118 / depth_image_proc):
//   16UC1, mono16: unsigned millimetres, 0 = no data;
//   32FC1:         float metres, NaN / ±Inf = no data (we also refuse zero and negative values).
// The view reads the message bytes in place (no per-frame copy), honouring `step` and `is_bigendian`.
import type { RawImage } from './types.js';
import { type ClusterOptions, clusterAt, foregroundCluster } from './depth-cluster.js';

export type { ClusterOptions } from './depth-cluster.js';

export class DepthEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DepthEncodingError';
  }
}

export interface DepthSample {
  /** Median of the foreground cluster (metres, > 0, finite). */
  depthM: number;
  /** Valid pixels / pixels of the window inside the image. */
  validRatio: number;
  /** Interquartile range of the foreground cluster (metres). */
  spreadM: number;
  /** Pixels in the foreground cluster. */
  support: number;
}

/** A sample plus the depth interval of its foreground cluster (used by normal estimation). */
export interface DepthSampleDetail extends DepthSample {
  clusterMinM: number;
  clusterMaxM: number;
}

type Kind = 'u16mm' | 'f32m';

export class DepthImage {
  readonly width: number;
  readonly height: number;
  readonly encoding: string;
  private readonly kind: Kind;
  private readonly view: DataView;
  private readonly step: number;
  private readonly littleEndian: boolean;
  /** Units per metre of a 16-bit image: 1000 (millimetres) unless the source says otherwise. */
  readonly unitsPerMetre: number;
  private window = new Float64Array(0);
  /** The pixels as a typed array when rows are packed, aligned and in host byte order (most images), for atIndex. */
  private readonly packed: Float32Array | Uint16Array | null;

  private constructor(img: RawImage, kind: Kind, unitsPerMetre: number) {
    this.width = img.width;
    this.height = img.height;
    this.encoding = img.encoding;
    this.kind = kind;
    this.view = new DataView(img.data.buffer, img.data.byteOffset, img.data.byteLength);
    this.step = img.step;
    this.littleEndian = !img.isBigEndian;
    this.unitsPerMetre = unitsPerMetre;
    const bytes = kind === 'u16mm' ? 2 : 4;
    const hostLittle = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    this.packed =
      img.step === img.width * bytes && img.data.byteOffset % bytes === 0 && this.littleEndian === hostLittle
        ? kind === 'u16mm'
          ? new Uint16Array(img.data.buffer, img.data.byteOffset, img.width * img.height)
          : new Float32Array(img.data.buffer, img.data.byteOffset, img.width * img.height)
        : null;
  }

  /**
   * Throws DepthEncodingError for an unsupported encoding or a step/size that does not fit the data.
   * `unitsPerMetre` rescales 16-bit images that are not in millimetres (e.g. 5000 for TUM-format PNGs);
   * ROS 16UC1/mono16 depth is always millimetres, so leave it unset for messages.
   */
  static fromImage(img: RawImage, opts: { unitsPerMetre?: number } = {}): DepthImage {
    const kind: Kind | undefined =
      img.encoding === '16UC1' || img.encoding === 'mono16' ? 'u16mm' : img.encoding === '32FC1' ? 'f32m' : undefined;
    if (!kind) {
      throw new DepthEncodingError(
        `depth encoding '${img.encoding}' is not supported (use 16UC1 or mono16 in millimetres, or 32FC1 in metres)`,
      );
    }
    if (!Number.isInteger(img.width) || img.width <= 0 || !Number.isInteger(img.height) || img.height <= 0) {
      throw new DepthEncodingError(`depth image size ${img.width}×${img.height} is not positive`);
    }
    const bytesPerPixel = kind === 'u16mm' ? 2 : 4;
    if (!Number.isInteger(img.step) || img.step < img.width * bytesPerPixel) {
      throw new DepthEncodingError(
        `depth image step ${img.step} is shorter than a row of ${img.width} ${img.encoding} pixels (${img.width * bytesPerPixel} bytes)`,
      );
    }
    const needed = img.step * (img.height - 1) + img.width * bytesPerPixel;
    if (img.data.byteLength < needed) {
      throw new DepthEncodingError(
        `depth image data has ${img.data.byteLength} bytes, ${img.width}×${img.height} ${img.encoding} with step ${img.step} needs ${needed}`,
      );
    }
    const unitsPerMetre = opts.unitsPerMetre ?? 1000;
    if (!(unitsPerMetre > 0) || !Number.isFinite(unitsPerMetre)) {
      throw new DepthEncodingError(`depth units per metre must be a positive number, got ${unitsPerMetre}`);
    }
    if (kind === 'f32m' && opts.unitsPerMetre !== undefined) {
      throw new DepthEncodingError('32FC1 depth is in metres; a units-per-metre scale applies to 16-bit depth only');
    }
    return new DepthImage(img, kind, unitsPerMetre);
  }

  /** A 32FC1 image over metres (tests, synthetic depth). */
  static fromMetres(width: number, height: number, metres: Float32Array): DepthImage {
    if (metres.length !== width * height) {
      throw new DepthEncodingError(`depth array has ${metres.length} values, ${width}×${height} needs ${width * height}`);
    }
    const bytes = new Uint8Array(metres.buffer, metres.byteOffset, metres.byteLength);
    const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    return DepthImage.fromImage({ encoding: '32FC1', width, height, step: width * 4, isBigEndian: !le, data: bytes });
  }

  /** Depth in metres at an integer pixel, NaN when there is no valid depth or the pixel is outside. */
  at(col: number, row: number): number {
    if (!(col >= 0 && col < this.width && row >= 0 && row < this.height)) return NaN;
    return this.read(Math.floor(col), Math.floor(row));
  }

  /**
   * Robust depth around the pixel nearest to (u, v) over a (2·radius+1)² window clipped to the image, by the
   * foreground rule of depth-cluster.ts (the pointed pixel's own surface when it has enough support, else the
   * nearest surface with enough support; never a zero or NaN).
   * Null when the window holds no valid depth.
   */
  sample(u: number, v: number, radius: number, opts?: ClusterOptions): DepthSample | null {
    const d = this.sampleDetail(u, v, radius, opts);
    return d && { depthM: d.depthM, validRatio: d.validRatio, spreadM: d.spreadM, support: d.support };
  }

  /**
   * sample() plus the depth interval of the chosen cluster. With `anchorM` (a depth known from elsewhere, e.g. the
   * lifted point's) the cluster is the one containing that depth, else the nearest within max(minGapM,
   * relativeGap × anchorM) (depth-cluster.ts clusterAt); null when the window has no surface at that depth.
   */
  sampleDetail(u: number, v: number, radius: number, opts?: ClusterOptions, anchorM?: number): DepthSampleDetail | null {
    if (!Number.isInteger(radius) || radius < 0) throw new RangeError(`window radius must be a non-negative integer, got ${radius}`);
    if (!Number.isFinite(u) || !Number.isFinite(v)) return null;
    const col = Math.round(u);
    const row = Math.round(v);
    const c0 = Math.max(0, col - radius);
    const c1 = Math.min(this.width - 1, col + radius);
    const r0 = Math.max(0, row - radius);
    const r1 = Math.min(this.height - 1, row + radius);
    if (c0 > c1 || r0 > r1) return null;
    const total = (c1 - c0 + 1) * (r1 - r0 + 1);
    if (this.window.length < total) this.window = new Float64Array(total);
    const values = this.window;
    let n = 0;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const z = this.read(c, r);
        if (z === z) values[n++] = z; // skips NaN (read() maps every invalid value to NaN)
      }
    }
    if (n === 0) return null;
    const sorted = values.subarray(0, n).sort();
    // The pointed pixel's own depth decides between surfaces when it is valid (depth-cluster.ts, step 3).
    const cluster =
      anchorM === undefined ? foregroundCluster(sorted, n, opts, { depthM: this.at(col, row), radius }) : clusterAt(sorted, n, anchorM, opts);
    if (!cluster) return null;
    return {
      depthM: cluster.median,
      validRatio: n / total,
      spreadM: cluster.iqr,
      support: cluster.end - cluster.start,
      clusterMinM: sorted[cluster.start]!,
      clusterMaxM: sorted[cluster.end - 1]!,
    };
  }

  /** Depth in metres of pixel `index` = row · width + col (must be inside), NaN when invalid: at() without the
   * rounding and bounds checks, for loops that walk the grid by index (segment.ts). */
  atIndex(index: number): number {
    const packed = this.packed;
    if (packed) {
      const raw = packed[index]!;
      if (this.kind === 'u16mm') return raw === 0 ? NaN : raw / this.unitsPerMetre;
      return raw > 0 && raw < Infinity ? raw : NaN;
    }
    const col = index % this.width;
    return this.read(col, (index - col) / this.width);
  }

  private read(col: number, row: number): number {
    if (this.kind === 'u16mm') {
      const raw = this.view.getUint16(row * this.step + col * 2, this.littleEndian);
      return raw === 0 ? NaN : raw / this.unitsPerMetre;
    }
    const m = this.view.getFloat32(row * this.step + col * 4, this.littleEndian);
    return m > 0 && m < Infinity ? m : NaN;
  }
}
