// RosRuntime backed by rclnodejs (2.x). The only file that touches rclnodejs; it is loaded with import() only when
// ROS_DISTRO is set (see load.ts). `Rcl` below types just the parts of rclnodejs we call, so the project builds
// and type-checks where rclnodejs is not installed.
import type {
  ActionGoalHandle,
  ActionServerHandlers,
  ClientGoal,
  RosActionClient,
  DurabilityPolicy,
  HistoryPolicy,
  ParameterSpec,
  ParameterType,
  ParameterValue,
  QosProfile,
  ReliabilityPolicy,
  RosActionServer,
  RosLogger,
  RosNode,
  RosPublisher,
  RosRuntime,
  RosService,
  RosSubscription,
  RosTimer,
  TopicEndpoint,
} from './types.js';
import { ParameterTypeMismatchError, coerceParameter } from './parameter-coerce.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
interface RclParameter {
  readonly name: string;
  readonly type: number;
  readonly value: unknown;
}
interface RclQosClass {
  new (history: number, depth: number, reliability: number, durability: number): object;
  HistoryPolicy: Record<string, number>;
  ReliabilityPolicy: Record<string, number>;
  DurabilityPolicy: Record<string, number>;
}
interface RclServerGoalHandle {
  readonly request: unknown;
  readonly isCancelRequested: boolean;
  execute(): void;
  publishFeedback(feedback: unknown): void;
  succeed(): void;
  abort(): void;
  canceled(): void;
}
interface RclClientGoalHandle {
  /** rclnodejs ≥ 1: isAccepted(); older: the `accepted` getter. */
  isAccepted?(): boolean;
  readonly accepted: boolean;
  /** action_msgs/GoalStatus code, updated by getResult(). */
  readonly status: number;
  getResult(): Promise<unknown>;
  /** action_msgs/srv/CancelGoal response: return_code 0 = ERROR_NONE (accepted). */
  cancelGoal(): Promise<{ return_code: number } | undefined>;
}
interface RclActionClient {
  isActionServerAvailable(): boolean;
  sendGoal(goal: unknown, feedbackCallback: (feedback: unknown) => void): Promise<RclClientGoalHandle>;
  destroy(): void;
}
interface RclNode {
  name(): string;
  namespace(): string;
  getLogger(): RosLogger;
  now(): { nanoseconds: bigint | number };
  spin(timeoutMs?: number): void;
  destroy(): void;
  declareParameter(parameter: RclParameter, descriptor?: object, ignoreOverride?: boolean): RclParameter;
  getParameter(name: string): RclParameter;
  getParameterOverrides(): RclParameter[];
  hasParameter(name: string): boolean;
  /** rclnodejs 2.2: runs before its own checks; returns the (possibly replaced) parameters to go on with. */
  addPreSetParametersCallback(callback: (parameters: RclParameter[]) => RclParameter[]): void;
  /** Runs after its checks (declared, not read only, type); a refusal leaves every parameter unchanged. */
  addOnSetParametersCallback(callback: (parameters: RclParameter[]) => { successful: boolean; reason: string }): void;
  createSubscription(type: string, topic: string, options: object, callback: (msg: unknown) => void): { destroy?(): void };
  destroySubscription(sub: object): void;
  createPublisher(type: string, topic: string, options: object): { publish(msg: unknown): void };
  createService(type: string, name: string, options: object, callback: (req: unknown) => Promise<unknown>): object;
  destroyService(service: object): void;
  createTimer(periodNs: bigint, callback: () => void): { cancel(): void };
  getPublishersInfoByTopic(topic: string, noDemangle: boolean): { node_name: string; node_namespace: string; topic_type: string; qos_profile: Record<string, number> }[];
  resolveTopicName(topic: string): string;
}
/** The parts of the rclnodejs module this adapter uses. */
export interface Rcl {
  init(context?: unknown, argv?: string[]): Promise<void>;
  Node: new (name: string, namespace?: string) => RclNode;
  QoS: RclQosClass;
  Parameter: new (name: string, type: number, value: unknown) => RclParameter;
  ParameterDescriptor: new (name: string, type: number, description?: string, readOnly?: boolean) => { additionalConstraints: string };
  ParameterType: Record<string, number>;
  ActionServer: new (
    node: RclNode,
    type: string,
    name: string,
    execute: (handle: RclServerGoalHandle) => Promise<unknown>,
    goalCallback?: (goal: unknown) => number,
    handleAccepted?: (handle: RclServerGoalHandle) => void,
    cancelCallback?: (handle?: RclServerGoalHandle) => number,
  ) => { destroy(): void };
  ActionClient: new (node: RclNode, type: string, name: string) => RclActionClient;
  GoalResponse: { ACCEPT: number; REJECT: number };
  CancelResponse: { ACCEPT: number; REJECT: number };
  require(type: string): unknown;
  shutdown(): void;
  isShutdown(): boolean;
  DistroUtils?: { getDistroName?(): string };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const HISTORY: Record<HistoryPolicy, string> = {
  system_default: 'RMW_QOS_POLICY_HISTORY_SYSTEM_DEFAULT',
  keep_last: 'RMW_QOS_POLICY_HISTORY_KEEP_LAST',
  keep_all: 'RMW_QOS_POLICY_HISTORY_KEEP_ALL',
};
const RELIABILITY: Record<ReliabilityPolicy, string> = {
  system_default: 'RMW_QOS_POLICY_RELIABILITY_SYSTEM_DEFAULT',
  reliable: 'RMW_QOS_POLICY_RELIABILITY_RELIABLE',
  best_effort: 'RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT',
};
const DURABILITY: Record<DurabilityPolicy, string> = {
  system_default: 'RMW_QOS_POLICY_DURABILITY_SYSTEM_DEFAULT',
  transient_local: 'RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL',
  volatile: 'RMW_QOS_POLICY_DURABILITY_VOLATILE',
};

function enumValue(table: Record<string, number>, key: string): number {
  const v = table[key];
  if (v === undefined) throw new Error(`rclnodejs has no ${key}`);
  return v;
}

function reverse<K extends string>(names: Record<K, string>, table: Record<string, number>, value: number | undefined): K {
  for (const [ours, theirs] of Object.entries(names) as [K, string][]) if (table[theirs] === value) return ours;
  return 'system_default' as K;
}

const PARAMETER_TYPE: Record<ParameterType, string> = {
  bool: 'PARAMETER_BOOL',
  integer: 'PARAMETER_INTEGER',
  double: 'PARAMETER_DOUBLE',
  string: 'PARAMETER_STRING',
  string_array: 'PARAMETER_STRING_ARRAY',
  double_array: 'PARAMETER_DOUBLE_ARRAY',
};

/** A value as rclnodejs holds it (BigInt integers, typed arrays) in our plain form. */
function plainValue(v: unknown): ParameterValue {
  if (typeof v === 'bigint') return Number(v);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  return v as ParameterValue;
}

/** rclnodejs hands messages over as message objects in places; our handlers want the plain shape. */
function plain(m: unknown): unknown {
  const r = m as { toPlainObject?: () => unknown } | null | undefined;
  return r && typeof r.toPlainObject === 'function' ? r.toPlainObject() : m;
}

class RclnodejsNode implements RosNode {
  readonly logger: RosLogger;
  private readonly specs = new Map<string, ParameterSpec>();

