// Colour image decoding and JPEG encoding (sharp/libvips). Camera images arrive as raw sensor_msgs/Image or
// as sensor_msgs/CompressedImage; everything downstream wants either packed RGB pixels or a JPEG to send to a
// model. Orientation metadata (EXIF) is deliberately ignored: the pixel grid must stay the camera's.
import sharp, { type Sharp } from 'sharp';
import type { ColorImage, CompressedImage, RawImage } from '../geometry/types.js';
import { rawLayout, toPackedRgb, type RawLayout } from './raw.js';
import { sniffCompressed } from './compressed-format.js';

/** A colour image could not be decoded; the message says what is wrong with it. */
export class ImageDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageDecodeError';
  }
}

export interface DecodedRgb {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

export interface EncodedJpeg {
  jpeg: Buffer;
  /** The original image's size (the grid points are reported in). */
  width: number;
  height: number;
  /** The size of the JPEG actually produced (differs from the original when `maxSide` or `fitSize` applied). */
  sentWidth: number;
  sentHeight: number;
}

export interface EncodeJpegOptions {
  /** Downscale so the longer side is at most this many pixels (aspect ratio kept). */
  maxSide?: number;
  /** The exact size to send, given the size after `maxSide` (a model's own input grid, e.g. Qwen2.5-VL's multiples
   * of 28); default: that size. */
  fitSize?: (width: number, height: number) => { width: number; height: number };
  /** libjpeg quality 1..100 (default 85); a JPEG that needs no downscaling is sent as it came. */
  quality?: number;
  /** Downscaling filter (default lanczos3, for model inputs). 'linear' is still anti-aliased (its support widens
   * with the reduction) and costs less: right for a live preview an operator looks at. */
  resizeKernel?: ResizeKernel;
}

export type ResizeKernel = 'lanczos3' | 'linear';

const DEFAULT_QUALITY = 85;

/** Huffman table optimisation (sharp's default) more than doubles the encode's CPU time for a file ~5 %
 * smaller: a bad trade for frames sent once over a LAN (measured in bench/pointing.bench.ts). */
function jpegOptions(quality: number) {
  return { quality, optimiseCoding: false };
}

/** Decodes any supported colour image to packed 8-bit RGB (rows exactly width*3 bytes). */
export async function decodeColor(img: ColorImage): Promise<DecodedRgb> {
  if (img.kind === 'raw') {
    const layout = checkedLayout(img);
    return { data: toPackedRgb(img, layout), width: img.width, height: img.height, channels: 3 };
  }
  const data = compressedBytes(img);
  try {
    const { data: rgb, info } = await sharp(data)
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data: rgb, width: info.width, height: info.height, channels: 3 };
  } catch (err) {
    throw undecodable(img, err);
  }
}

/** The image's size without decoding its pixels (compressed images: header only). */
export async function colorSize(img: ColorImage): Promise<{ width: number; height: number }> {
  if (img.kind === 'raw') {
    checkedLayout(img);
    return { width: img.width, height: img.height };
  }
  const data = compressedBytes(img);
  try {
    const meta = await sharp(data).metadata();
    if (!meta.width || !meta.height) throw new Error('no image size in the header');
    return { width: meta.width, height: meta.height };
  } catch (err) {
    throw undecodable(img, err);
  }
}

/** Encodes the image as a baseline JPEG, optionally downscaled so its longer side is at most `maxSide`. An
 * already-JPEG compressed image that needs no downscaling is passed through untouched (no re-encoding loss). */
export async function encodeJpeg(img: ColorImage, opts: EncodeJpegOptions = {}): Promise<EncodedJpeg> {
  const quality = checkedQuality(opts.quality);
  const maxSide = checkedMaxSide(opts.maxSide);
  const { width, height } = await colorSize(img);
  const limited = scaledSize(width, height, maxSide);
  const sent = opts.fitSize ? checkedSize(opts.fitSize(limited.width, limited.height)) : limited;
  const needsResize = sent.width !== width || sent.height !== height;

  if (img.kind === 'compressed') {
    const data = compressedBytes(img);
    if (!needsResize && sniffCompressed(data) === 'jpeg') {
      return { jpeg: data, width, height, sentWidth: width, sentHeight: height };
    }
    try {
      let pipeline = sharp(data).removeAlpha().toColourspace('srgb');
      if (needsResize) pipeline = pipeline.resize(sent.width, sent.height, { fit: 'fill', kernel: opts.resizeKernel ?? 'lanczos3' });
      const jpeg = await pipeline.jpeg(jpegOptions(quality)).toBuffer();
      return { jpeg, width, height, sentWidth: sent.width, sentHeight: sent.height };
    } catch (err) {
      throw undecodable(img, err);
    }
  }

  const layout = checkedLayout(img);
  let pipeline = sharpFromRaw(img, layout);
  if (needsResize) pipeline = pipeline.resize(sent.width, sent.height, { fit: 'fill', kernel: opts.resizeKernel ?? 'lanczos3' });
  const jpeg = await pipeline.jpeg(jpegOptions(quality)).toBuffer();
  return { jpeg, width, height, sentWidth: sent.width, sentHeight: sent.height };
}

