// The detector's pure parts: decoding CenterNet's output and NMS on constructed tensors, the query vocabulary, and
// colour / ordering ranking on constructed images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCenternet, DetectionShapeError, iou, nonMaxSuppression, type Detection } from '../../src/pointing/detector/centernet-decode.js';
import { colourOf, colourShare, rankDetections, type RgbImage } from '../../src/pointing/detector/rank.js';
import { COCO_CLASSES, parseDetectorQuery, SYNONYMS, unknownQueryReason } from '../../src/pointing/detector/vocabulary.js';

const geometry = { inputWidth: 512, inputHeight: 512, width: 640, height: 480, minScore: 0.3, iouThreshold: 0.4 };

function rows(...r: number[][]): { data: Float32Array; dims: number[] } {
  return { data: Float32Array.from(r.flat()), dims: [1, r.length, 6] };
}

test('decode: input-pixel corners → original pixel-centre boxes (stretch), score filter, class kept', () => {
  const { data, dims } = rows([128, 256, 384, 512, 0.6, 56], [0, 0, 10, 10, 0.29, 0], [0, 0, 512, 512, 0.5, 41]);
  const out = decodeCenternet(data, dims, geometry);
  assert.equal(out.length, 2, 'the 0.29 box is below minScore');
  assert.deepEqual(out[0], { box: { u0: 159.5, v0: 239.5, u1: 479.5, v1: 479.5 }, score: Math.fround(0.6), classIndex: 56 });
  assert.deepEqual(out[1]!.box, { u0: -0.5, v0: -0.5, u1: 639.5, v1: 479.5 }, 'the whole input is the whole image, edges at ±0.5');
});

test('decode: degenerate, non-finite and out-of-image boxes are dropped or clipped; a wrong shape is a DetectionShapeError', () => {
  const { data, dims } = rows([100, 100, 100, 200, 0.9, 1], [NaN, 0, 10, 10, 0.9, 1], [-50, -50, 600, 700, 0.9, 2], [1, 1, 2, 2, 0.9, 1.5]);
  const out = decodeCenternet(data, dims, geometry);
  assert.equal(out.length, 1);
  assert.deepEqual(out[0]!.box, { u0: -0.5, v0: -0.5, u1: 639.5, v1: 479.5 });
  assert.throws(() => decodeCenternet(new Float32Array(10), [1, 2, 5], geometry), DetectionShapeError);
});

test('NMS is class-agnostic and greedy by score; IoU is exact', () => {
  const a: Detection = { box: { u0: 0, v0: 0, u1: 10, v1: 10 }, score: 0.9, classIndex: 56 };
  const b: Detection = { box: { u0: 5, v0: 0, u1: 15, v1: 10 }, score: 0.8, classIndex: 61 }; // IoU 50/150
  const c: Detection = { box: { u0: 2, v0: 0, u1: 12, v1: 10 }, score: 0.95, classIndex: 56 }; // IoU with a 80/120
  const d: Detection = { box: { u0: 100, v0: 100, u1: 110, v1: 110 }, score: 0.1, classIndex: 56 };
  assert.equal(iou(a.box, b.box), 1 / 3);
  assert.deepEqual(nonMaxSuppression([a, b, c, d], 0.4), [c, d], 'a overlaps c (0.67); b overlaps c (0.43) though of another class');
  assert.deepEqual(nonMaxSuppression([a, b, d], 0.4), [a, b, d], 'b overlaps a by only 0.33');
});

