// Refused tokens: a per-address lockout so tokens cannot be guessed at network speed, and a log that says
// "N more" instead of writing one line per refused attempt (a scanner would otherwise fill the disk).

export interface LoginThrottleOptions {
  /** Refused attempts from one address within `windowMs` that start a lockout. Default 10. */
  maxFailures?: number;
  /** Default 10000. */
  windowMs?: number;
  /** How long a locked-out address gets 429 for everything. Default 10000. */
  lockMs?: number;
  log: (line: string) => void;
  /** Clock (ms; tests). Default performance.now. */
  now?: () => number;
}

interface AddressState {
  windowStart: number;
  failures: number;
  lockedUntil: number;
}

/** Addresses remembered at most; beyond this, stale ones are dropped (a spoofing flood cannot grow memory). */
const MAX_ADDRESSES = 10_000;

export class LoginThrottle {
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly lockMs: number;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly addresses = new Map<string, AddressState>();
  private logWindowStart = -Infinity;
  private suppressed = 0;
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(opts: LoginThrottleOptions) {
    this.maxFailures = opts.maxFailures ?? 10;
    this.windowMs = opts.windowMs ?? 10_000;
    this.lockMs = opts.lockMs ?? 10_000;
    this.now = opts.now ?? (() => performance.now());
    this.log = opts.log;
  }

  /** Milliseconds this address is still locked out for (0 = not locked). */
  lockedMs(address: string): number {
    const state = this.addresses.get(address);
    return state ? Math.max(0, state.lockedUntil - this.now()) : 0;
  }

  /** Records a refused token from `address`; `line` is what to log (the first one per window is logged as is). */
  failure(address: string, line: string): void {
    const t = this.now();
    let state = this.addresses.get(address);
    if (!state || t - state.windowStart >= this.windowMs) {
      if (!state && this.addresses.size >= MAX_ADDRESSES) this.prune(t);
      state = { windowStart: t, failures: 0, lockedUntil: state?.lockedUntil ?? 0 };
      this.addresses.set(address, state);
    }
    state.failures++;
    if (state.failures >= this.maxFailures && state.lockedUntil <= t) {
      state.lockedUntil = t + this.lockMs;
      this.log(`${address}: ${state.failures} refused tokens within ${this.windowMs / 1000} s: answering 429 for ${this.lockMs / 1000} s`);
    }
    this.note(t, line);
  }

  /** Stops the pending "N more" line (it is written at once). */
  stop(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.flush();
  }

  private note(t: number, line: string): void {
    if (t - this.logWindowStart >= this.windowMs) {
      this.flush();
      this.logWindowStart = t;
      this.log(line);
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.flush();
      }, this.windowMs);
      this.flushTimer.unref();
      return;
    }
    this.suppressed++;
  }

  private flush(): void {
    if (this.suppressed === 0) return;
    this.log(`${this.suppressed} more refused token attempt${this.suppressed === 1 ? '' : 's'} in the last ${this.windowMs / 1000} s`);
    this.suppressed = 0;
  }

  private prune(t: number): void {
    for (const [address, state] of this.addresses) {
      if (t - state.windowStart >= this.windowMs && state.lockedUntil <= t) this.addresses.delete(address);
    }
    // Still full (a flood of fresh addresses): forget the oldest half.
    if (this.addresses.size >= MAX_ADDRESSES) {
      let n = this.addresses.size / 2;
      for (const address of this.addresses.keys()) {
        if (n-- <= 0) break;
        this.addresses.delete(address);
      }
    }
  }
}
