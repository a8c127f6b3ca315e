import { TfError } from '../geometry/tf-errors.js';
import { PointingError } from '../pointing/types.js';
import type { ResultStatus } from './types.js';

/** Ends a request with `status`; the bridge prefixes the reason with the stage it happened in. */
export class StageFailure extends Error {
  constructor(
    readonly status: ResultStatus,
    message: string,
  ) {
    super(message);
    this.name = 'StageFailure';
  }
}

/** How a Pointer's failure ends the request: timeout -> model_timeout, cancelled -> cancelled, an image the
 * pointer cannot read -> bad_input, anything else (unreachable, HTTP status, bad response) -> model_error. */
export function failureFromPointing(err: PointingError): StageFailure {
  const status: ResultStatus =
    err.kind === 'timeout' ? 'model_timeout' : err.kind === 'cancelled' ? 'cancelled' : err.kind === 'bad_image' ? 'bad_input' : 'model_error';
  return new StageFailure(status, `${err.kind}: ${err.message}`);
}

export function failureFromTf(err: TfError, target: string, source: string, stampNs: bigint): StageFailure {
  const why = err.code === 'unknown_frame' ? 'unknown frame' : err.code === 'disconnected' ? 'frames not connected' : err.code === 'extrapolation' ? 'no transform at the image stamp' : err.code;
  return new StageFailure('tf_error', `cannot transform '${source}' -> '${target}' at ${stampNs} ns (${why}): ${err.message}`);
}

/** Any error thrown inside a stage, as a StageFailure (unknown errors are internal_error, never a crash). */
export function toFailure(err: unknown): StageFailure {
  if (err instanceof StageFailure) return err;
  if (err instanceof PointingError) return failureFromPointing(err);
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new StageFailure('internal_error', message);
}
