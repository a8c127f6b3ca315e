// Static transforms given as 4×4 homogeneous matrices: the same transform as the quaternion form, rigid
// transforms only, and mathjs loaded only when a file has a matrix.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CalibrationFileError, loadStaticTransforms } from '../../src/calibration/index.js';
import { matrixFromQuaternion, normalizeQuaternion, quaternionFromRpy } from '../../src/geometry/transform.js';
import type { Quaternion, Transform } from '../../src/geometry/types.js';
import { mulberry32 } from '../helpers/prng.js';
import { tempFiles } from './tmp-files.js';

const files = tempFiles();
after(() => files.cleanup());

const example = fileURLToPath(new URL('../../calibration/static_transforms.yaml', import.meta.url));
const mathjsLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((p) => /[\\/]node_modules[\\/]mathjs[\\/]/.test(p));
const sameRotation = (a: Quaternion, b: Quaternion) => Math.abs(a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w) > 1 - 1e-12;
const entry = (matrix: string) => `{parent: a, child: b, matrix: ${matrix}}`;

/** Row-major 4×4 of a transform, printed at full precision. */
function matrixText(t: Transform): string {
  const r = matrixFromQuaternion(t.rotation);
  const { x, y, z } = t.translation;
  return `[${[r[0], r[1], r[2], x, r[3], r[4], r[5], y, r[6], r[7], r[8], z, 0, 0, 0, 1].join(', ')}]`;
}

// First in this file, so nothing else has loaded mathjs yet.
test('mathjs is loaded only when a file has a matrix', () => {
  loadStaticTransforms(files.write('plain.yaml', 'transforms: [{parent: a, child: b, translation: [0, 0, 1], rpy: [0, 0, 1]}]'));
  assert.equal(mathjsLoaded(), false);
  loadStaticTransforms(files.write('matrix.yaml', `transforms: [${entry('[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]')}]`));
  assert.equal(mathjsLoaded(), true);
});

test('a matrix gives the same transform as its quaternion form, as 16 values or as 4 rows of 4', () => {
  const rand = mulberry32(20240405);
  for (let i = 0; i < 20; i++) {
    const rotation = normalizeQuaternion({ x: rand() - 0.5, y: rand() - 0.5, z: rand() - 0.5, w: rand() - 0.5 });
    const translation = { x: 4 * rand() - 2, y: 4 * rand() - 2, z: 4 * rand() - 2 };
    const path = files.write(`random${i}.yaml`, `transforms: [${entry(matrixText({ translation, rotation }))}]`);
    const [t] = loadStaticTransforms(path);
    assert.deepEqual(t!.transform.translation, translation);
    assert.ok(sameRotation(t!.transform.rotation, rotation), `case ${i}`);
  }
  const rows = '[[0, -1, 0, 1], [1, 0, 0, 2], [0, 0, 1, 3], [0, 0, 0, 1]]';
  const [t] = loadStaticTransforms(files.write('rows.yaml', `transforms: [${entry(rows)}]`));
  assert.deepEqual(t!.transform.translation, { x: 1, y: 2, z: 3 });
  assert.ok(sameRotation(t!.transform.rotation, quaternionFromRpy(0, 0, Math.PI / 2)));
});

test("the example file's matrix entry equals the translation and rpy its comment gives", () => {
  const side = loadStaticTransforms(example).find((t) => t.childFrameId === 'side_camera_link')!;
  assert.equal(side.frameId, 'base_link');
  assert.deepEqual(side.transform.translation, { x: 0.4, y: -0.6, z: 0.9 });
  const q = side.transform.rotation;
  const expected = quaternionFromRpy(0, 0.5235987756, 1.5707963268);
  assert.ok(Math.abs(q.x * expected.x + q.y * expected.y + q.z * expected.z + q.w * expected.w) > 1 - 1e-9);
});

test('matrices that are not rigid transforms are refused, naming file and field', () => {
  const good = '{parent: base, child: a, translation: [0, 0, 0], rpy: [0, 0, 0]}';
  const cases: [string, string, string][] = [
    ['reflection', `[${good}, ${entry('[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1]')}]`, 'transforms[1].matrix: is not a rotation (det = -1.000, a reflection)'],
    ['scaled', `[${entry('[2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]')}]`, 'transforms[0].matrix: rotation block is not orthonormal (‖RᵀR − I‖ = 5.2e+0'],
    ['sheared', `[${entry('[1, 0.01, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]')}]`, 'transforms[0].matrix: rotation block is not orthonormal (‖RᵀR − I‖ = 1.4e-2'],
    ['five-digits', `[${entry('[0.86603, -0.5, 0, 0, 0.5, 0.86603, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]')}]`, 'transforms[0].matrix: rotation block is not orthonormal'],
    ['last-row', `[${entry('[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0.1, 1]')}]`, 'transforms[0].matrix: last row must be [0, 0, 0, 1], got [0, 0, 0.1, 1]'],
    ['column-major', `[${entry('[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0.5, 0, 0, 1]')}]`, 'transforms[0].matrix: last row must be [0, 0, 0, 1], got [0.5, 0, 0, 1] (the matrix looks column-major: give it row-major)'],
    ['twelve', `[${entry('[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]')}]`, 'transforms[0].matrix: needs 16 values, got 12'],
    ['three-rows', `[${entry('[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]')}]`, 'transforms[0].matrix: needs 4 rows of 4 values (or 16 values), got 3 rows of 4, 4, 4'],
    ['text', `[${entry('[[1, 0, 0, 0], [0, 1, x, 0], [0, 0, 1, 0], [0, 0, 0, 1]]')}]`, 'transforms[0].matrix[1][2]: must be a finite number, got "x"'],
    ['both', '[{parent: a, child: b, matrix: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], rpy: [0, 0, 0]}]', 'transforms[0].rpy: give either matrix or translation with rotation/rpy, not both'],
  ];
  for (const [name, list, expected] of cases) {
    const path = files.write(`${name}.yaml`, `transforms: ${list}`);
    assert.throws(
      () => loadStaticTransforms(path),
      (e: unknown) => e instanceof CalibrationFileError && e.message.startsWith(`${path}: ${expected}`) && !e.message.includes('\n') ? true : assert.fail(`${name}: ${(e as Error).message}`),
      name,
    );
  }
});
