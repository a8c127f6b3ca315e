import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameStore, MAX_HELD } from '../../src/pipeline/frame-store.js';
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

test('a held snapshot stays findable after it leaves the ring, until its hold ends', () => {
  let now = 1000;
  const store = new FrameStore(2, () => now);
  for (let i = 1; i <= 2; i++) store.add(snap(i));
  assert.equal(store.hold(1, now + 3000), true);
  assert.equal(store.hold(9, now + 3000), false, 'a frame never seen cannot be held');
  for (let i = 3; i <= 6; i++) store.add(snap(i));
  assert.deepEqual(store.seqs(), [5, 6]);
  now += 2999;
  assert.equal(store.bySeq(1)?.seq, 1, 'held: still there 3 s later although the ring moved on');
  assert.equal(store.bySeq(2), null, 'not held: gone with the ring');
  // A shorter hold never cuts a longer one; a longer one extends it.
  store.hold(1, now + 1);
  store.hold(1, now + 5000);
  now += 4000;
  assert.equal(store.bySeq(1)?.seq, 1);
  now += 1001;
  assert.equal(store.bySeq(1), null, 'the hold ended');
  assert.deepEqual(store.heldSeqs(), []);
});

test('at most MAX_HELD snapshots are held: past it, the hold that ends first goes', () => {
  const now = 0;
  const store = new FrameStore(1, () => now);
  for (let i = 1; i <= MAX_HELD + 2; i++) {
    store.add(snap(i));
    // Frame 1 is held longest; the others 1 s each, later frames a little longer.
    store.hold(i, i === 1 ? 60_000 : 1000 + i);
  }
  const held = store.heldSeqs();
  assert.equal(held.length, MAX_HELD);
  assert.equal(held[0], 1, 'the long hold survives');
  assert.deepEqual(held.slice(1, 3), [4, 5], 'frames 2 and 3 had the earliest ends');
});
