// Golden answers per family, constructed from each vendor's documented format (not copied answers), each mapped to
// exact pixels on our grid (integers = pixel centres; a fraction f of a side W is u = f·W − 0.5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAMILIES, FAMILY_NAMES, familyEntry, parseAnswer } from '../../src/pointing/families/index.js';
import { qwenSmartResize } from '../../src/pointing/families/qwen.js';
import { jsonItems } from '../../src/pointing/families/json-answer.js';

const HD = { width: 1280, height: 720 };
const uv = (r: { points: { u: number; v: number }[] }) => r.points.map((p) => [p.u, p.v]);

test('registry: every family has an entry with sources, a point prompt and a convention; unknown names list them all', () => {
  assert.deepEqual(Object.keys(FAMILIES).sort(), [...FAMILY_NAMES].sort());
  for (const name of FAMILY_NAMES) {
    const e = FAMILIES[name];
    assert.equal(e.name, name);
    assert.ok(e.sources.length > 0 && e.sources.every((s) => s.startsWith('https://')), name);
    assert.ok(e.prompts.point.length > 0, name);
    assert.ok(['chat', 'moondream'].includes(e.transport), name);
  }
  assert.throws(() => familyEntry('qwen'), /family must be one of molmo, molmo2, qwen2\.5-vl, .*florence2; got 'qwen'/);
});

test('qwen2.5-vl on a 1280×720 frame: sent as 1288×728 (multiples of 28), answer pixels of that image mapped back', () => {
  // smart_resize: round(720/28) = 26 → 728, round(1280/28) = 46 → 1288; area within [3136, 12845056].
  assert.deepEqual(qwenSmartResize(1280, 720), { width: 1288, height: 728 });
  const answer = '```json\n[\n  {"point_2d": [644, 364], "label": "red mug"},\n  {"bbox_2d": [322, 182, 966, 546], "label": "box"}\n]\n```';
  const r = parseAnswer('qwen2.5-vl', answer, HD);
  // 644/1288 = 0.5 → u = 0.5·1280 − 0.5 = 639.5; 364/728 = 0.5 → v = 359.5.
  assert.deepEqual(r.points[0], { u: 639.5, v: 359.5, label: 'red mug', alt: null, image: 1, id: 1 });
  // Box 322..966 × 182..546 of 1288×728 = 0.25..0.75 of each side: corners 319.5..959.5 × 179.5..539.5, point its centre.
  assert.deepEqual(r.points[1], { u: 639.5, v: 359.5, label: 'box', alt: null, image: 1, id: 2, box: { u0: 319.5, v0: 179.5, u1: 959.5, v1: 539.5 } });
  // With max_side the sent grid is the caller's: 640×360 → 644×364 here (the client passes it on).
  const small = parseAnswer('qwen2.5-vl', '[{"point_2d": [161, 91]}]', { ...HD, sentWidth: 644, sentHeight: 364 });
  assert.deepEqual(uv(small), [[319.5, 179.5]]);
  // Beyond the sent image: dropped, never clamped into a wrong place.
  assert.deepEqual(parseAnswer('qwen2.5-vl', '[{"point_2d": [1289, 10]}]', HD).points, []);
});

test('qwen smart_resize: Python rounding (halves to even), the pixel budget both ways', () => {
  assert.deepEqual(qwenSmartResize(70, 70), { width: 56, height: 56 }, '70/28 = 2.5 rounds to 2 as Python does');
  assert.deepEqual(qwenSmartResize(98, 98), { width: 112, height: 112 }, '3.5 rounds to 4');
  const big = qwenSmartResize(8000, 6000);
  assert.ok(big.width * big.height <= 12845056 && big.width % 28 === 0 && big.height % 28 === 0, JSON.stringify(big));
  const tiny = qwenSmartResize(20, 20);
  assert.ok(tiny.width * tiny.height >= 3136 && tiny.width % 28 === 0, JSON.stringify(tiny));
});

