// Dispatched navigate goals through Nav2's NavigateToPose action (when nav2_msgs is available): the goal is the
// same PoseStamped /goal_pose would carry; feedback (distance remaining, recoveries, times) and the result (goal
// status, Nav2's error code) are reported to the bridge — the console shows them — and summarised in /diagnostics;
// a cancel from the console cancels the action goal. Goals still running when the node stops are left to Nav2,
// as a goal sent on /goal_pose would be.
import { DIAGNOSTIC_LEVEL, poseStampedFromGoal, type DiagnosticStatusMsg, type DurationMsg, type PoseStampedMsg } from '../messages/outputs.js';
import type { DispatchedGoal, GoalExecution } from '../pipeline/types.js';
import type { RosNodeSettings } from './parameters.js';
import { GOAL_STATUS, type ClientGoal, type RosActionClient, type RosNode } from './types.js';

export const NAVIGATE_TO_POSE_TYPE = 'nav2_msgs/action/NavigateToPose';

export interface NavigateToPoseGoalMsg {
  pose: PoseStampedMsg;
  behavior_tree: string;
}
export interface NavigateToPoseFeedbackMsg {
  current_pose: PoseStampedMsg;
  navigation_time: DurationMsg;
  estimated_time_remaining: DurationMsg;
  number_of_recoveries: number;
  distance_remaining: number;
}
/** Jazzy and later: error_code and error_msg; Humble: `std_msgs/Empty result`. */
export interface NavigateToPoseResultMsg {
  error_code?: number;
  error_msg?: string;
}

type Report = Omit<GoalExecution, 'atMs'>;

/** Feedback arrives at Nav2's behaviour-tree rate (tens of Hz): reported at most this often per goal. */
const FEEDBACK_REPORT_MS = 200;

const seconds = (d: DurationMsg | undefined) => (d ? d.sec + d.nanosec / 1e9 : null);
const finiteOrNull = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : null);

function endState(status: number): Report['state'] {
  if (status === GOAL_STATUS.SUCCEEDED) return 'succeeded';
  if (status === GOAL_STATUS.CANCELED) return 'canceled';
  if (status === GOAL_STATUS.ABORTED) return 'aborted';
  return 'failed';
}

interface Running {
  report: Report;
  goal: ClientGoal<NavigateToPoseResultMsg> | null;
  /** Cancel asked for before the server answered the goal: sent once it is accepted. */
  cancelPending: boolean;
  lastFeedbackReportMs: number;
}

export class Nav2Navigator {
  private readonly client: RosActionClient<NavigateToPoseGoalMsg, NavigateToPoseFeedbackMsg, NavigateToPoseResultMsg>;
  /** The action's fully resolved name, as reports and logs show it. */
  readonly via: string;
  private readonly running = new Map<string, Running>();
  private last: Report | null = null;
  private readonly counts = { sent: 0, succeeded: 0, canceled: 0, failed: 0 };

  constructor(
    private readonly node: RosNode,
    private readonly settings: RosNodeSettings,
    private readonly report: (e: Report) => void,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.client = node.createActionClient(NAVIGATE_TO_POSE_TYPE, settings.nav2Action);
    this.via = node.resolveTopicName(settings.nav2Action);
  }

  /** The action client, when nav2_msgs is built and the nav2_action parameter names an action; else null. */
  static create(node: RosNode, settings: RosNodeSettings, report: (e: Report) => void): Nav2Navigator | null {
    if (settings.nav2Action.trim() === '') return null;
    if (!node.hasInterface(NAVIGATE_TO_POSE_TYPE)) {
      node.logger.info(`nav2_msgs is not available: navigate goals go to ${settings.navGoalTopic} (no feedback or result); install ros-<distro>-nav2-msgs and reinstall rclnodejs for the ${settings.nav2Action} action`);
      return null;
    }
    return new Nav2Navigator(node, settings, report);
  }

  /** Sends a navigate goal and follows it to its end. Never rejects: every outcome is reported and logged. */
  async send(g: DispatchedGoal): Promise<void> {
    const label = `'${g.label}' (result ${g.resultId}, waypoint ${g.waypointIndex}, by ${g.by})`;
    const r: Running = {
      report: {
        resultId: g.resultId,
        waypointIndex: g.waypointIndex,
        via: this.via,
        state: 'sending',
        distanceRemainingM: null,
        recoveries: null,
        navigationTimeS: null,
        estimatedTimeRemainingS: null,
        statusCode: null,
        errorCode: null,
        message: `sending to ${this.via}`,
      },
      goal: null,
      cancelPending: false,
      lastFeedbackReportMs: -Infinity,
    };
    this.running.set(g.resultId, r);
    this.counts.sent++;
    this.emit(r);
    const end = (state: Report['state'], message: string, extra: Partial<Report> = {}) => {
      Object.assign(r.report, { state, message, ...extra });
      this.running.delete(g.resultId);
      if (state === 'succeeded') this.counts.succeeded++;
      else if (state === 'canceled') this.counts.canceled++;
      else this.counts.failed++;
      this.emit(r);
      const text = `navigate goal ${label} via ${this.via}: ${message}`;
      if (state === 'succeeded' || state === 'canceled') this.node.logger.info(text);
      else this.node.logger.warn(text);
    };

    if (!this.client.isServerAvailable()) {
      end('unavailable', `no action server on ${this.via} (is Nav2 running and active?); the goal was not sent`);
      return;
    }
    const goalMsg: NavigateToPoseGoalMsg = { pose: poseStampedFromGoal(g, this.settings.navGoalStamp, this.node.nowNs()), behavior_tree: '' };
    try {
      r.goal = await this.client.sendGoal(goalMsg, (f) => this.onFeedback(r, f));
    } catch (err) {
      end('failed', `sending the goal failed: ${(err as Error).message}`);
      return;
    }
    if (!r.goal.accepted) {
      end('rejected', 'Nav2 rejected the goal');
      return;
    }
    if (r.report.state === 'sending') Object.assign(r.report, { state: 'active', message: `accepted by ${this.via}` });
    this.emit(r);
    this.node.logger.info(`sent navigate goal ${label} to ${this.via} in ${g.frameId}`);
    if (r.cancelPending) void this.requestCancel(r);

    let outcome: { status: number; result: NavigateToPoseResultMsg };
    try {
      outcome = await r.goal.result();
    } catch (err) {
      end('failed', `no result: ${(err as Error).message}`);
      return;
    }
    const errorCode = finiteOrNull(outcome.result?.error_code);
    const errorMsg = typeof outcome.result?.error_msg === 'string' ? outcome.result.error_msg : '';
    const state = endState(outcome.status);
    const words = state === 'failed' ? `ended with goal status ${outcome.status}` : state;
    const detail = errorCode !== null && errorCode !== 0 ? ` (error ${errorCode}${errorMsg ? `: ${errorMsg}` : ''})` : errorMsg ? ` (${errorMsg})` : '';
    end(state, `${words}${detail}`, { statusCode: outcome.status, errorCode });
  }

