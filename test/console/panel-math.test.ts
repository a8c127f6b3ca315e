// The panels' arithmetic, in Node (these web modules touch no DOM): the uncertainty ellipsoid and "± mm" agree with
// geometry's eigen solver, the depth grid decodes what the server encodes and finds the nearest cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDepthGrid } from '../../src/console/depth-grid.js';
import { symmetricEigen3 } from '../../src/geometry/eigen3.js';
import { toWireJson } from '../../src/console/wire.js';
import { mulberry32 } from '../helpers/prng.js';
import { makeBridge, pushFrame } from './harness.js';

type Ellipsoid = { radii: number[]; axes: number[][] };
type Grid = { cols: number; rows: number; step: number; offset: number; points: Float32Array; range: [number, number] | null };
type Cell = { u: number; v: number; point: { x: number; y: number; z: number } | null } | null;
const web = (name: string) => import(new URL(`../../src/console/web/${name}`, import.meta.url).href);
const { ellipsoidOf, uncertaintyText, sizeText } = (await web('uncertainty.js')) as {
  ellipsoidOf: (m: unknown) => Ellipsoid | null;
  uncertaintyText: (m: unknown) => string | null;
  sizeText: (o: unknown) => string | null;
};
const { decodeDepthGrid, cellAt } = (await web('depth-grid.js')) as { decodeDepthGrid: (m: unknown) => Grid | null; cellAt: (g: Grid, u: number, v: number) => Cell };

test('the 1σ ellipsoid: semi-axes √λ of geometry eigen3, along its eigenvectors; ± is the largest in mm', () => {
  const rand = mulberry32(3);
  for (let trial = 0; trial < 50; trial++) {
    // A random covariance A·Aᵀ (symmetric, positive semidefinite), centimetre scale.
    const a = Array.from({ length: 9 }, () => (rand() - 0.5) * 0.03);
    const m = [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => a[i * 3]! * a[j * 3]! + a[i * 3 + 1]! * a[j * 3 + 1]! + a[i * 3 + 2]! * a[j * 3 + 2]!));
    const e = ellipsoidOf(m)!;
    const ref = symmetricEigen3(m);
    const refRadii = [...ref.values].reverse().map((v) => Math.sqrt(Math.max(0, v)));
    e.radii.forEach((r, i) => assert.ok(Math.abs(r - refRadii[i]!) < 1e-9, `radius ${i}: ${r} vs ${refRadii[i]}`));
    // Each axis is an eigenvector: M·v = λ·v.
    e.axes.forEach((v, i) => {
      const mv = [0, 1, 2].map((r) => m[r * 3]! * v[0]! + m[r * 3 + 1]! * v[1]! + m[r * 3 + 2]! * v[2]!);
      mv.forEach((x, k) => assert.ok(Math.abs(x - e.radii[i]! ** 2 * v[k]!) < 1e-12));
    });
    assert.equal(uncertaintyText(m), `± ${Math.round(refRadii[0]! * 1000)} mm`);
  }
  assert.equal(ellipsoidOf(null), null);
  assert.equal(ellipsoidOf([1, 0, 0, 0, 1, 0, 0, 0, NaN]), null);
  assert.equal(ellipsoidOf([1e-4, 0, 0, 0, -1e-4, 0, 0, 0, 1e-4]), null, 'not a covariance');
  assert.equal(uncertaintyText(null), null);
  assert.equal(sizeText({ box: { size: { x: 0.4204, y: 0.3, z: 0.75 } } }), '420×300×750 mm');
  assert.equal(sizeText(null), null);
});

test('the page decodes the grid the server sends and finds the cell nearest to a pixel', async () => {
  const bridge = makeBridge();
  pushFrame(bridge, { index: 1, depthMm: 1500 });
  const message = await buildDepthGrid(bridge.latestFrame()!, false, null);
  const grid = decodeDepthGrid(JSON.parse(toWireJson(message)))!;
  assert.equal(grid.points.length, grid.cols * grid.rows * 3);
  assert.deepEqual(grid.range, [1.5, 1.5]);
  // 320×240 → step 4, offset 1: pixel (10.4, 6.9) is nearest to cell (2, 1) at pixel (9, 5).
  assert.deepEqual([grid.step, grid.offset], [4, 1]);
  const cell = cellAt(grid, 10.4, 6.9)!;
  assert.deepEqual([cell.u, cell.v], [9, 5]);
  assert.equal(cell.point!.z, 1.5);
  assert.equal(cellAt(grid, 320, 10), null, 'outside the image');
  assert.equal(decodeDepthGrid({ type: 'depth', grid: null, reason: 'gone' }), null);
});
