// TF.js graph → ONNX, for the ops a TF.js-converted convolutional detector uses (the table below). TF computes in
// NHWC, ONNX's Conv/Pool/Resize in NCHW: every 4-D tensor carries its layout, spatial ops take and give NCHW, and a
// Transpose is inserted only where an op needs the other layout (once per tensor). Constants feeding an NCHW
// elementwise op are re-laid out at conversion time. Graph inputs and outputs keep TF's NHWC shapes, so the
// converted model is fed and read exactly like the TF.js one. An op outside the table is a TfjsModelError naming it.
import { ONNX_TYPE, OnnxGraphBuilder, valueInfo, type AttrValue, type OnnxDtype } from './onnx-builder.js';
import { attrInts, attrString, attrStrings, TfjsModelError, tfDtype, type TfConst, type TfGraph, type TfNode } from './tfjs-graph.js';

type Layout = 'nchw' | 'native';

interface Value {
  name: string;
  layout: Layout;
  /** Rank when known (always 4 for NCHW). */
  rank: number | null;
  dtype: OnnxDtype;
}

/** NHWC axis → NCHW axis. */
const TO_NCHW_AXIS = [0, 2, 3, 1];
const ELEMENTWISE: Record<string, string> = { Add: 'Add', AddV2: 'Add', Sub: 'Sub', Mul: 'Mul', RealDiv: 'Div', Maximum: 'Max', Minimum: 'Min', Equal: 'Equal', Greater: 'Greater', Less: 'Less' };
const UNARY: Record<string, string> = { Relu: 'Relu', Sigmoid: 'Sigmoid', Tanh: 'Tanh', Exp: 'Exp', Sqrt: 'Sqrt', Neg: 'Neg', Floor: 'Floor', Identity: 'Identity' };

export interface ConvertOptions {
  /** Graph outputs to produce (default: the model's signature outputs). Only the nodes they need are converted. */
  outputs?: string[];
  producer?: string;
  /** Take every 4-D image input as raw uint8 RGB of any size [1, H, W, 3] and resize it inside the graph (bilinear,
   * pixel centres aligned) to the input's own size: the image work then runs in onnxruntime, not in JS. */
  resizeImageInputs?: boolean;
  metadata?: Record<string, string>;
}

export function tfjsToOnnx(graph: TfGraph, options: ConvertOptions = {}): Uint8Array {
  return new Converter(graph).run(options);
}

class Converter {
  private readonly b = new OnnxGraphBuilder();
  private readonly values = new Map<string, Value>();
  private readonly relaid = new Map<string, string>();
  private readonly byName: Map<string, TfNode>;

  constructor(private readonly graph: TfGraph) {
    this.byName = new Map(graph.nodes.map((n) => [n.name, n]));
  }

  private resizeImageInputs = false;

  run(options: ConvertOptions): Uint8Array {
    this.resizeImageInputs = options.resizeImageInputs === true;
    const outputs = options.outputs ?? this.graph.outputs;
    // Graph inputs and outputs keep their TF names; internal values get fresh ones.
    for (const name of [...this.graph.inputs.map((i) => i.name), ...outputs]) this.b.reserve(name);
    for (const n of this.needed(outputs)) this.convert(n);
    const outputInfos = outputs.map((o) => {
      this.b.node('Identity', [this.native(o)], [o], {}, true);
      return valueInfo(o, this.value(o).dtype);
    });
    const inputInfos = this.graph.inputs.map((i) => (this.isResizedImage(i) ? valueInfo(i.name, 'uint8', [1, 'H', 'W', 3]) : valueInfo(i.name, i.dtype, i.shape)));
    return this.b.encode({ name: 'tfjs', inputs: inputInfos, outputs: outputInfos, producer: options.producer ?? 'molmo-waypoints tfjs-to-onnx', metadata: options.metadata });
  }

