import type { Transform, Vec3 } from '../geometry/types.js';
import { liftPixel } from '../geometry/backproject.js';
import { boxAnchor } from '../geometry/box-anchor.js';
import type { DepthSample } from '../geometry/depth-image.js';
import { estimateNormal, type NormalEstimate } from '../geometry/normal.js';
import { TfError, cleanFrame, type TfBuffer } from '../geometry/tf-buffer.js';
import { IDENTITY, applyTransform, compose, invert, rotateVector } from '../geometry/transform.js';
import { PointingError, type PixelPoint, type Pointer, type PointingResult } from '../pointing/types.js';
import type { BridgeConfig } from './config.js';
import type { FrameStore } from './frame-store.js';
import { prepareFrame, type PreparedFrame } from './prepared-frame.js';
import { REQUEST_MODES, requestProblem } from './request-validation.js';
import { rankCandidates } from './selection.js';
import { StageFailure, failureFromTf, toFailure } from './stage-failure.js';
import { objectStage } from './object-stage.js';
import { navigateTarget, pickTarget, pointPose } from './targets.js';
import type { FrameSnapshot, PointRequest, PointResult, Progress, RequestMode, ResultStatus, Stage, Waypoint } from './types.js';
import { norm, sub, unit } from './vec.js';
import { describeOutside, insideBox } from './workspace.js';

// One request's journey: snapshot -> point -> lift -> transform -> target -> validate. Each stage runs under its own
// deadline and the request's (overall deadline, cancel(), the caller's signal); whatever happens, execute() resolves
// with exactly one PointResult.

/** What a run needs from the bridge. */
export interface RunEnv {
  config: BridgeConfig;
  tf: TfBuffer;
  pointer: Pointer | null;
  store: FrameStore;
  now: () => number;
  progress: (p: Progress) => void;
  /** e.g. "colour 12, depth 0, camera_info 1" for no_frame reasons. */
  describeInputs: () => string;
  /** Inputs an adapter refused at or after `sinceMs` and why (no_frame and stale_frame reasons name them), or null. */
  describeRefusals: (sinceMs: number) => string | null;
}

/** Normals fitted worse than this are not trusted for a grasp approach: the camera ray is used instead. */
export const MIN_NORMAL_QUALITY = 0.2;
/** Model points this close outside the image are snapped onto its border (e.g. Molmo's x="100.0"). */
const EDGE_SNAP_PX = 1;
/** setTimeout fires at once for delays beyond 2^31 - 1 ms: longer deadlines are "never" in practice. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Lifted {
  index: number;
  pixel: PixelPoint;
  cameraPoint: Vec3;
  sample: DepthSample;
  normal: NormalEstimate | null;
}

interface Transforms {
  cameraFrame: string;
  toTarget: Transform;
  /** navigate: where the stand-off line starts, in the navigation frame. */
  origin: Vec3 | null;
  /** 'closest' selection: distances are measured from here (the robot frame's origin, else the camera), in the
   * target frame; null for other policies. */
  rankOrigin: Vec3 | null;
  workspace: { frame: string; transform: Transform } | null;
}

interface Candidate {
  index: number;
  /** Ranking keys, all of the lifted surface point (where the pointer pointed; see rankCandidates). */
  rangeM: number;
  validRatio: number;
  spreadM: number;
  waypoint: Waypoint;
  /** Why the waypoint is outside the workspace, or null. */
  outside: string | null;
}

export class RequestRun {
  readonly result: PointResult;
  /** The snapshot the request used, once taken (recorders keep it with the result). */
  usedSnapshot: FrameSnapshot | null = null;
  private readonly abortController = new AbortController();
  private abortFailure: StageFailure | null = null;
  private readonly startMs: number;
  private readonly notes: string[] = [];
  private currentStage: Stage | 'request' = 'request';
  private settled = false;

