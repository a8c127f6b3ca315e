// A still camera made of files: one colour image (JPEG or PNG, passed on compressed as it is), one 16-bit depth
// PNG in millimetres (aligned to the colour image) and a camera info file, re-sent at a fixed rate with the
// current time as stamp, like a driver publishing a static scene. Optional static transforms file for /tf_static.
import { readFile } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { loadCameraInfo } from '../calibration/camera-info-file.js';
import { loadStaticTransforms } from '../calibration/static-transforms.js';
import type { CameraInfo, ColorImage, RawImage, TransformStamped } from '../geometry/types.js';
import type { SourceEvent } from '../pipeline/types.js';
import { ImageFileError, readDepthPng } from './depth-png.js';
import { abortableSleep } from './sleep.js';
import type { FrameSource, SourceWarning } from './types.js';

export { ImageFileError };

export const DEFAULT_IMAGE_FILES_FRAME_ID = 'camera_color_optical_frame';

export interface ImageFilesSourceOptions {
  /** Colour image (JPEG or PNG). */
  color: string;
  /** Depth image: 16-bit single-channel PNG, millimetres, 0 = no data, aligned to the colour image. */
  depth: string;
  /** Camera info file: camera_calibration_parsers YAML, a ROS 2 CameraInfo YAML/JSON, or Open3D intrinsics JSON. */
  cameraInfo: string;
  /** Optical frame of the images; default the camera info file's header.frame_id, else camera_color_optical_frame. */
  frameId?: string;
  /** Frames per second (default 1). */
  rateHz?: number;
  /** Stop after this many frames (default: until stop()). */
  count?: number;
  /** Static transforms file (src/calibration/static-transforms.ts format), sent once as /tf_static. */
  staticTransforms?: string;
  /** Stamp source in ns (default: wall clock). */
  clock?: () => bigint;
  onWarning?: (w: SourceWarning) => void;
}

interface LoadedFiles {
  color: ColorImage;
  depth: RawImage;
  info: CameraInfo;
  frameId: string;
  statics: TransformStamped[];
}

async function loadColor(path: string): Promise<{ image: ColorImage; width: number; height: number }> {
  const bytes = await readFile(path).catch((err: Error) => {
    throw new ImageFileError(path, `cannot read colour image: ${err.message}`);
  });
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (err) {
    throw new ImageFileError(path, `not a decodable image: ${(err as Error).message}`);
  }
  if ((meta.format !== 'jpeg' && meta.format !== 'png') || !meta.width || !meta.height) {
    throw new ImageFileError(path, `colour image must be JPEG or PNG, got ${meta.format ?? 'unknown format'}`);
  }
  return { image: { kind: 'compressed', format: meta.format, data: new Uint8Array(bytes) }, width: meta.width, height: meta.height };
}

export class ImageFilesSource implements FrameSource {
  readonly #opts: ImageFilesSourceOptions;
  #abort = new AbortController();

  constructor(opts: ImageFilesSourceOptions) {
    const rate = opts.rateHz ?? 1;
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`ImageFilesSource rateHz must be a positive number, got ${opts.rateHz}`);
    if (opts.count !== undefined && !(Number.isInteger(opts.count) && opts.count >= 0)) {
      throw new RangeError(`ImageFilesSource count must be a non-negative integer, got ${opts.count}`);
    }
    this.#opts = { ...opts, rateHz: rate };
  }

  stop(): void {
    this.#abort.abort();
  }

  async #load(): Promise<LoadedFiles> {
    const o = this.#opts;
    // Camera info and transforms files throw CalibrationFileError naming the file and field.
    const loaded = loadCameraInfo(o.cameraInfo);
    const { cameraName: _name, frameId: fileFrameId, ...info } = loaded;
    const statics = o.staticTransforms ? loadStaticTransforms(o.staticTransforms) : [];
    const [color, depth] = await Promise.all([loadColor(o.color), readDepthPng(o.depth)]);
    const warn = (path: string, message: string) => o.onWarning?.({ topic: path, message: `${path}: ${message}` });
    if (color.width !== info.width || color.height !== info.height) {
      warn(o.color, `colour is ${color.width}x${color.height} but the camera info says ${info.width}x${info.height}`);
    }
    if (depth.width !== color.width || depth.height !== color.height) {
      warn(o.depth, `depth is ${depth.width}x${depth.height}, colour ${color.width}x${color.height}: not aligned at full resolution`);
    }
    return {
      color: color.image, depth, info, statics,
      frameId: o.frameId ?? fileFrameId ?? DEFAULT_IMAGE_FILES_FRAME_ID,
    };
  }

  async start(onEvent: (e: SourceEvent) => void): Promise<void> {
    if (this.#abort.signal.aborted) this.#abort = new AbortController();
    const signal = this.#abort.signal;
    const files = await this.#load();
    const clock = this.#opts.clock ?? (() => BigInt(Date.now()) * 1_000_000n);
    const periodMs = 1000 / this.#opts.rateHz!;
    const count = this.#opts.count ?? Number.POSITIVE_INFINITY;
    const t0 = performance.now();
    for (let i = 0; i < count && !signal.aborted; i++) {
      if (i > 0) {
        const wait = t0 + i * periodMs - performance.now();
        if (wait > 0) await abortableSleep(wait, signal);
        if (signal.aborted) break;
      }
      const stampNs = clock();
      if (i === 0 && files.statics.length > 0) {
        onEvent({ kind: 'tf', isStatic: true, transforms: files.statics.map((t) => ({ ...t, stampNs })) });
      }
      const header = { stampNs, frameId: files.frameId };
      onEvent({ kind: 'camera_info', header, info: files.info });
      onEvent({ kind: 'color', header, image: files.color });
      onEvent({ kind: 'depth', header, image: files.depth });
    }
  }
}