  constructor(
    private readonly rcl: Rcl,
    readonly raw: RclNode,
  ) {
    this.logger = raw.getLogger();
  }

  get name(): string {
    return this.raw.name();
  }

  get namespace(): string {
    return this.raw.namespace();
  }

  private qos(q: QosProfile): object {
    const Q = this.rcl.QoS;
    return new Q(
      enumValue(Q.HistoryPolicy, HISTORY[q.history]),
      q.depth,
      enumValue(Q.ReliabilityPolicy, RELIABILITY[q.reliability]),
      enumValue(Q.DurabilityPolicy, DURABILITY[q.durability]),
    );
  }

  private rclParameter(spec: ParameterSpec, value: ParameterValue): RclParameter {
    const type = enumValue(this.rcl.ParameterType, PARAMETER_TYPE[spec.type]);
    return new this.rcl.Parameter(spec.name, type, spec.type === 'integer' ? BigInt(value as number) : value);
  }

  declareParameter(spec: ParameterSpec): ParameterValue {
    const override = this.raw.getParameterOverrides().find((p) => p.name === spec.name);
    const value = override ? coerceParameter(spec, override.value) : spec.default;
    const type = enumValue(this.rcl.ParameterType, PARAMETER_TYPE[spec.type]);
    const descriptor = new this.rcl.ParameterDescriptor(spec.name, type, spec.description, spec.readOnly ?? false);
    if (spec.constraints) descriptor.additionalConstraints = spec.constraints;
    // The override was applied (and type-checked) above, so rclnodejs must not re-apply it unconverted.
    this.raw.declareParameter(this.rclParameter(spec, value), descriptor, true);
    this.specs.set(spec.name, spec);
    return value;
  }

