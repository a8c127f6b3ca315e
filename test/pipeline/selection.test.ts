import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankCandidates } from '../../src/pipeline/selection.js';
import { describeOutside, insideBox } from '../../src/pipeline/workspace.js';

const c = [
  { index: 0, rangeM: 2, validRatio: 0.5, spreadM: 0.01 },
  { index: 1, rangeM: 1, validRatio: 1, spreadM: 0.05 },
  { index: 2, rangeM: 3, validRatio: 1, spreadM: 0.001 },
];

test('selection policies rank as documented', () => {
  assert.deepEqual(rankCandidates(c, 'first').map((x) => x.index), [0, 1, 2]);
  assert.deepEqual(rankCandidates(c, 'closest').map((x) => x.index), [1, 0, 2]);
  assert.deepEqual(rankCandidates(c, 'best_depth').map((x) => x.index), [2, 1, 0]);
  assert.deepEqual(c.map((x) => x.index), [0, 1, 2], 'input left untouched');
});

test('workspace box is inclusive and says which axis is out', () => {
  const min = { x: -1, y: -1, z: 0 };
  const max = { x: 1, y: 1, z: 1.2 };
  assert.equal(insideBox({ x: 1, y: -1, z: 0 }, min, max), true);
  assert.equal(insideBox({ x: 0, y: 0, z: 1.5 }, min, max), false);
  assert.equal(describeOutside({ x: 0, y: 0, z: 1.5 }, min, max), 'z = 1.500 m above max 1.200 m');
});
