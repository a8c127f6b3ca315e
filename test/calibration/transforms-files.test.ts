import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { CalibrationFileError, loadHandEye, loadStaticTransforms, loadTransformsFile } from '../../src/calibration/index.js';
import { applyTransform, rotateVector } from '../../src/geometry/transform.js';
import { TfBuffer } from '../../src/geometry/tf-buffer.js';
import { tempFiles } from './tmp-files.js';

const example = (name: string): string => fileURLToPath(new URL(`../../calibration/${name}`, import.meta.url));
const files = tempFiles();
after(() => files.cleanup());

test('the example eye-on-base calibration maps the camera into base_link', () => {
  const he = loadHandEye(example('handeye_eye_on_base.calib'));
  assert.equal(he.type, 'eye_on_base');
  assert.equal(he.parentFrame, 'base_link');
  assert.equal(he.childFrame, 'camera_color_optical_frame');
  // The camera origin is where the translation says, and its optical axis looks at the table point (0.35, 0.05, 0).
  assert.deepEqual(applyTransform(he.transform, { x: 0, y: 0, z: 0 }), { x: 0.85, y: -0.42, z: 0.63 });
  const axis = rotateVector(he.transform.rotation, { x: 0, y: 0, z: 1 });
  const toTarget = { x: 0.35 - 0.85, y: 0.05 + 0.42, z: -0.63 };
  const len = Math.hypot(toTarget.x, toTarget.y, toTarget.z);
  assert.ok(Math.abs(axis.x - toTarget.x / len) < 1e-9 && Math.abs(axis.z - toTarget.z / len) < 1e-9);
});

test('eye_in_hand and the older easy_handeye layout', () => {
  const eih = files.write(
    'eih.calib',
    'parameters: {calibration_type: eye_in_hand, robot_base_frame: base, robot_effector_frame: tool0, tracking_base_frame: cam}\n' +
      'transform: {translation: {x: 0, y: 0, z: 0.1}, rotation: {x: 0, y: 0, z: 0, w: 2}}\n',
  );
  const he = loadHandEye(eih);
  assert.equal(he.type, 'eye_in_hand');
  assert.equal(he.parentFrame, 'tool0');
  assert.deepEqual(he.transform.rotation, { x: 0, y: 0, z: 0, w: 1 });
  const old = files.write(
    'old.yaml',
    'parameters: {eye_on_hand: false, namespace: /x/, robot_base_frame: base, robot_effector_frame: tool0, tracking_base_frame: cam}\n' +
      'transformation: {x: 1, y: 2, z: 3, qx: 0, qy: 0, qz: 0, qw: 1}\n',
  );
  const o = loadHandEye(old);
  assert.equal(o.type, 'eye_on_base');
  assert.deepEqual(o.transform.translation, { x: 1, y: 2, z: 3 });
});

test('malformed hand-eye files name file and field', () => {
  const params = 'parameters: {calibration_type: eye_on_base, robot_base_frame: base, robot_effector_frame: tool0, tracking_base_frame: cam}\n';
  const cases: [string, string, string][] = [
    ['zero-q', params + 'transform: {translation: {x: 0, y: 0, z: 0}, rotation: {x: 0, y: 0, z: 0, w: 0}}', 'transform.rotation: quaternion (0, 0, 0, 0) has zero norm'],
    ['type', params.replace('eye_on_base', 'eye_on_wall') + 'transform: {}', 'parameters.calibration_type: must be eye_on_base or eye_in_hand'],
    ['no-frame', params.replace('robot_base_frame: base, ', '') + 'transform: {}', 'parameters.robot_base_frame: missing'],
    ['no-translation', params + 'transform: {rotation: {x: 0, y: 0, z: 0, w: 1}}', 'transform.translation: missing'],
    ['text-x', params + 'transform: {translation: {x: a, y: 0, z: 0}, rotation: {x: 0, y: 0, z: 0, w: 1}}', 'transform.translation.x: must be a finite number'],
    ['no-params', 'transform: {}', 'parameters: missing'],
  ];
  for (const [name, text, expected] of cases) {
    const path = files.write(`${name}.calib`, text);
    assert.throws(() => loadHandEye(path), (e: unknown) => e instanceof CalibrationFileError && e.message.startsWith(`${path}: ${expected}`), name);
  }
});

test('the example static transforms chain base_link -> camera_link -> optical frame', () => {
  const list = loadStaticTransforms(example('static_transforms.yaml'));
  assert.equal(list.length, 3);
  const buf = new TfBuffer();
  for (const t of list) buf.setTransform(t, true);
  // The optical axis of a camera pitched 30° down points forward and down.
  const t = buf.lookup('base_link', 'camera_color_optical_frame', 0n);
  const axis = rotateVector(t.rotation, { x: 0, y: 0, z: 1 });
  assert.ok(Math.abs(axis.x - Math.cos(Math.PI / 6)) < 1e-9 && Math.abs(axis.z + Math.sin(Math.PI / 6)) < 1e-9);
  const origin = applyTransform(t, { x: 0, y: 0, z: 0 });
  assert.ok(Math.abs(origin.y - 0.015) < 1e-12 && Math.abs(origin.z - 1.2) < 1e-12);
});

test('malformed static transforms name file and field', () => {
  const cases: [string, string, string][] = [
    ['empty', 'transforms: []', 'transforms: is empty'],
    ['none', 'other: 1', 'transforms: missing'],
    ['zero-q', 'transforms: [{parent: a, child: b, translation: [0, 0, 0], rotation: [0, 0, 0, 0]}]', 'transforms[0].rotation: quaternion (0, 0, 0, 0) has zero norm'],
    ['both', 'transforms: [{parent: a, child: b, translation: [0, 0, 0], rotation: [0, 0, 0, 1], rpy: [0, 0, 0]}]', 'transforms[0].rpy: give either'],
    ['neither', 'transforms: [{parent: a, child: b, translation: [0, 0, 0]}]', 'transforms[0].rotation: missing'],
    ['short-t', 'transforms: [{parent: a, child: b, translation: [0, 0], rpy: [0, 0, 0]}]', 'transforms[0].translation: needs 3 values'],
    ['same', 'transforms: [{parent: a, child: a, translation: [0, 0, 0], rpy: [0, 0, 0]}]', 'transforms[0].child: equals parent'],
    ['second', 'transforms: [{parent: a, child: b, translation: [0, 0, 0], rpy: [0, 0, 0]}, {parent: b, translation: [0, 0, 0], rpy: [0, 0, 0]}]', 'transforms[1].child: missing'],
  ];
  for (const [name, text, expected] of cases) {
    const path = files.write(`${name}.yaml`, text);
    assert.throws(() => loadStaticTransforms(path), (e: unknown) => e instanceof CalibrationFileError && e.message.startsWith(`${path}: ${expected}`), name);
  }
});

test('loadTransformsFile recognises both kinds and refuses anything else', () => {
  const he = loadTransformsFile(example('handeye_eye_on_base.calib'));
  assert.equal(he.kind, 'hand_eye');
  assert.equal(he.cameraFrame, 'camera_color_optical_frame');
  assert.equal(he.transforms[0]!.frameId, 'base_link');
  assert.equal(loadTransformsFile(example('static_transforms.yaml')).transforms.length, 3);
  assert.throws(() => loadTransformsFile(example('camera_color.yaml')), /neither an easy_handeye2 calibration/);
});
