// Re-ranking the detector's boxes for a query: by colour ("the red mug": the share of the box's central pixels
// that are red) and by ordering words ("left", "right", "nearest", "largest"). Pure, over packed RGB.
import type { PixelBox } from '../types.js';
import type { Detection } from './centernet-decode.js';
import type { Colour, Ordering } from './vocabulary.js';

export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** The colour name of one pixel (HSV thresholds: dark → black, unsaturated → white/grey, else by hue). */
export function colourOf(r: number, g: number, b: number): Colour {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const v = max / 255;
  const s = max === 0 ? 0 : (max - min) / max;
  if (v < 0.2) return 'black';
  if (s < 0.2) return v > 0.75 ? 'white' : v < 0.35 ? 'black' : 'grey';
  let h: number;
  if (max === r) h = (60 * ((g - b) / (max - min)) + 360) % 360;
  else if (max === g) h = 60 * ((b - r) / (max - min)) + 120;
  else h = 60 * ((r - g) / (max - min)) + 240;
  if (h < 15 || h >= 340) return v < 0.55 && s > 0.4 ? 'brown' : s < 0.5 && v > 0.7 ? 'pink' : 'red';
  if (h < 40) return v < 0.6 ? 'brown' : 'orange';
  if (h < 70) return 'yellow';
  if (h < 165) return 'green';
  if (h < 255) return 'blue';
  if (h < 290) return 'purple';
  return 'pink';
}

/** Share (0..1) of the box's central half (the middle 50 % in each direction, mostly object) that is `colour`;
 * sampled on a grid of at most ~64×64 pixels so big boxes cost the same as small ones. */
export function colourShare(img: RgbImage, box: PixelBox, colour: Colour): number {
  const cu = (box.u0 + box.u1) / 2;
  const cv = (box.v0 + box.v1) / 2;
  const hw = (box.u1 - box.u0) / 4;
  const hh = (box.v1 - box.v0) / 4;
  const c0 = Math.max(0, Math.round(cu - hw));
  const c1 = Math.min(img.width - 1, Math.round(cu + hw));
  const r0 = Math.max(0, Math.round(cv - hh));
  const r1 = Math.min(img.height - 1, Math.round(cv + hh));
  const stepC = Math.max(1, Math.floor((c1 - c0 + 1) / 64));
  const stepR = Math.max(1, Math.floor((r1 - r0 + 1) / 64));
  let hits = 0;
  let total = 0;
  for (let r = r0; r <= r1; r += stepR) {
    for (let c = c0; c <= c1; c += stepC) {
      const i = (r * img.width + c) * 3;
      total++;
      if (colourOf(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!) === colour) hits++;
    }
  }
  return total > 0 ? hits / total : 0;
}

export interface Ranked extends Detection {
  /** Colour share when the query named a colour, else null. */
  colourShare: number | null;
}

/**
 * Orders the boxes of one class for the query. A colour word puts boxes of that colour first (share ≥ 0.15 of the
 * central pixels, most first); an ordering word then sorts: 'left'/'right' by the box centre's u, 'nearest' by the
 * box's bottom edge (lowest first: for objects standing on the floor or a table the nearer one is lower in the
 * image; true metric order is targets.selection 'closest'), 'largest' by area. Otherwise by detector score.
 */
export function rankDetections(detections: Detection[], img: RgbImage, colour: Colour | null, ordering: Ordering | null): Ranked[] {
  const ranked: Ranked[] = detections.map((d) => ({ ...d, colourShare: colour ? colourShare(img, d.box, colour) : null }));
  const key = (d: Ranked): number => {
    const b = d.box;
    if (ordering === 'left') return (b.u0 + b.u1) / 2;
    if (ordering === 'right') return -(b.u0 + b.u1) / 2;
    if (ordering === 'nearest') return -b.v1;
    if (ordering === 'largest') return -(b.u1 - b.u0) * (b.v1 - b.v0);
    return -d.score;
  };
  const MIN_SHARE = 0.15;
  return ranked.sort((a, b) => {
    if (colour) {
      const am = a.colourShare! >= MIN_SHARE;
      const bm = b.colourShare! >= MIN_SHARE;
      if (am !== bm) return am ? -1 : 1;
      if (!ordering && a.colourShare !== b.colourShare) return b.colourShare! - a.colourShare!;
    }
    return key(a) - key(b);
  });
}
