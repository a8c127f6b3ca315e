// A file-backed IWritable for @mcap/core's McapWriter: bytes go straight to disk as they are produced, so a
// long recording never sits in memory.
import { open, type FileHandle } from 'node:fs/promises';
import type { IWritable } from '@mcap/core';

export class FileWritable implements IWritable {
  #position = 0n;

  private constructor(private readonly handle: FileHandle) {}

  /** Creates (or truncates) `path`. */
  static async create(path: string): Promise<FileWritable> {
    return new FileWritable(await open(path, 'w'));
  }

  async write(buffer: Uint8Array): Promise<void> {
    let done = 0;
    while (done < buffer.byteLength) {
      const { bytesWritten } = await this.handle.write(buffer, done, buffer.byteLength - done);
      done += bytesWritten;
    }
    this.#position += BigInt(buffer.byteLength);
  }

  position(): bigint {
    return this.#position;
  }

  async close(): Promise<void> {
    await this.handle.sync();
    await this.handle.close();
  }
}
