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
  assert.deepEqual(h.stamps(), [[100, 104, 0]]);
  // The unmatched older depth (115) is newer than 100, so it stays queued and pairs with the next colour.
  h.c(118);
  assert.deepEqual(h.stamps()[1], [118, 115, 0]);
});

test('messages older than a synced pair are dropped and counted', () => {
  const h = harness();
  h.i(0);
  h.c(100);
  h.c(133);
  h.d(50);
  h.d(134);
  assert.deepEqual(h.stamps(), [[133, 134, 0]]);
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
