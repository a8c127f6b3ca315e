import { EventEmitter } from 'node:events';
import { TfBuffer } from '../geometry/tf-buffer.js';
import type { HealthReporting, Pointer, PointerHealth } from '../pointing/types.js';
import type { BridgeConfig } from './config.js';
import { FrameStore } from './frame-store.js';
import { FrameSync, type SyncedSet } from './frame-sync.js';
import { InputRefusals, type RefusedInput } from './input-refusals.js';
import { LatencyWindow } from './latency-window.js';
import { RateMeter } from './rate-meter.js';
import { RequestRun } from './request-run.js';
import type {
  DispatchedGoal,
  FrameSnapshot,
  GoalExecution,
  Health,
  PointRequest,
  PointResult,
  Progress,
  ResultStatus,
  SourceEvent,
} from './types.js';

// The bridge's heart: sources feed ingest(), callers ask request(), everything else listens to events:
//   'frame' (FrameSnapshot)   a new synced snapshot
//   'request' (PointRequest)  a request was submitted
//   'progress' (Progress)     a request's stage started / finished
//   'result' (PointResult, FrameSnapshot | null)  a request ended (exactly once per request), with the snapshot it
//                             used (so a recorder can keep the frames even after the store has moved on)
//   'dispatch' (DispatchedGoal) a confirmed result became a robot goal
//   'goal_execution' (GoalExecution)  how a dispatched goal is getting on, as the adapter carrying it reports it
//   'input_warning' ({kind, message})  an input was refused (e.g. a TF message with a zero quaternion)
// No I/O of its own: the ROS node, the console, the CLI and the recorder are adapters around it.

export interface BridgeOptions {
  pointer: Pointer | null;
  config: BridgeConfig;
  /** Wall clock in ms; tests inject their own so nothing depends on the machine's speed. */
  now?: () => number;
}

export type DispatchErrorCode = 'unknown_result' | 'not_ok' | 'no_waypoint' | 'already_dispatched' | 'stale';

/** Why dispatch() refused; `code` lets adapters choose a status (e.g. HTTP 404 vs 409). */
export class DispatchError extends Error {
  constructor(
    readonly code: DispatchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DispatchError';
  }
}

export interface InputWarning {
  kind: SourceEvent['kind'];
  message: string;
}

const INPUT_KINDS = ['color', 'depth', 'camera_info', 'tf', 'synced'] as const;
const LATENCIES_KEPT = 500;

export class Bridge extends EventEmitter {
  readonly tf = new TfBuffer();
  readonly config: BridgeConfig;
  private readonly pointer: Pointer | null;
  private readonly now: () => number;
  private readonly sync: FrameSync;
  private readonly store: FrameStore;
  private seq = 0;
  private readonly meters: Record<(typeof INPUT_KINDS)[number], RateMeter>;
  private readonly inFlight = new Map<string, RequestRun>();
  /** Recent results, with when they finished (the bridge's clock) and their goal once dispatched. */
  private readonly results = new Map<string, { result: PointResult; doneMs: number; dispatched: DispatchedGoal | null }>();
  private readonly latencies = new LatencyWindow(LATENCIES_KEPT);
  private readonly byStatus: Partial<Record<ResultStatus, number>> = {};
  private readonly refusals = new InputRefusals();
  private total = 0;
  /** Cancels an executing dispatched goal by result id (set by the adapter that executes goals). */
  private goalCanceller: ((resultId: string) => boolean) | null = null;

  constructor(opts: BridgeOptions) {
    super();
    this.config = opts.config;
    this.pointer = opts.pointer;
    this.now = opts.now ?? Date.now;
    this.store = new FrameStore(this.config.store.size, this.now);
    this.sync = new FrameSync(this.config.sync, (set) => this.onSynced(set));
    const window = this.config.healthWindowMs;
    this.meters = {
      color: new RateMeter(window),
      depth: new RateMeter(window),
      camera_info: new RateMeter(window),
      tf: new RateMeter(window),
      synced: new RateMeter(window),
    };
  }

  /** Feeds one source message. Cheap (callbacks must not block): images are only queued, never decoded here. */
  ingest(e: SourceEvent): void {
    const at = this.now();
    switch (e.kind) {
      case 'color':
        this.meters.color.mark(at);
        this.sync.pushColor({ header: e.header, image: e.image });
        break;
      case 'depth':
        this.meters.depth.mark(at);
        this.sync.pushDepth({ header: e.header, image: e.image });
        break;
      case 'camera_info':
        this.meters.camera_info.mark(at);
        this.sync.pushCameraInfo({ header: e.header, info: e.info });
        break;
      case 'tf':
        this.meters.tf.mark(at);
        for (const t of e.transforms) {
          try {
            this.tf.setTransform(t, e.isStatic);
          } catch (err) {
            this.safeEmit('input_warning', { kind: 'tf', message: (err as Error).message } satisfies InputWarning);
          }
        }
        break;
      default:
        this.safeEmit('input_warning', { kind: (e as { kind: SourceEvent['kind'] }).kind, message: 'unknown source event kind' });
    }
  }

