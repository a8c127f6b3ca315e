// Parse time per answer for each model family (100 points each, generated from the documented formats by
// test/helpers/family-answers.ts), next to JSON.parse of the same text measured in the same run: of the text as a
// JSON string (the same characters scanned) and, for the JSON families, of the answer's JSON list itself.
//   npm run bench -- pointing     (also runs bench/pointing.bench.ts, the client's)
import { jsonItems } from '../src/pointing/families/json-answer.js';
import { FAMILY_NAMES, parseAnswer } from '../src/pointing/families/index.js';
import { validAnswer } from '../test/helpers/family-answers.js';
import { mulberry32 } from '../test/helpers/prng.js';
import { fmt, median } from './stats.js';

const POINTS = 100;
const BATCH = 200;
const ROUNDS = 15;
const GRID = { width: 1280, height: 720 };
const JSON_FAMILIES = new Set(['qwen2.5-vl', 'qwen3-vl', 'gemini-er', 'moondream']);

/** Microseconds per call of `fn`, one round of BATCH calls. */
function perCallUs(fn: () => unknown): number {
  const t0 = performance.now();
  for (let i = 0; i < BATCH; i++) fn();
  return ((performance.now() - t0) * 1000) / BATCH;
}

export default async function run(): Promise<void> {
  console.log(`parse one ${POINTS}-point answer, median of ${ROUNDS} alternating rounds of ${BATCH} calls (µs per answer)\n`);
  console.log('| family | chars | points | parse µs | JSON.parse of the text as a string µs | ratio | JSON.parse of its JSON µs | ratio |');
  console.log('|---|---|---|---|---|---|---|---|');
  const rand = mulberry32(20261202);
  for (const family of FAMILY_NAMES) {
    const text = validAnswer(family, rand, POINTS);
    const got = parseAnswer(family, text, GRID).points.length;
    if (got !== POINTS) throw new Error(`${family}: the generated answer parses to ${got} points, not ${POINTS}`);
    const asString = JSON.stringify(text);
    const start = text.search(/[[{]/);
    const json = JSON_FAMILIES.has(family) ? text.slice(start, text.lastIndexOf(family === 'moondream' ? '}' : ']') + 1) : null;
    if (json !== null) JSON.parse(json); // the slice is the answer's JSON (fails loudly otherwise)
    const parse: number[] = [];
    const str: number[] = [];
    const raw: number[] = [];
    for (let r = 0; r < ROUNDS + 2; r++) {
      const a = perCallUs(() => parseAnswer(family, text, GRID));
      const b = perCallUs(() => JSON.parse(asString));
      const c = json === null ? NaN : perCallUs(() => JSON.parse(json));
      if (r < 2) continue; // warm-up
      parse.push(a);
      str.push(b);
      raw.push(c);
    }
    const [p, s, j] = [median(parse), median(str), median(raw)];
    console.log(`| \`${family}\` | ${text.length} | ${got} | ${fmt(p, 1)} | ${fmt(s, 1)} | ${fmt(p / s, 1)}× | ${json === null ? '–' : fmt(j, 1)} | ${json === null ? '–' : `${fmt(p / j, 1)}×`} |`);
  }
  // The scanner alone, on the largest JSON answer: what finding the entries costs over JSON.parse.
  const big = validAnswer('qwen3-vl', mulberry32(7), POINTS);
  const list = big.slice(big.indexOf('['), big.lastIndexOf(']') + 1);
  const scan = median(Array.from({ length: ROUNDS }, () => perCallUs(() => jsonItems(big))));
  const plain = median(Array.from({ length: ROUNDS }, () => perCallUs(() => JSON.parse(list))));
  console.log(`\njson-answer scanner alone (qwen3-vl answer, ${big.length} chars): ${fmt(scan, 1)} µs vs JSON.parse ${fmt(plain, 1)} µs (${fmt(scan / plain, 1)}×)`);
}
