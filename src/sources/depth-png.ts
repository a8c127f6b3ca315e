// 16-bit depth PNGs (millimetres, 0 = no data: the TUM/Redwood/RealSense-export convention) -> 16UC1 RawImage.
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import type { RawImage } from '../geometry/types.js';

/** A file that cannot serve as the named input; the message names the file and what is wrong. */
export class ImageFileError extends Error {
  constructor(readonly path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.name = 'ImageFileError';
  }
}

/**
 * Decodes losslessly (sharp's grey16 raw output; the values equal OpenCV's IMREAD_UNCHANGED) into little-endian
 * 16UC1 with step = 2·width. Anything but a 16-bit single-channel PNG is refused: an 8-bit PNG would silently
 * turn into depths of at most 255 mm.
 */
export async function readDepthPng(path: string): Promise<RawImage> {
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    const meta = await sharp(path).metadata();
    if (meta.format !== 'png' || meta.depth !== 'ushort' || meta.channels !== 1) {
      throw new ImageFileError(path, `depth must be a 16-bit single-channel PNG in millimetres, got ${meta.format} ` +
        `with ${meta.channels} channel(s) of ${meta.depth === 'ushort' ? 16 : 8}-bit samples`);
    }
    decoded = await sharp(path).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
  } catch (err) {
    if (err instanceof ImageFileError) throw err;
    throw new ImageFileError(path, `cannot read depth image: ${(err as Error).message}`);
  }
  const { width, height } = decoded.info;
  // sharp gives host-order uint16; written out little-endian, which is_bigendian = false states.
  const native = new Uint16Array(decoded.data.buffer, decoded.data.byteOffset, width * height);
  const data = new Uint8Array(width * height * 2);
  const view = new DataView(data.buffer);
  for (let i = 0; i < native.length; i++) view.setUint16(i * 2, native[i]!, true);
  return { encoding: '16UC1', width, height, step: width * 2, isBigEndian: false, data };
}
