// Builds CameraInfo values for tests and benches: a plumb_bob pinhole, overridable field by field.
import type { CameraInfo } from '../../src/geometry/types.js';

export function cameraInfo(over: Partial<CameraInfo> & { fx?: number; fy?: number; cx?: number; cy?: number } = {}): CameraInfo {
  const { fx = 615, fy = 615.5, cx = 322.5, cy = 238.25, ...rest } = over;
  return {
    width: 640,
    height: 480,
    distortionModel: 'plumb_bob',
    d: [0, 0, 0, 0, 0],
    k: [fx, 0, cx, 0, fy, cy, 0, 0, 1],
    r: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    p: [fx, 0, cx, 0, 0, fy, cy, 0, 0, 0, 1, 0],
    binningX: 0,
    binningY: 0,
    roi: { xOffset: 0, yOffset: 0, width: 0, height: 0, doRectify: false },
    ...rest,
  };
}
