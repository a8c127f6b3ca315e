// The page's downsampled depth: every cell back-projected exactly like the lifter does it (distortion included),
// no point where the depth is missing, and the 'depth' request over a real WebSocket for any role.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildDepthGrid, DepthGridCache } from '../../src/console/depth-grid.js';
import { startConsole } from '../../src/console/server.js';
import { CameraModel } from '../../src/geometry/camera-model.js';
import type { FrameSnapshot } from '../../src/pipeline/types.js';
import { cameraInfo } from '../helpers/camera-info.js';
import { CAMERA_FRAME, makeBridge, pushFrame, TestClient } from './harness.js';

function decode(points: string): Float32Array {
  const bytes = Buffer.from(points, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** A 64×48 frame with a distorted lens; depth 2.000 m except a hole (0 = none) in the top-left quarter. */
function snapshot(): FrameSnapshot {
  const [width, height] = [64, 48];
  const info = cameraInfo({ width, height, fx: 60, fy: 61, cx: 31.2, cy: 23.7, d: [-0.2, 0.05, 0.001, -0.002, 0] });
  const depth = new Uint8Array(width * height * 2);
  const view = new DataView(depth.buffer);
  for (let v = 0; v < height; v++) for (let u = 0; u < width; u++) view.setUint16((v * width + u) * 2, u < 32 && v < 24 ? 0 : 2000, true);
  return {
    seq: 7,
    stampNs: 1_700_000_000_000_000_001n,
    frameId: CAMERA_FRAME,
    color: { kind: 'raw', encoding: 'rgb8', width, height, step: width * 3, isBigEndian: false, data: new Uint8Array(width * height * 3) },
    depth: { encoding: '16UC1', width, height, step: width * 2, isBigEndian: false, data: depth },
    depthStampNs: 1_700_000_000_000_000_001n,
    cameraInfo: info,
    receivedAtMs: 0,
  };
}

test('each cell is its pixel back-projected through the lens model; cells without depth carry no point', async () => {
  const frame = snapshot();
  const message = await buildDepthGrid(frame, false, null, 16);
  const grid = message.grid!;
  assert.deepEqual([grid.width, grid.height, grid.step, grid.offset, grid.cols, grid.rows], [64, 48, 4, 1, 16, 12]);
  assert.equal(message.frameSeq, 7);
  assert.equal(message.stampNs, 1_700_000_000_000_000_001n);
  const points = decode(grid.points);
  assert.equal(points.length, 16 * 12 * 3);
  const model = CameraModel.fromCameraInfo(frame.cameraInfo);
  let valid = 0;
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.cols; c++) {
      const [u, v] = [c * 4 + 1, r * 4 + 1];
      const [x, y, z] = points.subarray((r * grid.cols + c) * 3, (r * grid.cols + c) * 3 + 3);
      if (u < 32 && v < 24) {
        assert.ok(Number.isNaN(x!) && Number.isNaN(y!) && Number.isNaN(z!), `cell (${c}, ${r}) has no depth`);
        continue;
      }
      valid++;
      const ray = model.undistort(u, v)!;
      assert.equal(z, Math.fround(2));
      assert.equal(x, Math.fround(ray.x * 2), `x of cell (${c}, ${r})`);
      assert.equal(y, Math.fround(ray.y * 2), `y of cell (${c}, ${r})`);
    }
  }
  assert.equal(grid.valid, valid);
  assert.equal(valid, 16 * 12 - 8 * 6);
});

test('the cache builds one grid per frame for every page that asks', async () => {
  const cache = new DepthGridCache(false, () => null);
  const frame = snapshot();
  const [a, b] = await Promise.all([cache.get(frame), cache.get(frame)]);
  assert.equal(a, b);
});

const bridge = makeBridge();
const handle = await startConsole(bridge, { port: 0, log: () => {}, previewFps: 30 });
after(() => handle.close());

test("a 'depth' request answers the frame's grid to a viewer too, and says when the frame is gone", async () => {
  pushFrame(bridge, { index: 1, depthMm: 1500 });
  const seq = bridge.latestFrame()!.seq;
  const viewer = await TestClient.connect(handle.port, handle.viewerToken);
  try {
    await viewer.next('hello');
    viewer.send({ type: 'depth', frameSeq: seq });
    const reply = await viewer.next('depth');
    assert.equal(reply.frameSeq, seq);
    assert.equal(reply.frameId, CAMERA_FRAME);
    assert.equal(typeof reply.stampNs, 'string');
    // The camera 1 m above base_link (the harness's static TF): where the page places the cloud.
    assert.deepEqual(reply.cameraPose.position, { x: 0, y: 0, z: 1 });
    assert.equal(reply.grid.valid, reply.grid.cols * reply.grid.rows);
    const z = decode(reply.grid.points).filter((_, i) => i % 3 === 2);
    assert.ok(z.every((d) => d === 1.5));
    viewer.send({ type: 'depth', frameSeq: seq + 1000 });
    const gone = await viewer.next('depth');
    assert.equal(gone.grid, null);
    assert.match(gone.reason, new RegExp(`frame #${seq + 1000} is no longer held`));
  } finally {
    viewer.close();
  }
});

test('the TF message names each frame\'s parent, for the page\'s TF tree', async () => {
  const client = await TestClient.connect(handle.port, handle.token);
  try {
    const tf = await client.next('tf');
    const camera = tf.frames.find((f: { frameId: string }) => f.frameId === CAMERA_FRAME);
    assert.deepEqual([camera.parent, camera.isStatic], ['base_link', true]);
    const root = tf.frames.find((f: { frameId: string }) => f.frameId === 'base_link');
    assert.equal(root.parent, null);
  } finally {
    client.close();
  }
});
