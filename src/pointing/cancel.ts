// The one way every Pointer says "the caller gave up", so callers can tell a cancel from a failure.
import { PointingError } from './types.js';

export function cancelledError(): PointingError {
  return new PointingError('cancelled', 'the pointing request was cancelled');
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}