  onSetParameters(callback: (changes: ReadonlyMap<string, ParameterValue>) => string | null): void {
    // rclnodejs checks a new value's type against the descriptor before any set callback and refuses a mismatch
    // with a garbled reason ("does not  readonly"), and refuses `ros2 param set x 15` for a double. So the pre-set
    // callback coerces each value as at start; one that cannot fit is swapped for the current value (passing
    // rclnodejs' check) and the set callback refuses the whole set with our reason.
    const refused = new Map<string, string>();
    this.raw.addPreSetParametersCallback((parameters) => {
      refused.clear();
      return parameters.map((p) => {
        const spec = this.specs.get(p.name);
        if (!spec || spec.readOnly) return p; // not ours, or read only: rclnodejs answers these itself
        try {
          return this.rclParameter(spec, coerceParameter(spec, p.value));
        } catch (err) {
          if (!(err instanceof ParameterTypeMismatchError)) throw err;
          refused.set(p.name, err.message);
          return this.raw.getParameter(p.name);
        }
      });
    });
    this.raw.addOnSetParametersCallback((parameters) => {
      const typeError = [...refused.values()][0];
      refused.clear();
      if (typeError !== undefined) return { successful: false, reason: typeError };
      const reason = callback(new Map(parameters.map((p) => [p.name, plainValue(p.value)])));
      return reason === null ? { successful: true, reason: '' } : { successful: false, reason };
    });
  }

  undeclaredOverrides(): string[] {
    return this.raw
      .getParameterOverrides()
      .map((p) => p.name)
      .filter((n) => !this.raw.hasParameter(n));
  }

  getParameter(name: string): ParameterValue {
    return plainValue(this.raw.getParameter(name).value);
  }

  createSubscription<T>(type: string, topic: string, qos: QosProfile, callback: (message: T) => void): RosSubscription {
    const sub = this.raw.createSubscription(type, topic, { qos: this.qos(qos), enableTypedArray: true }, callback as (m: unknown) => void);
    return { topic, destroy: () => this.raw.destroySubscription(sub) };
  }

  createPublisher<T>(type: string, topic: string, qos: QosProfile): RosPublisher<T> {
    const pub = this.raw.createPublisher(type, topic, { qos: this.qos(qos) });
    return { topic, type, publish: (message: T) => pub.publish(message) };
  }

  createService<Req, Res>(type: string, name: string, handler: (request: Req) => Promise<Res>): RosService {
    // Returning the response (instead of response.send) lets rclnodejs build and send it once the promise settles.
    const service = this.raw.createService(type, name, {}, (req) => handler(req as Req));
    return { name, destroy: () => this.raw.destroyService(service) };
  }