  constructor(
    private readonly env: RunEnv,
    private readonly req: PointRequest,
  ) {
    this.startMs = env.now();
    const mode: RequestMode = req && REQUEST_MODES.includes(req.mode) ? req.mode : 'point';
    const defaultFrame = mode === 'navigate' ? env.config.frames.navigation : env.config.frames.target;
    this.result = {
      id: typeof req?.id === 'string' ? req.id : '',
      status: 'internal_error',
      reason: '',
      mode,
      query: typeof req?.query === 'string' ? req.query : null,
      targetFrame: typeof req?.targetFrame === 'string' && req.targetFrame.trim() !== '' ? cleanFrame(req.targetFrame) : defaultFrame,
      stampNs: null,
      frameSeq: null,
      cameraFrameId: null,
      cameraPose: null,
      waypoints: [],
      pixels: [],
      pixelStatus: [],
      rawText: '',
      model: '',
      timings: { total: 0 },
      tfFallback: false,
    };
  }

  get signal(): AbortSignal {
    return this.abortController.signal;
  }

  /** Stops the run at the next opportunity (the stage in progress is abandoned at once) with this status. */
  abortWith(status: ResultStatus, message: string): void {
    if (this.abortController.signal.aborted || this.settled) return;
    this.abortFailure = new StageFailure(status, message);
    this.abortController.abort();
  }

  /** Never rejects. */
  async execute(): Promise<PointResult> {
    const deadlineMs = this.req?.deadlineMs ?? this.env.config.timeouts.requestMs;
    const timer = Number.isFinite(deadlineMs) && deadlineMs > 0
      ? setTimeout(() => this.abortWith('deadline_exceeded', `the request's deadline of ${deadlineMs} ms passed`), Math.min(deadlineMs, MAX_TIMER_MS))
      : null;
    try {
      await this.stages();
      // An abort that came after the last stage's work (e.g. cancel() from its 'done' progress event) still wins:
      // cancel() returned true, so the result must say cancelled.
      if (this.abortFailure) throw this.abortFailure;
      this.finish('ok', this.notes.join('; '));
    } catch (err) {
      const failure = toFailure(err);
      this.finish(failure.status, `${this.currentStage}: ${failure.message}`);
    } finally {
      if (timer) clearTimeout(timer);
    }
    return this.result;
  }

  private finish(status: ResultStatus, reason: string): void {
    this.settled = true;
    this.result.status = status;
    this.result.reason = reason;
    if (status !== 'ok') this.result.waypoints = [];
    this.result.timings.total = this.env.now() - this.startMs;
  }

  private async stages(): Promise<void> {
    const problem = requestProblem(this.req);
    if (problem) throw new StageFailure('bad_request', problem);
    const explicit = (this.req.pixels?.length ?? 0) > 0;
    if (!explicit && !this.env.pointer) {
      throw new StageFailure('bad_request', 'no pointing model is configured (model.backend: none): send pixels instead of a query');
    }
    if (this.abortFailure) throw this.abortFailure;
    const frame = await this.stage('snapshot', () => this.snapshot());
    const pixels = await this.stage('point', (signal) => this.point(frame, explicit, signal));
    const lifted = await this.stage('lift', () => this.lift(frame, pixels, explicit));
    const transforms = await this.stage('transform', () => this.transform(frame));
    const candidates = await this.stage('target', () => this.targets(frame, lifted, transforms, explicit));
    await this.stage('validate', () => this.validate(candidates));
  }

  /** Runs one stage under its deadline and the request's abort; records its timing and progress. */
  private async stage<T>(stage: Stage, work: (signal: AbortSignal) => T | Promise<T>): Promise<T> {
    this.currentStage = stage;
    const limitMs = this.env.config.timeouts.stageMs[stage];
    const t0 = this.env.now();
    this.env.progress({ id: this.result.id, stage, state: 'start', atMs: t0 });
    const stageAbort = new AbortController();
    let timedOut = false;
    const onRequestAbort = () => stageAbort.abort();
    this.signal.addEventListener('abort', onRequestAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      if (this.signal.aborted) throw this.abortFailure!;
      const value = await new Promise<T>((resolve, reject) => {
        stageAbort.signal.addEventListener(
          'abort',
          () => reject(timedOut ? this.stageTimeout(stage, limitMs) : this.abortFailure),
          { once: true },
        );
        timer = setTimeout(() => {
          timedOut = true;
          stageAbort.abort();
        }, Math.min(limitMs, MAX_TIMER_MS));
        // A stage that ignores its signal is abandoned: its late outcome is dropped.
        Promise.resolve()
          .then(() => work(stageAbort.signal))
          .then(resolve, reject);
      });
      // Synchronous stages cannot be pre-empted by the timer: check their time afterwards.
      if (this.env.now() - t0 > limitMs) throw this.stageTimeout(stage, limitMs);
      return value;
    } finally {
      clearTimeout(timer);
      this.signal.removeEventListener('abort', onRequestAbort);
      const t1 = this.env.now();
      this.result.timings[stage] = t1 - t0;
      this.env.progress({ id: this.result.id, stage, state: 'done', atMs: t1 });
    }
  }

