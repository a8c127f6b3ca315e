import type { FrameSnapshot } from './types.js';

// The latest synced snapshots, newest last. Requests take the newest (or the one an operator clicked on, by seq).
// Besides that ring, a few snapshots can be *held* until a given time: the frames a console is showing (an
// operator may click a frozen frame minutes later), so a click always lifts on the frame it was made on. Holds
// are bounded in number (MAX_HELD) and in time (each has an expiry), so memory stays bounded whatever clients do.

/** Most snapshots held beyond the ring at once; past it, the hold that ends first is dropped. */
export const MAX_HELD = 16;

export class FrameStore {
  private readonly frames: FrameSnapshot[] = [];
  private readonly held = new Map<number, { snapshot: FrameSnapshot; untilMs: number }>();

  constructor(
    private readonly capacity: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`frame store size must be at least 1, got ${capacity}`);
  }

  add(snapshot: FrameSnapshot): void {
    this.frames.push(snapshot);
    if (this.frames.length > this.capacity) this.frames.shift();
    this.dropExpired();
  }

  latest(): FrameSnapshot | null {
    return this.frames[this.frames.length - 1] ?? null;
  }

  /** A snapshot in the ring, or held and not yet expired. */
  bySeq(seq: number): FrameSnapshot | null {
    const inRing = this.frames.find((f) => f.seq === seq);
    if (inRing) return inRing;
    const hold = this.held.get(seq);
    if (!hold) return null;
    if (hold.untilMs < this.now()) {
      this.held.delete(seq);
      return null;
    }
    return hold.snapshot;
  }

  /**
   * Keeps snapshot `seq` findable until `untilMs` (the store's clock) even after it leaves the ring; a later
   * hold of the same frame extends it, an earlier one never shortens it. False when the frame is already gone.
   */
  hold(seq: number, untilMs: number): boolean {
    const snapshot = this.bySeq(seq);
    if (!snapshot) return false;
    const previous = this.held.get(seq);
    this.held.set(seq, { snapshot, untilMs: Math.max(untilMs, previous?.untilMs ?? -Infinity) });
    while (this.held.size > MAX_HELD) {
      let first: number | null = null;
      let firstUntil = Infinity;
      for (const [s, h] of this.held) {
        if (h.untilMs < firstUntil) {
          first = s;
          firstUntil = h.untilMs;
        }
      }
      this.held.delete(first!);
    }
    return this.held.has(seq);
  }

  get size(): number {
    return this.frames.length;
  }

  /** The seqs in the ring, oldest first (for messages saying which frames can be asked for). */
  seqs(): number[] {
    return this.frames.map((f) => f.seq);
  }

  /** The seqs under a hold now (not expired; some may still be in the ring too), ascending. */
  heldSeqs(): number[] {
    this.dropExpired();
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [seq, h] of this.held) if (h.untilMs < now) this.held.delete(seq);
  }
}
