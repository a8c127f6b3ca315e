// The ONNX backend with the generated test models (scripts/make-onnx-models.ts), one per output kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColorImage } from '../../src/geometry/types.js';
import { OnnxPointer } from '../../src/pointing/onnx-pointer.js';
import { OnnxManifestError, parseManifest } from '../../src/pointing/onnx/manifest.js';
import { matchClass } from '../../src/pointing/onnx/decode.js';
import { inputGeometry, toOriginal } from '../../src/pointing/onnx/preprocess.js';
import { parseClassNames, readOnnxMetadata } from '../../src/pointing/onnx/metadata.js';
import { PointingError } from '../../src/pointing/types.js';
import { buildModels, MANIFESTS } from '../../scripts/make-onnx-models.js';

const FIXTURES = 'test/fixtures/onnx';
const model = (name: string) => join(FIXTURES, `${name}.onnx`);

function uniform(width: number, height: number, rgb: [number, number, number], encoding: 'rgb8' | 'bgr8' = 'rgb8'): ColorImage {
  const data = new Uint8Array(width * height * 3);
  const px = encoding === 'rgb8' ? rgb : [rgb[2], rgb[1], rgb[0]];
  for (let i = 0; i < width * height; i++) data.set(px, i * 3);
  return { kind: 'raw', encoding, width, height, step: width * 3, isBigEndian: false, data };
}

