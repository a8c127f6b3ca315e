// The TF.js → ONNX converter, op by op: each small graph is converted, run by onnxruntime, and compared with TF's
// semantics computed here in NHWC (detector-graph-kit.ts), never through ONNX.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { halfToFloat, readTfjsGraph, TfjsModelError } from '../../src/pointing/detector/tfjs-graph.js';
import { tfjsToOnnx } from '../../src/pointing/detector/tfjs-to-onnx.js';
import { convRef, floatToHalf, GraphKit, ints, maxPoolRef, nhwc, resizeRef, s, strs, type Nhwc } from './detector-graph-kit.js';
import { mulberry32 } from '../helpers/prng.js';

const rand = mulberry32(7);
const randoms = (n: number, scale = 1) => Array.from({ length: n }, () => Math.round((rand() * 2 - 1) * 64 * scale) / 64); // exact in float16

async function run(kit: GraphKit, feeds: Record<string, Nhwc>): Promise<Record<string, { data: number[]; dims: readonly number[] }>> {
  const session = await ort.InferenceSession.create(kit.onnx());
  const inputs = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', Float32Array.from(v.data), v.shape)]));
  const out = await session.run(inputs);
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { data: Array.from(t.data as ArrayLike<number>, Number), dims: t.dims }]));
}

function close(actual: number[], expected: ArrayLike<number>, tol = 1e-4): void {
  assert.equal(actual.length, expected.length, 'element count');
  for (let i = 0; i < actual.length; i++) {
    if (Math.abs(actual[i]! - expected[i]!) > tol) assert.fail(`element ${i}: ${actual[i]} vs ${expected[i]} (tolerance ${tol})`);
  }
}

const conv = (op: string, extra: Record<string, unknown> = {}) => ({ strides: ints([1, 2, 2, 1]), padding: s('SAME'), data_format: s('NHWC'), dilations: ints([1, 1, 1, 1]), T: { type: 'DT_FLOAT' }, ...extra, _op: op });
const clean = (a: Record<string, unknown>) => Object.fromEntries(Object.entries(a).filter(([k]) => k !== '_op'));

test('_FusedConv2D (BiasAdd + Relu, SAME, stride 2, odd size) with float16 weights equals TF conv + bias + relu', async () => {
  const k = new GraphKit();
  const x = nhwc([1, 7, 9, 3], () => randoms(1)[0]!);
  const w = randoms(3 * 3 * 3 * 4);
  const bias = randoms(4);
  k.input('x', [1, 7, 9, 3]);
  k.floats('w', [3, 3, 3, 4], w, true);
  k.floats('b', [4], bias, true);
  k.op('_FusedConv2D', 'y', ['x', 'w', 'b'], clean({ ...conv('c'), fused_ops: strs(['BiasAdd', 'Relu']), num_args: { i: '1' } }));
  k.output('y');
  const { y } = await run(k, { x });
  const ref = convRef(x, w, [3, 3, 3, 4], 2, 'SAME', false);
  assert.deepEqual([...y!.dims], [1, 4, 5, 4], 'NHWC out, SAME = ceil(in / stride)');
  close(y!.data, Array.from(ref.data, (v, i) => Math.max(0, v + bias[i % 4]!)));
});

test('DepthwiseConv2dNative with channel multiplier 2 (VALID, stride 1) and Relu6 after it', async () => {
  const k = new GraphKit();
  const x = nhwc([1, 5, 6, 3], () => randoms(1, 4)[0]!);
  const w = randoms(3 * 3 * 3 * 2, 2);
  k.input('x', [1, 5, 6, 3]);
  k.floats('w', [3, 3, 3, 2], w);
  k.op('DepthwiseConv2dNative', 'd', ['x', 'w'], clean({ ...conv('d'), strides: ints([1, 1, 1, 1]), padding: s('VALID') }));
  k.op('Relu6', 'y', ['d'], {});
  k.output('y');
  const { y } = await run(k, { x });
  const ref = convRef(x, w, [3, 3, 3, 2], 1, 'VALID', true);
  assert.deepEqual([...y!.dims], [1, 3, 4, 6]);
  close(y!.data, Array.from(ref.data, (v) => Math.min(6, Math.max(0, v))));
});

