// Image → input tensor as the manifest describes (resize or letterbox, colour order, layout, normalisation),
// plus the geometry that maps the model's input coordinates back onto the original image.
import sharp from 'sharp';
import type { ColorImage } from '../../geometry/types.js';
import { decodeColor } from '../../image/codec.js';
import { centreFromCorner } from '../pixel-grid.js';
import type { OnnxInputSpec } from './manifest.js';

/** Where the original image sits inside the model's input: x_in = x · sx + padX (continuous coordinates). */
export interface InputGeometry {
  /** Original image size. */
  width: number;
  height: number;
  /** Model input size. */
  inWidth: number;
  inHeight: number;
  sx: number;
  sy: number;
  padX: number;
  padY: number;
}

export interface PreparedInput {
  data: Float32Array | Uint8Array;
  dims: number[];
  geometry: InputGeometry;
}

export function inputGeometry(width: number, height: number, spec: OnnxInputSpec): InputGeometry {
  const base = { width, height, inWidth: spec.width, inHeight: spec.height };
  if (spec.resize === 'stretch') return { ...base, sx: spec.width / width, sy: spec.height / height, padX: 0, padY: 0 };
  const s = Math.min(spec.width / width, spec.height / height);
  const newW = Math.max(1, Math.min(spec.width, Math.round(width * s)));
  const newH = Math.max(1, Math.min(spec.height, Math.round(height * s)));
  // Centred like Ultralytics' LetterBox.
  return { ...base, sx: newW / width, sy: newH / height, padX: Math.floor((spec.width - newW) / 2), padY: Math.floor((spec.height - newH) / 2) };
}

/** Maps a point of the model input (continuous coordinates, 0 = the top-left corner) to the original image's
 * pixel-centre grid (integers at pixel centres, hence − 0.5), or null when it falls outside the image (e.g. in
 * letterbox padding). Results are clamped to the outermost pixel centres like Molmo's. */
export function toOriginal(g: InputGeometry, xIn: number, yIn: number): { u: number; v: number } | null {
  const x = (xIn - g.padX) / g.sx;
  const y = (yIn - g.padY) / g.sy;
  if (!(Number.isFinite(x) && Number.isFinite(y)) || x < 0 || y < 0 || x > g.width || y > g.height) return null;
  return { u: centreFromCorner(x, g.width), v: centreFromCorner(y, g.height) };
}

export async function prepareInput(image: ColorImage, spec: OnnxInputSpec): Promise<PreparedInput> {
  const rgb = await decodeColor(image);
  const geometry = inputGeometry(rgb.width, rgb.height, spec);
  const newW = Math.round(rgb.width * geometry.sx);
  const newH = Math.round(rgb.height * geometry.sy);
  let resized: Buffer = rgb.data;
  if (newW !== rgb.width || newH !== rgb.height || newW !== spec.width || newH !== spec.height) {
    const pad = spec.padValue;
    resized = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
      .resize(newW, newH, { fit: 'fill' })
      .extend({
        top: geometry.padY,
        bottom: spec.height - newH - geometry.padY,
        left: geometry.padX,
        right: spec.width - newW - geometry.padX,
        background: { r: pad, g: pad, b: pad },
      })
      .raw()
      .toBuffer();
  }
  return { data: fillTensor(resized, spec), dims: spec.layout === 'NCHW' ? [1, 3, spec.height, spec.width] : [1, spec.height, spec.width, 3], geometry };
}

/** Packed RGB (spec.width × spec.height) → the model's layout, colour order and value range. */
function fillTensor(rgb: Uint8Array, spec: OnnxInputSpec): Float32Array | Uint8Array {
  const n = spec.width * spec.height;
  const out = spec.dtype === 'uint8' ? new Uint8Array(n * 3) : new Float32Array(n * 3);
  // Source channel (in RGB) for each model channel c.
  const src = spec.colorOrder === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const float = spec.dtype === 'float32';
  for (let c = 0; c < 3; c++) {
    const s = src[c]!;
    const mul = spec.scale / spec.std[c]!;
    const add = -spec.mean[c]! / spec.std[c]!;
    const nchw = spec.layout === 'NCHW';
    for (let i = 0; i < n; i++) {
      const value = rgb[i * 3 + s]!;
      out[nchw ? c * n + i : i * 3 + c] = float ? value * mul + add : value;
    }
  }
  return out;
}
