import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameSync, type SyncedSet } from '../../src/pipeline/frame-sync.js';
import type { CameraInfo, ColorImage, RawImage } from '../../src/geometry/types.js';

const MS = 1_000_000n;
const color: ColorImage = { kind: 'compressed', format: 'jpeg', data: new Uint8Array(1) };
const depth: RawImage = { encoding: '16UC1', width: 1, height: 1, step: 2, isBigEndian: false, data: new Uint8Array(2) };
const info = { width: 1, height: 1 } as CameraInfo;

function harness(opts: Partial<ConstructorParameters<typeof FrameSync>[0]> = {}) {
  const out: SyncedSet[] = [];
  const sync = new FrameSync({ policy: 'approximate', slopMs: 10, queueSize: 4, cameraInfo: 'latest', ...opts }, (s) => out.push(s));
  const c = (ms: number, frameId = 'cam') => sync.pushColor({ header: { stampNs: BigInt(ms) * MS, frameId }, image: color });
  const d = (ms: number, frameId = 'cam') => sync.pushDepth({ header: { stampNs: BigInt(ms) * MS, frameId }, image: depth });
  const i = (ms: number, frameId = 'cam') => sync.pushCameraInfo({ header: { stampNs: BigInt(ms) * MS, frameId }, info });
  const stamps = () => out.map((s) => [Number(s.color.header.stampNs / MS), Number(s.depth.header.stampNs / MS), Number(s.cameraInfo.header.stampNs / MS)]);
  return { sync, out, c, d, i, stamps };
}

test('exact policy pairs only identical stamps', () => {
  const h = harness({ policy: 'exact' });
  h.i(0);
  h.c(100);
  h.d(101);
  assert.equal(h.out.length, 0);
  h.d(100);
  assert.deepEqual(h.stamps(), [[100, 100, 0]]);
});

test('approximate policy pairs within the slop, the closest candidate, in either arrival order', () => {
  const h = harness();
  h.i(0);
  h.c(100);
  h.d(115); // 15 ms > 10 ms slop
  assert.equal(h.out.length, 0);
  h.d(104);
  // 104 is the closest depth to colour 100 so far, but a colour nearer to 104 may still come: it waits.
  assert.equal(h.out.length, 0);
  h.c(118);
  assert.deepEqual(h.stamps(), [[100, 104, 0]], 'colour 118 is farther from 104 than 100, so no better partner can come');
  // The unmatched depth 115 is newer than 100, so it stays queued and pairs with colour 118 once a later depth
  // shows that no nearer one is coming.
  assert.equal(h.out.length, 1);
  h.d(150);
  assert.deepEqual(h.stamps()[1], [118, 115, 0]);
});

test('approximate: a better partner arriving after a within-slop one wins (the review probe)', () => {
  const h = harness({ slopMs: 20, queueSize: 10 });
  h.i(0);
  h.d(83);
  h.c(100); // 83 is within the slop, but depth 100 is still to come
  h.d(100);
  h.c(133);
  h.d(133);
  assert.deepEqual(h.stamps(), [[100, 100, 0], [133, 133, 0]]);
  assert.deepEqual(h.sync.drops, { color: 0, depth: 1 }, 'depth 83 never paired');
});

test('approximate: a colour between two depths pairs with the nearer one, in either arrival order', () => {
  for (const order of ['colour first', 'depths first'] as const) {
    const h = harness({ slopMs: 20, queueSize: 10 });
    h.i(0);
    if (order === 'colour first') h.c(100);
    h.d(90); // within the slop
    if (order === 'depths first') h.c(100);
    h.d(98); // nearer
    assert.equal(h.out.length, 0, `${order}: a depth even nearer than 98 could still come`);
    h.d(110); // later than the colour: no depth nearer than 98 can come any more
    assert.deepEqual(h.stamps(), [[100, 98, 0]], order);
    assert.equal(h.sync.drops.depth, 1, `${order}: depth 90 dropped`);
  }
});

test('approximate: a depth does not take a colour that a later colour matches better', () => {
  const h = harness({ slopMs: 20, queueSize: 10 });
  h.i(0);
  h.c(90);
  h.d(100); // 10 ms from colour 90, but colour 100 is still to come
  assert.equal(h.out.length, 0);
  h.c(100);
  assert.deepEqual(h.stamps(), [[100, 100, 0]]);
  assert.equal(h.sync.drops.color, 1, 'colour 90 is older than the pair');
});

test('approximate: colour and depth stamped a few ms apart pair one frame later, every frame', () => {
  const h = harness({ slopMs: 10, queueSize: 4 });
  h.i(0);
  for (let k = 0; k < 5; k++) {
    h.c(33 * k);
    h.d(33 * k + 3);
  }
  assert.deepEqual(h.stamps(), [0, 1, 2, 3].map((k) => [33 * k, 33 * k + 3, 0]), 'the last pair waits for the next colour');
  h.c(165);
  assert.equal(h.out.length, 5);
  assert.equal(h.sync.dropped, 0);
});

test('messages older than a synced pair are dropped and counted', () => {
  const h = harness();
  h.i(0);
  h.c(100);
  h.c(133);
  h.d(50);
  h.d(133);
  assert.deepEqual(h.stamps(), [[133, 133, 0]]);
  assert.deepEqual(h.sync.drops, { color: 1, depth: 1 });
  assert.equal(h.sync.dropped, 2);
});

test('queues are bounded: the oldest is dropped and counted', () => {
  const h = harness({ queueSize: 2 });
  for (const t of [0, 100, 200, 300, 400]) h.c(t);
  assert.equal(h.sync.drops.color, 3);
  h.i(0);
  h.d(0); // the 0 ms colour was dropped: no pair
  assert.equal(h.out.length, 0);
  h.d(400);
  assert.deepEqual(h.stamps(), [[400, 400, 0]]);
});

test("'latest' camera info policy prefers the matching stamp, else the latest of the colour's frame", () => {
  const h = harness();
  h.i(95);
  h.i(200);
  h.i(300, 'other_cam');
  h.c(100);
  h.d(100);
  h.c(500);
  h.d(500);
  assert.deepEqual(h.stamps(), [
    [100, 100, 95],
    [500, 500, 200],
  ]);
});

test('a pair waits for camera info that arrives after the images', () => {
  const h = harness({ cameraInfo: 'stamp' });
  h.c(100);
  h.d(100);
  h.i(300); // wrong stamp for the 'stamp' policy
  assert.equal(h.out.length, 0);
  h.i(100, 'other_cam'); // wrong frame
  assert.equal(h.out.length, 0);
  h.i(100);
  assert.deepEqual(h.stamps(), [[100, 100, 100]]);
});

test("'stamp' policy never uses camera info from another time", () => {
  const h = harness({ cameraInfo: 'stamp' });
  h.i(0);
  h.c(100);
  h.d(100);
  assert.equal(h.out.length, 0);
  // A newer pair replaces the waiting one, which counts as dropped.
  h.c(200);
  h.d(200);
  assert.deepEqual(h.sync.drops, { color: 1, depth: 1 });
  h.i(200);
  assert.deepEqual(h.stamps(), [[200, 200, 200]]);
});
