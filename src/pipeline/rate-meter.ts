// Counts events and their rate over a sliding time window (for health()). Times are the bridge's clock in ms.

export class RateMeter {
  private readonly marks: number[] = [];
  private firstMs: number | null = null;
  private lastMs: number | null = null;
  private total = 0;

  constructor(private readonly windowMs: number) {}

  mark(atMs: number): void {
    this.total++;
    if (this.firstMs === null) this.firstMs = atMs;
    this.lastMs = atMs;
    this.marks.push(atMs);
    this.trim(atMs);
  }

  get count(): number {
    return this.total;
  }

  /** Events per second over the window (or over the time since the first event, when that is shorter). */
  rateHz(nowMs: number): number {
    this.trim(nowMs);
    if (this.firstMs === null || this.marks.length === 0) return 0;
    const spanMs = Math.min(this.windowMs, nowMs - this.firstMs);
    // Right after the first event the span is ~0: a rate is not yet meaningful.
    if (spanMs <= 0) return 0;
    return (this.marks.length * 1000) / spanMs;
  }

  ageMs(nowMs: number): number | null {
    return this.lastMs === null ? null : Math.max(0, nowMs - this.lastMs);
  }

  private trim(nowMs: number): void {
    const oldest = nowMs - this.windowMs;
    let drop = 0;
    while (drop < this.marks.length && this.marks[drop]! <= oldest) drop++;
    if (drop > 0) this.marks.splice(0, drop);
  }
}
