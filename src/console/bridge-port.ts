// The part of the pipeline's Bridge the console uses. Written as an interface so the console depends on the
// pipeline's public surface only (the real Bridge satisfies it structurally).
import type { EventEmitter } from 'node:events';
import type { Transform } from '../geometry/types.js';
import type { DispatchedGoal, FrameSnapshot, Health, PointRequest, PointResult } from '../pipeline/types.js';

export interface ConsoleBridge extends EventEmitter {
  request(req: PointRequest, opts?: { signal?: AbortSignal }): Promise<PointResult>;
  cancel(id: string, by?: string): boolean;
  latestFrame(): FrameSnapshot | null;
  frameBySeq(seq: number): FrameSnapshot | null;
  /** Keeps a frame a page shows liftable for `forMs` (bounded by the bridge); false when it is gone already. */
  holdFrame(seq: number, forMs: number): boolean;
  /** The backend answering text queries, or null (clicks and pixels only). */
  readonly pointerBackend: string | null;
  health(): Health;
  dispatch(resultId: string, waypointIndex: number, by: string): DispatchedGoal;
  readonly tf: {
    frames(): string[];
    lookupLatest(target: string, source: string): { transform: Transform; stampNs: bigint };
    lookup(target: string, source: string, stampNs: bigint, toleranceNs?: bigint): Transform;
    parentOf(frame: string): { parent: string; isStatic: boolean } | null;
  };
  /** `dispatch` is optional so test doubles may leave it out (no limit is shown then); `camera.rectified` as the
   * bridge lifts (the depth grid back-projects the same way). */
  readonly config: { frames: { target: string }; dispatch?: { maxAgeMs: number }; camera?: { rectified: boolean }; tf?: { toleranceMs: number } };
}
