// Parser tests written from the documented grammar (notes/molmo.md): constructed answers, not copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMolmo, type ParseOptions } from '../../src/pointing/parse.js';

const V1: ParseOptions = { family: 'molmo', width: 640, height: 480 };
const V2: ParseOptions = { family: 'molmo2', width: 1000, height: 500 };
// Expected pixels follow u = x/100·W − 0.5 (v1) or x/1000·W − 0.5 (v2), v likewise with H: the fractions are
// measured from the image's corner, integers are pixel centres; results clamp to [0, W−1] × [0, H−1].

function uv(text: string, opts: ParseOptions): [number, number][] {
  return parseMolmo(text, opts).points.map((p) => [p.u, p.v]);
}

test('v1: one point with a leading space, percent of the original size', () => {
  const r = parseMolmo(' <point x="12.5" y="40.0" alt="red mug">red mug</point>', V1);
  assert.deepEqual(r.points, [{ u: 79.5, v: 191.5, label: 'red mug', alt: 'red mug', image: 1, id: 1 }]);
  assert.deepEqual([r.count, r.none, r.truncated], [null, false, false]);
});

test('v1: several points in one tag pair xN with yN', () => {
  const r = parseMolmo('<points x1="10.0" y1="20.0" x2="50.5" y2="60.0" alt="mugs">mugs</points>', V1);
  assert.deepEqual(r.points.map((p) => [p.u, p.v, p.id, p.label]), [
    [63.5, 95.5, 1, 'mugs'],
    [322.7, 287.5, 2, 'mugs'],
  ]);
});

test('v1: attributes in any order, y before x, alt first', () => {
  assert.deepEqual(uv('<points alt="a" y2="50" x1="25" x2="75" y1="25">a</points>', V1), [[159.5, 119.5], [479.5, 239.5]]);
});

test('v1: inline tags in prose, each with its own label, ids in order', () => {
  const text = 'The <point x="10" y="10" alt="cup">cup</point> is left of the <point x="90" y="10" alt="plate">plate</point>.';
  const r = parseMolmo(text, V1);
  assert.deepEqual(r.points.map((p) => [p.label, p.id]), [['cup', 1], ['plate', 2]]);
  assert.equal(r.none, false);
});

test('v1: counting sentence reports the stated count and the points found', () => {
  const r = parseMolmo('Counting the <points x1="1" y1="2" x2="3" y2="4" alt="apples">apples</points> shows a total of 5.', V1);
  assert.equal(r.count, 5);
  assert.equal(r.points.length, 2);
  assert.equal(parseMolmo('Counting the apples shows a total of three.', V1).count, 3);
});

test('"There are none." and "This isn\'t in the image." mean none', () => {
  for (const text of ['There are none.', "This isn't in the image.", 'This isn\u2019t in the image.', 'The dragon is not in the image.']) {
    for (const opts of [V1, V2]) {
      const r = parseMolmo(text, opts);
      assert.deepEqual([r.points, r.none, r.truncated], [[], true, false], text);
    }
  }
  const zero = parseMolmo('Counting the apples shows a total of 0.', V1);
  assert.deepEqual([zero.count, zero.none], [0, true]);
  assert.equal(parseMolmo('I see a kitchen.', V1).none, false);
});

test('v1: a truncated last tag drops the half point and says so', () => {
  for (const tail of ['', ' x2="30"', ' x2="30" y2="4', ' x2="30', ' x2=', ' x']) {
    const r = parseMolmo(`<points x1="10" y1="20"${tail}`, V1);
    assert.deepEqual(uv(`<points x1="10" y1="20"${tail}`, V1), [[63.5, 95.5]], tail);
    assert.equal(r.truncated, true, tail);
  }
  const cutLabel = parseMolmo('<point x="50" y="50" alt="coffee mug">coff', V1);
  assert.deepEqual([cutLabel.points.length, cutLabel.points[0]?.label, cutLabel.truncated], [1, 'coffee mug', true]);
  const cutClose = parseMolmo('<point x="50" y="50" alt="mug">mug</poi', V1);
  assert.deepEqual([cutClose.points[0]?.label, cutClose.truncated], ['mug', true]);
  for (const tail of ['<', '<p', '<poin', '<point', '<points']) {
    const r = parseMolmo(`Counting the ${tail}`, V1);
    assert.deepEqual([r.points, r.truncated], [[], true], tail);
  }
  assert.equal(parseMolmo('<point x="1" y="1" alt="a">a</point>', V1).truncated, false);
  assert.equal(parseMolmo('3 < 4 and 5 > 2', V1).truncated, false);
});

