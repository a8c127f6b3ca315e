import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { CalibrationFileError, loadCameraInfo } from '../../src/calibration/index.js';
import { CameraModel } from '../../src/geometry/camera-model.js';
import { tempFiles } from './tmp-files.js';

const example = (name: string): string => fileURLToPath(new URL(`../../calibration/${name}`, import.meta.url));
const files = tempFiles();
after(() => files.cleanup());

test('the example YAML and its ROS 2 JSON twin load to the same CameraInfo', () => {
  const yaml = loadCameraInfo(example('camera_color.yaml'));
  const json = loadCameraInfo(example('camera_color.json'));
  assert.equal(yaml.cameraName, 'camera_color');
  assert.equal(json.frameId, 'camera_color_optical_frame');
  for (const key of ['width', 'height', 'distortionModel', 'd', 'k', 'r', 'p'] as const) assert.deepEqual(yaml[key], json[key], key);
  assert.equal(yaml.width, 1280);
  assert.deepEqual(yaml.d, [0.1437, -0.4573, 0.00071, -0.00034, 0.4128]);
  // The example lens is invertible over the whole image.
  const model = CameraModel.fromCameraInfo(yaml);
  for (const [u, v] of [[-0.5, -0.5], [1279.4, 719.4], [0, 719], [1279, 0]]) assert.ok(model.undistort(u!, v!), `${u},${v}`);
});

test('optional parts take camera_calibration_parsers defaults', () => {
  const path = files.write(
    'minimal.yaml',
    'image_width: 640\nimage_height: 480\ncamera_matrix: {rows: 3, cols: 3, data: [600, 0, 320, 0, 600, 240, 0, 0, 1]}\n' +
      'distortion_coefficients: {rows: 1, cols: 5, data: [0.1, -0.2, 0, 0, 0]}\n',
  );
  const info = loadCameraInfo(path);
  assert.equal(info.distortionModel, 'plumb_bob');
  assert.deepEqual(info.r, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.deepEqual(info.p, [600, 0, 320, 0, 0, 600, 240, 0, 0, 0, 1, 0]);
});

test('a CameraInfo echoed as YAML with binning and ROI, and Open3D intrinsics JSON', () => {
  const echoed = files.write(
    'echo.yaml',
    `header: {stamp: {sec: 1, nanosec: 2}, frame_id: cam_optical}
height: 480
width: 640
distortion_model: rational_polynomial
d: [0.1, -0.2, 0.0, 0.0, 0.01, 0.0, 0.0, 0.0]
k: [600.0, 0.0, 320.0, 0.0, 600.0, 240.0, 0.0, 0.0, 1.0]
r: [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]
p: [600.0, 0.0, 320.0, 0.0, 0.0, 600.0, 240.0, 0.0, 0.0, 0.0, 1.0, 0.0]
binning_x: 2
binning_y: 2
roi: {x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false}
`,
  );
  const info = loadCameraInfo(echoed);
  assert.equal(info.frameId, 'cam_optical');
  assert.equal(info.binningX, 2);
  assert.equal(CameraModel.fromCameraInfo(info).width, 320);

  const o3d = files.write('o3d.json', '{"width": 640, "height": 480, "intrinsic_matrix": [525, 0, 0, 0, 525, 0, 319.5, 239.5, 1]}');
  assert.deepEqual(loadCameraInfo(o3d).k, [525, 0, 319.5, 0, 525, 239.5, 0, 0, 1]);
});

test('malformed files fail with one line naming the file and the field', () => {
  const good = {
    image_width: 640, image_height: 480, camera_matrix: { rows: 3, cols: 3, data: [600, 0, 320, 0, 600, 240, 0, 0, 1] },
    distortion_model: 'plumb_bob', distortion_coefficients: { rows: 1, cols: 5, data: [0.1, -0.2, 0, 0, 0] },
  };
  const cases: [string, unknown, string][] = [
    ['no-width', { ...good, image_width: undefined }, 'image_width: missing'],
    ['neg-width', { ...good, image_width: -640 }, 'image_width:'],
    ['k-short', { ...good, camera_matrix: { rows: 3, cols: 3, data: [600, 0, 320] } }, 'camera_matrix.data: has 3 values'],
    ['k-text', { ...good, camera_matrix: { rows: 3, cols: 3, data: [600, 0, 320, 0, 'x', 240, 0, 0, 1] } }, 'camera_matrix.data[4]'],
    ['k-zero-f', { ...good, camera_matrix: { rows: 3, cols: 3, data: [0, 0, 320, 0, 600, 240, 0, 0, 1] } }, 'camera_matrix.data: focal lengths'],
    ['d-len', { ...good, distortion_coefficients: { rows: 1, cols: 4, data: [0.1, 0, 0, 0] } }, 'distortion_coefficients.data: plumb_bob needs 5'],
    ['model', { ...good, distortion_model: 'mei' }, 'distortion_model:'],
    ['ros2-k', { width: 640, height: 480, k: [1, 2, 3], d: [] }, ': k: needs 9 values'],
    ['nothing', { hello: 1 }, 'not a camera info file'],
  ];
  for (const [name, doc, expected] of cases) {
    const path = files.write(`${name}.json`, JSON.stringify(doc));
    assert.throws(
      () => loadCameraInfo(path),
      (e: unknown) => e instanceof CalibrationFileError && e.message.startsWith(path) && e.message.includes(expected) && !e.message.includes('\n'),
      `${name}: expected "${expected}"`,
    );
  }
  assert.throws(() => loadCameraInfo(files.write('broken.yaml', 'image_width: [1, 2\n  camera: {')), (e: unknown) => e instanceof CalibrationFileError && /not valid YAML/.test(e.message) && !e.message.includes('\n'));
  assert.throws(() => loadCameraInfo(`${files.dir}/missing.yaml`), /missing\.yaml: file not found/);
  assert.throws(() => loadCameraInfo(files.write('list.yaml', '- 1\n- 2\n')), /top level/);
});