test('FusedDepthwiseConv2dNative (BiasAdd + Relu) then squeeze-excite: Mean(keep_dims) · Sigmoid, Mul/Add/Sub with scalar and per-channel constants', async () => {
  const k = new GraphKit();
  const x = nhwc([1, 4, 4, 2], () => randoms(1)[0]!);
  const w = randoms(3 * 3 * 2);
  const bias = [0.25, -0.5];
  const perChannel = [2, -3];
  k.input('x', [1, 4, 4, 2]);
  k.floats('w', [3, 3, 2, 1], w);
  k.floats('b', [2], bias);
  k.floats('pc', [2], perChannel);
  k.floats('three', [], [3]);
  k.ints('axes', [2], [1, 2]);
  k.op('FusedDepthwiseConv2dNative', 'd', ['x', 'w', 'b'], clean({ ...conv('d'), strides: ints([1, 1, 1, 1]), fused_ops: strs(['BiasAdd', 'Relu']), num_args: { i: '1' } }));
  k.op('Mean', 'm', ['d', 'axes'], { keep_dims: { b: true } });
  k.op('Sigmoid', 'g', ['m'], {});
  k.op('Mul', 'se', ['d', 'g'], {});
  k.op('Mul', 'a', ['se', 'pc'], {});
  k.op('AddV2', 'b2', ['a', 'three'], {});
  k.op('Sub', 'y', ['three', 'b2'], {});
  k.output('y', 'm');
  const { y, m } = await run(k, { x });
  const d = convRef(x, w, [3, 3, 2, 1], 1, 'SAME', true);
  const dr = Array.from(d.data, (v, i) => Math.max(0, v + bias[i % 2]!));
  const mean = [0, 1].map((c) => dr.filter((_, i) => i % 2 === c).reduce((a, b) => a + b, 0) / 16);
  assert.deepEqual([...m!.dims], [1, 1, 1, 2], 'Mean keeps NHWC dims');
  close(m!.data, mean);
  close(y!.data, dr.map((v, i) => 3 - (v * (1 / (1 + Math.exp(-mean[i % 2]!))) * perChannel[i % 2]! + 3)));
});

test('ResizeBilinear (align_corners and half_pixel_centers false) and ConcatV2 on the channel axis', async () => {
  const k = new GraphKit();
  const x = nhwc([1, 3, 4, 2], () => randoms(1)[0]!);
  const other = nhwc([1, 6, 8, 1], () => randoms(1)[0]!);
  k.input('x', [1, 3, 4, 2]);
  k.input('o', [1, 6, 8, 1]);
  k.ints('size', [2], [6, 8]);
  k.ints('axis', [], [3]);
  k.op('ResizeBilinear', 'r', ['x', 'size'], { align_corners: { b: false }, half_pixel_centers: { b: false } });
  k.op('ConcatV2', 'y', ['r', 'o', 'axis'], { N: { i: '2' } });
  k.output('y');
  const { y } = await run(k, { x, o: other });
  const r = resizeRef(x, 6, 8);
  const expected = nhwc([1, 6, 8, 3], (_, yy, xx, c) => (c < 2 ? r.data[(yy * 8 + xx) * 2 + c]! : other.data[yy * 8 + xx]!));
  assert.deepEqual([...y!.dims], [1, 6, 8, 3]);
  close(y!.data, expected.data);
});