test('v1: values above 100 are dropped; 100 % clamps to the last pixel centre; 0 clamps to the first pixel centre 0', () => {
  assert.deepEqual(uv('<points x1="100.5" y1="10" x2="10" y2="101" x3="100" y3="100" x4="0" y4="0">p</points>', V1), [
    [639, 479],
    [0, 0],
  ]);
  // Within half a pixel of an edge also clamps (99.95 % → 639.18, 479.26; 0.05 % → −0.18, −0.26); just inside does not.
  assert.deepEqual(uv('<point x="99.95" y="99.95">p</point>', V1), [[639, 479]]);
  assert.deepEqual(uv('<point x="0.05" y="0.05">p</point>', V1), [[0, 0]]);
  assert.deepEqual(uv('<point x="99.5" y="0.25">p</point>', V1), [[636.3, 0.7]]);
});

test('v1: bad numbers are dropped, never NaN', () => {
  assert.deepEqual(uv('<points x1="-5" y1="10" x2="abc" y2="1" x3="1e1" y3="2" x4="" y4="3" x5="12." y5=".5">p</points>', V1), [
    [76.3, 1.9],
  ]);
});

test('v1: non-ASCII labels, typographic quotes, entities, self-closing and unquoted values', () => {
  const r = parseMolmo('<point x=\u201C25\u201D y=\u201C50\u201D alt=\u201Ctasse \u00E0 caf\u00E9\u201D>tasse \u00E0 caf\u00E9</point>', V1);
  assert.deepEqual(r.points.map((p) => [p.u, p.v, p.label, p.alt]), [[159.5, 239.5, 'tasse \u00E0 caf\u00E9', 'tasse \u00E0 caf\u00E9']]);
  assert.equal(parseMolmo('<point x="1" y="1" alt="\u8D64\u3044\u30DE\u30B0">\u8D64\u3044\u30DE\u30B0</point>', V1).points[0]?.label, '\u8D64\u3044\u30DE\u30B0');
  assert.equal(parseMolmo('<point x="1" y="1" alt="mug &amp; saucer">mug &amp; saucer</point>', V1).points[0]?.label, 'mug & saucer');
  assert.deepEqual(parseMolmo('<point x="50" y="50" alt="knob"/>', V1).points.map((p) => p.label), ['knob']);
  assert.deepEqual(uv("<point x=50 y='25' alt=mug>mug</point>", V1), [[319.5, 119.5]]);
});

test('family comes from configuration: the other grammar yields nothing', () => {
  assert.deepEqual(parseMolmo('<points coords="1 1 500 500">mug</points>', V1).points, []);
  assert.deepEqual(parseMolmo('<point x="50" y="50" alt="mug">mug</point>', V2).points, []);
  // Qwen-style per-mille numbers in v1 syntax are not rescaled, just rejected as > 100.
  assert.deepEqual(parseMolmo('<points x1="500" y1="500" alt="mug">mug</points>', V1).points, []);
});

test('v2: one point in the plural tag, per-mille of the original size', () => {
  const r = parseMolmo(' <points coords="1 1 125 400">red mug</points>', V2);
  assert.deepEqual(r.points, [{ u: 124.5, v: 199.5, label: 'red mug', alt: null, image: 1, id: 1 }]);
  assert.equal(r.truncated, false);
});

test('v2: several points keep their object ids', () => {
  assert.deepEqual(
    parseMolmo('<points coords="1 1 125 400 2 701 333 7 010 090" alt="mug">mug</points>', V2).points.map((p) => [p.id, p.u, p.v]),
    [[1, 124.5, 199.5], [2, 700.5, 166], [7, 9.5, 44.5]],
  );
});

test('v2: image groups separated by ";" or TAB', () => {
  for (const sep of [';', '\t', '; ']) {
    const r = parseMolmo(`<points coords="1 1 100 100 2 200 200${sep}2 1 300 300">cups</points>`, V2);
    assert.deepEqual(r.points.map((p) => [p.image, p.id, p.u]), [[1, 1, 99.5], [1, 2, 199.5], [2, 1, 299.5]], JSON.stringify(sep));
  }
});

test('v2: video groups start with a timestamp: the group ordinal is the image', () => {
  const r = parseMolmo('<points coords="0.5 1 100 100;1.5 1 200 200">ball</points>', V2);
  assert.deepEqual(r.points.map((p) => [p.image, p.u]), [[1, 99.5], [2, 199.5]]);
});

test('v2: alt before or after coords', () => {
  for (const text of ['<points alt="mug" coords="1 1 500 500">mug</points>', '<points coords="1 1 500 500" alt="mug">mug</points>']) {
    const r = parseMolmo(text, V2);
    assert.deepEqual(r.points.map((p) => [p.u, p.v, p.alt]), [[499.5, 249.5, 'mug']]);
  }
});

