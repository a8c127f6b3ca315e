// Standalone calibration: tf.hand_eye_attach_frame is a configuration key (not only a ROS parameter), and a hand-eye
// file whose camera frame already has a parent in TF is attached to the named frame instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp, type Output } from '../../src/cli/run.js';
import { loadHandEye } from '../../src/calibration/index.js';
import { loadConfig } from '../../src/config/index.js';
import { applyTransform } from '../../src/geometry/transform.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const quiet: Output = { print: () => {}, info: () => {} };

test('a hand-eye calibration of the optical frame is attached to camera_link when the camera URDF gives that chain', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-attach-'));
  const lines: string[] = [];
  try {
    // The camera's own chain, as its URDF or driver publishes it: camera_link -> optical frame (REP 103).
    writeFileSync(join(dir, 'camera_urdf.yaml'), 'transforms:\n  - parent: camera_link\n    child: camera_color_optical_frame\n    translation: [0.0, 0.015, 0.0]\n    rotation: [-0.5, 0.5, -0.5, 0.5]\n');
    const frames = join(root, 'demo', 'redwood_livingroom1');
    const yaml = [
      'source:',
      `  type: images`,
      `  images: { color: ${join(frames, 'color_00000.jpg')}, depth: ${join(frames, 'depth_00000.png')}, camera_info: ${join(frames, 'camera_primesense.json')}, frame_id: camera_color_optical_frame }`,
      'frames: { target: base_link }',
      'tf:',
      `  hand_eye: ${join(root, 'calibration', 'handeye_eye_on_base.calib')}`,
      '  hand_eye_attach_frame: camera_link',
      `  static_transforms: ${join(dir, 'camera_urdf.yaml')}`,
      'console: { enabled: false }',
      'recording: { enabled: false }',
      'ros: off',
    ].join('\n');
    const { config } = loadConfig({ text: yaml, file: join(dir, 'robot.yaml'), env: {} });
    assert.equal(config.tf.handEyeAttachFrame, 'camera_link');
    const app = await startApp(config, { command: 'run', json: false, out: { ...quiet, info: (l) => lines.push(l) } });
    try {
      await app.firstFrame(10_000);
      const tf = app.bridge.tf;
      // Attached, not a second parent for the optical frame: base_link -> camera_link -> optical frame.
      assert.ok(tf.hasFrame('camera_link'));
      const calib = loadHandEye(join(root, 'calibration', 'handeye_eye_on_base.calib'));
      const viaAttach = tf.lookupLatest('base_link', 'camera_color_optical_frame').transform;
      for (const p of [{ x: 0, y: 0, z: 0 }, { x: 0.3, y: -0.2, z: 1.5 }]) {
        const want = applyTransform(calib.transform, p);
        const got = applyTransform(viaAttach, p);
        for (const axis of ['x', 'y', 'z'] as const) assert.ok(Math.abs(got[axis] - want[axis]) < 1e-9, `${axis}: ${got[axis]} vs ${want[axis]}`);
      }
      assert.ok(lines.some((l) => /hand-eye attached as base_link -> camera_link/.test(l)), lines.join('\n'));
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
