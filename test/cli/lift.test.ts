// `molmo-waypoints lift` end to end, as a process: real files in, JSON out, exit codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadCameraInfo, loadHandEye, loadStaticTransforms } from '../../src/calibration/index.js';
import { CameraModel } from '../../src/geometry/camera-model.js';
import { TfBuffer } from '../../src/geometry/tf-buffer.js';
import { applyTransform } from '../../src/geometry/transform.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cal = (name: string): string => join(root, 'calibration', name);
let dir = '';

function lift(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'lift', ...args], { cwd: root }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Runs the command in this process (cheap), capturing what it prints. */
async function liftInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { run } = await import('../../src/cli/lift.js');
  let stdout = '';
  let stderr = '';
  const write = process.stdout.write;
  const error = console.error;
  // lift writes strings; the test runner's own events to its parent (binary, and they may be flushed meanwhile)
  // pass through untouched.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    typeof chunk === 'string' ? ((stdout += chunk), true) : write.call(process.stdout, chunk, ...rest)) as typeof process.stdout.write;
  console.error = (...parts: unknown[]) => {
    stderr += `${parts.join(' ')}\n`;
  };
  try {
    return { code: await run(args), stdout, stderr };
  } finally {
    process.stdout.write = write;
    console.error = error;
  }
}

async function writePng(name: string, width: number, height: number, values: Uint16Array | Uint8Array): Promise<string> {
  const path = join(dir, name);
  const img = values instanceof Uint16Array
    ? sharp(values, { raw: { width, height, channels: 1 } }).toColourspace('grey16')
    : sharp(values, { raw: { width, height, channels: 1 } });
  await img.png().toFile(path);
  return path;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'molmo-lift-'));
  // 1280×720 depth in millimetres: a wall at 2.4 m, a 4 px bar at 0.8 m through column 400, no data left of column 50.
  const w = 1280, h = 720;
  const mm = new Uint16Array(w * h).fill(2400);
  for (let r = 0; r < h; r++) {
    for (let c = 398; c < 402; c++) mm[r * w + c] = 800;
    for (let c = 0; c < 50; c++) mm[r * w + c] = 0;
  }
  await writePng('depth_mm.png', w, h, mm);
  // The same scene in TUM units (5000 per metre).
  await writePng('depth_tum.png', w, h, mm.map((v) => v * 5));
  await writePng('depth_8bit.png', 4, 4, new Uint8Array(16).fill(9));
  // A depth image of another shape than the camera (1280×72 for 1280×720): cannot be aligned, must be refused.
  await writePng('depth_wide.png', 1280, 72, new Uint16Array(1280 * 72).fill(1000));
  // Half the resolution, same aspect: aligned depth at another resolution is mapped onto (scaled).
  const half = new Uint16Array(640 * 360).fill(2400);
  for (let r = 0; r < 360; r++) for (let c = 199; c < 201; c++) half[r * 640 + c] = 800;
  await writePng('depth_half.png', 640, 360, half);
  writeFileSync(join(dir, 'bad_camera.yaml'), 'image_width: 1280\nimage_height: 720\ncamera_matrix: {rows: 3, cols: 3, data: [1, 2]}\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a depth PNG at half the resolution (same aspect) is mapped onto the camera grid', async () => {
  const res = await liftInProcess(['--camera-info', cal('camera_color.yaml'), '--depth', join(dir, 'depth_half.png'), '--window', '2', '--pixel', '400,300', '--pixel', '900,300']);
  assert.equal(res.code, 0, res.stderr);
  const [bar, wall] = JSON.parse(res.stdout).points;
  assert.equal(bar.status, 'ok');
  assert.ok(Math.abs(bar.depth_m - 0.8) < 1e-9, `the bar at colour column 400 is depth column 199.75: ${bar.depth_m}`);
  assert.ok(Math.abs(wall.depth_m - 2.4) < 1e-9);
});

