// The chunk codecs side by side on the demo recording's bytes (JPEG, 16-bit depth and CDR, cut into 1 MiB pieces
// like the writer's chunks): the decompressors a replay could use (the wasm builds of the reference zstd and LZ4
// libraries, @foxglove/wasm-zstd and @foxglove/wasm-lz4, against the pure-JS fzstd and lz4js) and the compressors
// the recorder uses. Each pair runs on the same buffers in the same rounds; outputs are checked equal to the input.
import { readFile } from 'node:fs/promises';
import * as wasmZstd from '@foxglove/wasm-zstd';
import wasmLz4 from '@foxglove/wasm-lz4';
import * as fzstd from 'fzstd';
import * as lz4js from 'lz4js';
import { fmt, median } from './stats.js';

const CHUNK = 1024 * 1024;
const ROUNDS = 7;

/** A codec run on chunk `i`, and the check of its output (a decompressor's is the chunk, a compressor's decompresses to it). */
type Codec = { name: string; run: (i: number) => Uint8Array; check: (i: number, out: Uint8Array) => boolean };

/** Median MB/s of uncompressed data per codec, the codecs alternating within each round. */
function throughput(codecs: Codec[], chunks: Uint8Array[]): Map<string, number> {
  for (const c of codecs) {
    for (let i = 0; i < chunks.length; i++) if (!c.check(i, c.run(i))) throw new Error(`${c.name}: wrong output for chunk ${i}`);
  }
  const times = new Map<string, number[]>(codecs.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of codecs) {
      const t0 = performance.now();
      for (let i = 0; i < chunks.length; i++) c.run(i);
      times.get(c.name)!.push(performance.now() - t0);
    }
  }
  const mb = chunks.reduce((n, c) => n + c.byteLength, 0) / 1e6;
  return new Map([...times].map(([name, t]) => [name, mb / (median(t) / 1000)]));
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

export async function compareChunkCodecs(path: string): Promise<void> {
  await Promise.all([wasmZstd.isLoaded, wasmLz4.isLoaded]);
  const bytes = new Uint8Array(await readFile(path));
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.byteLength; at += CHUNK) chunks.push(bytes.subarray(at, Math.min(at + CHUNK, bytes.byteLength)));
  const zstd = chunks.map((c) => wasmZstd.compress(c, 1));
  const lz4 = chunks.map((c) => lz4js.compress(c));
  const kept = (list: Uint8Array[]) => fmt((100 * list.reduce((n, c) => n + c.byteLength, 0)) / bytes.byteLength, 0);
  console.log(`Chunk codecs on ${path} (${chunks.length} pieces of 1 MiB; zstd level 1 keeps ${kept(zstd)} % of the bytes, lz4 ${kept(lz4)} %), MB/s of uncompressed data, median of ${ROUNDS}:`);
  const isChunk = (i: number, out: Uint8Array) => same(out, chunks[i]!);
  const versus = (label: string, a: Codec, b: Codec) => {
    const r = throughput([a, b], chunks);
    console.log(`  ${label}: ${a.name} ${fmt(r.get(a.name)!, 0)}, ${b.name} ${fmt(r.get(b.name)!, 0)} (${fmt(r.get(a.name)! / r.get(b.name)!, 2)}×)`);
  };
  versus('zstd decompress',
    { name: '@foxglove/wasm-zstd', run: (i) => wasmZstd.decompress(zstd[i]!, chunks[i]!.byteLength), check: isChunk },
    { name: 'fzstd', run: (i) => fzstd.decompress(zstd[i]!), check: isChunk });
  versus('lz4 decompress',
    { name: '@foxglove/wasm-lz4', run: (i) => wasmLz4(lz4[i]!, chunks[i]!.byteLength), check: isChunk },
    { name: 'lz4js', run: (i) => lz4js.decompress(lz4[i]!, chunks[i]!.byteLength), check: isChunk });
  versus('compress (recorder)',
    { name: 'zstd level 1 (@foxglove/wasm-zstd)', run: (i) => wasmZstd.compress(chunks[i]!, 1), check: (i, out) => isChunk(i, wasmZstd.decompress(out, chunks[i]!.byteLength)) },
    { name: 'lz4 (lz4js)', run: (i) => lz4js.compress(chunks[i]!), check: (i, out) => isChunk(i, wasmLz4(out, chunks[i]!.byteLength)) });
}
