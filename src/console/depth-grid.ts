// A downsampled view of one frame's depth for the page's depth overlay, hover readout and 3D point cloud: every
// `step`-th colour pixel back-projected through the real camera model (lens distortion included) with the depth
// at that pixel, in the camera's optical frame. Built on request for the frame a page shows (and cached by frame,
// so many pages asking for one frame cost one build), never per frame per client.
import { backproject, onDepthGrid } from '../geometry/backproject.js';
import { prepareFrame } from '../pipeline/prepared-frame.js';
import type { Pose } from '../geometry/types.js';
import type { FrameSnapshot } from '../pipeline/types.js';
import type { DepthGridMessage } from './protocol.js';

/** The grid's longer side, in cells: 640×480 → 7 px cells, 92×69 points (76 KiB of float32 xyz). */
export const DEPTH_GRID_MAX_CELLS = 96;
const KEPT = 4;

/**
 * The grid of one snapshot. Cell (c, r) samples colour pixel (c·step + offset, r·step + offset) (integer pixel
 * centres); `points` holds x, y, z per cell (row-major, metres, float32 little-endian, base64), NaN where that
 * pixel has no valid depth or the lens model cannot undistort it: no point is ever made up.
 */
export async function buildDepthGrid(
  snapshot: FrameSnapshot,
  rectified: boolean,
  cameraPose: Pose | null,
  maxCells = DEPTH_GRID_MAX_CELLS,
): Promise<DepthGridMessage> {
  const { model, depth, colorWidth: width, colorHeight: height } = await prepareFrame(snapshot, rectified);
  const step = Math.max(1, Math.ceil(Math.max(width, height) / maxCells));
  const offset = Math.floor((step - 1) / 2);
  const cols = Math.floor((width - 1 - offset) / step) + 1;
  const rows = Math.floor((height - 1 - offset) / step) + 1;
  const bytes = new Uint8Array(cols * rows * 12);
  const out = new DataView(bytes.buffer);
  let valid = 0;
  for (let r = 0; r < rows; r++) {
    const v = r * step + offset;
    for (let c = 0; c < cols; c++) {
      const u = c * step + offset;
      const { du, dv } = onDepthGrid(model, depth, u, v, 0);
      const p = backproject(model, u, v, depth.at(Math.round(du), Math.round(dv)));
      const at = (r * cols + c) * 12;
      out.setFloat32(at, p ? p.x : NaN, true);
      out.setFloat32(at + 4, p ? p.y : NaN, true);
      out.setFloat32(at + 8, p ? p.z : NaN, true);
      if (p) valid++;
    }
  }
  return {
    type: 'depth',
    frameSeq: snapshot.seq,
    stampNs: snapshot.stampNs,
    frameId: snapshot.frameId,
    cameraPose,
    grid: { width, height, step, offset, cols, rows, valid, points: Buffer.from(bytes.buffer).toString('base64') },
    reason: '',
  };
}

/** The last few grids by frame seq (the frozen frame and the live one a few pages look at). */
export class DepthGridCache {
  private readonly grids = new Map<number, Promise<DepthGridMessage>>();

  constructor(
    private readonly rectified: boolean,
    /** The camera's pose in the fixed frame at the snapshot's stamp, or null when TF cannot tell. */
    private readonly poseAt: (snapshot: FrameSnapshot) => Pose | null,
  ) {}

  get(snapshot: FrameSnapshot): Promise<DepthGridMessage> {
    let grid = this.grids.get(snapshot.seq);
    if (!grid) {
      grid = buildDepthGrid(snapshot, this.rectified, this.poseAt(snapshot));
      grid.catch(() => this.grids.delete(snapshot.seq));
      if (this.grids.size >= KEPT) this.grids.delete(this.grids.keys().next().value!);
      this.grids.set(snapshot.seq, grid);
    }
    return grid;
  }
}