/** The size an image of width×height gets when its longer side is limited to maxSide (never upscaled). */
export function scaledSize(width: number, height: number, maxSide: number | undefined): { width: number; height: number } {
  const longer = Math.max(width, height);
  if (maxSide === undefined || longer <= maxSide) return { width, height };
  const scale = maxSide / longer;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function sharpFromRaw(img: RawImage, layout: RawLayout): Sharp {
  const { width, height } = img;
  // Fast path: packed rgb8 goes to libvips as it is, without a copy.
  if (layout.order === 'rgb' && img.step === width * 3) {
    return sharp(asBuffer(img.data, width * height * 3), { raw: { width, height, channels: 3 } });
  }
  if (layout.order === 'mono' && img.step === width) {
    return sharp(asBuffer(img.data, width * height), { raw: { width, height, channels: 1 } }).toColourspace('srgb');
  }
  return sharp(toPackedRgb(img, layout), { raw: { width, height, channels: 3 } });
}

function checkedLayout(img: RawImage): RawLayout {
  const layout = rawLayout(img.encoding);
  if (!layout) {
    throw new ImageDecodeError(
      `unsupported colour encoding '${img.encoding}' (supported: rgb8, bgr8, rgba8, bgra8, mono8, 8UC1, 8UC3, 8UC4)`,
    );
  }
  const { width, height, step } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageDecodeError(`invalid image size ${width}×${height} (width and height must be positive integers)`);
  }
  const rowBytes = width * layout.channels;
  if (!Number.isInteger(step) || step < rowBytes) {
    throw new ImageDecodeError(
      `step ${step} is smaller than width*channels = ${width}*${layout.channels} = ${rowBytes} for encoding '${img.encoding}'`,
    );
  }
  // The last row need not carry its padding; everything before it must.
  const needed = step * (height - 1) + rowBytes;
  if (img.data.length < needed) {
    throw new ImageDecodeError(
      `data too short: ${img.data.length} bytes for a ${width}×${height} '${img.encoding}' image with step ${step} (needs at least ${needed})`,
    );
  }
  return layout;
}

function compressedBytes(img: CompressedImage): Buffer {
  const format = img.format.toLowerCase();
  if (format.includes('compresseddepth')) {
    throw new ImageDecodeError(`compressed format '${img.format}' is a depth format, not a colour image`);
  }
  if (img.data.length === 0) throw new ImageDecodeError(`compressed image ('${img.format}') has no data`);
  const data = asBuffer(img.data, img.data.length);
  const kind = sniffCompressed(data);
  if (kind === null) {
    const head = Array.from(data.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ImageDecodeError(
      `undecodable compressed data (format '${img.format}'): not JPEG or PNG (first bytes ${head})`,
    );
  }
  return data;
}

function undecodable(img: CompressedImage, err: unknown): ImageDecodeError {
  const why = err instanceof Error ? err.message : String(err);
  return new ImageDecodeError(`undecodable compressed data (format '${img.format}', ${img.data.length} bytes): ${why}`);
}

function checkedQuality(quality: number | undefined): number {
  if (quality === undefined) return DEFAULT_QUALITY;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new RangeError(`JPEG quality must be an integer 1..100, got ${quality}`);
  }
  return quality;
}

function checkedSize(size: { width: number; height: number }): { width: number; height: number } {
  if (!Number.isInteger(size.width) || !Number.isInteger(size.height) || size.width < 1 || size.height < 1) {
    throw new RangeError(`fitSize must give positive integer sides, got ${size.width}×${size.height}`);
  }
  return size;
}

function checkedMaxSide(maxSide: number | undefined): number | undefined {
  if (maxSide === undefined) return undefined;
  if (!Number.isInteger(maxSide) || maxSide < 1) throw new RangeError(`maxSide must be a positive integer, got ${maxSide}`);
  return maxSide;
}

/** A Buffer view of the first `length` bytes (no copy). */
function asBuffer(data: Uint8Array, length: number): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, length);
}