test('qwen3-vl: the same JSON on 0–1000 of the image; after prose; truncated JSON keeps the complete entries', () => {
  const r = parseAnswer('qwen3-vl', 'Sure! Here they are: [{"point_2d": [250, 500], "label": "cup"}, {"point_2d": [750, 10', HD);
  assert.deepEqual(uv(r), [[319.5, 359.5]]);
  assert.equal(r.truncated, true);
  assert.deepEqual(uv(parseAnswer('qwen3-vl', '{"bbox_2d": [0, 0, 1000, 1000], "label": "all"}', HD)), [[639.5, 359.5]]);
  assert.equal(parseAnswer('qwen3-vl', '```json\n[]\n```', HD).none, true);
  assert.equal(parseAnswer('qwen3-vl', 'The mug is not found in the image.', HD).none, true);
  assert.deepEqual(parseAnswer('qwen3-vl', '[{"point_2d": [1001, 5]}, {"point_2d": [-1, 5]}, {"point_2d": ["5", 5]}]', HD).points, []);
});

test('qwen2-vl: <|box_start|>(x1,y1),(x2,y2)<|box_end|> on 0–1000, labelled by the object_ref before it', () => {
  const r = parseAnswer('qwen2-vl', '<|object_ref_start|>the mug<|object_ref_end|><|box_start|>(100,200),(300,400)<|box_end|>', HD);
  // x 0.1..0.3 → 127.5..383.5, y 0.2..0.4 → 143.5..287.5; centre (0.2, 0.3) → 255.5, 215.5.
  assert.deepEqual(r.points, [{ u: 255.5, v: 215.5, label: 'the mug', alt: null, image: 1, id: 1, box: { u0: 127.5, v0: 143.5, u1: 383.5, v1: 287.5 } }]);
  // Special tokens stripped by the server: the bare pairs still read.
  assert.deepEqual(uv(parseAnswer('qwen2-vl', 'the mug(100,200),(300,400)', HD)), [[255.5, 215.5]]);
  assert.equal(parseAnswer('qwen2-vl', '<|box_start|>(100,200),(3', HD).truncated, true);
});

test('gemini-er: y first — [{"point": [y, x]}] and box_2d [ymin, xmin, ymax, xmax], 0–1000, fenced', () => {
  const answer = '```json\n[{"point": [250, 750], "label": "red mug"}, {"box_2d": [100, 200, 300, 400], "label": "plate"}]\n```';
  const r = parseAnswer('gemini-er', answer, HD);
  // point: y = 0.25 → v = 179.5, x = 0.75 → u = 959.5 (not 319.5, 539.5: the order matters).
  assert.deepEqual(r.points[0], { u: 959.5, v: 179.5, label: 'red mug', alt: null, image: 1, id: 1 });
  // box: x 0.2..0.4 → 255.5..511.5, y 0.1..0.3 → 71.5..215.5.
  assert.deepEqual(r.points[1]!.box, { u0: 255.5, v0: 71.5, u1: 511.5, v1: 215.5 });
  assert.deepEqual([r.points[1]!.u, r.points[1]!.v], [383.5, 143.5]);
  const cut = parseAnswer('gemini-er', '```json\n[{"point": [500, 500], "label": "a"}, {"point": [5', HD);
  assert.deepEqual([uv(cut), cut.truncated], [[[639.5, 359.5]], true]);
  assert.equal(parseAnswer('gemini-er', '```json\n[]\n```', HD).none, true);
});

test('moondream: {"points": [{x, y}]} on 0–1 of the image; /detect objects as boxes; a cut body keeps whole entries', () => {
  const r = parseAnswer('moondream', '{"request_id": "r1", "points": [{"x": 0.25, "y": 0.5}, {"x": 1, "y": 1}]}', HD);
  assert.deepEqual(uv(r), [[319.5, 359.5], [1279, 719]]);
  const box = parseAnswer('moondream', '{"objects": [{"x_min": 0.25, "y_min": 0.25, "x_max": 0.75, "y_max": 0.75}]}', HD);
  assert.deepEqual(box.points[0]!.box, { u0: 319.5, v0: 179.5, u1: 959.5, v1: 539.5 });
  const cut = parseAnswer('moondream', '{"request_id": "r1", "points": [{"x": 0.25, "y": 0.5}, {"x": 0.', HD);
  assert.deepEqual([uv(cut), cut.truncated], [[[319.5, 359.5]], true]);
  assert.equal(parseAnswer('moondream', '{"request_id": "r1", "points": []}', HD).none, true);
  assert.deepEqual(parseAnswer('moondream', '{"points": [{"x": 1.5, "y": 0.5}]}', HD).points, []);
});

