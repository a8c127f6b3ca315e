// What travels on the wire between the console server and its clients.
// JSON cannot carry 64-bit integers exactly (a double has 53 bits of mantissa), so every bigint (stamps in
// nanoseconds) is written as a decimal string. Preview frames travel as one binary message each: a fixed
// 40-byte header followed by the JPEG bytes, built once per frame and sent unchanged to every client.

/** JSON.stringify that writes bigints as decimal strings ("1700000000123456789"). */
export function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Magic at the start of every preview frame message: "MWPF" (molmo-waypoints preview frame). */
export const FRAME_MAGIC = 0x4d575046;
export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 40;

/** The header of a preview frame (all integers little-endian). */
export interface FrameHeader {
  /** FrameSnapshot.seq: what a click refers to (PointRequest.frameSeq). */
  seq: number;
  /** Capture stamp of the colour image, int64 ns. */
  stampNs: bigint;
  /** Size of the original image: waypoint pixels are in this grid. */
  width: number;
  height: number;
  /** Size of the JPEG that follows (downscaled for the preview). */
  sentWidth: number;
  sentHeight: number;
  /** Bridge clock (ms) when the snapshot was completed. */
  receivedAtMs: number;
}

// Layout: u32 magic | u8 version | u8 reserved | u16 header bytes | u32 seq | u32 reserved | i64 stamp ns |
//         u16 width | u16 height | u16 sentWidth | u16 sentHeight | f64 receivedAtMs | JPEG...
export function encodeFrameMessage(header: FrameHeader, jpeg: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + jpeg.byteLength);
  out.writeUInt32LE(FRAME_MAGIC, 0);
  out.writeUInt8(FRAME_VERSION, 4);
  out.writeUInt8(0, 5);
  out.writeUInt16LE(FRAME_HEADER_BYTES, 6);
  out.writeUInt32LE(header.seq >>> 0, 8);
  out.writeUInt32LE(0, 12);
  out.writeBigInt64LE(header.stampNs, 16);
  out.writeUInt16LE(header.width, 24);
  out.writeUInt16LE(header.height, 26);
  out.writeUInt16LE(header.sentWidth, 28);
  out.writeUInt16LE(header.sentHeight, 30);
  out.writeDoubleLE(header.receivedAtMs, 32);
  out.set(jpeg, FRAME_HEADER_BYTES);
  return out;
}

/** Reads a preview frame message (the tests' clients; the page has its own reader, parseFrame in web/connection.js). */
export function decodeFrameMessage(data: Uint8Array): { header: FrameHeader; jpeg: Uint8Array } {
  if (data.byteLength < FRAME_HEADER_BYTES) throw new Error(`preview frame: ${data.byteLength} bytes is shorter than its header`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) !== FRAME_MAGIC) throw new Error('preview frame: bad magic');
  const headerBytes = view.getUint16(6, true);
  const header: FrameHeader = {
    seq: view.getUint32(8, true),
    stampNs: view.getBigInt64(16, true),
    width: view.getUint16(24, true),
    height: view.getUint16(26, true),
    sentWidth: view.getUint16(28, true),
    sentHeight: view.getUint16(30, true),
    receivedAtMs: view.getFloat64(32, true),
  };
  return { header, jpeg: data.subarray(headerBytes) };
}
