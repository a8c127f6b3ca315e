// The downsampled depth of one frame as the server sends it ('depth' message, src/console/depth-grid.ts): cell
// (c, r) holds colour pixel (c·step + offset, r·step + offset) back-projected through the camera model, as x, y, z
// in the camera optical frame (NaN: that pixel has no valid depth). The page asks for the grid of the frame it
// shows, at most once a second while live, at once when it freezes on a frame.

/** Decodes a 'depth' message into { frameSeq, cameraPose, ...grid, points: Float32Array } or null (no grid). */
export function decodeDepthGrid(message) {
  if (!message.grid) return null;
  const binary = atob(message.grid.points);
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const points = new Float32Array(binary.length / 4);
  for (let i = 0; i < points.length; i++) points[i] = view.getFloat32(i * 4, true);
  const depths = [];
  for (let i = 2; i < points.length; i += 3) if (points[i] > 0) depths.push(points[i]);
  depths.sort((a, b) => a - b);
  // The colour scale spans the 2nd..98th percentile, so one stray far pixel does not flatten the rest.
  const range = depths.length ? [depths[Math.floor(depths.length * 0.02)], depths[Math.floor((depths.length - 1) * 0.98)]] : null;
  return { frameSeq: message.frameSeq, frameId: message.frameId, cameraPose: message.cameraPose, ...message.grid, points, range };
}

/** The cell nearest to image pixel (u, v), with its pixel and point (null outside the image). */
export function cellAt(grid, u, v) {
  const c = Math.round((u - grid.offset) / grid.step);
  const r = Math.round((v - grid.offset) / grid.step);
  if (u < -0.5 || v < -0.5 || u >= grid.width - 0.5 || v >= grid.height - 0.5) return null;
  const col = Math.min(grid.cols - 1, Math.max(0, c));
  const row = Math.min(grid.rows - 1, Math.max(0, r));
  const i = (row * grid.cols + col) * 3;
  const z = grid.points[i + 2];
  return {
    u: col * grid.step + grid.offset,
    v: row * grid.step + grid.offset,
    point: z > 0 ? { x: grid.points[i], y: grid.points[i + 1], z } : null,
  };
}

/** Turbo-like colour map (near = red, far = blue), t in 0..1, as [r, g, b]. */
export function depthColor(t) {
  const x = Math.min(1, Math.max(0, t));
  const stops = [
    [0, [222, 48, 33]],
    [0.25, [250, 190, 40]],
    [0.5, [120, 230, 90]],
    [0.75, [40, 170, 240]],
    [1, [60, 60, 200]],
  ];
  let i = 1;
  while (i < stops.length - 1 && x > stops[i][0]) i++;
  const [t0, a] = stops[i - 1];
  const [t1, b] = stops[i];
  const s = (x - t0) / (t1 - t0);
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * s));
}

/** The grid as a small canvas (one texel per cell, transparent where there is no depth) for the overlay. */
export function depthImage(grid) {
  const canvas = document.createElement('canvas');
  canvas.width = grid.cols;
  canvas.height = grid.rows;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(grid.cols, grid.rows);
  const [near, far] = grid.range ?? [0, 1];
  for (let cell = 0; cell < grid.cols * grid.rows; cell++) {
    const z = grid.points[cell * 3 + 2];
    if (!(z > 0)) continue;
    const [r, g, b] = depthColor((z - near) / Math.max(1e-6, far - near));
    image.data.set([r, g, b, 255], cell * 4);
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}
