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

/** A valid value of the convention on an axis (a finite number within 0..max), or null. */
function valid(value: unknown, conv: Convention, sentSide: number): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  return value <= (conv.max === 'sent' ? sentSide : conv.max) ? value : null;
}

/** The corner-origin fraction of the image a value stands for. */
function fraction(value: number, conv: Convention, sentSide: number): number {
  return (value + conv.offset) / (conv.divisor === 'sent' ? sentSide : conv.divisor);
}

/** A point from its two numbers in the answer's order, on our grid; null when a value is beyond the scale. */
export function pointFromPair(a: unknown, b: unknown, conv: Convention, g: ResolvedGrid): { u: number; v: number } | null {
  const [x, y] = conv.order === 'xy' ? [a, b] : [b, a];
  const vx = valid(x, conv, g.sentWidth);
  const vy = valid(y, conv, g.sentHeight);
  if (vx === null || vy === null) return null;
  return {
    u: centreFromCorner(fraction(vx, conv, g.sentWidth) * g.width, g.width),
    v: centreFromCorner(fraction(vy, conv, g.sentHeight) * g.height, g.height),
  };
}

/** A box from its four numbers in the answer's order, with its centre as the point; corners in either order. */
export function boxFromQuad(
  q: readonly unknown[],
  conv: Convention,
  g: ResolvedGrid,
): { u: number; v: number; box: PixelBox } | null {
  const [a, b, c, d] = conv.order === 'xy' ? [q[0], q[1], q[2], q[3]] : [q[1], q[0], q[3], q[2]];
  const x0 = valid(a, conv, g.sentWidth);
  const y0 = valid(b, conv, g.sentHeight);
  const x1 = valid(c, conv, g.sentWidth);
  const y1 = valid(d, conv, g.sentHeight);
  if (x0 === null || y0 === null || x1 === null || y1 === null) return null;
  const edge = (value: number, side: number, size: number) => Math.min(Math.max(fraction(value, conv, side) * size - 0.5, -0.5), size - 0.5);
  const box: PixelBox = {
    u0: edge(Math.min(x0, x1), g.sentWidth, g.width),
    v0: edge(Math.min(y0, y1), g.sentHeight, g.height),
    u1: edge(Math.max(x0, x1), g.sentWidth, g.width),
    v1: edge(Math.max(y0, y1), g.sentHeight, g.height),
  };
  // The centre from the values themselves (one rounding, as for a point), not from the rounded corners.
  return {
    u: centreFromCorner(fraction((x0 + x1) / 2, conv, g.sentWidth) * g.width, g.width),
    v: centreFromCorner(fraction((y0 + y1) / 2, conv, g.sentHeight) * g.height, g.height),
    box,
  };
}
