// A TF.js graph model (model.json + weight shards) read into plain data: the nodes and every constant as a typed
// array. Pure: the caller reads the files. Weights stored as float16 (TF.js's "quantization" to half precision)
// come back as float32, which is what TF.js itself computes with.

export type TfDtype = 'float32' | 'int32' | 'bool';

export interface TfNode {
  name: string;
  op: string;
  /** Input tensor names: 'node' (output 0), 'node:1' (output 1); '^node' control inputs are dropped. */
  inputs: string[];
  attr: Record<string, TfAttr>;
}

/** A GraphDef AttrValue as TF.js writes it in JSON. */
export interface TfAttr {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  list?: { i?: (string | number)[]; s?: string[]; f?: number[] };
  shape?: { dim?: { size: string | number }[] };
}

export interface TfConst {
  dtype: TfDtype;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

export interface TfGraph {
  nodes: TfNode[];
  consts: Map<string, TfConst>;
  inputs: { name: string; shape: number[]; dtype: TfDtype }[];
  outputs: string[];
}

export class TfjsModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TfjsModelError';
  }
}

interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** Parses model.json (already JSON.parse'd) and the concatenated bytes of its weight shards, in manifest order. */
export function readTfjsGraph(modelJson: unknown, weightBytes: Uint8Array): TfGraph {
  const json = modelJson as {
    format?: string;
    modelTopology?: { node?: { name: string; op: string; input?: string[]; attr?: Record<string, TfAttr> }[] };
    weightsManifest?: { paths: string[]; weights: WeightEntry[] }[];
    signature?: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  };
  if (json === null || typeof json !== 'object' || json.format !== 'graph-model' || !Array.isArray(json.modelTopology?.node)) {
    throw new TfjsModelError("not a TF.js graph model (model.json needs format 'graph-model' and modelTopology.node)");
  }
  const consts = readWeights(json.weightsManifest ?? [], weightBytes);
  const nodes: TfNode[] = json.modelTopology.node.map((n) => ({
    name: n.name,
    op: n.op,
    inputs: (n.input ?? []).filter((i) => !i.startsWith('^')),
    attr: n.attr ?? {},
  }));
  for (const n of nodes) {
    if (n.op === 'Const' && !consts.has(n.name)) throw new TfjsModelError(`constant '${n.name}' has no weights in the manifest`);
  }
  const inputs = nodes
    .filter((n) => n.op === 'Placeholder')
    .map((n) => ({ name: n.name, shape: (n.attr.shape?.shape?.dim ?? []).map((d) => Number(d.size)), dtype: tfDtype(n.attr.dtype?.type, n.name) }));
  const outputs = Object.keys(json.signature?.outputs ?? {});
  return { nodes, consts, inputs, outputs: outputs.length > 0 ? outputs : [nodes[nodes.length - 1]!.name] };
}

function readWeights(groups: { paths: string[]; weights: WeightEntry[] }[], bytes: Uint8Array): Map<string, TfConst> {
  const consts = new Map<string, TfConst>();
  let offset = 0;
  for (const w of groups.flatMap((g) => g.weights)) {
    const count = w.shape.reduce((a, b) => a * b, 1);
    const stored = w.quantization?.dtype ?? w.dtype;
    const size = count * (stored === 'float16' ? 2 : stored === 'uint8' || stored === 'bool' ? 1 : stored === 'uint16' ? 2 : 4);
    if (offset + size > bytes.byteLength) {
      throw new TfjsModelError(`weights end early: '${w.name}' needs bytes ${offset}..${offset + size}, the shards hold ${bytes.byteLength}`);
    }
    const raw = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
    consts.set(w.name, { dtype: tfDtype(`DT_${w.dtype.toUpperCase()}`, w.name), shape: w.shape, data: decode(raw, count, w) });
    offset += size;
  }
  if (offset !== bytes.byteLength) throw new TfjsModelError(`the weight shards hold ${bytes.byteLength} bytes, the manifest describes ${offset}`);
  return consts;
}

function decode(raw: DataView, count: number, w: WeightEntry): Float32Array | Int32Array | Uint8Array {
  const q = w.quantization;
  if (w.dtype === 'float32' && q?.dtype === 'float16') {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = halfToFloat(raw.getUint16(i * 2, true));
    return out;
  }
  if (w.dtype === 'float32' && (q?.dtype === 'uint8' || q?.dtype === 'uint16') && q.scale !== undefined && q.min !== undefined) {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = (q.dtype === 'uint8' ? raw.getUint8(i) : raw.getUint16(i * 2, true)) * q.scale + q.min;
    return out;
  }
  if (q) throw new TfjsModelError(`weight '${w.name}': quantization ${JSON.stringify(q)} is not supported`);
  if (w.dtype === 'float32') {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = raw.getFloat32(i * 4, true);
    return out;
  }
  if (w.dtype === 'int32') {
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = raw.getInt32(i * 4, true);
    return out;
  }
  if (w.dtype === 'bool') return new Uint8Array(raw.buffer, raw.byteOffset, count).slice();
  throw new TfjsModelError(`weight '${w.name}' has dtype ${w.dtype}; float32, int32 and bool are supported`);
}

/** IEEE 754 half precision bits → number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

export function tfDtype(type: string | undefined, where: string): TfDtype {
  if (type === 'DT_FLOAT' || type === 'DT_FLOAT32') return 'float32';
  if (type === 'DT_INT32') return 'int32';
  if (type === 'DT_BOOL') return 'bool';
  throw new TfjsModelError(`'${where}' has dtype ${type ?? '(none)'}; float32, int32 and bool are supported`);
}

/** A string attribute (TF.js stores them base64). */
export function attrString(a: TfAttr | undefined): string | undefined {
  return a?.s === undefined ? undefined : Buffer.from(a.s, 'base64').toString('utf8');
}

export function attrInts(a: TfAttr | undefined): number[] {
  return (a?.list?.i ?? []).map(Number);
}

export function attrStrings(a: TfAttr | undefined): string[] {
  return (a?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}
