// The one fuzz test over every model family: random and mutated answers never make a parser throw, produce NaN or
// leave the image; and any prefix of a valid answer (what max_tokens does) yields a prefix of its points, never a
// half or wrong point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAMILY_NAMES, parseAnswer, type FamilyName, type ParsedAnswer } from '../../src/pointing/families/index.js';
import { validAnswer } from '../helpers/family-answers.js';
import { mulberry32, pick, randInt } from '../helpers/prng.js';

const SEED = 20240917;

function assertSane(r: ParsedAnswer, width: number, height: number, context: string): void {
  assert.ok(Array.isArray(r.points), context);
  for (const p of r.points) {
    assert.ok(Number.isFinite(p.u) && Number.isFinite(p.v), `${context}: non-finite point`);
    assert.ok(p.u >= 0 && p.u <= width - 1 && p.v >= 0 && p.v <= height - 1, `${context}: (${p.u}, ${p.v}) outside ${width}x${height}`);
    if (p.box) {
      const { u0, v0, u1, v1 } = p.box;
      assert.ok([u0, v0, u1, v1].every(Number.isFinite), `${context}: non-finite box`);
      assert.ok(u0 >= -0.5 && u0 <= u1 && u1 <= width - 0.5 && v0 >= -0.5 && v0 <= v1 && v1 <= height - 0.5, `${context}: box ${JSON.stringify(p.box)}`);
    }
    assert.ok(Number.isInteger(p.image) && p.image >= 1, `${context}: image ${p.image}`);
    assert.ok(Number.isInteger(p.id) && p.id >= 0, `${context}: id ${p.id}`);
    assert.equal(typeof p.label, 'string');
    assert.ok(p.alt === null || typeof p.alt === 'string');
  }
  assert.ok(r.count === null || (Number.isSafeInteger(r.count) && r.count >= 0), `${context}: count ${r.count}`);
  assert.equal(typeof r.none, 'boolean');
  assert.equal(typeof r.truncated, 'boolean');
  if (r.none) assert.equal(r.points.length, 0);
}

const ALPHABET = [
  '<', '>', '/', '"', "'", '=', ' ', '\t', ';', '.', ',', ':', '(', ')', '[', ']', '{', '}', '\u201C', '\u201D', '&', '#',
  'point', 'points', 'boxes', 'x', 'y', 'x1', 'y2', 'alt', 'coords', '"point_2d"', '"bbox_2d"', '"point"', '"box_2d"',
  '"points"', '"x"', '"label"', '```json', '<loc0500>', '<loc1023>', '<loc_500>', '<loc_999>', '<|box_start|>',
  '<|box_end|>', '<|object_ref_start|>', '0', '1', '5', '9', '0.5', '100', '1000', '1288', '-', 'e', '\u00E9', '\u{1F600}',
  '\n', 'There are none', 'not found', 'total of', '&amp;', '&#x41;', '\\',
];

function randomText(rand: () => number): string {
  let s = '';
  const n = randInt(rand, 0, 60);
  for (let i = 0; i < n; i++) s += pick(rand, ALPHABET);
  return s;
}

function mutate(text: string, rand: () => number): string {
  let s = text;
  for (let k = randInt(rand, 1, 4); k > 0; k--) {
    const at = randInt(rand, 0, s.length);
    const len = randInt(rand, 0, 6);
    switch (randInt(rand, 0, 4)) {
      case 0: s = s.slice(0, at) + s.slice(at + len); break; // delete
      case 1: s = s.slice(0, at) + pick(rand, ALPHABET) + s.slice(at); break; // insert
      case 2: s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at); break; // duplicate
      case 3: s = s.slice(0, at); break; // truncate
      default: s = s.slice(0, at) + String.fromCharCode(randInt(rand, 0, 0xffff)) + s.slice(at + 1); // replace
    }
  }
  return s;
}

function randomSize(rand: () => number): [number, number] {
  return pick(rand, [[1, 1], [2, 3], [640, 480], [1280, 720], [randInt(rand, 1, 4000), randInt(rand, 1, 4000)]] as [number, number][]);
}

test('fuzz: random and mutated answers of every family are always sane under every family', () => {
  const rand = mulberry32(SEED);
  const withPoints = new Map<FamilyName, number>(FAMILY_NAMES.map((f) => [f, 0]));
  for (let i = 0; i < 3000; i++) {
    const family = FAMILY_NAMES[i % FAMILY_NAMES.length]!;
    const base = rand() < 0.3 ? randomText(rand) : validAnswer(family, rand, randInt(rand, 1, 12));
    const text = rand() < 0.8 ? mutate(base, rand) : base;
    const [width, height] = randomSize(rand);
    for (const f of FAMILY_NAMES) {
      const r = parseAnswer(f, text, { width, height });
      assertSane(r, width, height, `seed ${SEED} case ${i} ${f} ${JSON.stringify(text)}`);
      if (f === family && r.points.length > 0) withPoints.set(f, withPoints.get(f)! + 1);
    }
  }
  // The mutations must leave plenty of parseable answers of each family, or this test proves little.
  for (const [f, n] of withPoints) assert.ok(n > 60, `only ${n} ${f} answers had points`);
});

const key = (p: ParsedAnswer['points'][number]) => [p.u, p.v, p.id, p.image, p.box ?? null];

test('fuzz: every prefix of a valid answer of every family yields a prefix of its points', () => {
  const rand = mulberry32(SEED + 1);
  for (const family of FAMILY_NAMES) {
    for (let i = 0; i < 8; i++) {
      const text = validAnswer(family, rand, randInt(rand, 1, 8));
      const grid = { width: 1280, height: 720 };
      const full = parseAnswer(family, text, grid);
      assert.ok(full.points.length > 0 && !full.truncated, `${family}: ${text}`);
      for (let cut = 0; cut < text.length; cut++) {
        const prefix = text.slice(0, cut);
        const r = parseAnswer(family, prefix, grid);
        assertSane(r, 1280, 720, `${family} ${prefix}`);
        assert.deepEqual(r.points.map(key), full.points.slice(0, r.points.length).map(key), `${family} prefix ${JSON.stringify(prefix)}`);
        // Cut inside a tag or inside the JSON list: it must say so.
        const lastOpen = prefix.lastIndexOf('<point');
        if (family.startsWith('molmo') && lastOpen >= 0 && prefix.indexOf('</point', lastOpen) < 0) assert.equal(r.truncated, true, prefix);
        const list = text.indexOf('[');
        if (['qwen2.5-vl', 'qwen3-vl', 'gemini-er', 'robopoint'].includes(family) && cut > list && cut <= text.lastIndexOf(']')) {
          assert.equal(r.truncated, true, `${family} ${prefix}`);
        }
      }
    }
  }
});
