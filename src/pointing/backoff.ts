// Retry timing: exponential backoff with jitter, Retry-After parsing, and a sleep that a signal cancels.

export interface BackoffOptions {
  /** Delay before the first retry, before jitter (ms). */
  baseMs: number;
  /** Upper bound for any single wait, Retry-After included (ms). */
  maxMs: number;
  /** Source of randomness in [0, 1) (tests make it deterministic). */
  random: () => number;
}

/** "Equal jitter": half the exponential delay fixed, half random, so waits grow yet never synchronise. */
export function backoffDelay(retry: number, opts: BackoffOptions): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, retry - 1));
  return exp / 2 + (opts.random() * exp) / 2;
}

/** Milliseconds a Retry-After header asks for (delta-seconds or an HTTP date), or null when absent/invalid. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
