// Generates the tiny ONNX models (and their manifests) that test the ONNX pointing backend, one per output
// kind. Pure JS (onnx-proto), deterministic: the test suite regenerates them and compares bytes.
//   node --import tsx scripts/make-onnx-models.ts [outDir]      (default test/fixtures/onnx)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';
import type { onnx as Proto } from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

type Dims = number[];

function valueInfo(name: string, dims: Dims): Proto.IValueInfoProto {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } };
}

function floats(name: string, dims: Dims, values: number[]): Proto.ITensorProto {
  return { name, dims, dataType: FLOAT, floatData: values };
}

function int64s(name: string, dims: Dims, values: number[]): Proto.ITensorProto {
  return { name, dims, dataType: INT64, int64Data: values };
}

function node(opType: string, inputs: string[], outputs: string[], attrs: Proto.IAttributeProto[] = []): Proto.INodeProto {
  return { opType, input: inputs, output: outputs, name: `${opType}_${outputs[0]}`, attribute: attrs };
}

const ints = (name: string, values: number[]): Proto.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
const int = (name: string, value: number): Proto.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });

function model(graph: Proto.IGraphProto, metadata: Record<string, string> = {}): Uint8Array {
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 7,
      producerName: 'molmo-waypoints scripts/make-onnx-models.ts',
      opsetImport: [{ domain: '', version: 13 }],
      graph,
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    }),
  ).finish();
}

/** points: image NCHW [1,3,32,32] → points [2,2] = [(mean R, mean G), (0.25, 0.75)], scores [2] = [mean B, 0.5]
 * (values after normalisation), so tests can check layout, channel order and normalisation. */
function pointsModel(): Uint8Array {
  return model({
    name: 'points',
    input: [valueInfo('image', [1, 3, 32, 32])],
    output: [valueInfo('points', [2, 2]), valueInfo('scores', [2])],
    initializer: [
      int64s('idx_rg', [2], [0, 1]),
      int64s('idx_b', [1], [2]),
      int64s('shape_1', [1], [1]),
      floats('fixed_point', [1, 2], [0.25, 0.75]),
      floats('fixed_score', [1], [0.5]),
    ],
    node: [
      node('ReduceMean', ['image'], ['mean'], [ints('axes', [2, 3]), int('keepdims', 0)]),
      node('Gather', ['mean', 'idx_rg'], ['rg'], [int('axis', 1)]),
      node('Concat', ['rg', 'fixed_point'], ['points'], [int('axis', 0)]),
      node('Gather', ['mean', 'idx_b'], ['b'], [int('axis', 1)]),
      node('Reshape', ['b', 'shape_1'], ['b1']),
      node('Concat', ['b1', 'fixed_score'], ['scores'], [int('axis', 0)]),
    ],
  });
}

/** heatmap: pixels NHWC [1,16,16,3] → heatmap [1,1,16,16] = the first input channel (blue, with colorOrder bgr). */
function heatmapModel(): Uint8Array {
  return model({
    name: 'heatmap',
    input: [valueInfo('pixels', [1, 16, 16, 3])],
    output: [valueInfo('heatmap', [1, 1, 16, 16])],
    initializer: [int64s('idx_0', [1], [0])],
    node: [
      node('Transpose', ['pixels'], ['nchw'], [ints('perm', [0, 3, 1, 2])]),
      node('Gather', ['nchw', 'idx_0'], ['heatmap'], [int('axis', 1)]),
    ],
  });
}

/** The fixed detections, in the 32×32 letterboxed input: [cx, cy, w, h, score person, score cup, score chair]. */
export const DETECTIONS: number[][] = [
  [16, 16, 8, 8, 0.01, 0.9, 0.02], // cup, best
  [17, 16, 8, 8, 0.02, 0.8, 0.01], // cup, overlaps the best: suppressed
  [4, 12, 4, 4, 0.0, 0.6, 0.0], // cup, separate
  [28, 20, 6, 10, 0.95, 0.05, 0.0], // person
  [16, 2, 4, 2, 0.0, 0.0, 0.7], // chair, centred in the letterbox padding of a 2:1 image
  [10, 20, 4, 4, 0.1, 0.1, 0.1], // below any useful score
];

/** detections (Ultralytics layout): images NCHW [1,3,32,32] → output0 [1, 4+3, 6]; class names in metadata. */
function detectionsModel(): Uint8Array {
  const n = DETECTIONS.length;
  const rows = 4 + 3;
  const values: number[] = [];
  for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) values.push(DETECTIONS[i]![r]!);
  return model(
    {
      name: 'detections',
      input: [valueInfo('images', [1, 3, 32, 32])],
      output: [valueInfo('output0', [1, rows, n])],
      initializer: [floats('boxes', [1, rows, n], values), floats('zero', [1], [0])],
      // output0 = boxes + 0·mean(images): the input is really read, as in a real detector.
      node: [
        node('ReduceMean', ['images'], ['image_mean'], [ints('axes', [1, 2, 3]), int('keepdims', 0)]),
        node('Mul', ['image_mean', 'zero'], ['nothing']),
        node('Add', ['boxes', 'nothing'], ['output0']),
      ],
    },
    { names: "{0: 'person', 1: 'cup', 2: 'chair'}", imgsz: '[32, 32]', task: 'detect' },
  );
}

export const MANIFESTS: Record<string, object> = {
  points: {
    name: 'test-points',
    input: { name: 'image', width: 32, height: 32, layout: 'NCHW', colorOrder: 'rgb', resize: 'stretch', scale: 1 / 255 },
    output: { kind: 'points', name: 'points', scores: 'scores' },
  },
  heatmap: {
    name: 'test-heatmap',
    input: { name: 'pixels', width: 16, height: 16, layout: 'NHWC', colorOrder: 'bgr', resize: 'stretch', scale: 1 / 255 },
    output: { kind: 'heatmap', name: 'heatmap', minScore: 0.2 },
  },
  detections: {
    name: 'test-detections',
    input: { name: 'images', width: 32, height: 32, layout: 'NCHW', colorOrder: 'rgb', resize: 'letterbox', scale: 1 / 255 },
    output: { kind: 'detections', name: 'output0', minScore: 0.25, maxPoints: 1 },
  },
};

export function buildModels(): Record<string, Uint8Array> {
  return { points: pointsModel(), heatmap: heatmapModel(), detections: detectionsModel() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? join('test', 'fixtures', 'onnx');
  mkdirSync(outDir, { recursive: true });
  for (const [name, bytes] of Object.entries(buildModels())) {
    writeFileSync(join(outDir, `${name}.onnx`), bytes);
    writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(MANIFESTS[name], null, 2)}\n`);
    console.log(`wrote ${join(outDir, `${name}.onnx`)} (${bytes.length} bytes) and ${name}.json`);
  }
}
