// A random-access IReadable over a file for @mcap/core's McapIndexedReader: only the summary and the chunks
// being replayed are read, never the whole file.
import { open, type FileHandle } from 'node:fs/promises';
import type { McapTypes } from '@mcap/core';

export class FileReadable implements McapTypes.IReadable {
  private constructor(
    private readonly handle: FileHandle,
    private readonly bytes: bigint,
  ) {}

  static async open(path: string): Promise<FileReadable> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      return new FileReadable(handle, BigInt(size));
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async size(): Promise<bigint> {
    return this.bytes;
  }

  async read(offset: bigint, length: bigint): Promise<Uint8Array> {
    if (offset < 0n || length < 0n || offset + length > this.bytes) {
      throw new RangeError(`read of ${length} bytes at ${offset} is outside the file (${this.bytes} bytes)`);
    }
    const buf = new Uint8Array(Number(length));
    let done = 0;
    while (done < buf.byteLength) {
      const { bytesRead } = await this.handle.read(buf, done, buf.byteLength - done, Number(offset) + done);
      if (bytesRead === 0) throw new RangeError(`file ended early reading ${length} bytes at ${offset}`);
      done += bytesRead;
    }
    return buf;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
