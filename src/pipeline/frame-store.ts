import type { FrameSnapshot } from './types.js';

// The latest synced snapshots, newest last. Requests take the newest (or the one an operator clicked on, by seq).

export class FrameStore {
  private readonly frames: FrameSnapshot[] = [];

  constructor(private readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`frame store size must be at least 1, got ${capacity}`);
  }

  add(snapshot: FrameSnapshot): void {
    this.frames.push(snapshot);
    if (this.frames.length > this.capacity) this.frames.shift();
  }

  latest(): FrameSnapshot | null {
    return this.frames[this.frames.length - 1] ?? null;
  }

  bySeq(seq: number): FrameSnapshot | null {
    return this.frames.find((f) => f.seq === seq) ?? null;
  }

  get size(): number {
    return this.frames.length;
  }

  /** The seqs still held, oldest first (for messages saying which frames can be asked for). */
  seqs(): number[] {
    return this.frames.map((f) => f.seq);
  }
}
