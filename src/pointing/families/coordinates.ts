// One mapping from a family's numbers to our pixel grid, driven by its Convention: the value's fraction of the image
// (measured from the top-left corner), then − 0.5 because our integers are pixel centres (OpenCV/ROS). A point is
// clamped to the outermost pixel centres; a box's corners to the image's edges [−0.5, W − 0.5].
import { centreFromCorner } from '../pixel-grid.js';
import type { PixelBox } from '../types.js';
import type { AnswerGrid, Convention, FamilyEntry } from './types.js';

/** The grid with the sent size filled in (the family's sendSize of the original when the caller did not say). */
export interface ResolvedGrid {
  width: number;
  height: number;
  sentWidth: number;
  sentHeight: number;
}

export function resolveGrid(grid: AnswerGrid, sendSize: FamilyEntry['sendSize']): ResolvedGrid | null {
  const { width, height } = grid;
  if (!(Number.isFinite(width) && Number.isFinite(height) && width > 0 && height > 0)) return null;
  const sent = grid.sentWidth !== undefined && grid.sentHeight !== undefined
    ? { width: grid.sentWidth, height: grid.sentHeight }
    : (sendSize?.(width, height) ?? { width, height });
  if (!(sent.width > 0 && sent.height > 0)) return null;
  return { width, height, sentWidth: sent.width, sentHeight: sent.height };
}

/** The corner-origin fraction of one value on an axis, or null when it is not a valid value of the convention. */
function fraction(value: unknown, conv: Convention, sentSide: number): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  const max = conv.max === 'sent' ? sentSide : conv.max;
  if (value > max) return null;
  const divisor = conv.divisor === 'sent' ? sentSide : conv.divisor;
  return (value + conv.offset) / divisor;
}

/** A point from its two numbers in the answer's order, on our grid; null when a value is beyond the scale. */
export function pointFromPair(a: unknown, b: unknown, conv: Convention, g: ResolvedGrid): { u: number; v: number } | null {
  const [x, y] = conv.order === 'xy' ? [a, b] : [b, a];
  const fx = fraction(x, conv, g.sentWidth);
  const fy = fraction(y, conv, g.sentHeight);
  if (fx === null || fy === null) return null;
  return { u: centreFromCorner(fx * g.width, g.width), v: centreFromCorner(fy * g.height, g.height) };
}

/** A box from its four numbers in the answer's order, with its centre as the point; corners in either order. */
export function boxFromQuad(
  q: readonly unknown[],
  conv: Convention,
  g: ResolvedGrid,
): { u: number; v: number; box: PixelBox } | null {
  const [x0, y0, x1, y1] = conv.order === 'xy' ? [q[0], q[1], q[2], q[3]] : [q[1], q[0], q[3], q[2]];
  const fx0 = fraction(x0, conv, g.sentWidth);
  const fy0 = fraction(y0, conv, g.sentHeight);
  const fx1 = fraction(x1, conv, g.sentWidth);
  const fy1 = fraction(y1, conv, g.sentHeight);
  if (fx0 === null || fy0 === null || fx1 === null || fy1 === null) return null;
  const edge = (f: number, size: number) => Math.min(Math.max(f * size - 0.5, -0.5), size - 0.5);
  const box: PixelBox = {
    u0: edge(Math.min(fx0, fx1), g.width),
    v0: edge(Math.min(fy0, fy1), g.height),
    u1: edge(Math.max(fx0, fx1), g.width),
    v1: edge(Math.max(fy0, fy1), g.height),
  };
  return {
    u: centreFromCorner(((fx0 + fx1) / 2) * g.width, g.width),
    v: centreFromCorner(((fy0 + fy1) / 2) * g.height, g.height),
    box,
  };
}
