// Synthetic inputs shared by the benchmarks: camera-like colour frames and a centred pinhole camera info.
import type { CameraInfo, ColorImage } from '../src/geometry/types.js';
import { cameraInfo } from '../test/helpers/camera-info.js';

/**
 * A camera-like rgb8 frame: smooth gradients plus seeded sensor noise, so its JPEG is about a real frame's size
 * (a flat image would encode to almost nothing). `blueRipple` modulates the blue channel's noise along x, as
 * the pointing bench's frames have always had (kept so its numbers stay comparable run to run).
 */
export function colorFrame(width: number, height: number, seed: number, opts: { blueRipple?: boolean } = {}): ColorImage {
  const data = new Uint8Array(width * height * 3);
  let s = seed >>> 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      s = (s * 1664525 + 1013904223) >>> 0;
      const noise = (s >>> 24) % 16;
      const i = (y * width + x) * 3;
      data[i] = ((x * 255) / width + noise) & 0xff;
      data[i + 1] = ((y * 255) / height + noise) & 0xff;
      data[i + 2] = (((x + y) * 128) / (width + height) + 64 + (opts.blueRipple ? noise * Math.sin(x / 40) : noise)) & 0xff;
    }
  }
  return { kind: 'raw', encoding: 'rgb8', width, height, step: width * 3, isBigEndian: false, data };
}

/** plumb_bob camera info with focal length `f` and the principal point at the image centre. */
export function pinholeInfo(width: number, height: number, f: number, d: number[]): CameraInfo {
  return cameraInfo({ width, height, fx: f, fy: f, cx: (width - 1) / 2, cy: (height - 1) / 2, d });
}
