// The bundled COCO detector as a Pointer: CenterNet (from @vladmandic/human, converted to ONNX at first use) on
// onnxruntime-node, CPU, offline. A query names a COCO class (vocabulary.ts); the boxes of that class are ranked by
// colour and ordering words (rank.ts); each point is its box's centre and carries the box, so the lift stage can
// move it onto the object where depth is known (geometry/box-anchor.ts).
import type { InferenceSession } from 'onnxruntime-node';
import type { ColorImage } from '../../geometry/types.js';
import { ImageDecodeError } from '../../image/codec.js';
import { throwIfCancelled } from '../cancel.js';
import { PointingError, type PixelPoint, type PointOptions, type Pointer, type PointingResult } from '../types.js';
import { CENTERNET_INPUT, CENTERNET_OUTPUT, CENTERNET_SIZE, DetectorModelError, loadBundledModel, type BundledModel } from './bundled-model.js';
import { decodeCenternet, DetectionShapeError } from './centernet-decode.js';
import { centernetInput } from './centernet-input.js';
import { rankDetections } from './rank.js';
import { COCO_CLASSES, parseDetectorQuery, unknownQueryReason } from './vocabulary.js';

export interface DetectorPointerOptions {
  /** Where the converted model is cached (default: defaultCacheDir()). */
  cacheDir?: string;
  /** Boxes below this score are dropped (default 0.3: the model scores real objects 0.4–0.6). */
  minScore?: number;
  /** Class-agnostic NMS overlap (default 0.4, as @vladmandic/human). */
  iouThreshold?: number;
  /** Most points for a plural or "all" query (default 10). */
  maxPoints?: number;
}

export class DetectorPointer implements Pointer {
  readonly name = 'detector';
  readonly classes: readonly string[] = COCO_CLASSES;

  private constructor(
    private readonly ort: typeof import('onnxruntime-node'),
    private readonly session: InferenceSession,
    readonly model: BundledModel,
    private readonly options: Required<Omit<DetectorPointerOptions, 'cacheDir'>>,
  ) {}

  /** Loads (converting and caching at first use) the bundled model. Throws DetectorModelError with what to do. */
  static async load(options: DetectorPointerOptions = {}): Promise<DetectorPointer> {
    const ort = await import('onnxruntime-node');
    let session: InferenceSession | null = null;
    const model = await loadBundledModel({
      cacheDir: options.cacheDir,
      accept: async (bytes) => {
        session = await ort.InferenceSession.create(bytes).catch(() => null);
        return session !== null;
      },
    });
    if (!session) {
      session = await ort.InferenceSession.create(model.onnx).catch((err: unknown) => {
        throw new DetectorModelError(`onnxruntime cannot load the converted ${model.source}: ${err instanceof Error ? err.message : String(err)}`);
      });
    }
    return new DetectorPointer(ort, session, model, {
      minScore: options.minScore ?? 0.3,
      iouThreshold: options.iouThreshold ?? 0.4,
      maxPoints: options.maxPoints ?? 10,
    });
  }

  /** One line for the start-up log: which model answers, where it came from. */
  loadSummary(): string {
    const where = this.model.origin === 'cache' ? `cached ONNX ${this.model.cachePath}` : `converted to ONNX at first use${this.model.cachePath ? `, cached at ${this.model.cachePath}` : ''}`;
    return `detector: CenterNet (MobileNetV3, COCO, ${this.classes.length} classes) from ${this.model.source}, ${where}${this.model.note ? `; ${this.model.note}` : ''}`;
  }

  async point(image: ColorImage, query: string, options: PointOptions = {}): Promise<PointingResult> {
    const { signal } = options;
    const t0 = performance.now();
    throwIfCancelled(signal);
    const wanted = parseDetectorQuery(query);
    if (!wanted) {
      const reason = unknownQueryReason(query);
      return { ...this.result([], JSON.stringify({ query, class: null }), { total: performance.now() - t0 }), reason };
    }

    let input;
    try {
      input = await centernetInput(image);
    } catch (err) {
      if (err instanceof ImageDecodeError) throw new PointingError('bad_image', err.message);
      throw err;
    }
    const t1 = performance.now();
    throwIfCancelled(signal);

    let output;
    try {
      const results = await this.session.run({ [CENTERNET_INPUT]: new this.ort.Tensor('uint8', input.data, input.dims) });
      output = results[CENTERNET_OUTPUT];
    } catch (err) {
      throw new PointingError('bad_response', `detector: inference failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const t2 = performance.now();
    throwIfCancelled(signal);

    let detections;
    try {
      if (!output) throw new DetectionShapeError(`the model gave no '${CENTERNET_OUTPUT}' output`);
      detections = decodeCenternet(output.data as Float32Array, output.dims, {
        inputWidth: CENTERNET_SIZE,
        inputHeight: CENTERNET_SIZE,
        width: input.width,
        height: input.height,
        minScore: this.options.minScore,
        iouThreshold: this.options.iouThreshold,
      });
    } catch (err) {
      if (err instanceof DetectionShapeError) throw new PointingError('bad_response', `detector: ${err.message}`);
      throw err;
    }
    const ofClass = detections.filter((d) => d.classIndex === wanted.classIndex);
    const ranked = rankDetections(ofClass, input, wanted.colour, wanted.ordering).slice(0, wanted.count ?? this.options.maxPoints);
    const points: PixelPoint[] = ranked.map((d, i) => ({
      u: (d.box.u0 + d.box.u1) / 2,
      v: (d.box.v0 + d.box.v1) / 2,
      label: wanted.className,
      alt: null,
      image: 1,
      id: i + 1,
      box: d.box,
      score: d.score,
    }));
    const t3 = performance.now();
    // The raw text lists every box above the threshold, so a wrong class or a missed object can be seen.
    const rawText = JSON.stringify({
      query: { class: wanted.className, count: wanted.count, colour: wanted.colour, ordering: wanted.ordering },
      chosen: ranked.map((d) => ({ box: roundBox(d.box), score: round(d.score), colourShare: d.colourShare === null ? undefined : round(d.colourShare) })),
      seen: detections.map((d) => ({ class: COCO_CLASSES[d.classIndex] ?? `class ${d.classIndex}`, score: round(d.score), box: roundBox(d.box) })),
    });
    const result = this.result(points, rawText, { preprocess: t1 - t0, inference: t2 - t1, decode: t3 - t2, total: t3 - t0 });
    if (points.length > 0) return result;
    const seen = detections.map((d) => `${COCO_CLASSES[d.classIndex] ?? d.classIndex} ${d.score.toFixed(2)}`);
    return { ...result, reason: `the detector found no ${wanted.className} scoring ${this.options.minScore} or more${seen.length ? ` (it saw: ${seen.join(', ')})` : ''}` };
  }

  private result(points: PixelPoint[], rawText: string, timings: Record<string, number>): PointingResult {
    return { points, count: null, none: points.length === 0, truncated: false, rawText, model: `centernet (${this.model.source})`, timings };
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function roundBox(b: { u0: number; v0: number; u1: number; v1: number }) {
  return [b.u0, b.v0, b.u1, b.v1].map((x) => Math.round(x * 10) / 10);
}
