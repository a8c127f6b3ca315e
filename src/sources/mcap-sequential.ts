// Reads an MCAP file front to back without its index: for recordings whose summary never got written (the
// recorder crashed or was killed) or was damaged. It walks the top-level records, opens each chunk, checks the
// chunk's CRC and yields the schema, channel and message records inside, in file order. A chunk that fails its
// CRC or does not parse is reported and skipped; a record cut off by the end of the file ends the read with a
// warning. Only the record layouts the replay needs are parsed (MCAP spec: https://mcap.dev/spec).
import { crc32 } from 'node:zlib';
import { MCAP_MAGIC, Opcode, type McapTypes } from '@mcap/core';

export type SequentialRecord =
  | { type: 'Schema'; id: number; name: string; encoding: string; data: Uint8Array }
  | { type: 'Channel'; id: number; schemaId: number; topic: string; messageEncoding: string; metadata: Map<string, string> }
  | { type: 'Message'; channelId: number; sequence: number; logTime: bigint; publishTime: bigint; data: Uint8Array };

export interface SequentialReadOptions {
  decompressHandlers?: McapTypes.DecompressHandlers;
  /** A skipped chunk or record, or where the file ended early. */
  onWarning: (message: string) => void;
}

/** Whether the first bytes are the MCAP magic. */
export async function hasMcapMagic(readable: McapTypes.IReadable): Promise<boolean> {
  const size = await readable.size();
  if (size < BigInt(MCAP_MAGIC.length)) return false;
  const magic = await readable.read(0n, BigInt(MCAP_MAGIC.length));
  return MCAP_MAGIC.every((b, i) => magic[i] === b);
}

const RECORD_HEADER = 9n; // opcode u8 + content length u64

/** Schema, channel and message records in file order (see the file comment). */
export async function* readMcapSequentially(readable: McapTypes.IReadable, opts: SequentialReadOptions): AsyncGenerator<SequentialRecord> {
  if (!(await hasMcapMagic(readable))) throw new Error('it does not start with the MCAP magic');
  const size = await readable.size();
  let offset = BigInt(MCAP_MAGIC.length);
  while (offset < size) {
    if (offset + RECORD_HEADER > size) {
      opts.onWarning(`the file ends inside a record header at byte ${offset} (cut short?); replayed what came before`);
      return;
    }
    const head = await readable.read(offset, RECORD_HEADER);
    const opcode = head[0]!;
    const length = new DataView(head.buffer, head.byteOffset, head.byteLength).getBigUint64(1, true);
    const start = offset + RECORD_HEADER;
    if (start + length > size) {
      opts.onWarning(`the file ends inside a record (opcode ${opcode}) at byte ${offset} (cut short?); replayed what came before`);
      return;
    }
    offset = start + length;
    if (opcode === Opcode.FOOTER) return;
    if (opcode !== Opcode.CHUNK && opcode !== Opcode.SCHEMA && opcode !== Opcode.CHANNEL && opcode !== Opcode.MESSAGE) continue;
    const body = await readable.read(start, length);
    if (opcode === Opcode.CHUNK) {
      yield* chunkRecords(body, start - RECORD_HEADER, opts);
      continue;
    }
    try {
      const record = parseRecord(opcode, body);
      if (record) yield record;
    } catch (err) {
      opts.onWarning(`skipped a malformed record (opcode ${opcode}) at byte ${start - RECORD_HEADER}: ${(err as Error).message}`);
    }
  }
}

function* chunkRecords(body: Uint8Array, at: bigint, opts: SequentialReadOptions): Generator<SequentialRecord> {
  let records: Uint8Array;
  try {
    const c = new Cursor(body);
    c.u64(); // message start time
    c.u64(); // message end time
    const uncompressedSize = c.u64();
    const crc = c.u32();
    const compression = c.string();
    records = c.bytes(c.u64());
    if (compression !== '' && records.byteLength > 0) {
      const decompress = opts.decompressHandlers?.[compression];
      // Not damage: the file needs a decompressor the caller did not give. That stops the replay (with a hint).
      if (!decompress) throw new UnsupportedCompressionError(compression);
      records = decompress(records, uncompressedSize);
    }
    if (crc !== 0) {
      const actual = crc32(records);
      if (actual !== crc) throw new Error(`incorrect chunk CRC ${actual} (expected ${crc})`);
    }
  } catch (err) {
    if (err instanceof UnsupportedCompressionError) throw err;
    opts.onWarning(`skipped a damaged chunk at byte ${at}: ${(err as Error).message}`);
    return;
  }
  const c = new Cursor(records);
  while (c.remaining() > 0) {
    let record: SequentialRecord | null;
    try {
      const opcode = c.u8();
      const content = c.bytes(c.u64());
      record = parseRecord(opcode, content);
    } catch (err) {
      opts.onWarning(`skipped the rest of a malformed chunk at byte ${at}: ${(err as Error).message}`);
      return;
    }
    if (record) yield record;
  }
}

export class UnsupportedCompressionError extends Error {
  constructor(compression: string) {
    super(`Unsupported compression ${compression}`);
    this.name = 'UnsupportedCompressionError';
  }
}

function parseRecord(opcode: number, content: Uint8Array): SequentialRecord | null {
  const c = new Cursor(content);
  switch (opcode) {
    case Opcode.SCHEMA:
      return { type: 'Schema', id: c.u16(), name: c.string(), encoding: c.string(), data: c.bytes(BigInt(c.u32())) };
    case Opcode.CHANNEL: {
      const id = c.u16();
      const schemaId = c.u16();
      const topic = c.string();
      const messageEncoding = c.string();
      const metadata = new Map<string, string>();
      const map = new Cursor(c.bytes(BigInt(c.u32())));
      while (map.remaining() > 0) metadata.set(map.string(), map.string());
      return { type: 'Channel', id, schemaId, topic, messageEncoding, metadata };
    }
    case Opcode.MESSAGE:
      return { type: 'Message', channelId: c.u16(), sequence: c.u32(), logTime: c.u64(), publishTime: c.u64(), data: c.rest() };
    default:
      return null;
  }
}

/** Little-endian reads that throw (instead of reading garbage) past the end. */
class Cursor {
  private readonly view: DataView;
  private pos = 0;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  remaining(): number {
    return this.data.byteLength - this.pos;
  }

  private take(n: number): number {
    if (n > this.remaining()) throw new RangeError(`record ends early: ${n} bytes needed at ${this.pos}, ${this.remaining()} left`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }

  u16(): number {
    return this.view.getUint16(this.take(2), true);
  }

  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }

  u64(): bigint {
    return this.view.getBigUint64(this.take(8), true);
  }

  bytes(length: bigint): Uint8Array {
    if (length > BigInt(this.remaining())) throw new RangeError(`record ends early: ${length} bytes needed at ${this.pos}, ${this.remaining()} left`);
    const n = Number(length);
    const at = this.take(n);
    return this.data.subarray(at, at + n);
  }

  string(): string {
    return new TextDecoder().decode(this.bytes(BigInt(this.u32())));
  }

  rest(): Uint8Array {
    return this.bytes(BigInt(this.remaining()));
  }
}
