// Fuzz: random and mutated answers never make the parser throw, produce NaN or leave the image; and any
// prefix of a valid answer (what max_tokens does) yields a prefix of its points, never a half or wrong point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMolmo, type MolmoFamily, type ParsedAnswer } from '../../src/pointing/parse.js';
import { mulberry32, pick, randInt } from '../helpers/prng.js';

const SEED = 20240917;

function assertSane(r: ParsedAnswer, width: number, height: number, context: string): void {
  assert.ok(Array.isArray(r.points), context);
  for (const p of r.points) {
    assert.ok(Number.isFinite(p.u) && Number.isFinite(p.v), `${context}: non-finite point`);
    assert.ok(p.u >= 0 && p.u <= width - 1 && p.v >= 0 && p.v <= height - 1, `${context}: (${p.u}, ${p.v}) outside ${width}x${height}`);
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

function validV1(rand: () => number): string {
  const n = randInt(rand, 1, 12);
  const attrs = Array.from({ length: n }, (_, i) => `x${i + 1}="${(rand() * 100).toFixed(1)}" y${i + 1}="${(rand() * 100).toFixed(1)}"`);
  const label = pick(rand, ['mug', 'red mug', 'caf\u00E9 cup', '\u8D64\u3044\u30DE\u30B0', 'door handle']);
  const tag = n === 1 && rand() < 0.5
    ? `<point ${attrs[0]!.replace(/1=/g, '=')} alt="${label}">${label}</point>`
    : `<points ${attrs.join(' ')} alt="${label}">${label}</points>`;
  return pick(rand, [tag, ` ${tag}`, `Counting the ${tag} shows a total of ${n}.`, `Here: ${tag} and more.`]);
}

function validV2(rand: () => number): string {
  const groups = Array.from({ length: randInt(rand, 1, 3) }, (_, g) => {
    const triplets = Array.from({ length: randInt(rand, 1, 10) }, (_, i) => {
      const x = randInt(rand, 0, 1000);
      const y = randInt(rand, 0, 1000);
      const pad = (v: number) => (rand() < 0.8 ? String(v).padStart(3, '0') : String(v));
      return `${i + 1} ${pad(x)} ${pad(y)}`;
    });
    return `${g + 1} ${triplets.join(' ')}`;
  });
  const label = pick(rand, ['mug', 'apples', 'caf\u00E9 cup', 'chair']);
  const coords = `coords="${groups.join(pick(rand, [';', '\t']))}"`;
  const tag = rand() < 0.5 ? `<points ${coords} alt="${label}">${label}</points>` : `<points alt="${label}" ${coords}>${label}</points>`;
  return pick(rand, [tag, ` ${tag}`, `There are 4 ${tag}.`, `Counting the ${tag} shows a total of 2.`]);
}

const ALPHABET = ['<', '>', '/', '"', "'", '=', ' ', '\t', ';', '.', '\u201C', '\u201D', '&', '#', 'point', 'points', 'x', 'y', 'x1', 'y2', 'alt', 'coords', '0', '1', '5', '9', '100', '1000', '-', 'e', '\u00E9', '\u{1F600}', '\n', 'There are none', 'total of', '&amp;', '&#x41;'];

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

test('fuzz: random and mutated answers are always sane', () => {
  const rand = mulberry32(SEED);
  let withPoints = 0;
  for (let i = 0; i < 6000; i++) {
    const family: MolmoFamily = i % 2 === 0 ? 'molmo' : 'molmo2';
    const base = rand() < 0.3 ? randomText(rand) : family === 'molmo' ? validV1(rand) : validV2(rand);
    const text = rand() < 0.8 ? mutate(base, rand) : base;
    const [width, height] = randomSize(rand);
    for (const f of ['molmo', 'molmo2'] as const) {
      const r = parseMolmo(text, { family: f, width, height });
      assertSane(r, width, height, `seed ${SEED} case ${i} ${f} ${JSON.stringify(text)}`);
      if (r.points.length > 0) withPoints++;
    }
  }
  // The mutations must leave plenty of parseable answers, or this test proves little.
  assert.ok(withPoints > 2000, `only ${withPoints} answers had points`);
});

test('fuzz: every prefix of a valid answer yields a prefix of its points', () => {
  const rand = mulberry32(SEED + 1);
  for (let i = 0; i < 60; i++) {
    const family: MolmoFamily = i % 2 === 0 ? 'molmo' : 'molmo2';
    const text = family === 'molmo' ? validV1(rand) : validV2(rand);
    const opts = { family, width: 1280, height: 720 };
    const full = parseMolmo(text, opts);
    assert.ok(full.points.length > 0 && !full.truncated, text);
    for (let cut = 0; cut < text.length; cut++) {
      const prefix = text.slice(0, cut);
      const r = parseMolmo(prefix, opts);
      assertSane(r, 1280, 720, prefix);
      const expected = full.points.slice(0, r.points.length).map((p) => [p.u, p.v, p.id, p.image]);
      assert.deepEqual(r.points.map((p) => [p.u, p.v, p.id, p.image]), expected, `prefix ${JSON.stringify(prefix)}`);
      // Cut inside a tag: it must say so.
      const lastOpen = prefix.lastIndexOf('<point');
      if (lastOpen >= 0 && prefix.indexOf('</point', lastOpen) < 0) assert.equal(r.truncated, true, prefix);
    }
  }
});
