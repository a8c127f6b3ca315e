/** setTimeout's longest delay (2^31 − 1 ms, about 24.8 days); a longer one would fire after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves after `ms`, or at once when `signal` aborts (never rejects: stopping is not an error here). Waits
 * longer than a timer can hold (a recording whose log times jump by years) are slept in pieces, not cut short.
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const endMs = performance.now() + ms;
    let timer = setTimeout(tick, Math.min(ms, MAX_TIMER_MS));
    function tick(): void {
      const left = endMs - performance.now();
      if (left > 0) timer = setTimeout(tick, Math.min(left, MAX_TIMER_MS));
      else done();
    }
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