test('vocabulary: COCO names, synonyms, multi-word names, plurals, counts, colours and ordering words', () => {
  const q = (text: string) => {
    const p = parseDetectorQuery(text);
    return p && { class: p.className, count: p.count, colour: p.colour, ordering: p.ordering };
  };
  assert.deepEqual(q('the chair'), { class: 'chair', count: 1, colour: null, ordering: null });
  assert.deepEqual(q('The red mug!'), { class: 'cup', count: 1, colour: 'red', ordering: null });
  assert.deepEqual(q('all chairs'), { class: 'chair', count: null, colour: null, ordering: null });
  assert.deepEqual(q('every bottle'), { class: 'bottle', count: null, colour: null, ordering: null });
  assert.deepEqual(q('two cups'), { class: 'cup', count: 2, colour: null, ordering: null });
  assert.deepEqual(q('3 wine glasses'), { class: 'wine glass', count: 3, colour: null, ordering: null }, 'the longer name wins over "glass"');
  assert.deepEqual(q('the leftmost sofa'), { class: 'couch', count: 1, colour: null, ordering: 'left' });
  assert.deepEqual(q('the nearest table'), { class: 'dining table', count: 1, colour: null, ordering: 'nearest' });
  assert.deepEqual(q('my phone'), { class: 'cell phone', count: 1, colour: null, ordering: null });
  assert.deepEqual(q('the monitor on the right'), { class: 'tv', count: 1, colour: null, ordering: 'right' });
  assert.deepEqual(q('knives'), { class: 'knife', count: null, colour: null, ordering: null });
  assert.deepEqual(q('people'), { class: 'person', count: null, colour: null, ordering: null });
  assert.deepEqual(q('the gray teddy bear'), { class: 'teddy bear', count: 1, colour: 'grey', ordering: null });
  assert.equal(q('the screwdriver'), null);
  assert.equal(q('chairman'), null, 'whole words only');
  for (const target of Object.values(SYNONYMS)) assert.ok((COCO_CLASSES as readonly string[]).includes(target), `synonym target ${target} is a class`);
  const reason = unknownQueryReason('the screwdriver');
  assert.match(reason, /none matches 'the screwdriver'/);
  assert.match(reason, /toothbrush/);
  assert.match(reason, /MOLMO_URL/);
});

function image(width: number, height: number, fill: (u: number, v: number) => [number, number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let v = 0; v < height; v++) for (let u = 0; u < width; u++) data.set(fill(u, v), (v * width + u) * 3);
  return { data, width, height };
}

test('colour names of pixels', () => {
  const cases: [number[], string][] = [
    [[220, 30, 30], 'red'], [[240, 140, 20], 'orange'], [[230, 220, 40], 'yellow'], [[40, 180, 60], 'green'], [[30, 60, 200], 'blue'],
    [[140, 40, 200], 'purple'], [[250, 150, 200], 'pink'], [[120, 70, 30], 'brown'], [[10, 10, 10], 'black'], [[245, 245, 245], 'white'], [[128, 128, 128], 'grey'],
  ];
  for (const [[r, g, b], name] of cases) assert.equal(colourOf(r!, g!, b!), name, `${r},${g},${b}`);
});

test('colour ranking: "the red mug" puts the red box first whatever its score; ordering words sort by position', () => {
  // Left half blue, right half red, on a grey background outside the boxes.
  const img = image(200, 100, (u, v) => (v < 20 || v > 80 ? [128, 128, 128] : u < 100 ? [30, 60, 200] : [220, 30, 30]));
  const blue: Detection = { box: { u0: 10, v0: 20, u1: 90, v1: 80 }, score: 0.9, classIndex: 41 };
  const red: Detection = { box: { u0: 110, v0: 20, u1: 190, v1: 90 }, score: 0.5, classIndex: 41 };
  assert.equal(colourShare(img, red.box, 'red'), 1);
  assert.equal(colourShare(img, blue.box, 'red'), 0);
  assert.deepEqual(rankDetections([blue, red], img, 'red', null).map((d) => d.score), [0.5, 0.9]);
  assert.deepEqual(rankDetections([blue, red], img, null, null).map((d) => d.score), [0.9, 0.5], 'no colour word: by score');
  assert.deepEqual(rankDetections([blue, red], img, null, 'right').map((d) => d.score), [0.5, 0.9]);
  assert.deepEqual(rankDetections([red, blue], img, null, 'left').map((d) => d.score), [0.9, 0.5]);
  assert.deepEqual(rankDetections([blue, red], img, null, 'nearest').map((d) => d.score), [0.5, 0.9], 'the lower bottom edge first');
  assert.deepEqual(rankDetections([blue, red], img, 'green', null).map((d) => d.score), [0.9, 0.5], 'no box of that colour: by score');
});