test('depth PNG: thin bar, wall, no data and outside pixels; exit 0 with a status each', async () => {
  const res = await lift(['--camera-info', cal('camera_color.yaml'), '--depth', join(dir, 'depth_mm.png'), '--window', '4',
    '--pixel', '400,300', '--pixel', '700.25,500.5', '--pixel', '10,10', '--pixel', '1280,10']);
  assert.equal(res.code, 0, res.stderr);
  const { points } = JSON.parse(res.stdout);
  assert.equal(points.length, 4);
  const model = CameraModel.fromCameraInfo(loadCameraInfo(cal('camera_color.yaml')));
  const [bar, wall, hole, outside] = points;
  assert.equal(bar.status, 'ok');
  assert.equal(bar.depth_m, 0.8); // the bar, although most of the 9×9 window is wall
  const ray = model.undistort(400, 300)!;
  assert.deepEqual(bar.camera_point, [ray.x * 0.8, ray.y * 0.8, 0.8]);
  assert.equal(bar.frame_id, 'camera_optical_frame');
  assert.equal(bar.target_point, null);
  assert.equal(bar.target_frame, null);
  assert.equal(wall.status, 'ok');
  assert.equal(wall.depth_m, 2.4);
  assert.deepEqual(wall.pixel, [700.25, 500.5]);
  assert.equal(hole.status, 'no_depth');
  assert.equal(hole.camera_point, null);
  assert.equal(hole.depth_m, null);
  assert.equal(outside.status, 'outside_image');
  assert.deepEqual(Object.keys(bar), ['pixel', 'status', 'reason', 'camera_point', 'frame_id', 'depth_m', 'valid_ratio', 'target_point', 'target_frame']);
});

test('depth scale, constant depth and a hand-eye calibration into base_link', async () => {
  // One as a process; the other two in-process, one after the other (they capture the process's stdout).
  const handEyeRun = lift(['--camera-info', cal('camera_color.yaml'), '--depth-m', '1.25', '--pixel', '640,360', '--pixel', '5,700',
    '--calibration', cal('handeye_eye_on_base.calib')]);
  const tum = await liftInProcess(['--camera-info', cal('camera_color.json'), '--depth', join(dir, 'depth_tum.png'), '--depth-scale', '5000', '--pixel', '700,500']);
  const statics = await liftInProcess(['--camera-info', cal('camera_color.json'), '--depth-m', '2', '--pixel', '640,360',
    '--calibration', cal('static_transforms.yaml'), '--target-frame', 'base_link']);
  const handEye = await handEyeRun;
  assert.equal(tum.code, 0, tum.stderr);
  const t = JSON.parse(tum.stdout).points[0];
  assert.equal(t.depth_m, 2.4);
  assert.equal(t.frame_id, 'camera_color_optical_frame'); // from the JSON's header

  assert.equal(handEye.code, 0, handEye.stderr);
  const he = loadHandEye(cal('handeye_eye_on_base.calib'));
  for (const p of JSON.parse(handEye.stdout).points) {
    assert.equal(p.status, 'ok');
    assert.equal(p.frame_id, 'camera_color_optical_frame');
    assert.equal(p.target_frame, 'base_link');
    assert.equal(p.valid_ratio, 1);
    const [x, y, z] = p.camera_point;
    const expected = applyTransform(he.transform, { x, y, z });
    assert.deepEqual(p.target_point, [expected.x, expected.y, expected.z]);
  }

  assert.equal(statics.code, 0, statics.stderr);
  const s = JSON.parse(statics.stdout).points[0];
  const tf = new TfBuffer();
  for (const tr of loadStaticTransforms(cal('static_transforms.yaml'))) tf.setTransform(tr, true);
  const [x, y, z] = s.camera_point;
  const e = applyTransform(tf.lookup('base_link', 'camera_color_optical_frame', 0n), { x, y, z });
  assert.deepEqual(s.target_point, [e.x, e.y, e.z]);
  assert.ok(e.z < 1.2, 'a camera pitched down sees points below itself');
});

