// Reads an ONNX model's metadata_props (key/value strings) straight from the protobuf bytes: onnxruntime's
// JS API does not expose them, and Ultralytics keeps its class names there ("names": "{0: 'person', …}").
// Only the top level of ModelProto is walked; the graph is skipped by its length.

const METADATA_PROPS_FIELD = 14;

/** Metadata key/value pairs of an ONNX ModelProto; {} when the bytes are not a readable model. */
export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    const reader = new ProtoReader(bytes, 0, bytes.length);
    while (!reader.done()) {
      const { field, wire } = reader.tag();
      if (field === METADATA_PROPS_FIELD && wire === 2) {
        const entry = reader.sub();
        let key = '';
        let value = '';
        while (!entry.done()) {
          const t = entry.tag();
          if (t.wire === 2 && (t.field === 1 || t.field === 2)) {
            const s = entry.string();
            if (t.field === 1) key = s;
            else value = s;
          } else {
            entry.skip(t.wire);
          }
        }
        out[key] = value;
      } else {
        reader.skip(wire);
      }
    }
  } catch {
    // Truncated or not protobuf: whatever was read so far stands.
  }
  return out;
}

/** Class names from a `names` value: a Python dict repr ("{0: 'person', 1: \"kid's toy\"}"), a JSON object
 * of index → name, or a JSON list. Returns [] when nothing can be read. */
export function parseClassNames(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const json = JSON.parse(value) as unknown;
    if (Array.isArray(json)) return json.map(String);
    if (json && typeof json === 'object') return fromIndexed(Object.entries(json as Record<string, unknown>).map(([k, v]) => [Number(k), String(v)]));
  } catch {
    // Python repr: fall through
  }
  const pairs: [number, string][] = [];
  for (const m of value.matchAll(/(\d+)\s*:\s*(['"])(.*?)\2\s*(?=[,}])/g)) pairs.push([Number(m[1]), m[3]!]);
  return fromIndexed(pairs);
}

function fromIndexed(pairs: [number, string][]): string[] {
  const names: string[] = [];
  for (const [i, name] of pairs) if (Number.isInteger(i) && i >= 0 && i < 100_000) names[i] = name;
  return Array.from(names, (n) => n ?? '');
}

class ProtoReader {
  constructor(
    private readonly bytes: Uint8Array,
    private pos: number,
    private readonly end: number,
  ) {}

  done(): boolean {
    return this.pos >= this.end;
  }

  tag(): { field: number; wire: number } {
    const v = this.varint();
    return { field: Math.floor(v / 8), wire: v % 8 };
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new RangeError('truncated varint');
      const b = this.bytes[this.pos++]!;
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new RangeError('varint too long');
  }

  sub(): ProtoReader {
    const len = this.varint();
    if (this.pos + len > this.end) throw new RangeError('truncated field');
    const reader = new ProtoReader(this.bytes, this.pos, this.pos + len);
    this.pos += len;
    return reader;
  }

  string(): string {
    const len = this.varint();
    if (this.pos + len > this.end) throw new RangeError('truncated string');
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) {
      const len = this.varint(); // read first: `pos += varint()` would add to the pos before the length
      this.pos += len;
    }
    else if (wire === 5) this.pos += 4;
    else throw new RangeError(`unsupported wire type ${wire}`);
    if (this.pos > this.end) throw new RangeError('truncated field');
  }
}