  /**
   * An adapter could not turn a message of this input into a source event (it logs its own warning): kept so a
   * request that finds no frame, or a stale one, says why.
   */
  refuse(input: RefusedInput, reason: string): void {
    this.refusals.note(input, reason, this.now());
  }

  /** Never rejects: every request ends in exactly one result (also emitted as 'result'). */
  async request(req: PointRequest, opts: { signal?: AbortSignal } = {}): Promise<PointResult> {
    const run = new RequestRun(
      {
        config: this.config,
        tf: this.tf,
        pointer: this.pointer,
        store: this.store,
        now: this.now,
        progress: (p: Progress) => this.safeEmit('progress', p),
        describeInputs: () => `colour ${this.meters.color.count}, depth ${this.meters.depth.count}, camera_info ${this.meters.camera_info.count}`,
        describeRefusals: (sinceMs) => this.refusals.describeSince(sinceMs),
      },
      req,
    );
    this.safeEmit('request', req);
    const id = run.result.id;
    const duplicate = id !== '' && this.inFlight.has(id);
    if (duplicate) run.abortWith('bad_request', `a request with id '${id}' is already in flight`);
    else if (id !== '') this.inFlight.set(id, run);

    const onAbort = () => run.abortWith('cancelled', "cancelled by the caller's signal");
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });

    let result: PointResult;
    try {
      result = await run.execute();
    } catch (err) {
      // execute() does not reject; this keeps the promise that request() never rejects even if it did.
      result = { ...run.result, status: 'internal_error', reason: `request: ${(err as Error)?.message ?? String(err)}` };
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      if (!duplicate && this.inFlight.get(id) === run) this.inFlight.delete(id);
    }
    this.record(result);
    this.safeEmit('result', result, run.usedSnapshot);
    return result;
  }

  /**
   * Cancels an in-flight request (its result has status 'cancelled'; its reason says `by` whom, in words an
   * operator reads). When no such request is running but its result was dispatched as a goal that is still
   * executing, that goal is cancelled instead (see setGoalCanceller). False when there is neither.
   */
  cancel(id: string, by = 'a cancel request'): boolean {
    const run = this.inFlight.get(id);
    // A finished request may have become a goal that is still executing (Nav2 driving there): cancel that.
    if (!run) return this.goalCanceller?.(id) ?? false;
    run.abortWith('cancelled', `cancelled by ${by}`);
    return true;
  }

  /**
   * The adapter that executes dispatched goals with a way to stop them (the ROS node's Nav2 action client) sets
   * how: cancel(resultId) of a request no longer in flight then cancels its executing goal. null unsets it.
   */
  setGoalCanceller(cancel: ((resultId: string) => boolean) | null): void {
    this.goalCanceller = cancel;
  }

  /** The executing adapter's report on a dispatched goal, stamped with the bridge's clock: emitted as 'goal_execution'. */
  reportGoalExecution(e: Omit<GoalExecution, 'atMs'>): void {
    this.safeEmit('goal_execution', { ...e, atMs: this.now() } satisfies GoalExecution);
  }

  /** Ids of the requests running now (for shutdown: cancel them, wait until none is left). */
  inFlightIds(): string[] {
    return [...this.inFlight.keys()];
  }

  latestFrame(): FrameSnapshot | null {
    return this.store.latest();
  }

  frameBySeq(seq: number): FrameSnapshot | null {
    return this.store.bySeq(seq);
  }

  /**
   * Keeps frame `seq` available to requests that name it for `forMs` from now (a console showing it; see
   * FrameStore.hold, bounded to MAX_HELD frames). False when the frame is already gone.
   */
  holdFrame(seq: number, forMs: number): boolean {
    return this.store.hold(seq, this.now() + forMs);
  }

  /** The pointing backend that answers text queries ('molmo', 'onnx', …), or null: clicks and pixels only. */
  get pointerBackend(): string | null {
    return this.pointer?.name ?? null;
  }

  /** A recent result (the bridge keeps `resultsKept` of them), or null. */
  resultById(id: string): PointResult | null {
    return this.results.get(id)?.result ?? null;
  }

  /**
   * Turns waypoint `waypointIndex` of an ok result into a goal, once per result, and only within
   * `config.dispatch.maxAgeMs` of the result finishing. Throws DispatchError.
   */
  dispatch(resultId: string, waypointIndex: number, by: string): DispatchedGoal {
    const entry = this.results.get(resultId);
    if (!entry) throw new DispatchError('unknown_result', `no result '${resultId}' (the bridge keeps the last ${this.config.resultsKept})`);
    const { result } = entry;
    if (result.status !== 'ok') throw new DispatchError('not_ok', `result '${resultId}' is ${result.status}, not ok: nothing to dispatch`);
    if (entry.dispatched) {
      const d = entry.dispatched;
      throw new DispatchError('already_dispatched', `result '${resultId}' was already dispatched (waypoint ${d.waypointIndex} by ${d.by})`);
    }
    const ageMs = this.now() - entry.doneMs;
    if (ageMs > this.config.dispatch.maxAgeMs) {
      throw new DispatchError(
        'stale',
        `result '${resultId}' finished ${(ageMs / 1000).toFixed(1)} s ago, over dispatch.max_age_ms (${this.config.dispatch.maxAgeMs} ms): request it again`,
      );
    }
    const waypoint = Number.isInteger(waypointIndex) ? result.waypoints[waypointIndex] : undefined;
    if (!waypoint) {
      throw new DispatchError('no_waypoint', `result '${resultId}' has no waypoint ${waypointIndex} (it has ${result.waypoints.length})`);
    }
    const goal: DispatchedGoal = {
      resultId,
      waypointIndex,
      mode: result.mode,
      frameId: waypoint.frameId,
      stampNs: waypoint.stampNs,
      pose: waypoint.pose,
      preGraspPose: waypoint.preGraspPose,
      label: waypoint.label,
      by,
      atMs: this.now(),
    };
    entry.dispatched = goal;
    this.safeEmit('dispatch', goal);
    return goal;
  }

  health(): Health {
    const now = this.now();
    const inputs = {} as Health['inputs'];
    for (const kind of INPUT_KINDS) {
      const m = this.meters[kind];
      inputs[kind] = { count: m.count, rateHz: m.rateHz(now), ageMs: m.ageMs(now) };
    }
    const target = this.config.frames.target;
    const cameraFrame = this.store.latest()?.frameId ?? null;
    let connected = false;
    if (cameraFrame !== null) {
      connected = cameraFrame === target || (this.tf.hasFrame(target) && this.tf.hasFrame(cameraFrame) && this.tf.canTransform(target, cameraFrame, 0n));
    }
    return {
      inputs,
      tf: { frames: this.tf.frames(), targetFrame: target, targetFrameConnected: connected, latestAgeMs: this.meters.tf.ageMs(now) },
      model: this.pointerHealth(),
      latencyMs: this.latencies.summary(),
      requests: { inFlight: this.inFlight.size, total: this.total, byStatus: { ...this.byStatus } },
      dropped: { sync: this.sync.dropped },
    };
  }

  private pointerHealth(): PointerHealth | null {
    const p = this.pointer as (Pointer & Partial<HealthReporting>) | null;
    if (!p || typeof p.health !== 'function') return null;
    try {
      return p.health();
    } catch (err) {
      return { backend: p.name, endpoints: [{ url: '', healthy: false, lastError: (err as Error).message, lastLatencyMs: null }] };
    }
  }

  private onSynced(set: SyncedSet): void {
    const snapshot: FrameSnapshot = {
      seq: ++this.seq,
      stampNs: set.color.header.stampNs,
      frameId: set.color.header.frameId,
      color: set.color.image,
      depth: set.depth.image,
      depthStampNs: set.depth.header.stampNs,
      depthFrameId: set.depth.header.frameId,
      cameraInfo: set.cameraInfo.info,
      receivedAtMs: this.now(),
    };
    this.store.add(snapshot);
    this.meters.synced.mark(snapshot.receivedAtMs);
    this.safeEmit('frame', snapshot);
  }

  private record(result: PointResult): void {
    this.total++;
    this.byStatus[result.status] = (this.byStatus[result.status] ?? 0) + 1;
    this.latencies.add(result.timings.total);
    // Re-inserting moves a reused id to the newest end.
    this.results.delete(result.id);
    this.results.set(result.id, { result, doneMs: this.now(), dispatched: null });
    while (this.results.size > this.config.resultsKept) {
      const oldest = this.results.keys().next().value as string;
      this.results.delete(oldest);
    }
  }

  /** A listener that throws must not break ingest() or make request() reject. */
  private safeEmit(event: string, ...args: unknown[]): void {
    try {
      this.emit(event, ...args);
    } catch (err) {
      process.emitWarning(`molmo-waypoints: a '${event}' listener threw: ${(err as Error)?.message ?? String(err)}`);
    }
  }
}