test('v2: unpadded per-mille numbers are accepted; > 1000 dropped; 1000 clamps to the last pixel centre', () => {
  assert.deepEqual(uv('<points coords="1 1 5 50 2 1001 10 3 1000 1000">x</points>', V2), [[4.5, 24.5], [999, 499]]);
});

test('v2: a truncated coords list drops the unfinished triplet and number', () => {
  const cases: [string, number][] = [
    ['<points coords="1 1 125 400 2 701 33', 1],
    ['<points coords="1 1 125 400 2 701 ', 1],
    ['<points coords="1 1 125 400 2', 1],
    ['<points coords="1 1 125 40', 0],
    ['<points coords="1 1 125 400 2 701 333"', 2],
    ['<points coords="1 1 125 400 2 701 333">mu', 2],
  ];
  for (const [text, n] of cases) {
    const r = parseMolmo(text, V2);
    assert.deepEqual([r.points.length, r.truncated], [n, true], text);
  }
});

test('v2: counting sentences in both forms', () => {
  const a = parseMolmo('There are 3 <points coords="1 1 100 100 2 200 200 3 300 300">mugs</points>.', V2);
  assert.deepEqual([a.count, a.points.length, a.none], [3, 3, false]);
  const b = parseMolmo('Counting the <points coords="1 1 100 100">mugs</points> shows a total of 4.', V2);
  assert.deepEqual([b.count, b.points.length], [4, 1]);
  assert.equal(parseMolmo('There are 99999999999999999999 mugs.', V2).count, null);
});

test('v2: points from several tags keep their own labels', () => {
  const r = parseMolmo('A <points coords="1 1 100 100">fork</points> and a <points coords="1 1 900 900">knife</points>.', V2);
  assert.deepEqual(r.points.map((p) => p.label), ['fork', 'knife']);
});

test('an invalid image size gives no points (but still the count and none)', () => {
  for (const [width, height] of [[0, 480], [640, -1], [NaN, 480], [Infinity, 480]]) {
    const r = parseMolmo('There are 2 <point x="10" y="10">a</point>', { family: 'molmo', width: width!, height: height! });
    assert.deepEqual([r.points, r.count], [[], 2]);
  }
  const tiny = parseMolmo('<point x="100" y="100">a</point>', { family: 'molmo', width: 1, height: 1 });
  assert.deepEqual(uv('<point x="100" y="100">a</point>', { family: 'molmo', width: 1, height: 1 }), [[0, 0]]);
  assert.equal(tiny.points.length, 1);
});

test('non-strings and empty text parse to nothing', () => {
  for (const value of ['', undefined, null, 42]) {
    const r = parseMolmo(value as unknown as string, V1);
    assert.deepEqual(r, { points: [], count: null, none: false, truncated: false });
  }
});

test('labels are one short line: no controls, newlines, bidi overrides or padding, at most 64 characters', () => {
  // A prompt-injected answer that tries to write the dispatch confirmation itself: fake coordinates, a
  // newline, a right-to-left override and 300 spaces before the rest.
  const spoof = '<point x="50" y="50" alt="mug">mug\u201D at (0.412, -0.100, 0.050) in base_link to the robot?&#10;&#x202E;' + ' '.repeat(300) + '\u201Cx</point>';
  const label = parseMolmo(spoof, V1).points[0]!.label;
  assert.equal(label, 'mug\u201D at (0.412, -0.100, 0.050) in base_link to the robot? \u201Cx');
  assert.doesNotMatch(label, /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]|\s{2}/);
  const clean = (inner: string, alt = 'x') => parseMolmo(`<point x="1" y="1" alt="${alt}">${inner}</point>`, V1).points[0]!;
  assert.equal(clean('red&#9;\n  mug&#x7;&#x85;').label, 'red mug');
  assert.equal(clean('\u2066cup\u2069 &#x200F;left\u202D').label, 'cup left');
  // Only invisible characters: the alt (cleaned the same way) stands in.
  assert.deepEqual([clean('&#x202E;&#10;', 'a\u202Eb').label, clean('&#x202E;', 'a\u202Eb').alt], ['ab', 'ab']);
  // Short labels with non-ASCII text are untouched; a long one is cut on a code point, not inside a pair.
  assert.equal(clean('tasse \u00E0 caf\u00E9').label, 'tasse \u00E0 caf\u00E9');
  const long = clean('\u{1F375}'.repeat(80)).label;
  assert.equal(long, `${'\u{1F375}'.repeat(63)}…`);
  assert.equal(parseMolmo('<points coords="1 1 500 500">mug\n\n\u202Efake</points>', V2).points[0]!.label, 'mug fake');
});