test("CenterNet's tail: MaxPool peak test (Equal, Cast, Mul), Reshape, TopKV2, FloorDiv/FloorMod, ExpandDims, GatherV2, StridedSlice, Concat on the last axis", async () => {
  const H = 4;
  const W = 5;
  const C = 3;
  const K = 4;
  const k = new GraphKit();
  const heat = nhwc([1, H, W, C], () => Math.round(rand() * 1000) / 1000);
  const wh = nhwc([1, H, W, 2], () => randoms(1)[0]!);
  k.input('heat', [1, H, W, C]);
  k.input('wh', [1, H, W, 2]);
  k.ints('flat', [2], [1, -1]);
  k.ints('k', [], [K]);
  k.ints('C', [], [C]);
  k.ints('W', [], [W]);
  k.ints('last', [], [-1]);
  k.ints('whShape', [2], [H * W, 2]);
  k.ints('minus1', [1], [-1]);
  k.ints('axis0', [], [0]);
  k.ints('outShape', [3], [1, K, 2]);
  k.ints('b', [3], [0, 0, 1]);
  k.ints('e', [3], [0, 0, 2]);
  k.ints('st', [3], [1, 1, 1]);
  k.op('MaxPool', 'pool', ['heat'], { ksize: ints([1, 3, 3, 1]), strides: ints([1, 1, 1, 1]), padding: s('SAME'), data_format: s('NHWC') });
  k.op('Equal', 'eq', ['heat', 'pool'], {});
  k.op('Cast', 'peak', ['eq'], { SrcT: { type: 'DT_BOOL' }, DstT: { type: 'DT_FLOAT' } });
  k.op('Mul', 'kept', ['heat', 'peak'], {});
  k.op('Reshape', 'scores', ['kept', 'flat'], {});
  k.op('TopKV2', 'top', ['scores', 'k'], { sorted: { b: true } });
  k.op('FloorMod', 'cls', ['top:1', 'C'], { T: { type: 'DT_INT32' } });
  k.op('FloorDiv', 'pix', ['top:1', 'C'], { T: { type: 'DT_INT32' } });
  k.op('FloorDiv', 'row', ['pix', 'W'], { T: { type: 'DT_INT32' } });
  k.op('Cast', 'rowf', ['row'], { SrcT: { type: 'DT_INT32' }, DstT: { type: 'DT_FLOAT' } });
  k.op('ExpandDims', 'rowe', ['rowf', 'last'], {});
  k.op('Reshape', 'whFlat', ['wh', 'whShape'], {});
  k.op('Reshape', 'pixFlat', ['pix', 'minus1'], {});
  k.op('GatherV2', 'picked', ['whFlat', 'pixFlat', 'axis0'], { batch_dims: { i: '0' } });
  k.op('Reshape', 'picked3', ['picked', 'outShape'], {});
  k.op('StridedSlice', 'h', ['picked3', 'b', 'e', 'st'], { begin_mask: { i: '3' }, end_mask: { i: '3' }, shrink_axis_mask: { i: '0' } });
  k.op('Cast', 'clsf', ['cls'], { SrcT: { type: 'DT_INT32' }, DstT: { type: 'DT_FLOAT' } });
  k.op('ExpandDims', 'clse', ['clsf', 'last'], {});
  k.op('ExpandDims', 'score', ['top', 'last'], {});
  k.op('ConcatV2', 'y', ['rowe', 'h', 'score', 'clse', 'last'], { N: { i: '4' } });
  k.output('y');
  const { y } = await run(k, { heat, wh });

  // Reference: local maxima (3×3) of the heatmap, best K (ties: lower index first, as TF), decoded by hand.
  const pooled = maxPoolRef(heat);
  const kept = Array.from(heat.data, (v, i) => (v === pooled.data[i] ? v : 0));
  const order = kept.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, K);
  const expected = order.flatMap(([v, i]) => {
    const pix = Math.floor(i / C);
    return [Math.floor(pix / W), wh.data[pix * 2 + 1]!, v, i % C];
  });
  assert.deepEqual([...y!.dims], [1, K, 4]);
  close(y!.data, expected, 1e-6);
});

test('FloorDiv and FloorMod on negative integers and floats floor like TF (ONNX integer Div truncates)', async () => {
  const k = new GraphKit();
  k.input('x', [1, 1, 1, 4]);
  k.ints('shape', [1], [4]);
  k.ints('three', [], [3]);
  k.op('Reshape', 'f', ['x', 'shape'], {});
  k.op('Cast', 'i', ['f'], { SrcT: { type: 'DT_FLOAT' }, DstT: { type: 'DT_INT32' } });
  k.op('FloorDiv', 'q', ['i', 'three'], { T: { type: 'DT_INT32' } });
  k.op('FloorMod', 'r', ['i', 'three'], { T: { type: 'DT_INT32' } });
  k.floats('threef', [], [3]);
  k.op('FloorDiv', 'qf', ['f', 'threef'], { T: { type: 'DT_FLOAT' } });
  k.op('FloorMod', 'rf', ['f', 'threef'], { T: { type: 'DT_FLOAT' } });
  k.output('q', 'r', 'qf', 'rf');
  const values = [-7, -1, 5, 6];
  const { q, r, qf, rf } = await run(k, { x: nhwc([1, 1, 1, 4], (_, __, ___, c) => values[c]!) });
  assert.deepEqual(qf!.data, values.map((v) => Math.floor(v / 3)), 'float FloorDiv');
  close(rf!.data, values.map((v) => ((v % 3) + 3) % 3), 1e-6);
  assert.deepEqual(q!.data, values.map((v) => Math.floor(v / 3)));
  assert.deepEqual(r!.data, values.map((v) => ((v % 3) + 3) % 3));
});