  private stageTimeout(stage: Stage, limitMs: number): StageFailure {
    return stage === 'point'
      ? new StageFailure('model_timeout', `the pointer did not answer within the stage deadline of ${limitMs} ms`)
      : new StageFailure('deadline_exceeded', `the stage took longer than its deadline of ${limitMs} ms`);
  }

  private async snapshot(): Promise<PreparedFrame> {
    const { store, config, now } = this.env;
    const seq = this.req.frameSeq;
    let snap;
    if (seq !== undefined) {
      snap = store.bySeq(seq);
      if (!snap) {
        if (store.size === 0) throw new StageFailure('no_frame', `no synchronised frame yet (inputs: ${this.env.describeInputs()})`);
        const held = store.seqs();
        throw new StageFailure('stale_frame', `frame #${seq} is no longer held (the store keeps #${held[0]}..#${held[held.length - 1]})`);
      }
    } else {
      snap = store.latest();
      if (!snap) {
        const refused = this.env.describeRefusals(-Infinity);
        throw new StageFailure('no_frame', `no synchronised colour + depth + camera info frame yet (inputs: ${this.env.describeInputs()})${refused ? `: ${refused}` : ''}`);
      }
      const ageMs = now() - snap.receivedAtMs;
      if (ageMs > config.store.maxAgeMs) {
        const refused = this.env.describeRefusals(snap.receivedAtMs);
        throw new StageFailure(
          'stale_frame',
          `the newest frame (#${snap.seq}) is ${(ageMs / 1000).toFixed(1)} s old, over the ${config.store.maxAgeMs} ms limit: ${refused ?? 'is the camera still publishing?'}`,
        );
      }
    }
    this.usedSnapshot = snap;
    this.result.stampNs = snap.stampNs;
    this.result.frameSeq = snap.seq;
    this.result.cameraFrameId = snap.frameId;
    return prepareFrame(snap, config.camera.rectified);
  }

  private async point(frame: PreparedFrame, explicit: boolean, signal: AbortSignal): Promise<PixelPoint[]> {
    if (explicit) {
      const pixels = this.req.pixels!.map((p, i) => ({
        u: p.u,
        v: p.v,
        label: p.label ?? this.req.query ?? `pixel ${i + 1}`,
        alt: null,
        image: 1,
        id: i + 1,
      }));
      this.result.model = 'operator click';
      this.result.pixels = pixels;
      for (const [i, p] of pixels.entries()) {
        if (!frame.model.contains(p.u, p.v)) {
          throw new StageFailure('bad_request', `pixels[${i}] (${p.u}, ${p.v}) is outside the ${frame.colorWidth}x${frame.colorHeight} colour image`);
        }
      }
      return pixels;
    }
    const pointer = this.env.pointer!;
    this.result.model = pointer.name;
    let answer: PointingResult;
    try {
      answer = await pointer.point(frame.snapshot.color, this.req.query!, { signal });
    } catch (err) {
      // A PointingError says what went wrong (timeout, cancelled, bad image...); anything else a pointer throws
      // (a runtime's own error, a bug in a backend) is still the model failing, not the bridge.
      if (err instanceof PointingError || err instanceof StageFailure) throw err;
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw new StageFailure('model_error', `the pointer '${pointer.name}' failed: ${message}`);
    }
    if (!answer || !Array.isArray(answer.points)) {
      throw new StageFailure('model_error', `the pointer '${pointer.name}' gave no answer object with points (got ${answer === null ? 'null' : typeof answer})`);
    }
    this.result.rawText = answer.rawText;
    this.result.model = answer.model || pointer.name;
    this.result.pixels = answer.points;
    if (answer.points.length === 0) throw new StageFailure('no_points', noPointsReason(this.req.query!, answer));
    return answer.points;
  }

