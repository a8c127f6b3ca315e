// The outer boundary of a pixel mask as a closed polygon, by Moore-neighbour tracing (Jacob's stopping rule): start
// at the first mask pixel in raster order, walk clockwise around the outside. Used to draw the object's outline.

// Clockwise on the image (v down), starting west: W, NW, N, NE, E, SE, S, SW.
const DC = [-1, -1, 0, 1, 1, 1, 0, -1];
const DR = [0, -1, -1, -1, 0, 1, 1, 1];

/** Pixel indices (row · width + col) of the boundary, clockwise; `start` must be the mask's first pixel in raster
 * order (every pixel before it in raster order is outside). */
export function traceOutline(mask: Uint8Array, width: number, height: number, start: number): number[] {
  const inside = (c: number, r: number) => c >= 0 && r >= 0 && c < width && r < height && mask[r * width + c] !== 0;
  const boundary = [start];
  let c = start % width;
  let r = (start - c) / width;
  // The pixel west of the start is outside (raster order): enter from there.
  let from = 0;
  const firstFrom = from;
  const guard = 4 * mask.length + 8;
  for (let steps = 0; steps < guard; steps++) {
    let moved = false;
    for (let k = 1; k <= 8; k++) {
      const d = (from + k) % 8;
      const nc = c + DC[d]!;
      const nr = r + DR[d]!;
      if (!inside(nc, nr)) continue;
      // The neighbour examined just before (direction d - 1 from the old pixel) is outside: seen from the new
      // pixel it lies in direction dirTo(...)
      const bc = c + DC[(d + 7) % 8]! - nc;
      const br = r + DR[(d + 7) % 8]! - nr;
      from = direction(bc, br);
      c = nc;
      r = nr;
      moved = true;
      break;
    }
    if (!moved) break; // a single pixel
    const index = r * width + c;
    if (index === start && from === firstFrom) break;
    boundary.push(index);
  }
  if (boundary.length > 1 && boundary[boundary.length - 1] === start) boundary.pop();
  return boundary;
}

function direction(dc: number, dr: number): number {
  for (let d = 0; d < 8; d++) if (DC[d] === dc && DR[d] === dr) return d;
  throw new Error(`not a neighbour offset: (${dc}, ${dr})`);
}