test('unusable files or flags: exit 2 with one line naming the problem', async () => {
  const asProcess = await lift(['--camera-info', join(dir, 'bad_camera.yaml'), '--depth-m', '1', '--pixel', '1,1']);
  assert.equal(asProcess.code, 2);
  assert.equal(asProcess.stdout, '');
  assert.match(asProcess.stderr, /^lift: .*bad_camera\.yaml: camera_matrix\.data: has 2 values for a 3×3 matrix\n$/);

  const cases: [string[], RegExp][] = [
    [['--camera-info', join(dir, 'nope.yaml'), '--depth-m', '1', '--pixel', '1,1'], /nope\.yaml: file not found/],
    [['--camera-info', cal('camera_color.yaml'), '--depth-m', '1', '--pixel', '1;1'], /--pixel expects u,v/],
    [['--camera-info', cal('camera_color.yaml'), '--depth-m', '1', '--depth', join(dir, 'depth_mm.png'), '--pixel', '1,1'], /exactly one of --depth/],
    [['--camera-info', cal('camera_color.yaml'), '--depth', join(dir, 'depth_8bit.png'), '--pixel', '1,1'], /16-bit single-channel/],
    [['--camera-info', cal('camera_color.yaml'), '--depth', join(dir, 'missing.png'), '--pixel', '1,1'], /missing\.png: cannot read/],
    [['--camera-info', cal('camera_color.yaml'), '--depth', join(dir, 'depth_mm.png'), '--depth-scale', '0', '--pixel', '1,1'], /--depth-scale must be 1 to 1e6/],
    [['--camera-info', cal('camera_color.yaml'), '--depth', join(dir, 'depth_mm.png'), '--depth-scale', '1e-320', '--pixel', '1,1'], /--depth-scale must be 1 to 1e6 depth units per metre, got '1e-320'/],
    [['--camera-info', cal('camera_color.yaml'), '--depth', join(dir, 'depth_mm.png'), '--depth-scale', 'Infinity', '--pixel', '1,1'], /--depth-scale expects a number/],
    [['--camera-info', cal('camera_color.yaml'), '--depth-m', '1e308', '--pixel', '1,1'], /--depth-m must be a positive number of metres up to 1000/],
    [['--camera-info', cal('camera_color.yaml'), '--depth', join(dir, 'depth_wide.png'), '--pixel', '1,1'], /depth_wide\.png is 1280x72 but the camera info is 1280x720: an aligned depth image has the colour image's size/],
    [['--camera-info', cal('camera_color.json'), '--depth-m', '1', '--pixel', '1,1', '--calibration', cal('handeye_eye_on_base.calib'), '--target-frame', 'map'], /target frame 'map' does not exist/],
    [['--camera-info', cal('camera_color.yaml'), '--depth-m', '1', '--pixel', '1,1', '--camera-frame', 'cam2', '--calibration', cal('handeye_eye_on_base.calib')], /calibrates camera frame 'camera_color_optical_frame' but the camera frame is 'cam2'/],
    [['--camera-info', cal('camera_color.yaml'), '--depth-m', '1', '--pixel', '1,1', '--calibration', cal('static_transforms.yaml')], /needs --target-frame/],
    [['--camera-info', cal('camera_color.yaml'), '--depth-m', '1', '--pixel', '1,1', '--target-frame', 'base_link'], /needs --calibration/],
    [['--camera-info', cal('camera_color.yaml'), '--depth-m=-1', '--pixel', '1,1'], /--depth-m must be a positive/],
    [['--camera-info', cal('camera_color.yaml'), '--depth-m', '0', '--pixel', '1,1'], /--depth-m must be a positive/],
    [['--camera-info', cal('camera_color.yaml'), '--depth-m', '1', '--pixel', '1,1', '--window', '2.5'], /--window/],
    [['--camera-info', cal('camera_color.yaml'), '--depth-m', '1', '--pixel', '1,1', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['--depth-m', '1', '--pixel', '1,1'], /--camera-info <file> is required/],
  ];
  for (const [args, expected] of cases) {
    const res = await liftInProcess(args);
    assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.equal(res.stdout, '');
    assert.match(res.stderr, expected);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
  }
  const help = await liftInProcess(['--help']);
  assert.equal(help.code, 0);
});
