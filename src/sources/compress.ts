// Chunk compressors for the MCAP writer: none, zstd (level 1, the MCAP C++ writer's default level, which
// rosbag2 uses) and lz4 (LZ4 frame format, as the MCAP spec says). zstd is the WebAssembly build of the
// reference library (the same module the replay decompresses with); lz4 is lz4js, the only LZ4 frame compressor
// on npm without a native build. The modules load once, on first use.
import type { McapWriterOptions } from '@mcap/core';

export const CHUNK_COMPRESSIONS = ['none', 'zstd', 'lz4'] as const;
export type ChunkCompression = (typeof CHUNK_COMPRESSIONS)[number];

export type ChunkCompressor = NonNullable<McapWriterOptions['compressChunk']>;

const ZSTD_LEVEL = 1;

/** The McapWriter `compressChunk` for a compression; undefined for 'none' (chunks stored as they are). */
export async function loadChunkCompressor(compression: ChunkCompression): Promise<ChunkCompressor | undefined> {
  switch (compression) {
    case 'none':
      return undefined;
    case 'zstd': {
      const zstd = await import('@foxglove/wasm-zstd');
      await zstd.isLoaded;
      return (data) => ({ compression: 'zstd', compressedData: zstd.compress(data, ZSTD_LEVEL) });
    }
    case 'lz4': {
      const lz4 = await import('lz4js');
      return (data) => ({ compression: 'lz4', compressedData: lz4.compress(data) });
    }
  }
}
