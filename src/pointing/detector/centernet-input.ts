// A colour image → CenterNet's input: stretched to 512×512 (no letterbox), RGB, float 0–255, NHWC, as
// @vladmandic/human feeds it (bilinear resize). A compressed frame goes through one sharp pipeline (decode + resize)
// without a full-size RGB copy; the full-size pixels are decoded only when a colour word needs them.
import sharp from 'sharp';
import type { ColorImage } from '../../geometry/types.js';
import { colorSize, decodeColor, ImageDecodeError } from '../../image/codec.js';

export interface CenternetInput {
  data: Float32Array;
  /** The original image's size. */
  width: number;
  height: number;
}

export async function centernetInput(image: ColorImage, size: number): Promise<CenternetInput> {
  let source: ReturnType<typeof sharp>;
  let width: number;
  let height: number;
  if (image.kind === 'compressed') {
    ({ width, height } = await colorSize(image));
    source = sharp(image.data).removeAlpha().toColourspace('srgb');
  } else {
    const rgb = await decodeColor(image);
    ({ width, height } = rgb);
    source = sharp(rgb.data, { raw: { width, height, channels: 3 } });
  }
  let pixels: Buffer;
  try {
    pixels = await source.resize(size, size, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
  } catch (err) {
    throw new ImageDecodeError(`cannot decode the ${image.kind === 'compressed' ? 'compressed' : 'raw'} image: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (pixels.length !== size * size * 3) throw new ImageDecodeError(`the resized image has ${pixels.length} bytes, ${size}×${size} RGB needs ${size * size * 3}`);
  return { data: Float32Array.from(pixels), width, height };
}
