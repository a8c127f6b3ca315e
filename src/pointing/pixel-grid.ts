// Models measure positions from the image's top-left *corner* (0 = the left edge, W = the right edge); our pixels
// put integers at pixel *centres* (OpenCV/ROS). One conversion for every backend, so they all agree at the edges.

/** A corner-measured coordinate `x` on an axis `size` pixels long, as a pixel-centre coordinate clamped to
 * the outermost centres [0, size − 1] (the image's edges themselves land on them). */
export function centreFromCorner(x: number, size: number): number {
  return Math.min(Math.max(x - 0.5, 0), size - 1);
}
