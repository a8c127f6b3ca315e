// Builds small TF.js graph models (model.json + weight bytes, as the TF.js converter writes them) and computes TF's
// semantics for them directly in NHWC, so the converter's ONNX can be checked op by op against a reference that
// never went through ONNX.
import { readTfjsGraph, type TfGraph } from '../../src/pointing/detector/tfjs-graph.js';
import { tfjsToOnnx } from '../../src/pointing/detector/tfjs-to-onnx.js';

type Attr = Record<string, unknown>;

export class GraphKit {
  private nodes: { name: string; op: string; input?: string[]; attr?: Attr }[] = [];
  private weights: { name: string; shape: number[]; dtype: string; quantization?: { dtype: string } }[] = [];
  private chunks: Uint8Array[] = [];
  private outputs: string[] = [];

  input(name: string, shape: number[]): string {
    this.nodes.push({ name, op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: shape.map((size) => ({ size: String(size) })) } } } });
    return name;
  }

  /** float32 constant; `half` stores it as float16 (TF.js's weight quantization), so values must be exact halves. */
  floats(name: string, shape: number[], values: number[], half = false): string {
    this.nodes.push({ name, op: 'Const', attr: { dtype: { type: 'DT_FLOAT' } } });
    if (half) {
      this.weights.push({ name, shape, dtype: 'float32', quantization: { dtype: 'float16' } });
      this.chunks.push(new Uint8Array(new Uint16Array(values.map(floatToHalf)).buffer));
    } else {
      this.weights.push({ name, shape, dtype: 'float32' });
      this.chunks.push(new Uint8Array(new Float32Array(values).buffer));
    }
    return name;
  }

  ints(name: string, shape: number[], values: number[]): string {
    this.nodes.push({ name, op: 'Const', attr: { dtype: { type: 'DT_INT32' } } });
    this.weights.push({ name, shape, dtype: 'int32' });
    this.chunks.push(new Uint8Array(new Int32Array(values).buffer));
    return name;
  }

  op(op: string, name: string, input: string[], attr: Attr = {}): string {
    this.nodes.push({ name, op, input, attr });
    return name;
  }

  output(...names: string[]): this {
    this.outputs.push(...names);
    return this;
  }

  json(): unknown {
    return {
      format: 'graph-model',
      modelTopology: { node: this.nodes },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: this.weights }],
      signature: { outputs: Object.fromEntries(this.outputs.map((o) => [o, { name: o }])) },
    };
  }

  bin(): Uint8Array {
    const total = this.chunks.reduce((a, c) => a + c.byteLength, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.byteLength;
    }
    return out;
  }

  graph(): TfGraph {
    return readTfjsGraph(this.json(), this.bin());
  }

  onnx(): Uint8Array {
    return tfjsToOnnx(this.graph());
  }
}

export const s = (text: string) => ({ s: Buffer.from(text).toString('base64') });
export const ints = (values: number[]) => ({ list: { i: values.map(String) } });
export const strs = (values: string[]) => ({ list: { s: values.map((v) => Buffer.from(v).toString('base64')) } });

export function floatToHalf(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0]!;
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  const frac = (u >>> 13) & 0x3ff;
  if (x === 0) return sign;
  if (exp <= 0 || exp >= 31) throw new Error(`${x} is not a normal half`);
  return sign | (exp << 10) | frac;
}

/** An NHWC tensor as a flat array with its shape. */
export interface Nhwc {
  data: Float64Array;
  shape: [number, number, number, number];
}

export function nhwc(shape: [number, number, number, number], f: (n: number, y: number, x: number, c: number) => number): Nhwc {
  const [N, H, W, C] = shape;
  const data = new Float64Array(N * H * W * C);
  for (let n = 0; n < N; n++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) data[((n * H + y) * W + x) * C + c] = f(n, y, x, c);
  return { data, shape };
}

export function at(t: Nhwc, n: number, y: number, x: number, c: number): number {
  const [, H, W, C] = t.shape;
  return t.data[((n * H + y) * W + x) * C + c]!;
}

/** TF's SAME padding: the total padding split with the odd pixel at the end. */
function samePad(inSize: number, k: number, stride: number): { out: number; before: number } {
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + k - inSize, 0);
  return { out, before: Math.floor(total / 2) };
}

/** TF Conv2D / DepthwiseConv2dNative (weights HWIO / H,W,C,M) with padding SAME or VALID, no dilation. */
export function convRef(x: Nhwc, w: number[], wShape: [number, number, number, number], stride: number, padding: 'SAME' | 'VALID', depthwise: boolean): Nhwc {
  const [N, H, W, C] = x.shape;
  const [kh, kw, , m] = wShape;
  const py = padding === 'SAME' ? samePad(H, kh, stride) : { out: Math.floor((H - kh) / stride) + 1, before: 0 };
  const px = padding === 'SAME' ? samePad(W, kw, stride) : { out: Math.floor((W - kw) / stride) + 1, before: 0 };
  const outC = depthwise ? C * m : m;
  return nhwc([N, py.out, px.out, outC], (n, oy, ox, oc) => {
    let sum = 0;
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        const iy = oy * stride + ky - py.before;
        const ix = ox * stride + kx - px.before;
        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
        if (depthwise) {
          const c = Math.floor(oc / m);
          sum += at(x, n, iy, ix, c) * w[((ky * kw + kx) * C + c) * m + (oc % m)]!;
        } else {
          for (let c = 0; c < C; c++) sum += at(x, n, iy, ix, c) * w[((ky * kw + kx) * C + c) * m + oc]!;
        }
      }
    }
    return sum;
  });
}

/** TF ResizeBilinear with align_corners = half_pixel_centers = false: src = dst · in/out, clamped. */
export function resizeRef(x: Nhwc, outH: number, outW: number): Nhwc {
  const [N, H, W, C] = x.shape;
  return nhwc([N, outH, outW, C], (n, oy, ox, c) => {
    const sy = (oy * H) / outH;
    const sx = (ox * W) / outW;
    const y0 = Math.floor(sy);
    const x0 = Math.floor(sx);
    const y1 = Math.min(y0 + 1, H - 1);
    const x1 = Math.min(x0 + 1, W - 1);
    const fy = sy - y0;
    const fx = sx - x0;
    const top = at(x, n, y0, x0, c) * (1 - fx) + at(x, n, y0, x1, c) * fx;
    const bottom = at(x, n, y1, x0, c) * (1 - fx) + at(x, n, y1, x1, c) * fx;
    return top * (1 - fy) + bottom * fy;
  });
}

/** 3×3 max pool, stride 1, SAME (padding never wins). */
export function maxPoolRef(x: Nhwc): Nhwc {
  const [N, H, W, C] = x.shape;
  return nhwc([N, H, W, C], (n, y, xx, c) => {
    let m = -Infinity;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (y + dy >= 0 && y + dy < H && xx + dx >= 0 && xx + dx < W) m = Math.max(m, at(x, n, y + dy, xx + dx, c));
    return m;
  });
}
