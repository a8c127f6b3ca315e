// The operator's own point (a console click, `--pixel u,v`) as a Pointer, so the pipeline treats it exactly
// like a model's answer. Pixels are passed through unchanged, including any outside the image: moving an
// operator's click would be wrong, and the pipeline reports such pixels per point ('outside_image').
import type { ColorImage } from '../geometry/types.js';
import { throwIfCancelled } from './cancel.js';
import { cleanLabel } from './label-text.js';
import type { PixelPoint, PointOptions, Pointer, PointingResult } from './types.js';

export interface ClickPixel {
  u: number;
  v: number;
  label?: string;
}

export class ClickPointer implements Pointer {
  readonly name = 'click';
  private readonly pixels: readonly ClickPixel[];

  /** Throws RangeError for a non-finite coordinate. */
  constructor(pixels: readonly ClickPixel[]) {
    pixels.forEach((p, i) => {
      if (!Number.isFinite(p.u) || !Number.isFinite(p.v)) {
        throw new RangeError(`click pixel ${i} has a non-finite coordinate (${p.u}, ${p.v})`);
      }
    });
    this.pixels = pixels.map((p) => ({ ...p }));
  }

  async point(_image: ColorImage, query: string, options: PointOptions = {}): Promise<PointingResult> {
    throwIfCancelled(options.signal);
    // Labels are cleaned like a model's (label-text.ts): a long query makes a short label.
    const fromQuery = cleanLabel(query);
    const points: PixelPoint[] = this.pixels.map((p, i) => ({
      u: p.u,
      v: p.v,
      label: (p.label !== undefined ? cleanLabel(p.label) : '') || fromQuery || 'click',
      alt: null,
      image: 1,
      id: i + 1,
    }));
    return {
      points,
      count: null,
      none: points.length === 0,
      truncated: false,
      rawText: '',
      model: 'click',
      timings: {},
    };
  }
}
