import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClickPointer } from '../../src/pointing/click-pointer.js';
import { PointingError } from '../../src/pointing/types.js';
import type { ColorImage } from '../../src/geometry/types.js';

const IMAGE: ColorImage = { kind: 'raw', encoding: 'rgb8', width: 4, height: 4, step: 12, isBigEndian: false, data: new Uint8Array(48) };

test('ClickPointer returns its pixels unchanged, labelled by their own label or the query', async () => {
  const pointer = new ClickPointer([{ u: 1.5, v: 2 }, { u: 3, v: 0, label: 'handle' }, { u: 10, v: -1 }]);
  const r = await pointer.point(IMAGE, ' mug ');
  assert.deepEqual(r.points, [
    { u: 1.5, v: 2, label: 'mug', alt: null, image: 1, id: 1 },
    { u: 3, v: 0, label: 'handle', alt: null, image: 1, id: 2 },
    { u: 10, v: -1, label: 'mug', alt: null, image: 1, id: 3 },
  ]);
  assert.deepEqual([r.none, r.truncated, r.count, r.model], [false, false, null, 'click']);
  assert.equal((await pointer.point(IMAGE, '')).points[0]?.label, 'click');
});

test('ClickPointer with no pixels says none; a cancelled signal rejects as cancelled', async () => {
  assert.equal((await new ClickPointer([]).point(IMAGE, 'x')).none, true);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(new ClickPointer([{ u: 1, v: 1 }]).point(IMAGE, 'x', { signal: ac.signal }), (e: unknown) => e instanceof PointingError && e.kind === 'cancelled');
});

test('ClickPointer rejects non-finite pixels at construction', () => {
  assert.throws(() => new ClickPointer([{ u: NaN, v: 1 }]), /click pixel 0 has a non-finite coordinate/);
  assert.throws(() => new ClickPointer([{ u: 1, v: 1 }, { u: 1, v: Infinity }]), /click pixel 1/);
});

test('ClickPointer labels are cleaned like a model\'s: one line, no bidi controls, at most 64 characters', async () => {
  const pointer = new ClickPointer([{ u: 1, v: 1, label: 'left\n\u202Ehandle' }, { u: 2, v: 2 }]);
  const r = await pointer.point(IMAGE, `the ${'very '.repeat(40)}long query`);
  assert.equal(r.points[0]!.label, 'left handle');
  assert.equal(Array.from(r.points[1]!.label).length, 64);
  assert.ok(r.points[1]!.label.startsWith('the very very') && r.points[1]!.label.endsWith('…'));
});