  private lift(frame: PreparedFrame, pixels: PixelPoint[], explicit: boolean): Lifted[] {
    const { depth: d } = this.env.config;
    const status = (this.result.pixelStatus = pixels.map(() => 'pending'));
    const reasons: string[] = [];
    const lifted: Lifted[] = [];
    // Lifting is synchronous: an answer with thousands of points must not stall the event loop.
    const limit = Math.min(pixels.length, this.env.config.targets.maxCandidates);
    for (let i = limit; i < pixels.length; i++) status[i] = 'over_max_candidates';
    if (limit < pixels.length) this.notes.push(`lifted the first ${limit} of the ${pixels.length} points (targets.max_candidates)`);
    for (const [i, pixel] of pixels.slice(0, limit).entries()) {
      // A point with a box is lifted where the box's object has depth (geometry/box-anchor.ts); the waypoint's pixel
      // is that one, while result.pixels keeps the pointer's own.
      const anchor = pixel.box && !explicit ? boxAnchor(frame.model, frame.depth, pixel.box) : null;
      const { u, v } = anchor ?? (explicit ? pixel : snapToImage(pixel, frame.colorWidth, frame.colorHeight));
      const r = liftPixel(frame.model, frame.depth, u, v, { windowRadius: d.windowRadius, minValidRatio: d.minValidRatio });
      if (r.status !== 'ok') {
        status[i] = r.status;
        reasons.push(r.reason);
        continue;
      }
      if (r.sample.depthM < d.minM || r.sample.depthM > d.maxM) {
        status[i] = 'out_of_range';
        reasons.push(`depth ${r.sample.depthM.toFixed(3)} m at (${fmt(u)}, ${fmt(v)}) is outside the accepted ${d.minM}..${d.maxM} m`);
        continue;
      }
      // Anchored at the lifted depth: the approach must come from the surface the point lies on.
      const normal = estimateNormal(frame.model, frame.depth, u, v, d.normalRadius, r.sample.depthM);
      lifted.push({ index: i, pixel: anchor ? { ...pixel, u, v } : pixel, cameraPoint: r.point, sample: r.sample, normal });
    }
    if (lifted.length === 0) {
      throw new StageFailure('no_depth', `no usable depth at ${limit === 1 ? 'the pixel' : `any of the ${limit} pixels`}: ${reasons.join('; ')}`);
    }
    return lifted;
  }

  private transform(frame: PreparedFrame): Transforms {
    const { config } = this.env;
    const cameraFrame = frame.snapshot.frameId;
    const stampNs = frame.snapshot.stampNs;
    const target = this.result.targetFrame;
    const toTarget = this.lookup(target, cameraFrame, stampNs);
    this.result.cameraPose = { position: { ...toTarget.translation }, orientation: { ...toTarget.rotation } };
    const navigate = this.result.mode === 'navigate';
    const closest = config.targets.selection === 'closest';
    const robotOrigin = navigate || closest ? this.robotOrigin(toTarget, stampNs) : null;
    let workspace: Transforms['workspace'] = null;
    if (config.workspace && !navigate) {
      const frameId = config.workspace.frame ? cleanFrame(config.workspace.frame) : target;
      workspace = { frame: frameId, transform: frameId === target ? toTarget : this.lookup(frameId, cameraFrame, stampNs) };
    }
    return { cameraFrame, toTarget, origin: navigate ? robotOrigin : null, rankOrigin: closest ? robotOrigin : null, workspace };
  }

  /** The robot frame's origin in the target frame (navigate stand-offs, 'closest' ranking); the camera's, with a note,
   * when TF cannot give it. A failed lookup fails a navigate request; ranking alone never fails one. */
  private robotOrigin(toTarget: Transform, stampNs: bigint): Vec3 {
    const robot = cleanFrame(this.env.config.frames.robot);
    const target = this.result.targetFrame;
    if (robot === target) return { x: 0, y: 0, z: 0 };
    const navigate = this.result.mode === 'navigate';
    let why: string;
    if (!this.env.tf.hasFrame(robot)) why = `robot frame '${robot}' is unknown to TF`;
    else {
      try {
        return { ...this.lookup(target, robot, stampNs).translation };
      } catch (err) {
        if (navigate || !(err instanceof StageFailure)) throw err;
        why = `no transform from robot frame '${robot}' (${err.message})`;
      }
    }
    if (navigate) this.notes.push(`${why}: the stand-off is measured from the camera`);
    if (this.env.config.targets.selection === 'closest') this.notes.push(`${why}: 'closest' ranks by distance from the camera`);
    return { ...toTarget.translation };
  }

