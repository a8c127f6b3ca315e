// Callbacks that see bad input keep seeing it at the input's rate: log the first occurrence per key, then at
// most once per period with the count of what was suppressed, so the log stays readable and nothing is hidden.
export class LogThrottle {
  private readonly last = new Map<string, { atMs: number; suppressed: number }>();

  constructor(
    private readonly periodMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The message to log now (with a suppressed-count suffix), or null to stay quiet. */
  message(key: string, text: string): string | null {
    const t = this.now();
    const entry = this.last.get(key);
    if (entry && t - entry.atMs < this.periodMs) {
      entry.suppressed++;
      return null;
    }
    const suffix = entry && entry.suppressed > 0 ? ` (${entry.suppressed} more since last report)` : '';
    this.last.set(key, { atMs: t, suppressed: 0 });
    return text + suffix;
  }
}