  /** Cancels the running goal of a result; false when none is running for it. */
  cancel(resultId: string): boolean {
    const r = this.running.get(resultId);
    if (!r) return false;
    if (r.goal) void this.requestCancel(r);
    else r.cancelPending = true;
    return true;
  }

  private async requestCancel(r: Running): Promise<void> {
    Object.assign(r.report, { state: 'canceling', message: `cancel requested from ${this.via}` });
    this.emit(r);
    let accepted = false;
    try {
      accepted = (await r.goal?.cancel()) ?? false;
    } catch (err) {
      this.node.logger.warn(`cancelling navigate goal of result ${r.report.resultId} failed: ${(err as Error).message}`);
    }
    // A refused cancel leaves the goal running; its result still ends it.
    if (!accepted && this.running.get(r.report.resultId) === r) {
      Object.assign(r.report, { state: 'active', message: 'Nav2 refused to cancel the goal' });
      this.emit(r);
    }
  }

  private onFeedback(r: Running, f: NavigateToPoseFeedbackMsg): void {
    Object.assign(r.report, {
      distanceRemainingM: finiteOrNull(f.distance_remaining),
      recoveries: finiteOrNull(f.number_of_recoveries),
      navigationTimeS: seconds(f.navigation_time),
      estimatedTimeRemainingS: seconds(f.estimated_time_remaining),
    });
    if (r.report.state === 'sending') Object.assign(r.report, { state: 'active', message: `accepted by ${this.via}` });
    const now = this.nowMs();
    if (now - r.lastFeedbackReportMs < FEEDBACK_REPORT_MS) {
      this.last = { ...r.report };
      return;
    }
    r.lastFeedbackReportMs = now;
    this.emit(r);
  }

  private emit(r: Running): void {
    this.last = { ...r.report };
    try {
      this.report({ ...r.report });
    } catch (err) {
      this.node.logger.error(`reporting navigate goal ${r.report.resultId}: ${(err as Error).message}`);
    }
  }

  /** /diagnostics: the latest navigate goal's state, feedback and result, and counts since start. */
  diagnosticStatus(): DiagnosticStatusMsg {
    const l = this.last;
    const problem = l !== null && ['unavailable', 'rejected', 'failed', 'aborted'].includes(l.state);
    const fmt = (n: number | null) => (n === null ? '' : String(Math.round(n * 1000) / 1000));
    return {
      level: problem ? DIAGNOSTIC_LEVEL.WARN : DIAGNOSTIC_LEVEL.OK,
      name: `${this.node.name}: navigation`,
      message: l === null ? `no navigate goal sent yet (action ${this.via}, server ${this.client.isServerAvailable() ? 'available' : 'not available'})` : `goal of ${l.resultId}: ${l.state} — ${l.message}`,
      hardware_id: '',
      values: [
        { key: 'action', value: this.via },
        { key: 'server_available', value: String(this.client.isServerAvailable()) },
        { key: 'goals_sent', value: String(this.counts.sent) },
        { key: 'goals_succeeded', value: String(this.counts.succeeded) },
        { key: 'goals_canceled', value: String(this.counts.canceled) },
        { key: 'goals_failed', value: String(this.counts.failed) },
        { key: 'running', value: String(this.running.size) },
        { key: 'last.result_id', value: l?.resultId ?? '' },
        { key: 'last.state', value: l?.state ?? '' },
        { key: 'last.distance_remaining_m', value: fmt(l?.distanceRemainingM ?? null) },
        { key: 'last.recoveries', value: fmt(l?.recoveries ?? null) },
        { key: 'last.navigation_time_s', value: fmt(l?.navigationTimeS ?? null) },
        { key: 'last.estimated_time_remaining_s', value: fmt(l?.estimatedTimeRemainingS ?? null) },
        { key: 'last.status_code', value: fmt(l?.statusCode ?? null) },
        { key: 'last.error_code', value: fmt(l?.errorCode ?? null) },
        { key: 'last.message', value: l?.message ?? '' },
      ],
    };
  }

  destroy(): void {
    this.client.destroy();
  }
}