  /** TF at the capture stamp within the tolerance; the latest transform when that fails and the fallback is on. */
  private lookup(target: string, source: string, stampNs: bigint): Transform {
    if (target === cleanFrame(source)) return IDENTITY;
    const { tf, config } = this.env;
    const toleranceNs = BigInt(Math.round(config.tf.toleranceMs * 1e6));
    try {
      return tf.lookup(target, source, stampNs, toleranceNs);
    } catch (err) {
      if (!(err instanceof TfError)) throw err;
      if (err.code === 'extrapolation' && config.tf.fallbackToLatest) {
        try {
          const latest = tf.lookupLatest(target, source);
          this.result.tfFallback = true;
          this.notes.push(
            `TF '${source}' -> '${target}' at the image stamp was unavailable, used the latest transform ` +
              `(${Number(latest.stampNs - stampNs) / 1e6} ms from the image) as configured (tf.fallback_to_latest)`,
          );
          return latest.transform;
        } catch (latestErr) {
          if (!(latestErr instanceof TfError)) throw latestErr;
        }
      }
      throw failureFromTf(err, target, source, stampNs);
    }
  }

  /**
   * The waypoint of every lifted point, best first by targets.selection. Growing an object costs milliseconds, so
   * only the points the request returns get one: the ranking is decided on the lifted surface points first, then
   * objects are grown down that order until maxPoints waypoints inside the workspace have theirs.
   */
  private targets(frame: PreparedFrame, lifted: Lifted[], t: Transforms, explicit: boolean): Candidate[] {
    const { config } = this.env;
    const T = t.toTarget;
    const ranked = rankCandidates(
      lifted.map((l) => ({
        index: l.index,
        lifted: l,
        rangeM: t.rankOrigin ? norm(sub(applyTransform(T, l.cameraPoint), t.rankOrigin)) : norm(l.cameraPoint),
        validRatio: l.sample.validRatio,
        spreadM: l.sample.spreadM,
      })),
      config.targets.selection,
    );
    const cap = this.req.maxPoints ?? config.targets.maxPoints;
    // Pre-grasp poses are in the target frame: target -> camera -> workspace frame.
    const workspaceFromTarget = t.workspace ? compose(t.workspace.transform, invert(T)) : null;
    let returned = 0;
    return ranked.map(({ lifted: l, ...keys }) => {
      const waypoint = this.waypoint(frame, l, t, explicit, returned < cap);
      const outside = workspaceFromTarget ? this.outsideWorkspace(l.index, waypoint, workspaceFromTarget, t.workspace!.frame) : null;
      if (outside === null) returned++;
      return { ...keys, waypoint, outside };
    });
  }

  /** One lifted point's waypoint: the object under it when `grow`, the point by the pick mode and offset, its pose. */
  private waypoint(frame: PreparedFrame, l: Lifted, t: Transforms, explicit: boolean, grow: boolean): Waypoint {
    const { targets } = this.env.config;
    const T = t.toTarget;
    const cameraOrigin = T.translation;
    // The object under the point, the point by the pick mode and offset, and its covariance (object-stage.ts).
    const found = objectStage(this.env.config, {
      segment: grow,
      frame,
      pixel: l.pixel,
      cameraPoint: l.cameraPoint,
      sample: l.sample,
      toTarget: T,
      targetFrame: this.result.targetFrame,
      mode: this.result.mode,
      explicit,
      offsetAboveM: this.req.offsetAboveM,
    });
    if (found.note) this.notes.push(`point ${l.index + 1}: ${found.note}`);
    const point = found.point;
    const normal = l.normal ? unit(rotateVector(T.rotation, l.normal.normal)) : null;
    let pose;
    let preGraspPose = null;
    let quality = l.sample.validRatio;
    if (this.result.mode === 'pick') {
      const trusted = l.normal && l.normal.quality >= MIN_NORMAL_QUALITY ? normal : null;
      const pick = pickTarget(point, trusted, cameraOrigin, targets.preGraspM);
      pose = pick.pose;
      preGraspPose = pick.preGraspPose;
      quality *= pick.fromNormal ? l.normal!.quality : 0.5;
    } else if (this.result.mode === 'navigate') {
      const opticalAxis = rotateVector(T.rotation, { x: 0, y: 0, z: 1 });
      pose = navigateTarget(point, t.origin!, targets.standoffM, opticalAxis).pose;
    } else {
      pose = pointPose(point);
    }
    const waypoint: Waypoint = {
      rank: 0,
      label: l.pixel.label || this.result.query || `point ${l.index + 1}`,
      pixel: { u: l.pixel.u, v: l.pixel.v },
      cameraPoint: l.cameraPoint,
      point,
      pose,
      preGraspPose,
      normal,
      frameId: this.result.targetFrame,
      stampNs: this.result.stampNs!,
      depthM: l.sample.depthM,
      validRatio: l.sample.validRatio,
      depthSpreadM: l.sample.spreadM,
      quality: Math.max(0, Math.min(1, quality)),
      box: l.pixel.box ?? null,
      object: found.object,
      covariance: found.covariance,
      targetKind: found.targetKind,
    };
    return waypoint;
  }