  /** The non-constant nodes the outputs depend on, in an order where inputs come first. */
  private needed(outputs: string[]): TfNode[] {
    const order: TfNode[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (tensor: string) => {
      const name = nodeName(tensor);
      const node = this.byName.get(name);
      if (!node) throw new TfjsModelError(`tensor '${tensor}' is not produced by any node`);
      if (state.get(name) === 'done' || node.op === 'Const') return;
      if (state.get(name) === 'visiting') throw new TfjsModelError(`the graph has a cycle through '${name}'`);
      state.set(name, 'visiting');
      node.inputs.forEach(visit);
      state.set(name, 'done');
      order.push(node);
    };
    // Recursion is fine: these graphs are a few hundred nodes deep at most.
    outputs.forEach(visit);
    return order;
  }

  private convert(n: TfNode): void {
    const op = n.op;
    if (op === 'Placeholder') {
      const input = this.graph.inputs.find((i) => i.name === n.name)!;
      if (this.isResizedImage(input)) {
        const [, h, w, c] = input.shape as [number, number, number, number];
        const nchw = this.b.op('Transpose', [this.b.op('Cast', [n.name], `${n.name}/float`, { to: ONNX_TYPE.float32 })], `${n.name}/nchw`, { perm: [0, 3, 1, 2] });
        const sizes = this.b.initializer(`${n.name}/sizes`, 'int64', [4], [1, c, h, w]);
        const resized = this.b.op('Resize', [nchw, '', '', sizes], `${n.name}/resized`, { mode: 'linear', coordinate_transformation_mode: 'half_pixel' });
        this.values.set(n.name, { name: resized, layout: 'nchw', rank: 4, dtype: 'float32' });
      } else {
        this.values.set(n.name, { name: n.name, layout: 'native', rank: input.shape.length, dtype: input.dtype });
      }
    } else if (op === '_FusedConv2D' || op === 'Conv2D' || op === 'FusedDepthwiseConv2dNative' || op === 'DepthwiseConv2dNative') {
      this.conv(n);
    } else if (op in ELEMENTWISE) {
      this.elementwise(n, ELEMENTWISE[op]!);
    } else if (op in UNARY) {
      const x = this.value(n.inputs[0]!);
      this.set(n, this.b.op(UNARY[op]!, [x.name], n.name), x.layout, x.rank, x.dtype);
    } else if (op === 'Relu6') {
      const x = this.value(n.inputs[0]!);
      this.set(n, this.clip(x.name, 0, 6, n.name), x.layout, x.rank, x.dtype);
    } else if (op === 'Cast') {
      const x = this.value(n.inputs[0]!);
      const to: OnnxDtype = tfDtype(n.attr.DstT?.type, n.name);
      this.set(n, this.b.op('Cast', [x.name], n.name, { to: ONNX_TYPE[to] }), x.layout, x.rank, to);
    } else if (op === 'MaxPool' || op === 'AvgPool') {
      this.requireNhwc(n);
      const x = this.nchw(n.inputs[0]!);
      const attrs = { kernel_shape: attrInts(n.attr.ksize).slice(1, 3), strides: attrInts(n.attr.strides).slice(1, 3), auto_pad: autoPad(n) };
      this.set(n, this.b.op(op === 'MaxPool' ? 'MaxPool' : 'AveragePool', [x], n.name, attrs), 'nchw', 4, 'float32');
    } else if (op === 'Mean') {
      this.mean(n);
    } else if (op === 'ResizeBilinear') {
      const x = this.nchw(n.inputs[0]!);
      const size = this.constValues(n.inputs[1]!, n);
      const mode = n.attr.align_corners?.b ? 'align_corners' : n.attr.half_pixel_centers?.b ? 'half_pixel' : 'asymmetric';
      // sizes = [N, C] of the input, then TF's [H, W] (Resize's `axes` attribute trips onnxruntime's shape inference).
      const init = (hint: string, vals: number[]) => this.b.initializer(`${n.name}/${hint}`, 'int64', [vals.length], vals);
      const nc = this.b.op('Slice', [this.b.op('Shape', [x], `${n.name}/shape`), init('zero', [0]), init('two', [2])], `${n.name}/nc`);
      const sizes = this.b.op('Concat', [nc, init('hw', size)], `${n.name}/sizes`, { axis: 0 });
      this.set(n, this.b.op('Resize', [x, '', '', sizes], n.name, { mode: 'linear', coordinate_transformation_mode: mode }), 'nchw', 4, 'float32');
    } else if (op === 'ConcatV2') {
      this.concat(n);
    } else if (op === 'Reshape') {
      const shape = this.constValues(n.inputs[1]!, n);
      const x = this.value(n.inputs[0]!);
      const s = this.b.initializer(`${n.name}/shape`, 'int64', [shape.length], shape);
      this.set(n, this.b.op('Reshape', [this.native(n.inputs[0]!), s], n.name, shape.includes(0) ? { allowzero: 1 } : {}), 'native', shape.length, x.dtype);
    } else if (op === 'ExpandDims') {
      const x = this.value(n.inputs[0]!);
      const axes = this.b.initializer(`${n.name}/axes`, 'int64', [1], this.constValues(n.inputs[1]!, n));
      this.set(n, this.b.op('Unsqueeze', [this.native(n.inputs[0]!), axes], n.name), 'native', x.rank === null ? null : x.rank + 1, x.dtype);
    } else if (op === 'Squeeze') {
      const x = this.value(n.inputs[0]!);
      const dims = attrInts(n.attr.squeeze_dims);
      if (dims.length === 0) throw new TfjsModelError(`${n.name}: Squeeze without squeeze_dims is not supported`);
      const axes = this.b.initializer(`${n.name}/axes`, 'int64', [dims.length], dims);
      this.set(n, this.b.op('Squeeze', [this.native(n.inputs[0]!), axes], n.name), 'native', x.rank === null ? null : x.rank - dims.length, x.dtype);
    } else if (op === 'TopKV2') {
      const x = this.value(n.inputs[0]!);
      const k = this.b.initializer(`${n.name}/k`, 'int64', [1], this.constValues(n.inputs[1]!, n));
      const [values, indices] = this.b.node('TopK', [this.native(n.inputs[0]!), k], [n.name, `${n.name}:1/int64`], { axis: -1, largest: 1, sorted: 1 });
      this.values.set(n.name, { name: values!, layout: 'native', rank: x.rank, dtype: x.dtype });
      // TF's indices are int32.
      this.values.set(`${n.name}:1`, { name: this.b.op('Cast', [indices!], `${n.name}:1`, { to: ONNX_TYPE.int32 }), layout: 'native', rank: x.rank, dtype: 'int32' });
    } else if (op === 'FloorDiv' || op === 'FloorMod') {
      this.floorOp(n);
    } else if (op === 'GatherV2') {
      if (Number(n.attr.batch_dims?.i ?? 0) !== 0) throw new TfjsModelError(`${n.name}: GatherV2 with batch_dims is not supported`);
      const x = this.value(n.inputs[0]!);
      const axis = this.constValues(n.inputs[2]!, n)[0]!;
      const idx = this.value(n.inputs[1]!);
      const rank = x.rank !== null && idx.rank !== null ? x.rank - 1 + idx.rank : null;
      this.set(n, this.b.op('Gather', [this.native(n.inputs[0]!), this.native(n.inputs[1]!)], n.name, { axis }), 'native', rank, x.dtype);
    } else if (op === 'StridedSlice') {
      this.stridedSlice(n);
    } else {
      throw new TfjsModelError(`op ${op} (node '${n.name}') is not supported by the converter`);
    }
  }

  private isResizedImage(input: TfGraph['inputs'][number]): boolean {
    return this.resizeImageInputs && input.dtype === 'float32' && input.shape.length === 4 && input.shape[0] === 1 && input.shape[3] === 3 && input.shape[1]! > 0 && input.shape[2]! > 0;
  }

  private conv(n: TfNode): void {
    this.requireNhwc(n);
    const depthwise = n.op.includes('Depthwise');
    const w = this.constOf(n.inputs[1]!, n);
    const [kh, kw, cin, cout] = w.shape as [number, number, number, number];
    const weights = new Float32Array(w.data.length);
    // TF: HWIO (conv) or H,W,C,multiplier (depthwise); ONNX: OIHW, depthwise as groups=C with O = C·multiplier.
    const outChannels = depthwise ? cin * cout : cout;
    const inPerGroup = depthwise ? 1 : cin;
    for (let y = 0; y < kh; y++) {
      for (let x = 0; x < kw; x++) {
        for (let i = 0; i < cin; i++) {
          for (let o = 0; o < cout; o++) {
            const src = ((y * kw + x) * cin + i) * cout + o;
            const oc = depthwise ? i * cout + o : o;
            const ic = depthwise ? 0 : i;
            weights[((oc * inPerGroup + ic) * kh + y) * kw + x] = w.data[src]!;
          }
        }
      }
    }
    const inputs = [this.nchw(n.inputs[0]!), this.b.initializer(`${n.name}/W`, 'float32', [outChannels, inPerGroup, kh, kw], weights)];
    const fused = attrStrings(n.attr.fused_ops);
    let activation: string | null = null;
    for (const f of fused) {
      if (f === 'BiasAdd') inputs.push(this.biasInitializer(n.inputs[2]!, n));
      else if ((f === 'Relu' || f === 'Relu6' || f === 'Sigmoid') && activation === null) activation = f;
      else throw new TfjsModelError(`${n.name}: fused op '${f}' (in ${fused.join('+')}) is not supported`);
    }
    if (fused.length > 0 && fused[0] !== 'BiasAdd') throw new TfjsModelError(`${n.name}: fused ops ${fused.join('+')} without BiasAdd first are not supported`);
    const attrs: Record<string, AttrValue> = {
      kernel_shape: [kh, kw],
      strides: attrInts(n.attr.strides).slice(1, 3),
      dilations: attrInts(n.attr.dilations).slice(1, 3).map((d) => d || 1),
      auto_pad: autoPad(n),
      group: depthwise ? cin : 1,
    };
    if ((attrs.dilations as number[]).length === 0) attrs.dilations = [1, 1];
    let out = this.b.op('Conv', inputs, activation ? `${n.name}/conv` : n.name, attrs);
    if (activation === 'Relu6') out = this.clip(out, 0, 6, n.name);
    else if (activation) out = this.b.op(activation, [out], n.name);
    this.set(n, out, 'nchw', 4, 'float32');
  }

  private elementwise(n: TfNode, onnxOp: string): void {
    const ins = n.inputs.map((i) => ({ tensor: i, isConst: this.isConst(i) }));
    const live = ins.filter((i) => !i.isConst).map((i) => this.value(i.tensor));
    const toNchw = live.some((v) => v.layout === 'nchw') && live.every((v) => v.layout === 'nchw' || v.rank === 4);
    const names = ins.map((i) => (toNchw ? (i.isConst ? this.constNchw(i.tensor, n) : this.nchw(i.tensor)) : this.native(i.tensor)));
    const first = live[0] ?? { dtype: this.constOf(n.inputs[0]!, n).dtype, rank: null };
    const dtype: OnnxDtype = onnxOp === 'Equal' || onnxOp === 'Greater' || onnxOp === 'Less' ? 'bool' : first.dtype;
    const rank = toNchw ? 4 : live.every((v) => v.rank !== null) ? Math.max(0, ...live.map((v) => v.rank!)) : null;
    this.set(n, this.b.op(onnxOp, names, n.name), toNchw ? 'nchw' : 'native', rank, dtype);
  }

  private mean(n: TfNode): void {
    const x = this.value(n.inputs[0]!);
    const keep = n.attr.keep_dims?.b === true;
    let axes = this.constValues(n.inputs[1]!, n);
    const nchw = x.layout === 'nchw' && keep;
    if (nchw) axes = axes.map((a) => TO_NCHW_AXIS[a < 0 ? a + 4 : a]!);
    const a = this.b.initializer(`${n.name}/axes`, 'int64', [axes.length], axes);
    const input = nchw ? x.name : this.native(n.inputs[0]!);
    const rank = x.rank === null ? null : keep ? x.rank : x.rank - axes.length;
    this.set(n, this.b.op('ReduceMean', [input, a], n.name, { keepdims: keep ? 1 : 0 }), nchw ? 'nchw' : 'native', rank, x.dtype);
  }

  private concat(n: TfNode): void {
    const tensors = n.inputs.slice(0, -1);
    let axis = this.constValues(n.inputs[n.inputs.length - 1]!, n)[0]!;
    const live = tensors.map((t) => this.value(t));
    const nchw = live.some((v) => v.layout === 'nchw') && live.every((v) => v.layout === 'nchw' || v.rank === 4);
    if (nchw) axis = TO_NCHW_AXIS[axis < 0 ? axis + 4 : axis]!;
    const names = tensors.map((t) => (nchw ? this.nchw(t) : this.native(t)));
    this.set(n, this.b.op('Concat', names, n.name, { axis }), nchw ? 'nchw' : 'native', live[0]!.rank, live[0]!.dtype);
  }

  private floorOp(n: TfNode): void {
    const a = this.native(n.inputs[0]!);
    const b = this.native(n.inputs[1]!);
    const v = this.value(n.inputs[0]!);
    const integer = v.dtype !== 'float32';
    let out: string;
    if (n.op === 'FloorMod') {
      // ONNX Mod with fmod = 0 takes the divisor's sign (Python/TF floormod), integers only; floats: a − floor(a/b)·b.
      out = integer
        ? this.b.op('Mod', [a, b], n.name, { fmod: 0 })
        : this.b.op('Sub', [a, this.b.op('Mul', [this.b.op('Floor', [this.b.op('Div', [a, b], `${n.name}/q`)], `${n.name}/fq`), b], `${n.name}/fqb`)], n.name);
    } else {
      // ONNX integer Div truncates toward zero; (a − floormod(a, b)) / b is exact floor division.
      out = integer
        ? this.b.op('Div', [this.b.op('Sub', [a, this.b.op('Mod', [a, b], `${n.name}/mod`, { fmod: 0 })], `${n.name}/a`), b], n.name)
        : this.b.op('Floor', [this.b.op('Div', [a, b], `${n.name}/q`)], n.name);
    }
    this.set(n, out, 'native', v.rank, v.dtype);
  }

  private stridedSlice(n: TfNode): void {
    const begin = this.constValues(n.inputs[1]!, n);
    const end = this.constValues(n.inputs[2]!, n);
    const strides = this.constValues(n.inputs[3]!, n);
    const mask = (k: string) => Number(n.attr[k]?.i ?? 0);
    if (mask('ellipsis_mask') !== 0 || mask('new_axis_mask') !== 0) throw new TfjsModelError(`${n.name}: StridedSlice with ellipsis or new-axis masks is not supported`);
    const BIG = 2 ** 62;
    const starts: number[] = [];
    const ends: number[] = [];
    const shrink: number[] = [];
    for (let i = 0; i < begin.length; i++) {
      const s = strides[i]!;
      if (s === 0) throw new TfjsModelError(`${n.name}: StridedSlice stride 0`);
      let b0 = mask('begin_mask') & (1 << i) ? (s > 0 ? 0 : BIG) : begin[i]!;
      let e0 = mask('end_mask') & (1 << i) ? (s > 0 ? BIG : -BIG) : end[i]!;
      if (mask('shrink_axis_mask') & (1 << i)) {
        b0 = begin[i]!;
        e0 = b0 === -1 ? BIG : b0 + 1;
        shrink.push(i);
      }
      starts.push(b0);
      ends.push(e0);
    }
    const x = this.value(n.inputs[0]!);
    const axes = begin.map((_, i) => i);
    const init = (hint: string, vals: number[]) => this.b.initializer(`${n.name}/${hint}`, 'int64', [vals.length], vals);
    let out = this.b.op('Slice', [this.native(n.inputs[0]!), init('starts', starts), init('ends', ends), init('axes', axes), init('steps', strides)], shrink.length ? `${n.name}/slice` : n.name);
    if (shrink.length) out = this.b.op('Squeeze', [out, init('shrink', shrink)], n.name);
    this.set(n, out, 'native', x.rank === null ? null : x.rank - shrink.length, x.dtype);
  }

  private clip(x: string, lo: number, hi: number, hint: string): string {
    return this.b.op('Clip', [x, this.b.initializer(`${hint}/min`, 'float32', [], [lo]), this.b.initializer(`${hint}/max`, 'float32', [], [hi])], hint);
  }

  private requireNhwc(n: TfNode): void {
    const format = attrString(n.attr.data_format) ?? 'NHWC';
    if (format !== 'NHWC') throw new TfjsModelError(`${n.name}: data_format ${format} is not supported (NHWC only)`);
  }

  private set(n: TfNode, name: string, layout: Layout, rank: number | null, dtype: OnnxDtype): void {
    this.values.set(n.name, { name, layout, rank, dtype });
  }

  private isConst(tensor: string): boolean {
    return this.byName.get(nodeName(tensor))?.op === 'Const';
  }

  private constOf(tensor: string, user: TfNode): TfConst {
    const c = this.isConst(tensor) ? this.graph.consts.get(nodeName(tensor)) : undefined;
    if (!c) throw new TfjsModelError(`${user.name} (${user.op}): input '${tensor}' must be a constant`);
    return c;
  }

  private constValues(tensor: string, user: TfNode): number[] {
    return Array.from(this.constOf(tensor, user).data);
  }

  /** A non-constant tensor's value, or a constant's as-is (native) initializer. */
  private value(tensor: string): Value {
    const key = tensorKey(tensor);
    const v = this.values.get(key);
    if (v) return v;
    const c = this.isConst(tensor) ? this.graph.consts.get(nodeName(tensor)) : undefined;
    if (!c) throw new TfjsModelError(`tensor '${tensor}' is used before it is computed`);
    const dtype: OnnxDtype = c.dtype;
    const value: Value = { name: this.b.initializer(key, dtype, c.shape, c.data), layout: 'native', rank: c.shape.length, dtype };
    this.values.set(key, value);
    return value;
  }

  private native(tensor: string): string {
    const v = this.value(tensor);
    return v.layout === 'native' ? v.name : this.transposed(v.name, [0, 2, 3, 1], '/nhwc');
  }

  private nchw(tensor: string): string {
    const v = this.value(tensor);
    if (v.layout === 'nchw') return v.name;
    if (v.rank !== 4) throw new TfjsModelError(`tensor '${tensor}' (rank ${v.rank ?? 'unknown'}) feeds a 4-D NHWC op`);
    return this.transposed(v.name, [0, 3, 1, 2], '/nchw');
  }

  private transposed(name: string, perm: number[], suffix: string): string {
    const key = name + suffix;
    let t = this.relaid.get(key);
    if (!t) this.relaid.set(key, (t = this.b.op('Transpose', [name], key, { perm })));
    return t;
  }

  /** A constant as an NCHW broadcast operand: NHWC broadcasting pads its shape with leading 1s to rank 4. */
  private constNchw(tensor: string, user: TfNode): string {
    const c = this.constOf(tensor, user);
    if (c.shape.length === 0 || c.shape.every((d) => d === 1)) return this.value(tensor).name;
    if (c.shape.length > 4) throw new TfjsModelError(`${user.name}: constant '${tensor}' of rank ${c.shape.length} cannot broadcast against NHWC`);
    const [n, h, w, ch] = [...Array(4 - c.shape.length).fill(1), ...c.shape] as [number, number, number, number];
    const out = new (c.data.constructor as Float32ArrayConstructor)(c.data.length);
    for (let a = 0; a < n; a++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < ch; k++) out[((a * ch + k) * h + y) * w + x] = c.data[((a * h + y) * w + x) * ch + k]!;
    return this.b.initializer(`${tensorKey(tensor)}/nchw`, c.dtype, [n, ch, h, w], out);
  }

  /** A 1-D constant (a bias) as an initializer. */
  private biasInitializer(tensor: string, user: TfNode): string {
    const c = this.constOf(tensor, user);
    return this.b.initializer(`${tensorKey(tensor)}/bias`, 'float32', [c.data.length], c.data);
  }
}

function autoPad(n: TfNode): string {
  const padding = attrString(n.attr.padding);
  if (padding === 'SAME') return 'SAME_UPPER'; // TF puts the odd pixel of padding at the end, as SAME_UPPER does
  if (padding === 'VALID') return 'VALID';
  throw new TfjsModelError(`${n.name}: padding ${padding ?? '(none)'} is not supported (SAME or VALID)`);
}

function nodeName(tensor: string): string {
  return tensor.replace(/:\d+$/, '');
}

function tensorKey(tensor: string): string {
  return tensor.replace(/:0$/, '');
}

