// Decompressors for MCAP chunks, in @mcap/core's DecompressHandlers form: zstd and lz4 (LZ4 frame format, as the
// MCAP spec says), the two compressions MCAP writers use (rosbag2's and Foxglove's default is zstd). Both are
// the WebAssembly builds of the reference C libraries that Foxglove uses; `npm run bench -- sources` measures
// them beside the pure-JS fzstd and lz4js (docs/sources.md). The modules load once, on first use (~7 ms).
import type { McapTypes } from '@mcap/core';

/** The compressions a replay reads (besides uncompressed chunks). */
export const READABLE_COMPRESSIONS = ['zstd', 'lz4'] as const;

/**
 * A chunk that says it holds more than this uncompressed is refused as damaged: real chunks are kilobytes to
 * tens of megabytes, and a corrupt size field must not make the replay allocate gigabytes.
 */
export const MAX_CHUNK_BYTES = 1 << 30;

let loading: Promise<McapTypes.DecompressHandlers> | null = null;

/** The zstd and lz4 decompressors, loaded once. */
export function loadDecompressHandlers(): Promise<McapTypes.DecompressHandlers> {
  loading ??= (async () => {
    const [zstd, lz4] = await Promise.all([import('@foxglove/wasm-zstd'), import('@foxglove/wasm-lz4')]);
    const lz4Decompress = lz4.default;
    await Promise.all([zstd.isLoaded, lz4Decompress.isLoaded]);
    return {
      zstd: (buffer, size) => zstd.decompress(buffer, checkedSize('zstd', size)),
      lz4: (buffer, size) => lz4Decompress(buffer, checkedSize('lz4', size)),
    };
  })();
  return loading;
}

function checkedSize(compression: string, size: bigint): number {
  if (size > BigInt(MAX_CHUNK_BYTES)) {
    throw new RangeError(`a ${compression} chunk claims ${size} bytes uncompressed, more than the ${MAX_CHUNK_BYTES} accepted`);
  }
  return Number(size);
}
