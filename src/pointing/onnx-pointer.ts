// A local ONNX model as a Pointer (onnxruntime-node, CPU). The model file comes with a JSON manifest saying how to
// feed it and how to read points from its output (see onnx/manifest.ts). onnxruntime-node is imported lazily so
// nothing else in the process pays for loading it.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { ColorImage } from '../geometry/types.js';
import { ImageDecodeError } from '../image/codec.js';
import { throwIfCancelled } from './cancel.js';
import { decodeDetections, decodeHeatmap, decodePoints, matchClass, OutputShapeError, toPixelPoints, type OutputTensor } from './onnx/decode.js';
import { OnnxManifestError, parseManifest, type OnnxManifest } from './onnx/manifest.js';
import { parseClassNames, readOnnxMetadata } from './onnx/metadata.js';
import { prepareInput } from './onnx/preprocess.js';
import { PointingError, type PointOptions, type Pointer, type PointingResult } from './types.js';

type Ort = typeof import('onnxruntime-node');

export class OnnxPointer implements Pointer {
  readonly name = 'onnx';

  private constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    readonly manifest: OnnxManifest,
    /** Detections: the class names (manifest, else the model's metadata). */
    readonly classes: readonly string[],
    private readonly inputName: string,
    private readonly outputName: string,
    private readonly modelName: string,
  ) {}

  /**
   * Loads a model and its manifest. `manifest` is a path (default: the model path with `.onnx` replaced by
   * `.json`) or an already-parsed manifest object. Throws OnnxManifestError naming the bad field or the mismatch
   * between manifest and model, or an Error naming a file that cannot be read.
   */
  static async load(modelPath: string, manifest?: string | object): Promise<OnnxPointer> {
    const manifestSource = manifest ?? `${modelPath.replace(/\.onnx$/i, '')}.json`;
    const spec =
      typeof manifestSource === 'string'
        ? parseManifest(await readJson(manifestSource), manifestSource)
        : parseManifest(manifestSource, `manifest for ${modelPath}`);
    const bytes = await readFile(modelPath).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`cannot read ONNX model '${modelPath}': ${err.code ?? err.message}`);
    });
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(bytes).catch((err: unknown) => {
      throw new Error(`onnxruntime cannot load '${modelPath}': ${err instanceof Error ? err.message : String(err)}`);
    });
    const where = typeof manifestSource === 'string' ? manifestSource : modelPath;
    const fail = (message: string): never => {
      throw new OnnxManifestError(where, message);
    };

    const inputName = spec.input.name ?? session.inputNames[0] ?? fail('the model has no inputs');
    if (!session.inputNames.includes(inputName)) fail(`input.name '${inputName}' is not a model input (inputs: ${session.inputNames.join(', ')})`);
    checkInputShape(session, inputName, spec, fail);
    const outputName = spec.output.name ?? session.outputNames[0] ?? fail('the model has no outputs');
    for (const name of [outputName, spec.output.scores]) {
      if (name !== null && !session.outputNames.includes(name)) fail(`output '${name}' is not a model output (outputs: ${session.outputNames.join(', ')})`);
    }
    let classes: string[] = [];
    if (spec.output.kind === 'detections') {
      classes = spec.output.classes ?? parseClassNames(readOnnxMetadata(bytes).names);
      if (classes.length === 0) fail("detections need class names: set output.classes or use a model with 'names' metadata");
    }
    return new OnnxPointer(ort, session, spec, classes, inputName, outputName, spec.name ?? basename(modelPath));
  }

  async point(image: ColorImage, query: string, options: PointOptions = {}): Promise<PointingResult> {
    const { signal } = options;
    const t0 = performance.now();
    throwIfCancelled(signal);
    const manifest = this.manifest;
    const output = manifest.output;

    let classIndex: number | null = null;
    if (output.kind === 'detections') {
      classIndex = matchClass(query, this.classes);
      if (classIndex === null) {
        return this.result([], true, `no class of this model matches '${query}' (classes: ${this.classes.join(', ')})`, { total: performance.now() - t0 });
      }
    }

    let prepared;
    try {
      prepared = await prepareInput(image, manifest.input);
    } catch (err) {
      if (err instanceof ImageDecodeError) throw new PointingError('bad_image', err.message);
      throw err;
    }
    const t1 = performance.now();
    throwIfCancelled(signal);

    const feeds = { [this.inputName]: new this.ort.Tensor(manifest.input.dtype, prepared.data, prepared.dims) };
    const fetches = [this.outputName, ...(output.scores ? [output.scores] : [])];
    let results;
    try {
      results = await this.session.run(feeds, fetches);
    } catch (err) {
      // onnxruntime's own failures (allocation, a kernel error, a shape the graph refuses) are the model failing.
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw new PointingError('bad_response', `${this.modelName}: inference failed: ${message}`);
    }
    const t2 = performance.now();
    throwIfCancelled(signal);

    const label = classIndex !== null ? this.classes[classIndex]! : query.trim();
    let candidates;
    try {
      const main = tensorOf(results[this.outputName], this.outputName);
      if (output.kind === 'points') {
        candidates = decodePoints(main, output.scores ? tensorOf(results[output.scores], output.scores) : null, output, prepared.geometry);
      } else if (output.kind === 'heatmap') {
        candidates = decodeHeatmap(main, output, prepared.geometry);
      } else {
        candidates = decodeDetections(main, classIndex!, output, prepared.geometry);
      }
    } catch (err) {
      if (err instanceof OutputShapeError) throw new PointingError('bad_response', `${this.modelName}: ${err.message}`);
      throw err;
    }
    const t3 = performance.now();
    const rawText = JSON.stringify(candidates.map((c) => ({ label, u: round(c.u), v: round(c.v), score: round(c.score) })));
    return this.result(toPixelPoints(candidates, label), candidates.length === 0, rawText, {
      preprocess: t1 - t0,
      inference: t2 - t1,
      decode: t3 - t2,
      total: t3 - t0,
    });
  }

  private result(points: PointingResult['points'], none: boolean, rawText: string, timings: Record<string, number>): PointingResult {
    return { points, count: null, none, truncated: false, rawText, model: this.modelName, timings };
  }
}

function checkInputShape(session: InferenceSession, inputName: string, spec: OnnxManifest, fail: (m: string) => never): void {
  const meta = session.inputMetadata.find((m) => m.name === inputName);
  if (!meta || !meta.isTensor) return;
  const expected = spec.input.layout === 'NCHW' ? [1, 3, spec.input.height, spec.input.width] : [1, spec.input.height, spec.input.width, 3];
  const shape = meta.shape;
  const matches = shape.length === 4 && shape.every((d, i) => typeof d !== 'number' || d < 0 || d === expected[i]);
  if (!matches) fail(`model input '${inputName}' has shape [${shape.join(',')}], the manifest describes [${expected.join(',')}] (${spec.input.layout})`);
  if (meta.type !== spec.input.dtype) fail(`model input '${inputName}' is ${meta.type}, the manifest says input.dtype ${spec.input.dtype}`);
}

function tensorOf(value: Tensor | undefined, name: string): OutputTensor {
  if (!value) throw new OutputShapeError(`output '${name}' is missing`);
  if (value.type !== 'float32' && value.type !== 'float64' && value.type !== 'uint8' && value.type !== 'int32') {
    throw new OutputShapeError(`output '${name}' has type ${value.type}; expected float32`);
  }
  return { data: value.data as ArrayLike<number>, dims: value.dims };
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new OnnxManifestError(path, `cannot read the manifest (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new OnnxManifestError(path, `not valid JSON (${(err as Error).message})`);
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
