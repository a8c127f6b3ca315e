import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameStore } from '../../src/pipeline/frame-store.js';
import type { FrameSnapshot } from '../../src/pipeline/types.js';

const snap = (seq: number) => ({ seq }) as FrameSnapshot;

test('keeps the newest N snapshots, finds them by seq', () => {
  const store = new FrameStore(3);
  assert.equal(store.latest(), null);
  for (let i = 1; i <= 5; i++) store.add(snap(i));
  assert.equal(store.size, 3);
  assert.equal(store.latest()?.seq, 5);
  assert.deepEqual(store.seqs(), [3, 4, 5]);
  assert.equal(store.bySeq(2), null);
  assert.equal(store.bySeq(4)?.seq, 4);
});

test('a size below 1 is refused', () => {
  assert.throws(() => new FrameStore(0), /at least 1/);
});