  createActionServer<Goal, Feedback, Result>(type: string, name: string, handlers: ActionServerHandlers<Goal, Feedback, Result>): RosActionServer {
    // One wrapper per rclnodejs goal handle, so execute and cancel see the same object.
    const wrappers = new WeakMap<RclServerGoalHandle, ActionGoalHandle<Goal, Feedback>>();
    const wrap = (h: RclServerGoalHandle): ActionGoalHandle<Goal, Feedback> => {
      let w = wrappers.get(h);
      if (!w) {
        w = makeWrapper(h);
        wrappers.set(h, w);
      }
      return w;
    };
    const makeWrapper = (h: RclServerGoalHandle): ActionGoalHandle<Goal, Feedback> => ({
      get goal() {
        // rclnodejs hands the goal over as a message object; our handlers want the plain shape.
        return plain(h.request) as Goal;
      },
      get isCancelRequested() {
        return h.isCancelRequested;
      },
      publishFeedback: (f) => h.publishFeedback(f),
      succeed: () => h.succeed(),
      abort: () => h.abort(),
      canceled: () => h.canceled(),
    });
    const { GoalResponse, CancelResponse } = this.rcl;
    const server = new this.rcl.ActionServer(
      this.raw,
      type,
      name,
      (h) => handlers.execute(wrap(h)),
      (g) => (handlers.accept && !handlers.accept(plain(g) as Goal) ? GoalResponse.REJECT : GoalResponse.ACCEPT),
      (h) => h.execute(),
      (h) => (h && (handlers.cancel ? handlers.cancel(wrap(h)) : true) ? CancelResponse.ACCEPT : CancelResponse.REJECT),
    );
    return { name, destroy: () => server.destroy() };
  }

  createActionClient<Goal, Feedback, Result>(type: string, name: string): RosActionClient<Goal, Feedback, Result> {
    const client = new this.rcl.ActionClient(this.raw, type, name);
    return {
      name,
      isServerAvailable: () => client.isActionServerAvailable(),
      sendGoal: async (goal, onFeedback) => {
        const h = await client.sendGoal(goal, (f) => onFeedback(plain(f) as Feedback));
        const handle: ClientGoal<Result> = {
          accepted: typeof h.isAccepted === 'function' ? h.isAccepted() : h.accepted,
          // getResult() sets the handle's status from the result response before it resolves.
          result: async () => {
            const result = plain(await h.getResult()) as Result;
            return { status: h.status, result };
          },
          cancel: async () => (await h.cancelGoal())?.return_code === 0,
        };
        return handle;
      },
      destroy: () => client.destroy(),
    };
  }

  createTimer(periodMs: number, callback: () => void): RosTimer {
    const timer = this.raw.createTimer(BigInt(Math.max(1, Math.round(periodMs * 1e6))), callback);
    return { cancel: () => timer.cancel() };
  }

  hasInterface(type: string): boolean {
    try {
      return this.rcl.require(type) !== undefined;
    } catch {
      return false;
    }
  }

  publishersInfo(topic: string): TopicEndpoint[] {
    const Q = this.rcl.QoS;
    // rclnodejs expands and remaps the name itself.
    return this.raw.getPublishersInfoByTopic(topic, false).map((e) => ({
      node: `${e.node_namespace === '/' ? '' : e.node_namespace}/${e.node_name}`,
      type: e.topic_type,
      qos: {
        history: reverse(HISTORY, Q.HistoryPolicy, e.qos_profile['history']),
        depth: e.qos_profile['depth'] ?? 0,
        reliability: reverse(RELIABILITY, Q.ReliabilityPolicy, e.qos_profile['reliability']),
        durability: reverse(DURABILITY, Q.DurabilityPolicy, e.qos_profile['durability']),
      },
    }));
  }

  nowNs(): bigint {
    return BigInt(this.raw.now().nanoseconds);
  }

  resolveTopicName(topic: string): string {
    return this.raw.resolveTopicName(topic);
  }

  destroy(): void {
    this.raw.destroy();
  }
}

export class RclnodejsRuntime implements RosRuntime {
  private constructor(
    private readonly rcl: Rcl,
    readonly distro: string,
  ) {}

  /** Initialises rclnodejs with the process arguments (`--ros-args ...`, `--params-file` included). */
  static async init(rcl: Rcl, distro: string, argv: string[] = process.argv): Promise<RclnodejsRuntime> {
    await rcl.init(undefined, argv);
    return new RclnodejsRuntime(rcl, distro);
  }

  createNode(name: string, namespace = ''): RosNode {
    return new RclnodejsNode(this.rcl, new this.rcl.Node(name, namespace));
  }

  spin(node: RosNode): void {
    (node as RclnodejsNode).raw.spin();
  }

  shutdown(): void {
    if (!this.rcl.isShutdown()) this.rcl.shutdown();
  }
}
