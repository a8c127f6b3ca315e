// A small ONNX graph builder over onnx-proto (pure JS protobuf): nodes, initializers from typed arrays, fresh value
// names, and the encoded ModelProto. Opset 18 (ReduceMean takes its axes as an input there).
import onnxProto from 'onnx-proto';
import type { onnx as Proto } from 'onnx-proto';

const { onnx } = onnxProto;
export const OPSET = 18;

export type OnnxDtype = 'float32' | 'int32' | 'int64' | 'bool' | 'uint8';

export const ONNX_TYPE: Record<OnnxDtype, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
  uint8: onnx.TensorProto.DataType.UINT8,
};

export type AttrValue = number | number[] | string | { float: number };

export class OnnxGraphBuilder {
  readonly nodes: Proto.INodeProto[] = [];
  readonly initializers: Proto.ITensorProto[] = [];
  private readonly used = new Set<string>();

  /** Claims a name exactly (graph inputs and outputs), so that fresh() never hands it out. */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`ONNX value name '${name}' is already used`);
    this.used.add(name);
    return name;
  }

  /** A value name not used before, derived from `hint`. */
  fresh(hint: string): string {
    let name = hint;
    for (let i = 1; this.used.has(name); i++) name = `${hint}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds a node; returns its output names (fresh, from `outputHints`). */
  node(op: string, inputs: string[], outputHints: string[], attrs: Record<string, AttrValue> = {}, reserved = false): string[] {
    const outputs = reserved ? outputHints : outputHints.map((h) => this.fresh(h));
    this.nodes.push({ opType: op, input: inputs, output: outputs, name: this.fresh(`${op}:${outputs[0]}`), attribute: Object.entries(attrs).map(([k, v]) => attr(k, v)) });
    return outputs;
  }

  /** One-output node. */
  op(op: string, inputs: string[], outputHint: string, attrs: Record<string, AttrValue> = {}): string {
    return this.node(op, inputs, [outputHint], attrs)[0]!;
  }

  initializer(hint: string, dtype: OnnxDtype, dims: number[], data: ArrayLike<number>): string {
    const name = this.fresh(hint);
    let raw: Uint8Array;
    if (dtype === 'float32') raw = bytesOf(Float32Array.from(data));
    else if (dtype === 'int32') raw = bytesOf(Int32Array.from(data));
    else if (dtype === 'int64') raw = bytesOf(BigInt64Array.from(Array.from(data, (x) => BigInt(x))));
    else if (dtype === 'uint8') raw = Uint8Array.from(data);
    else raw = Uint8Array.from(data, (x) => (x ? 1 : 0));
    this.initializers.push({ name, dims, dataType: ONNX_TYPE[dtype], rawData: raw });
    return name;
  }

  encode(graph: { name: string; inputs: Proto.IValueInfoProto[]; outputs: Proto.IValueInfoProto[]; producer: string; metadata?: Record<string, string> }): Uint8Array {
    return onnx.ModelProto.encode(
      onnx.ModelProto.create({
        irVersion: 8,
        producerName: graph.producer,
        opsetImport: [{ domain: '', version: OPSET }],
        graph: { name: graph.name, node: this.nodes, initializer: this.initializers, input: graph.inputs, output: graph.outputs },
        metadataProps: Object.entries(graph.metadata ?? {}).map(([key, value]) => ({ key, value })),
      }),
    ).finish();
  }
}

export function valueInfo(name: string, dtype: OnnxDtype, dims?: (number | string)[]): Proto.IValueInfoProto {
  const shape = dims && { dim: dims.map((d) => (typeof d === 'number' && d >= 0 ? { dimValue: d } : { dimParam: typeof d === 'string' ? d : 'N' })) };
  return { name, type: { tensorType: { elemType: ONNX_TYPE[dtype], ...(shape ? { shape } : {}) } } };
}

function attr(name: string, v: AttrValue): Proto.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if (typeof v === 'object') return { name, type: T.FLOAT, f: v.float };
  return { name, type: T.INT, i: v };
}

function bytesOf(a: Float32Array | Int32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