  /** Why a waypoint lies outside the configured workspace (its own point, then its pre-grasp pose), or null. */
  private outsideWorkspace(index: number, waypoint: Waypoint, workspaceFromTarget: Transform, frame: string): string | null {
    const box = this.env.config.workspace;
    if (!box) return null;
    // The waypoint's own point (a centroid, a top centre or a free-space target may differ from the lifted one).
    const p = applyTransform(workspaceFromTarget, waypoint.point);
    if (!insideBox(p, box.min, box.max)) return `point ${index + 1} is outside the workspace in '${frame}': ${describeOutside(p, box.min, box.max)}`;
    // The arm passes through the pre-grasp pose before the grasp: it must be reachable too.
    const pre = waypoint.preGraspPose;
    const q = pre ? applyTransform(workspaceFromTarget, pre.position) : null;
    if (q && !insideBox(q, box.min, box.max)) {
      return `point ${index + 1}'s pre-grasp pose is outside the workspace in '${frame}': ${describeOutside(q, box.min, box.max)}`;
    }
    return null;
  }

  /** Candidates come best first (targets()); the first maxPoints inside the workspace are the result. */
  private validate(candidates: Candidate[]): void {
    const { config } = this.env;
    const status = this.result.pixelStatus;
    const reasons: string[] = [];
    const inside: Candidate[] = [];
    for (const c of candidates) {
      if (c.outside !== null) {
        status[c.index] = 'out_of_workspace';
        reasons.push(c.outside);
      } else inside.push(c);
    }
    if (inside.length === 0) throw new StageFailure('out_of_workspace', reasons.join('; '));
    const cap = this.req.maxPoints ?? config.targets.maxPoints;
    inside.forEach((c, rank) => {
      if (rank < cap) {
        c.waypoint.rank = rank;
        status[c.index] = 'ok';
      } else status[c.index] = 'over_max_points';
    });
    this.result.waypoints = inside.slice(0, cap).map((c) => c.waypoint);
  }
}

function noPointsReason(query: string, answer: { none: boolean; count: number | null; truncated: boolean; rawText: string; reason?: string }): string {
  if (answer.reason) return answer.reason;
  if (answer.none) return `the model says there is no '${query}' in the image`;
  if (answer.truncated) return 'the answer was cut off (max_tokens) before a complete point';
  if (answer.count !== null) return `the model counted ${answer.count} '${query}' but gave no points`;
  const text = answer.rawText.replace(/\s+/g, ' ').trim();
  return `the answer contains no points: "${text.length > 120 ? `${text.slice(0, 120)}...` : text}"`;
}

/** Moves a coordinate that lies just outside the image (the image spans [-0.5, size - 0.5) on the pixel-centre grid)
 * onto the border pixel centre; coordinates inside the image are left exactly where the model put them. */
function snapToImage(p: { u: number; v: number }, width: number, height: number): { u: number; v: number } {
  const snap = (x: number, size: number) => (x < -0.5 && x >= -0.5 - EDGE_SNAP_PX ? 0 : x >= size - 0.5 && x < size - 0.5 + EDGE_SNAP_PX ? size - 1 : x);
  return { u: snap(p.u, width), v: snap(p.v, height) };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