test('StridedSlice with shrink_axis_mask drops the axis (and a negative begin)', async () => {
  const k = new GraphKit();
  k.input('x', [1, 2, 3, 4]);
  k.ints('b', [4], [0, 1, 0, -1]);
  k.ints('e', [4], [0, 2, 3, 0]);
  k.ints('st', [4], [1, 1, 2, 1]);
  k.op('StridedSlice', 'y', ['x', 'b', 'e', 'st'], { begin_mask: { i: '1' }, end_mask: { i: '1' }, shrink_axis_mask: { i: String(0b1010) } });
  k.output('y');
  const x = nhwc([1, 2, 3, 4], (_, yy, xx, c) => yy * 100 + xx * 10 + c);
  const { y } = await run(k, { x });
  assert.deepEqual([...y!.dims], [1, 2], 'axes 1 and 3 shrunk; axis 2 stepped by 2');
  assert.deepEqual(y!.data, [103, 123]);
});

test('resizeImageInputs: the model takes uint8 RGB of any size and resizes it itself (bilinear, centres aligned)', async () => {
  const k = new GraphKit();
  k.input('x', [1, 3, 4, 3]);
  k.op('Identity', 'y', ['x'], {});
  k.output('y');
  const session = await ort.InferenceSession.create(tfjsToOnnx(k.graph(), { resizeImageInputs: true }));
  // 6×8 → 3×4: with aligned pixel centres each output pixel is the mean of a 2×2 block.
  const src = Uint8Array.from({ length: 6 * 8 * 3 }, (_, i) => (i * 37) % 256);
  const out = await session.run({ x: new ort.Tensor('uint8', src, [1, 6, 8, 3]) });
  const expected = nhwc([1, 3, 4, 3], (_, y, x, c) => {
    const at = (yy: number, xx: number) => src[(yy * 8 + xx) * 3 + c]!;
    return (at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1)) / 4;
  });
  assert.deepEqual([...out['y']!.dims], [1, 3, 4, 3]);
  close(Array.from(out['y']!.data as Float32Array), expected.data, 1e-4);
  // The same size passes through unchanged.
  const same = Uint8Array.from({ length: 3 * 4 * 3 }, (_, i) => i * 7);
  close(Array.from((await session.run({ x: new ort.Tensor('uint8', same, [1, 3, 4, 3]) }))['y']!.data as Float32Array), same);
});

test('errors name the problem: an unsupported op, a computed shape, weights cut short, a corrupt model.json', () => {
  const k = new GraphKit();
  k.input('x', [1, 2, 2, 1]);
  k.op('Softplus', 'y', ['x'], {});
  k.output('y');
  assert.throws(() => k.onnx(), (e: unknown) => e instanceof TfjsModelError && /op Softplus \(node 'y'\) is not supported/.test(e.message));

  const r = new GraphKit();
  r.input('x', [1, 2, 2, 1]);
  r.op('Reshape', 'y', ['x', 'x'], {});
  r.output('y');
  assert.throws(() => r.onnx(), /Reshape\): input 'x' must be a constant/);

  const w = new GraphKit();
  w.input('x', [1, 2, 2, 1]);
  w.floats('c', [4], [1, 2, 3, 4]);
  w.op('Mul', 'y', ['x', 'c'], {});
  assert.throws(() => readTfjsGraph(w.json(), w.bin().subarray(0, 10)), (e: unknown) => e instanceof TfjsModelError && /weights end early: 'c'/.test(e.message));
  assert.throws(() => readTfjsGraph({ format: 'layers-model' }, new Uint8Array()), /not a TF.js graph model/);
  assert.throws(() => tfjsToOnnx(w.graph(), { outputs: ['nope'] }), /tensor 'nope' is not produced by any node/);
});

test('float16 weights decode exactly (normal, subnormal, signed zero, infinity)', () => {
  for (const x of [1, -2.5, 2 ** -14, 65504, 0.333251953125]) assert.equal(halfToFloat(floatToHalf(x)), x);
  assert.equal(halfToFloat(0x0001), 2 ** -24);
  assert.equal(Object.is(halfToFloat(0x8000), -0), true);
  assert.equal(halfToFloat(0x7c00), Infinity);
});
