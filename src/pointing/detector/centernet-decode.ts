// CenterNet's [1, N, 6] output (x1, y1, x2, y2 in model-input pixels, score, 0-based class) → boxes on the original
// image's pixel grid, then class-agnostic greedy non-maximum suppression (as @vladmandic/human does: one object,
// one box, whatever class it was also given). Pure.
import type { PixelBox } from '../types.js';

export interface Detection {
  box: PixelBox;
  score: number;
  classIndex: number;
}

export interface DecodeOptions {
  /** Model input size the boxes are measured in. */
  inputWidth: number;
  inputHeight: number;
  /** Original image size (the input was stretched from it, no letterbox). */
  width: number;
  height: number;
  minScore: number;
  iouThreshold: number;
}

export class DetectionShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DetectionShapeError';
  }
}

export function decodeCenternet(data: ArrayLike<number>, dims: readonly number[], o: DecodeOptions): Detection[] {
  if (dims.length !== 3 || dims[0] !== 1 || dims[2] !== 6 || data.length !== dims[1]! * 6) {
    throw new DetectionShapeError(`detections output must be [1, N, 6], got [${dims.join(',')}]`);
  }
  const sx = o.width / o.inputWidth;
  const sy = o.height / o.inputHeight;
  const found: Detection[] = [];
  for (let i = 0; i < dims[1]!; i++) {
    const at = (k: number) => data[i * 6 + k]!;
    const score = at(4);
    const cls = at(5);
    if (!(score >= o.minScore) || !Number.isInteger(cls) || cls < 0) continue;
    // Corner-measured input pixels → original corner coordinates → pixel-centre grid (− 0.5), clipped to the image.
    const u0 = clamp(at(0) * sx - 0.5, o.width);
    const v0 = clamp(at(1) * sy - 0.5, o.height);
    const u1 = clamp(at(2) * sx - 0.5, o.width);
    const v1 = clamp(at(3) * sy - 0.5, o.height);
    if (!(u1 > u0 && v1 > v0)) continue;
    found.push({ box: { u0, v0, u1, v1 }, score, classIndex: cls });
  }
  return nonMaxSuppression(found, o.iouThreshold);
}

/** Greedy NMS, best score first: a box overlapping a kept one by more than `iouThreshold` is dropped. */
export function nonMaxSuppression(detections: Detection[], iouThreshold: number): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of sorted) if (!kept.some((k) => iou(k.box, d.box) > iouThreshold)) kept.push(d);
  return kept;
}

export function iou(a: PixelBox, b: PixelBox): number {
  const iw = Math.max(0, Math.min(a.u1, b.u1) - Math.max(a.u0, b.u0));
  const ih = Math.max(0, Math.min(a.v1, b.v1) - Math.max(a.v0, b.v0));
  const inter = iw * ih;
  const union = (a.u1 - a.u0) * (a.v1 - a.v0) + (b.u1 - b.u0) * (b.v1 - b.v0) - inter;
  return union > 0 ? inter / union : 0;
}

function clamp(x: number, size: number): number {
  return Math.min(Math.max(x, -0.5), size - 0.5);
}
