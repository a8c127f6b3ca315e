import type { SourceEvent } from '../pipeline/types.js';

export type { SourceEvent };

/**
 * Something that produces camera frames and transforms for the pipeline: an MCAP replay, image files...
 * `start` resolves when the source has nothing more to give (a looping source only after `stop`) and rejects
 * only when it cannot run at all (file missing, not an MCAP). `stop` is idempotent and makes `start` resolve soon.
 */
export interface FrameSource {
  start(onEvent: (e: SourceEvent) => void): Promise<void>;
  stop(): void;
}

/** A problem a source skipped over (an undecodable message, a missing topic); the source keeps going. */
export interface SourceWarning {
  topic: string | null;
  message: string;
}
