// DetectorPointer with the real bundled model (@vladmandic/human's CenterNet, converted here into a temp cache):
// caching, a damaged cache, queries it cannot answer, bad images, cancellation, and the demo's chair.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColorImage } from '../../src/geometry/types.js';
import { DetectorPointer } from '../../src/pointing/detector/detector-pointer.js';
import { defaultCacheDir } from '../../src/pointing/detector/bundled-model.js';
import { PointingError } from '../../src/pointing/types.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'mw-detector-'));
test.after(() => rmSync(cacheDir, { recursive: true, force: true }));

const frame = (i: number): ColorImage => ({ kind: 'compressed', format: 'jpeg', data: readFileSync(`demo/redwood_livingroom1/color_0000${i}.jpg`) });

test('first load converts and caches outside the repo; the next load reads the cache; a damaged cache file is replaced', async () => {
  const first = await DetectorPointer.load({ cacheDir });
  assert.equal(first.model.origin, 'converted');
  assert.match(first.model.source, /^@vladmandic\/human@\d+\.\d+\.\d+ models\/centernet\.json$/);
  const files = readdirSync(cacheDir).filter((f) => f.endsWith('.onnx'));
  assert.equal(files.length, 1);
  assert.match(files[0]!, /^centernet-human-\d+\.\d+\.\d+-[0-9a-f]{16}\.onnx$/);
  assert.equal(readdirSync(cacheDir).length, 1, 'no temp file left behind');

  const second = await DetectorPointer.load({ cacheDir });
  assert.equal(second.model.origin, 'cache');
  assert.match(second.loadSummary(), /cached ONNX .*centernet-human/);

  writeFileSync(join(cacheDir, files[0]!), 'not a model');
  const third = await DetectorPointer.load({ cacheDir });
  assert.equal(third.model.origin, 'converted');
  assert.match(third.model.note ?? '', /replaced a cached model that did not load/);
  assert.ok(readFileSync(join(cacheDir, files[0]!)).byteLength > 1_000_000, 'the cache holds the model again');
});

test('the default cache is outside the repository: $MOLMO_WAYPOINTS_CACHE, else XDG, else ~/.cache', () => {
  assert.equal(defaultCacheDir({ MOLMO_WAYPOINTS_CACHE: '/c' }), '/c');
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x' }), '/x/molmo-waypoints');
  assert.match(defaultCacheDir({}), /\.cache\/molmo-waypoints$/);
});

test('the demo frame: "the chair" is one point at its box centre with the box and score; "all chairs" finds the one there', async () => {
  const pointer = await DetectorPointer.load({ cacheDir });
  const r = await pointer.point(frame(0), 'the chair');
  assert.equal(r.points.length, 1, r.rawText);
  const p = r.points[0]!;
  assert.equal(p.label, 'chair');
  assert.ok(p.box && p.score !== undefined);
  // The chair (rocking chair, hand-checked outline u 335..612, v 105..385 in color_00000.jpg): the box lies on it.
  assert.ok(p.box.u0 > 300 && p.box.u1 < 630 && p.box.v0 > 100 && p.box.v1 < 400, JSON.stringify(p.box));
  assert.ok(p.score > 0.4 && p.score < 0.7, `score ${p.score}`);
  assert.equal(p.u, (p.box.u0 + p.box.u1) / 2);
  assert.ok(r.timings.inference! > 0 && r.timings.total! >= r.timings.inference!);
  assert.match(r.rawText, /"class":"chair"/);
  assert.equal((await pointer.point(frame(0), 'all chairs')).points.length, 1);
});

test('a query no class matches, and a class not in the image, end with no points and a reason that says why', async () => {
  const pointer = await DetectorPointer.load({ cacheDir });
  const unknown = await pointer.point(frame(0), 'the screwdriver');
  assert.equal(unknown.points.length, 0);
  assert.match(unknown.reason ?? '', /knows only COCO's 80 classes.*none matches 'the screwdriver'.*MOLMO_URL/s);
  const absent = await pointer.point(frame(0), 'the red mug');
  assert.equal(absent.points.length, 0);
  assert.match(absent.reason ?? '', /found no cup scoring 0\.3 or more \(it saw: chair 0\.\d\d/);
});

test('an undecodable image is a bad_image PointingError; a cancelled request is cancelled', async () => {
  const pointer = await DetectorPointer.load({ cacheDir });
  await assert.rejects(pointer.point({ kind: 'compressed', format: 'jpeg', data: new Uint8Array([1, 2, 3]) }, 'the chair'), (e: unknown) => e instanceof PointingError && e.kind === 'bad_image');
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(pointer.point(frame(0), 'the chair', { signal: controller.signal }), (e: unknown) => e instanceof PointingError && e.kind === 'cancelled');
});
