// Errors of the TF buffer. Each failure mode has its own class and `.code` so callers can report *why* a
// lookup failed ("target_frame does not exist" vs. "no data at that stamp"), which is the common support question.

export type TfErrorCode = 'unknown_frame' | 'disconnected' | 'extrapolation' | 'invalid_transform';

export class TfError extends Error {
  constructor(
    readonly code: TfErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TfError';
  }
}

export class TfUnknownFrameError extends TfError {
  constructor(readonly frame: string, message: string) {
    super('unknown_frame', message);
    this.name = 'TfUnknownFrameError';
  }
}

export class TfDisconnectedError extends TfError {
  constructor(
    readonly target: string,
    readonly source: string,
    message: string,
  ) {
    super('disconnected', message);
    this.name = 'TfDisconnectedError';
  }
}

export class TfExtrapolationError extends TfError {
  constructor(
    readonly parent: string,
    readonly child: string,
    readonly stampNs: bigint,
    readonly oldestNs: bigint,
    readonly newestNs: bigint,
    message: string,
  ) {
    super('extrapolation', message);
    this.name = 'TfExtrapolationError';
  }
}
