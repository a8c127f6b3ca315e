// The JSON manifest that says how to feed an ONNX model an image and how to read points out of it.
// Every field but `output.kind` has a default; errors name the field.

export type OutputKind = 'points' | 'heatmap' | 'detections';

export interface OnnxInputSpec {
  /** Input tensor name (default: the model's first input). */
  name: string | null;
  /** Size the image is resized to (the model's input size). */
  width: number;
  height: number;
  layout: 'NCHW' | 'NHWC';
  colorOrder: 'rgb' | 'bgr';
  dtype: 'float32' | 'uint8';
  /** 'stretch' = resize to width×height ignoring aspect; 'letterbox' = keep aspect, pad with `padValue`. */
  resize: 'stretch' | 'letterbox';
  padValue: number;
  /** float32 value = (pixel · scale − mean[c]) / std[c], c in the model's colour order. */
  scale: number;
  mean: [number, number, number];
  std: [number, number, number];
}

export interface OnnxOutputSpec {
  kind: OutputKind;
  /** Output tensor name (default: the model's first output). */
  name: string | null;
  /** points: optional scores output name ([N] or [1,N]). */
  scores: string | null;
  /** Points/peaks/boxes scoring below this are dropped. */
  minScore: number;
  /** At most this many points (points: all by default; heatmap and detections: 1). */
  maxPoints: number;
  /** detections: IoU above which a weaker box of the same class is suppressed. */
  iouThreshold: number;
  /** detections: class names; default the model's `names` metadata (Ultralytics). */
  classes: string[] | null;
}

export interface OnnxManifest {
  /** Reported as the result's model name (default: the model file's name). */
  name: string | null;
  input: OnnxInputSpec;
  output: OnnxOutputSpec;
}

export class OnnxManifestError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'OnnxManifestError';
  }
}

/** Validates a parsed manifest and fills in defaults. `source` names it in error messages. */
export function parseManifest(value: unknown, source: string): OnnxManifest {
  const fail = (message: string): never => {
    throw new OnnxManifestError(source, message);
  };
  const root = object(value, 'manifest', fail);
  const input = object(root.input, 'input', fail);
  const output = object(root.output, 'output', fail);

  const kind = output.kind;
  if (kind !== 'points' && kind !== 'heatmap' && kind !== 'detections') {
    fail(`output.kind must be 'points', 'heatmap' or 'detections', got ${JSON.stringify(kind)}`);
  }
  const outputKind = kind as OutputKind;

  return {
    name: optionalString(root.name, 'name', fail),
    input: {
      name: optionalString(input.name, 'input.name', fail),
      width: positiveInt(input.width, 'input.width', fail),
      height: positiveInt(input.height, 'input.height', fail),
      layout: choice(input.layout, 'input.layout', ['NCHW', 'NHWC'] as const, 'NCHW', fail),
      colorOrder: choice(input.colorOrder, 'input.colorOrder', ['rgb', 'bgr'] as const, 'rgb', fail),
      dtype: choice(input.dtype, 'input.dtype', ['float32', 'uint8'] as const, 'float32', fail),
      resize: choice(input.resize, 'input.resize', ['stretch', 'letterbox'] as const, outputKind === 'detections' ? 'letterbox' : 'stretch', fail),
      padValue: numberIn(input.padValue, 'input.padValue', 0, 255, 114, fail),
      scale: finite(input.scale, 'input.scale', 1 / 255, fail),
      mean: triple(input.mean, 'input.mean', 0, fail),
      std: triple(input.std, 'input.std', 1, fail, true),
    },
    output: {
      kind: outputKind,
      name: optionalString(output.name, 'output.name', fail),
      scores: optionalString(output.scores, 'output.scores', fail),
      minScore: finite(output.minScore, 'output.minScore', outputKind === 'detections' ? 0.25 : 0, fail),
      maxPoints: output.maxPoints === undefined ? (outputKind === 'points' ? Infinity : 1) : positiveInt(output.maxPoints, 'output.maxPoints', fail),
      iouThreshold: numberIn(output.iouThreshold, 'output.iouThreshold', 0, 1, 0.5, fail),
      classes: output.classes === undefined ? null : stringList(output.classes, 'output.classes', fail),
    },
  };
}

type Fail = (message: string) => never;

function object(v: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${field} must be an object`);
  return v as Record<string, unknown>;
}

function optionalString(v: unknown, field: string, fail: Fail): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v === '') fail(`${field} must be a non-empty string`);
  return v as string;
}

function positiveInt(v: unknown, field: string, fail: Fail): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(`${field} must be a positive integer, got ${JSON.stringify(v)}`);
  return v as number;
}

function finite(v: unknown, field: string, dflt: number, fail: Fail): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${field} must be a finite number, got ${JSON.stringify(v)}`);
  return v as number;
}

function numberIn(v: unknown, field: string, lo: number, hi: number, dflt: number, fail: Fail): number {
  const n = finite(v, field, dflt, fail);
  if (n < lo || n > hi) fail(`${field} must be within ${lo}..${hi}, got ${n}`);
  return n;
}

function choice<T extends string>(v: unknown, field: string, options: readonly T[], dflt: T, fail: Fail): T {
  if (v === undefined) return dflt;
  if (!options.includes(v as T)) fail(`${field} must be one of ${options.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

function triple(v: unknown, field: string, dflt: number, fail: Fail, nonZero = false): [number, number, number] {
  if (v === undefined) return [dflt, dflt, dflt];
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!nonZero || x !== 0))) {
    fail(`${field} must be three finite numbers${nonZero ? ' (non-zero)' : ''}, got ${JSON.stringify(v)}`);
  }
  return v as [number, number, number];
}

function stringList(v: unknown, field: string, fail: Fail): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(`${field} must be a list of strings`);
  return v as string[];
}
