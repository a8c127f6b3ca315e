// Model outputs → pixel points on the original image, one function per output kind. Pure: tensors in, points out.
import type { PixelPoint } from '../types.js';
import type { OnnxOutputSpec } from './manifest.js';
import { toOriginal, type InputGeometry } from './preprocess.js';

export interface OutputTensor {
  data: ArrayLike<number>;
  dims: readonly number[];
}

/** A candidate before ranking, with its score, for the result and the raw text. */
interface Candidate {
  u: number;
  v: number;
  score: number;
}

export class OutputShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputShapeError';
  }
}

/** points: normalised (x, y) in [0, 1] of the model input, [N,2] or [1,N,2], with optional scores [N] / [1,N]. */
export function decodePoints(points: OutputTensor, scores: OutputTensor | null, spec: OnnxOutputSpec, g: InputGeometry): Candidate[] {
  if (points.dims[points.dims.length - 1] !== 2 || points.data.length % 2 !== 0) {
    throw new OutputShapeError(`points output must be [N,2] or [1,N,2], got [${points.dims.join(',')}]`);
  }
  const n = points.data.length / 2;
  if (scores && scores.data.length !== n) {
    throw new OutputShapeError(`scores output has ${scores.data.length} values for ${n} points`);
  }
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    const x = points.data[i * 2]!;
    const y = points.data[i * 2 + 1]!;
    const score = scores ? scores.data[i]! : 1;
    if (!(score >= spec.minScore) || !(x >= 0 && x <= 1 && y >= 0 && y <= 1)) continue;
    const p = toOriginal(g, x * g.inWidth, y * g.inHeight);
    if (p) out.push({ ...p, score });
  }
  return rank(out, spec.maxPoints);
}

/** heatmap: [1,1,h,w] (or [h,w]); the peak, refined by the centroid of its 3×3 neighbourhood. */
export function decodeHeatmap(heatmap: OutputTensor, spec: OnnxOutputSpec, g: InputGeometry): Candidate[] {
  const dims = heatmap.dims;
  const h = dims[dims.length - 2];
  const w = dims[dims.length - 1];
  const leading = dims.slice(0, -2).reduce((a, b) => a * b, 1);
  if (h === undefined || w === undefined || h < 1 || w < 1 || leading !== 1) {
    throw new OutputShapeError(`heatmap output must be [1,1,h,w], got [${dims.join(',')}]`);
  }
  const data = heatmap.data;
  let best = -1;
  let peak = -Infinity;
  for (let i = 0; i < h * w; i++) {
    const value = data[i]!;
    if (value > peak) {
      peak = value;
      best = i;
    }
  }
  if (best < 0 || !(peak >= spec.minScore)) return [];
  const row = Math.floor(best / w);
  const col = best % w;
  let sum = 0;
  let sx = 0;
  let sy = 0;
  for (let r = Math.max(0, row - 1); r <= Math.min(h - 1, row + 1); r++) {
    for (let c = Math.max(0, col - 1); c <= Math.min(w - 1, col + 1); c++) {
      const value = Math.max(0, data[r * w + c]!);
      sum += value;
      sx += value * c;
      sy += value * r;
    }
  }
  const cx = sum > 0 ? sx / sum : col;
  const cy = sum > 0 ? sy / sum : row;
  // Cell centres: cell c spans [c, c+1) of w cells across the input width.
  const p = toOriginal(g, ((cx + 0.5) / w) * g.inWidth, ((cy + 0.5) / h) * g.inHeight);
  return p ? [{ ...p, score: peak }] : [];
}

export interface Detection extends Candidate {
  classIndex: number;
}

/** detections (Ultralytics): [1, 4+C, N] rows cx, cy, w, h (input pixels), then C class scores. Keeps the
 * boxes of `classIndex` above minScore, best first, with greedy non-maximum suppression. */
export function decodeDetections(output: OutputTensor, classIndex: number, spec: OnnxOutputSpec, g: InputGeometry): Detection[] {
  const dims = output.dims;
  const rows = dims[dims.length - 2];
  const n = dims[dims.length - 1];
  if (dims.length !== 3 || dims[0] !== 1 || rows === undefined || n === undefined || rows < 5) {
    throw new OutputShapeError(`detections output must be [1, 4+classes, N], got [${dims.join(',')}]`);
  }
  if (classIndex < 0 || classIndex >= rows - 4) throw new OutputShapeError(`class ${classIndex} is not among the model's ${rows - 4} classes`);
  const at = (r: number, i: number) => output.data[r * n + i]!;
  const boxes: { i: number; score: number }[] = [];
  for (let i = 0; i < n; i++) {
    const score = at(4 + classIndex, i);
    if (score >= spec.minScore && [0, 1, 2, 3].every((r) => Number.isFinite(at(r, i)))) boxes.push({ i, score });
  }
  boxes.sort((a, b) => b.score - a.score);
  const kept: { i: number; score: number }[] = [];
  const out: Detection[] = [];
  for (const box of boxes) {
    if (out.length >= spec.maxPoints) break;
    if (kept.some((k) => iou(at, k.i, box.i) > spec.iouThreshold)) continue;
    kept.push(box);
    const p = toOriginal(g, at(0, box.i), at(1, box.i));
    if (p) out.push({ ...p, score: box.score, classIndex });
  }
  return out;
}

function iou(at: (r: number, i: number) => number, a: number, b: number): number {
  const ax0 = at(0, a) - at(2, a) / 2;
  const ax1 = at(0, a) + at(2, a) / 2;
  const ay0 = at(1, a) - at(3, a) / 2;
  const ay1 = at(1, a) + at(3, a) / 2;
  const bx0 = at(0, b) - at(2, b) / 2;
  const bx1 = at(0, b) + at(2, b) / 2;
  const by0 = at(1, b) - at(3, b) / 2;
  const by1 = at(1, b) + at(3, b) / 2;
  const iw = Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0));
  const ih = Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0));
  const inter = iw * ih;
  const union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter;
  return union > 0 ? inter / union : 0;
}

function rank(candidates: Candidate[], maxPoints: number): Candidate[] {
  return candidates.sort((a, b) => b.score - a.score).slice(0, maxPoints);
}

/** The class a query asks for: the longest class name found as whole words in the query, allowing a plural
 * ("cups" → "cup", "glasses" → "glass"). Null when none matches. */
export function matchClass(query: string, classes: readonly string[]): number | null {
  const words = query.toLowerCase().replace(/[^\p{L}\p{N}\s]+/gu, ' ').trim().split(/\s+/);
  const forms = [words, words.map((w) => w.replace(/s$/, '')), words.map((w) => w.replace(/es$/, ''))].map((ws) => ` ${ws.join(' ')} `);
  let best: number | null = null;
  let bestLength = 0;
  classes.forEach((name, i) => {
    const key = name.toLowerCase().trim();
    if (key === '' || key.length <= bestLength) return;
    if (forms.some((form) => form.includes(` ${key} `))) {
      best = i;
      bestLength = key.length;
    }
  });
  return best;
}

export function toPixelPoints(candidates: Candidate[], label: string): PixelPoint[] {
  return candidates.map((c, i) => ({ u: c.u, v: c.v, label, alt: null, image: 1, id: i + 1 }));
}
