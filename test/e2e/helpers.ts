// Independent maths and file reading for the end-to-end tests: nothing here uses the code under test's geometry.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { McapIndexedReader } from '@mcap/core';
import { loadDecompressHandlers } from '../../src/sources/decompress.js';
import { FileReadable } from '../../src/sources/file-readable.js';
import { decodeCdr } from '../../src/messages/cdr.js';

export const DEMO_MCAP = 'demo/redwood_livingroom1.mcap';
export const FRAMES = 'demo/redwood_livingroom1';
/** Frame i of the recording is stamped 2026-01-01T00:00:00Z + floor(i·1e9/15) ns (demo/README.md). */
export const FIRST_STAMP = BigInt(Date.UTC(2026, 0, 1)) * 1_000_000n;
export const frameStamp = (i: number) => FIRST_STAMP + (BigInt(i) * 1_000_000_000n) / 15n;

export type Mat4 = number[]; // row-major 4×4

export function intrinsics(): { fx: number; fy: number; cx: number; cy: number } {
  // Open3D's JSON is column-major: [fx, 0, 0, 0, fy, 0, cx, cy, 1].
  const m = (JSON.parse(readFileSync(`${FRAMES}/camera_primesense.json`, 'utf8')) as { intrinsic_matrix: number[] }).intrinsic_matrix;
  return { fx: m[0]!, fy: m[4]!, cx: m[6]!, cy: m[7]! };
}

/** Camera-to-world matrices from trajectory.log (a header line, then 4 rows per frame). */
export function trajectory(): Mat4[] {
  const lines = readFileSync(`${FRAMES}/trajectory.log`, 'utf8').trim().split('\n');
  const poses: Mat4[] = [];
  for (let i = 0; i + 4 < lines.length + 1; i += 5) poses.push(lines.slice(i + 1, i + 5).flatMap((l) => l.trim().split(/\s+/).map(Number)));
  return poses;
}

export async function depthMm(i: number): Promise<{ width: number; at: (col: number, row: number) => number }> {
  const { data, info } = await sharp(`${FRAMES}/depth_0000${i}.png`).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
  const u16 = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
  return { width: info.width, at: (col, row) => u16[row * info.width + col]! };
}

export function matFromQuaternion(t: { x: number; y: number; z: number }, q: { x: number; y: number; z: number; w: number }): Mat4 {
  const { x, y, z, w } = q;
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w), t.x,
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w), t.y,
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y), t.z,
    0, 0, 0, 1,
  ];
}

export function mul(a: Mat4, b: Mat4): Mat4 {
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) for (let k = 0; k < 4; k++) out[r * 4 + c]! += a[r * 4 + k]! * b[k * 4 + c]!;
  return out;
}

export function apply(m: Mat4, p: { x: number; y: number; z: number }) {
  return {
    x: m[0]! * p.x + m[1]! * p.y + m[2]! * p.z + m[3]!,
    y: m[4]! * p.x + m[5]! * p.y + m[6]! * p.z + m[7]!,
    z: m[8]! * p.x + m[9]! * p.y + m[10]! * p.z + m[11]!,
  };
}

export interface McapMessage {
  topic: string;
  schema: string;
  logTime: bigint;
  data: Uint8Array;
}

export async function readMcapMessages(path: string): Promise<McapMessage[]> {
  const readable = await FileReadable.open(path);
  try {
    // Recordings have zstd chunks by default.
    const reader = await McapIndexedReader.Initialize({ readable, decompressHandlers: await loadDecompressHandlers() });
    const out: McapMessage[] = [];
    for await (const m of reader.readMessages({ validateCrcs: true })) {
      const channel = reader.channelsById.get(m.channelId)!;
      out.push({ topic: channel.topic, schema: reader.schemasById.get(channel.schemaId)!.name, logTime: m.logTime, data: m.data });
    }
    return out;
  } finally {
    await readable.close();
  }
}

/** The static transform map <- redwood_world as recorded on /tf_static. */
export async function recordedStatic(path: string): Promise<{ parent: string; child: string; m: Mat4 }[]> {
  type Tf = { transforms: { header: { frame_id: string }; child_frame_id: string; transform: { translation: { x: number; y: number; z: number }; rotation: { x: number; y: number; z: number; w: number } } }[] };
  const out: { parent: string; child: string; m: Mat4 }[] = [];
  for (const msg of await readMcapMessages(path)) {
    if (msg.topic !== '/tf_static') continue;
    for (const t of decodeCdr<Tf>('tf2_msgs/msg/TFMessage', msg.data).transforms) {
      out.push({ parent: t.header.frame_id, child: t.child_frame_id, m: matFromQuaternion(t.transform.translation, t.transform.rotation) });
    }
  }
  return out;
}
