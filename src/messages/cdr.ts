// CDR (ROS 2 wire format) encoding and decoding from the official definitions. Readers and writers are built
// once per type: building them walks the definitions, which would dominate small messages.

import { CdrWriter } from '@foxglove/cdr';
import { parse } from '@foxglove/rosmsg';
import { MessageReader, MessageWriter } from '@foxglove/rosmsg2-serialization';
import { normalizeTypeName, parsedDefinitions } from './definitions.js';

/** Thrown when bytes do not decode as the named type (truncated, wrong type, corrupt). */
export class CdrDecodeError extends Error {
  constructor(readonly type: string, detail: string) {
    super(`cannot decode ${type} from CDR: ${detail}`);
    this.name = 'CdrDecodeError';
  }
}

/** Thrown when an object cannot be encoded as the named type (missing or mistyped field). */
export class CdrEncodeError extends Error {
  constructor(readonly type: string, detail: string) {
    super(`cannot encode ${type} as CDR: ${detail}`);
    this.name = 'CdrEncodeError';
  }
}

// @foxglove/cdr 3.5's CdrWriter.string() sizes a string by its UTF-16 length, not its UTF-8 bytes, so any
// non-ASCII text ("café", "640×480") is cut short on the wire. rosmsg2-serialization's MessageWriter builds
// that same CdrWriter (one CommonJS module instance), so we replace the one method with a byte-exact version:
// uint32 length including the NUL terminator, the UTF-8 bytes, then NUL — as rcl writes strings.
interface CdrWriterInternals {
  buffer: ArrayBuffer;
  offset: number;
  uint32(value: number): unknown;
  resizeIfNeeded(size: number): void;
}
const utf8 = new TextEncoder();
(CdrWriter.prototype as unknown as { string: (value: string, writeLength?: boolean) => unknown }).string = function (
  this: CdrWriterInternals,
  value: string,
  writeLength = true,
) {
  const bytes = utf8.encode(value);
  if (writeLength) this.uint32(bytes.length + 1);
  this.resizeIfNeeded(bytes.length + 1);
  const target = new Uint8Array(this.buffer, this.offset, bytes.length + 1);
  target.set(bytes);
  target[bytes.length] = 0;
  this.offset += bytes.length + 1;
  return this;
};

const readers = new Map<string, MessageReader>();
const writers = new Map<string, MessageWriter>();

function readerFor(type: string): MessageReader {
  const full = normalizeTypeName(type);
  let r = readers.get(full);
  if (!r) {
    r = new MessageReader(parsedDefinitions(full));
    readers.set(full, r);
  }
  return r;
}

function writerFor(type: string): MessageWriter {
  const full = normalizeTypeName(type);
  let w = writers.get(full);
  if (!w) {
    w = new MessageWriter(parsedDefinitions(full));
    writers.set(full, w);
  }
  return w;
}

/** Serialise a ROS-shaped plain object (snake_case fields, stamps {sec, nanosec}) to CDR bytes with encapsulation header. */
export function encodeCdr(type: string, obj: unknown): Uint8Array {
  const writer = writerFor(type);
  try {
    return writer.writeMessage(obj);
  } catch (err) {
    throw new CdrEncodeError(type, (err as Error).message);
  }
}

/** Deserialise CDR bytes (with encapsulation header) into a ROS-shaped plain object. */
export function decodeCdr<T = Record<string, unknown>>(type: string, bytes: ArrayBufferView): T {
  return readWith<T>(readerFor(type), type, bytes);
}

/**
 * A decoder for `type` built from a recording's own `ros2msg` schema text (what Foxglove does, so a bag
 * recorded with other definitions still decodes as it was written); without a schema text, our definitions.
 * Throws CdrDecodeError when the schema text does not parse.
 */
export function createCdrDecoder<T = Record<string, unknown>>(type: string, schemaText?: string): (bytes: ArrayBufferView) => T {
  if (schemaText === undefined || schemaText.trim() === '') return (bytes) => decodeCdr<T>(type, bytes);
  let reader: MessageReader;
  try {
    reader = new MessageReader(parse(schemaText, { ros2: true }));
  } catch (err) {
    throw new CdrDecodeError(type, `schema does not parse: ${(err as Error).message}`);
  }
  return (bytes) => readWith<T>(reader, type, bytes);
}

function readWith<T>(reader: MessageReader, type: string, bytes: ArrayBufferView): T {
  if (bytes.byteLength < 4) throw new CdrDecodeError(type, `${bytes.byteLength} bytes, shorter than the 4-byte CDR header`);
  let msg: T;
  try {
    msg = reader.readMessage<T>(bytes);
  } catch (err) {
    throw new CdrDecodeError(type, (err as Error).message);
  }
  // The reader takes byte arrays and strings as views of the underlying ArrayBuffer without checking the view's
  // end, so a truncated message inside a larger buffer (an MCAP chunk) would silently borrow the next bytes.
  if (reader.lastReadByteLength() > bytes.byteLength) {
    throw new CdrDecodeError(type, `truncated: needs ${reader.lastReadByteLength()} bytes, has ${bytes.byteLength}`);
  }
  return msg;
}
