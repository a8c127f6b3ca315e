// The most recent request latencies, for the percentiles in health().

export class LatencyWindow {
  private readonly values: number[] = [];

  constructor(private readonly capacity: number) {}

  add(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.values.push(ms);
    if (this.values.length > this.capacity) this.values.shift();
  }

  summary(): { count: number; p50: number | null; p90: number | null; p99: number | null } {
    if (this.values.length === 0) return { count: 0, p50: null, p90: null, p99: null };
    const sorted = [...this.values].sort((a, b) => a - b);
    return { count: sorted.length, p50: rank(sorted, 50), p90: rank(sorted, 90), p99: rank(sorted, 99) };
  }
}

/** Linear interpolation between closest ranks (the same definition as bench/stats.ts). */
function rank(sorted: number[], p: number): number {
  const r = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(r);
  const hi = Math.ceil(r);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (r - lo);
}