test('the committed test models are exactly what the script generates', () => {
  for (const [name, bytes] of Object.entries(buildModels())) {
    assert.ok(Buffer.from(bytes).equals(readFileSync(model(name))), `${name}.onnx is stale: run node --import tsx scripts/make-onnx-models.ts`);
    assert.deepEqual(JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')), MANIFESTS[name]);
  }
});

test('points model: RGB order, NCHW layout and /255 normalisation reach the model; scores rank and filter', async () => {
  const pointer = await OnnxPointer.load(model('points'));
  // mean R = 51/255 = 0.2, mean G = 204/255 = 0.8, mean B = 230/255 ≈ 0.902 (the first point's score).
  // Normalised (0.2, 0.8) of the 40×20 image is continuous (8, 16) from its corner, pixel centre (7.5, 15.5);
  // the fixed (0.25, 0.75) is (10, 15), pixel centre (9.5, 14.5).
  for (const encoding of ['rgb8', 'bgr8'] as const) {
    const r = await pointer.point(uniform(40, 20, [51, 204, 230], encoding), 'mug');
    assert.equal(r.points.length, 2);
    assert.ok(Math.abs(r.points[0]!.u - 7.5) < 1e-4 && Math.abs(r.points[0]!.v - 15.5) < 1e-4, JSON.stringify(r.points[0]));
    assert.deepEqual([r.points[1]!.u, r.points[1]!.v, r.points[1]!.label, r.points[1]!.id], [9.5, 14.5, 'mug', 2]);
    assert.equal(r.model, 'test-points');
    assert.match(r.rawText, /"score":0.902/);
    assert.ok(r.timings.inference! >= 0 && r.timings.total! >= r.timings.inference!);
  }
  // Dark blue: the first point scores 0.1 and falls under minScore 0.3.
  const strict = await OnnxPointer.load(model('points'), { ...MANIFESTS.points, output: { kind: 'points', name: 'points', scores: 'scores', minScore: 0.3 } });
  const r = await strict.point(uniform(40, 20, [51, 204, 25]), 'mug');
  assert.deepEqual(r.points.map((p) => [p.u, p.v]), [[9.5, 14.5]]);
  // mean/std are applied: std 0.5 doubles the values, (0.4, 1.6) leaves the image and is dropped.
  const std = await OnnxPointer.load(model('points'), { ...MANIFESTS.points, input: { ...(MANIFESTS.points as { input: object }).input, std: [0.5, 0.5, 0.5] } });
  assert.deepEqual((await std.point(uniform(40, 20, [51, 204, 230]), 'mug')).points.map((p) => [p.u, p.v]), [[9.5, 14.5]]);
});

test('heatmap model: NHWC + BGR input, the peak maps back to the original pixel grid', async () => {
  const pointer = await OnnxPointer.load(model('heatmap'));
  const width = 64;
  const height = 48;
  const img = uniform(width, height, [0, 0, 0]) as ColorImage & { kind: 'raw' };
  // A pure blue block exactly covering heatmap cell (5, 3): pixels x 20..23, y 9..11.
  for (let y = 9; y <= 11; y++) for (let x = 20; x <= 23; x++) img.data[(y * width + x) * 3 + 2] = 255;
  const r = await pointer.point(img, 'blue thing');
  assert.equal(r.points.length, 1);
  // Cell centre (5.5/16, 3.5/16) of the image = continuous (22, 10.5) from its corner = pixel centre (21.5, 10):
  // the block's centre (the mean of pixels 20..23 and 9..11).
  assert.ok(Math.abs(r.points[0]!.u - 21.5) < 0.05 && Math.abs(r.points[0]!.v - 10) < 0.05, JSON.stringify(r.points[0]));
  assert.equal(r.points[0]!.label, 'blue thing');
  // Red is channel 2 in BGR: the heatmap (channel 0) stays dark, under minScore 0.2.
  const red = await pointer.point(uniform(width, height, [255, 0, 0]), 'x');
  assert.deepEqual([red.points, red.none], [[], true]);
});

test('detections model: class from the metadata, letterbox mapped back, NMS, padding dropped', async () => {
  const pointer = await OnnxPointer.load(model('detections'));
  assert.deepEqual(pointer.classes, ['person', 'cup', 'chair']);
  // 64×32 into 32×32: scale 0.5, 8 px of padding above and below. Box centre (16, 16) of the input is continuous
  // (32, 16) of the image, pixel centre (31.5, 15.5); likewise (28, 20) → (55.5, 23.5) and (4, 12) → (7.5, 7.5).
  const img = uniform(64, 32, [90, 90, 90]);
  const cup = await pointer.point(img, 'the red cups');
  assert.deepEqual(cup.points.map((p) => [p.u, p.v, p.label]), [[31.5, 15.5, 'cup']]);
  assert.deepEqual((await pointer.point(img, 'person')).points.map((p) => [p.u, p.v]), [[55.5, 23.5]]);
  const chair = await pointer.point(img, 'chair');
  assert.deepEqual([chair.points, chair.none], [[], true]);
  const giraffe = await pointer.point(img, 'giraffe');
  assert.equal(giraffe.none, true);
  assert.match(giraffe.rawText, /no class of this model matches 'giraffe' \(classes: person, cup, chair\)/);
  const several = await OnnxPointer.load(model('detections'), { ...MANIFESTS.detections, output: { kind: 'detections', maxPoints: 5 } });
  // The second cup box overlaps the best one (IoU > 0.5) and is suppressed.
  assert.deepEqual((await several.point(img, 'cup')).points.map((p) => [p.u, p.v, p.id]), [[31.5, 15.5, 1], [7.5, 7.5, 2]]);
});

test('cancel and bad images are typed PointingErrors', async () => {
  const pointer = await OnnxPointer.load(model('points'));
  await assert.rejects(pointer.point(uniform(4, 4, [0, 0, 0]), 'x', { signal: AbortSignal.abort() }), (e: unknown) => e instanceof PointingError && e.kind === 'cancelled');
  const bad = { ...(uniform(4, 4, [0, 0, 0]) as ColorImage & { kind: 'raw' }), step: 2 };
  await assert.rejects(pointer.point(bad, 'x'), (e: unknown) => e instanceof PointingError && e.kind === 'bad_image' && /step 2/.test(e.message));
});

test('load errors name the file, the field or the mismatch', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'onnx-manifest-'));
  try {
    await assert.rejects(OnnxPointer.load(join(dir, 'missing.onnx'), MANIFESTS.points), /cannot read ONNX model .*missing\.onnx.*ENOENT/);
    await assert.rejects(OnnxPointer.load(join(dir, 'nothing.onnx')), (e: unknown) => e instanceof OnnxManifestError && /nothing\.json: cannot read the manifest \(ENOENT\)/.test(e.message));
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    await assert.rejects(OnnxPointer.load(model('points'), join(dir, 'bad.json')), /bad\.json: not valid JSON/);
    const base = MANIFESTS.points as { input: Record<string, unknown>; output: Record<string, unknown> };
    await assert.rejects(OnnxPointer.load(model('points'), { ...base, output: { ...base.output, name: 'logits' } }), /output 'logits' is not a model output \(outputs: points, scores\)/);
    await assert.rejects(OnnxPointer.load(model('points'), { ...base, input: { ...base.input, name: 'x' } }), /input.name 'x' is not a model input/);
    await assert.rejects(OnnxPointer.load(model('points'), { ...base, input: { ...base.input, layout: 'NHWC' } }), /has shape \[1,3,32,32\], the manifest describes \[1,32,32,3\]/);
    await assert.rejects(OnnxPointer.load(model('points'), { ...base, input: { ...base.input, dtype: 'uint8' } }), /is float32, the manifest says input.dtype uint8/);
    await assert.rejects(OnnxPointer.load(model('points'), { ...base, output: { kind: 'detections', name: 'points' } }), /detections need class names/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('manifest: defaults and field-naming errors', () => {
  const m = parseManifest({ input: { width: 8, height: 4 }, output: { kind: 'detections' } }, 'm.json');
  assert.deepEqual(
    [m.input.layout, m.input.colorOrder, m.input.dtype, m.input.resize, m.input.padValue, m.input.scale, m.output.minScore, m.output.maxPoints],
    ['NCHW', 'rgb', 'float32', 'letterbox', 114, 1 / 255, 0.25, 1],
  );
  assert.equal(parseManifest({ input: { width: 8, height: 4 }, output: { kind: 'points' } }, 'm').output.maxPoints, Infinity);
  const bad: [unknown, RegExp][] = [
    [null, /m.json: manifest must be an object/],
    [{ input: { width: 8, height: 4 }, output: { kind: 'boxes' } }, /output.kind must be/],
    [{ input: { width: 0, height: 4 }, output: { kind: 'points' } }, /input.width must be a positive integer/],
    [{ input: { width: 8, height: 4, layout: 'CHW' }, output: { kind: 'points' } }, /input.layout must be one of NCHW, NHWC/],
    [{ input: { width: 8, height: 4, std: [1, 0, 1] }, output: { kind: 'points' } }, /input.std must be three finite numbers \(non-zero\)/],
    [{ input: { width: 8, height: 4 }, output: { kind: 'points', minScore: 'high' } }, /output.minScore must be a finite number/],
  ];
  for (const [value, message] of bad) assert.throws(() => parseManifest(value, 'm.json'), (e: unknown) => e instanceof OnnxManifestError && message.test(e.message));
});

test('metadata: read from the protobuf; class names from Python repr, JSON object or list', () => {
  const meta = readOnnxMetadata(readFileSync(model('detections')));
  assert.equal(meta.names, "{0: 'person', 1: 'cup', 2: 'chair'}");
  assert.equal(meta.task, 'detect');
  assert.deepEqual(readOnnxMetadata(readFileSync(model('points'))), {});
  assert.deepEqual(readOnnxMetadata(new Uint8Array([0x72, 0xff])), {});
  assert.deepEqual(parseClassNames(`{0: 'person', 1: "kid's toy", 2: 'dining table'}`), ['person', "kid's toy", 'dining table']);
  assert.deepEqual(parseClassNames('{"1": "b", "0": "a"}'), ['a', 'b']);
  assert.deepEqual(parseClassNames('["a", "b"]'), ['a', 'b']);
  assert.deepEqual(parseClassNames(undefined), []);
});

test('query → class: whole words, plurals, the longest name wins', () => {
  const classes = ['person', 'cup', 'table', 'dining table', 'glass', 'apple'];
  assert.equal(matchClass('the red cup', classes), 1);
  assert.equal(matchClass('all cups.', classes), 1);
  assert.equal(matchClass('Dining Table', classes), 3);
  assert.equal(matchClass('glasses', classes), 4);
  assert.equal(matchClass('apples', classes), 5);
  assert.equal(matchClass('cupboard', classes), null);
  assert.equal(matchClass('', classes), null);
});

test('letterbox geometry maps input coordinates back, padding is outside', () => {
  const spec = parseManifest({ input: { width: 32, height: 32, resize: 'letterbox' }, output: { kind: 'points' } }, 'm').input;
  const g = inputGeometry(64, 32, spec);
  assert.deepEqual([g.sx, g.sy, g.padX, g.padY], [0.5, 0.5, 0, 8]);
  // Input (16, 16) is continuous (32, 16) from the image's corner: pixel centre (31.5, 15.5).
  assert.deepEqual(toOriginal(g, 16, 16), { u: 31.5, v: 15.5 });
  // The image's far corner (64, 32) clamps to the last pixel centre, its near corner (0, 0) to the first.
  assert.deepEqual(toOriginal(g, 32, 24), { u: 63, v: 31 });
  assert.deepEqual(toOriginal(g, 0, 8), { u: 0, v: 0 });
  assert.equal(toOriginal(g, 16, 4), null);
});
