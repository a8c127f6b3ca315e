// Layouts of the 8-bit raw colour encodings of sensor_msgs/Image and their conversion to packed RGB.
// Per-pixel loops over typed arrays: this runs once per frame sent to a model.

export type ChannelOrder = 'rgb' | 'bgr' | 'rgba' | 'bgra' | 'mono';

export interface RawLayout {
  order: ChannelOrder;
  channels: 1 | 3 | 4;
}

const LAYOUTS: Record<string, RawLayout> = {
  rgb8: { order: 'rgb', channels: 3 },
  bgr8: { order: 'bgr', channels: 3 },
  rgba8: { order: 'rgba', channels: 4 },
  bgra8: { order: 'bgra', channels: 4 },
  mono8: { order: 'mono', channels: 1 },
  // OpenCV type names, as cv_bridge writes them: 3 and 4 channels are BGR(A) by OpenCV's convention.
  '8uc1': { order: 'mono', channels: 1 },
  '8uc3': { order: 'bgr', channels: 3 },
  '8uc4': { order: 'bgra', channels: 4 },
};

/** The layout of a supported encoding, or null. Encoding names compare case-insensitively. */
export function rawLayout(encoding: string): RawLayout | null {
  return LAYOUTS[encoding.toLowerCase()] ?? null;
}

/** Packed RGB (rows width*3 bytes) from a validated raw image. Packed rgb8 is returned without copying. */
export function toPackedRgb(
  img: { width: number; height: number; step: number; data: Uint8Array },
  layout: RawLayout,
): Buffer {
  const { width, height, step, data } = img;
  const rowOut = width * 3;
  if (layout.order === 'rgb' && step === rowOut) {
    return Buffer.from(data.buffer, data.byteOffset, rowOut * height);
  }
  const out = Buffer.allocUnsafe(rowOut * height);
  const ch = layout.channels;
  // Offsets of R, G, B inside one source pixel.
  const [r, g, b] = layout.order === 'bgr' || layout.order === 'bgra' ? [2, 1, 0] : [0, 1, 2];
  for (let y = 0; y < height; y++) {
    let src = y * step;
    let dst = y * rowOut;
    if (layout.order === 'rgb') {
      out.set(data.subarray(src, src + rowOut), dst);
      continue;
    }
    if (layout.order === 'mono') {
      for (let x = 0; x < width; x++, src++, dst += 3) {
        const value = data[src]!;
        out[dst] = value;
        out[dst + 1] = value;
        out[dst + 2] = value;
      }
      continue;
    }
    for (let x = 0; x < width; x++, src += ch, dst += 3) {
      out[dst] = data[src + r]!;
      out[dst + 1] = data[src + g]!;
      out[dst + 2] = data[src + b]!;
    }
  }
  return out;
}