test('robopoint: [(x, y), …] on 0–1 in prose', () => {
  const r = parseAnswer('robopoint', 'The free space is at [(0.25, 0.5), (0.75, 0.25)].', HD);
  assert.deepEqual(uv(r), [[319.5, 359.5], [959.5, 179.5]]);
  assert.equal(parseAnswer('robopoint', '[(0.25, 0.5), (0.7', HD).truncated, true);
  assert.deepEqual(parseAnswer('robopoint', '[(1.25, 0.5)]', HD).points, []);
  assert.equal(parseAnswer('robopoint', '[]', HD).none, true);
});

test('paligemma: y first loc tokens over 1024 bins; two tokens a point, four a box with its label', () => {
  const r = parseAnswer('paligemma', '<loc0256><loc0512><loc0768><loc0768> red mug ; <loc0512><loc0256> cup', HD);
  // box: y 256/1024 = 0.25 .. 0.75, x 0.5 .. 0.75 → u 639.5..959.5, v 179.5..539.5.
  assert.deepEqual(r.points[0], { u: 799.5, v: 359.5, label: 'red mug', alt: null, image: 1, id: 1, box: { u0: 639.5, v0: 179.5, u1: 959.5, v1: 539.5 } });
  // point <locY=512><locX=256>: v = 0.5·720 − 0.5, u = 0.25·1280 − 0.5.
  assert.deepEqual(r.points[1], { u: 319.5, v: 359.5, label: 'cup', alt: null, image: 1, id: 2 });
  // Two tokens at the very end could be half a box: dropped, truncated.
  const open = parseAnswer('paligemma', '<loc0256><loc0512>', HD);
  assert.deepEqual([open.points, open.truncated], [[], true]);
  assert.deepEqual(parseAnswer('paligemma', '<loc1024><loc0512> x', HD).points, [], 'beyond 1023 is no bin');
});

test('florence2: <loc_x1><loc_y1><loc_x2><loc_y2> after the phrase, 1000 bins decoded to their centres', () => {
  const r = parseAnswer('florence2', '</s><s>red mug<loc_249><loc_499><loc_749><loc_999></s>', HD);
  // (249 + 0.5)/1000 = 0.2495 → 0.2495·1280 − 0.5 = 318.86; (999 + 0.5)/1000·720 − 0.5 = 719.14.
  const box = r.points[0]!.box!;
  assert.equal(r.points[0]!.label, 'red mug');
  for (const [got, want] of [[box.u0, 318.86], [box.v0, 359.14], [box.u1, 958.86], [box.v1, 719.14]] as const) {
    assert.ok(Math.abs(got - want) < 1e-9, `${got} vs ${want}`);
  }
  assert.equal(parseAnswer('florence2', 'mug<loc_1><loc_2><loc_3>', HD).truncated, true);
});

test('molmo2 boxes: <boxes coords="image id x1 y1 x2 y2"> on 0–1000, the point at the centre', () => {
  const r = parseAnswer('molmo2', '<boxes coords="1 1 250 250 750 750">mug</boxes>', HD);
  assert.deepEqual(r.points, [{ u: 639.5, v: 359.5, label: 'mug', alt: null, image: 1, id: 1, box: { u0: 319.5, v0: 179.5, u1: 959.5, v1: 539.5 } }]);
  assert.deepEqual(parseAnswer('molmo', '<boxes coords="1 1 250 250 750 750">mug</boxes>', HD).points, [], 'v1 has no boxes');
});

test('json answers: fences, prose, several values, strings with brackets, a cut in the middle', () => {
  assert.deepEqual(jsonItems('a [1] b {"k": "x]}"} c [{"a": 1}, {"b": [2, {"c": 3}]}]').items, [{ k: 'x]}' }, { a: 1 }, { b: [2, { c: 3 }] }]);
  assert.deepEqual(jsonItems('[{"a": 1}, {"b": "\\"}"}, {"c": ').items, [{ a: 1 }, { b: '"}' }]);
  assert.equal(jsonItems('[{"a": 1}, {"b": ').truncated, true);
  assert.equal(jsonItems('[ ]').emptyList, true);
  assert.equal(jsonItems('[{"a": 1}]').emptyList, false);
});
