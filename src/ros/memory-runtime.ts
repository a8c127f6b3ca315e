// An in-memory RosRuntime for tests and for running the node's wiring without ROS: it records everything the node
// declares and publishes, lets a test inject messages, call services and send action goals, fire timers, and
// offers publisher QoS on the "graph". Like rclnodejs it refuses messages that do not fit their type: published
// messages of a type we carry a definition for are CDR-encoded, so a wrong shape throws here too.
import { encodeCdr } from '../messages/cdr.js';
import { isKnownType } from '../messages/definitions.js';
import { ParameterTypeMismatchError, coerceParameter } from './parameter-coerce.js';
import { GOAL_STATUS } from './types.js';
import type {
  ActionGoalHandle,
  ActionServerHandlers,
  ClientGoal,
  RosActionClient,
  ParameterSpec,
  ParameterValue,
  QosProfile,
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

/** Standard message packages every ROS 2 desktop install has. */
export const STANDARD_INTERFACES = [
  'std_msgs/msg/String',
  'sensor_msgs/msg/Image',
  'sensor_msgs/msg/CompressedImage',
  'sensor_msgs/msg/CameraInfo',
  'tf2_msgs/msg/TFMessage',
  'geometry_msgs/msg/PoseStamped',
  'geometry_msgs/msg/PoseArray',
  'geometry_msgs/msg/PointStamped',
  'visualization_msgs/msg/MarkerArray',
  'diagnostic_msgs/msg/DiagnosticArray',
];

export interface MemoryRuntimeOptions {
  /** Parameter overrides, as `--ros-args -p` / `--params-file` would give them. */
  parameterOverrides?: Record<string, unknown>;
  /** Interface types that "are built"; default STANDARD_INTERFACES. */
  interfaces?: string[];
  /** Node clock, ns. */
  now?: () => bigint;
  /** Topic remappings (`-r from:=to`), keys and values fully qualified. */
  remap?: Record<string, string>;
  /**
   * Packages whose JS classes were generated but whose typesupport library cannot be loaded (an overlay built and
   * generated in one shell, its install/setup.bash not sourced in this one): creating an endpoint of one of their
   * types throws the dlopen error rclnodejs' binding throws.
   */
  missingTypesupport?: string[];
}

export interface RecordedSubscription {
  type: string;
  topic: string;
  resolved: string;
  qos: QosProfile;
  callback: (message: unknown) => void;
  destroyed: boolean;
}

export interface RecordedPublisher {
  type: string;
  topic: string;
  resolved: string;
  qos: QosProfile;
}

export interface PublishedMessage {
  topic: string;
  type: string;
  message: unknown;
}

export interface RecordedService {
  type: string;
  name: string;
  resolved: string;
  handler: (request: unknown) => Promise<unknown>;
  destroyed: boolean;
}

export interface RecordedActionServer {
  type: string;
  name: string;
  resolved: string;
  handlers: ActionServerHandlers<unknown, unknown, unknown>;
  destroyed: boolean;
}

export interface RecordedActionClient {
  type: string;
  name: string;
  resolved: string;
  destroyed: boolean;
}

export type GoalStatus = 'executing' | 'succeeded' | 'aborted' | 'canceled';

const STATUS_CODE: Record<GoalStatus, number> = {
  executing: GOAL_STATUS.EXECUTING,
  succeeded: GOAL_STATUS.SUCCEEDED,
  aborted: GOAL_STATUS.ABORTED,
  canceled: GOAL_STATUS.CANCELED,
};

/** `pkg/action/Name` -> the message type of one of its parts (`pkg/action/Name_Goal`). */
const actionPart = (type: string, part: 'Goal' | 'Feedback' | 'Result') => `${type}_${part}`;
/** Like rclnodejs, refuse what does not fit the type, for the types we carry definitions of. */
const checkShape = (type: string, message: unknown) => void (isKnownType(type) && encodeCdr(type, message));

/** A goal sent through the double: its feedback as it arrives, then its terminal status and result. */
export interface SentGoal {
  feedback: unknown[];
  status: GoalStatus;
  /** Resolves with the result once the server returns it. */
  result: Promise<unknown>;
  /** Requests cancellation, as a client's cancel_goal would; resolves with whether the server accepted. */
  cancel(): boolean;
}

/** rcl_interfaces/msg/SetParameterResult. */
export interface SetParameterResult {
  successful: boolean;
  reason: string;
}

/** A parameter event (rcl_interfaces/msg/ParameterEvent), as published on /parameter_events after a set. */
export interface ParameterEvent {
  changed: { name: string; value: ParameterValue }[];
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

export class MemoryNode implements RosNode {
  readonly parameters = new Map<string, { spec: ParameterSpec; value: ParameterValue }>();
  readonly subscriptions: RecordedSubscription[] = [];
  readonly publishers: RecordedPublisher[] = [];
  readonly published: PublishedMessage[] = [];
  readonly services: RecordedService[] = [];
  readonly actionServers: RecordedActionServer[] = [];
  readonly actionClients: RecordedActionClient[] = [];
  readonly timers: { periodMs: number; callback: () => void; cancelled: boolean }[] = [];
  readonly logs: LogEntry[] = [];
  readonly parameterEvents: ParameterEvent[] = [];
  private readonly setCallbacks: ((changes: ReadonlyMap<string, ParameterValue>) => string | null)[] = [];
  /** Publishers other nodes have on the graph, by resolved topic. */
  readonly graph = new Map<string, TopicEndpoint[]>();
  destroyed = false;
  spinning = false;
  readonly logger: RosLogger;

  constructor(
    readonly name: string,
    readonly namespace: string,
    private readonly options: MemoryRuntimeOptions,
    /** The runtime's nodes: an action client reaches the servers of any of them, as on one ROS graph. */
    private readonly peers: () => readonly MemoryNode[] = () => [this],
  ) {
    const log = (level: LogEntry['level']) => (message: string) => void this.logs.push({ level, message });
    this.logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  }

  // --- RosNode --------------------------------------------------------------------------------------------

  declareParameter(spec: ParameterSpec): ParameterValue {
    if (this.parameters.has(spec.name)) throw new Error(`Parameter(${spec.name}) already declared.`);
    const overrides = this.options.parameterOverrides ?? {};
    const value = spec.name in overrides ? coerceParameter(spec, overrides[spec.name]) : spec.default;
    this.parameters.set(spec.name, { spec, value });
    return value;
  }

  undeclaredOverrides(): string[] {
    return Object.keys(this.options.parameterOverrides ?? {}).filter((n) => !this.parameters.has(n));
  }

  getParameter(name: string): ParameterValue {
    const p = this.parameters.get(name);
    if (!p) throw new Error(`parameter '${name}' is not declared`);
    return p.value;
  }

  onSetParameters(callback: (changes: ReadonlyMap<string, ParameterValue>) => string | null): void {
    this.setCallbacks.push(callback);
  }

  createSubscription<T>(type: string, topic: string, qos: QosProfile, callback: (message: T) => void): RosSubscription {
    this.loadTypesupport(type);
    const rec: RecordedSubscription = { type, topic, resolved: this.resolveTopicName(topic), qos: { ...qos }, callback: callback as (m: unknown) => void, destroyed: false };
    this.subscriptions.push(rec);
    return { topic, destroy: () => void (rec.destroyed = true) };
  }

  createPublisher<T>(type: string, topic: string, qos: QosProfile): RosPublisher<T> {
    this.loadTypesupport(type);
    const resolved = this.resolveTopicName(topic);
    this.publishers.push({ type, topic, resolved, qos: { ...qos } });
    return {
      topic,
      type,
      publish: (message: T) => {
        if (this.destroyed) throw new Error(`publisher on ${resolved}: node destroyed`);
        checkShape(type, message);
        this.published.push({ topic: resolved, type, message });
      },
    };
  }

  createService<Req, Res>(type: string, name: string, handler: (request: Req) => Promise<Res>): RosService {
    this.loadTypesupport(type);
    const rec: RecordedService = { type, name, resolved: this.resolveTopicName(name), handler: handler as (r: unknown) => Promise<unknown>, destroyed: false };
    this.services.push(rec);
    return { name, destroy: () => void (rec.destroyed = true) };
  }

  createActionServer<Goal, Feedback, Result>(type: string, name: string, handlers: ActionServerHandlers<Goal, Feedback, Result>): RosActionServer {
    this.loadTypesupport(type);
    const rec: RecordedActionServer = {
      type,
      name,
      resolved: this.resolveTopicName(name),
      handlers: handlers as ActionServerHandlers<unknown, unknown, unknown>,
      destroyed: false,
    };
    this.actionServers.push(rec);
    return { name, destroy: () => void (rec.destroyed = true) };
  }

  createActionClient<Goal, Feedback, Result>(type: string, name: string): RosActionClient<Goal, Feedback, Result> {
    this.loadTypesupport(type);
    const rec: RecordedActionClient = { type, name, resolved: this.resolveTopicName(name), destroyed: false };
    this.actionClients.push(rec);
    const server = () => this.peers().flatMap((n) => n.actionServers).find((x) => x.resolved === rec.resolved && x.type === type && !x.destroyed);
    return {
      name,
      isServerAvailable: () => !rec.destroyed && server() !== undefined,
      sendGoal: async (goal, onFeedback) => {
        const s = server();
        if (rec.destroyed || !s) throw new Error(`no action server ${rec.resolved}${rec.destroyed ? ' (client destroyed)' : ''}`);
        checkShape(actionPart(type, 'Goal'), goal);
        if (s.handlers.accept && !s.handlers.accept(goal)) {
          return { accepted: false, result: () => Promise.reject(new Error('the goal was rejected')), cancel: async () => false };
        }
        const sent = this.startGoal(s, goal, (f) => {
          checkShape(actionPart(type, 'Feedback'), f);
          onFeedback(f as Feedback);
        });
        const handle: ClientGoal<Result> = {
          accepted: true,
          result: async () => {
            const result = await sent.result;
            checkShape(actionPart(type, 'Result'), result);
            return { status: STATUS_CODE[sent.status], result: result as Result };
          },
          cancel: async () => sent.status === 'executing' && sent.cancel(),
        };
        return handle;
      },
      destroy: () => void (rec.destroyed = true),
    };
  }

  createTimer(periodMs: number, callback: () => void): RosTimer {
    const t = { periodMs, callback, cancelled: false };
    this.timers.push(t);
    return { cancel: () => void (t.cancelled = true) };
  }

  hasInterface(type: string): boolean {
    return (this.options.interfaces ?? STANDARD_INTERFACES).includes(type);
  }

  publishersInfo(topic: string): TopicEndpoint[] {
    return this.graph.get(this.resolveTopicName(topic)) ?? [];
  }

  nowNs(): bigint {
    return this.options.now ? this.options.now() : BigInt(Date.now()) * 1_000_000n;
  }

  resolveTopicName(topic: string): string {
    const ns = this.namespace === '' || this.namespace === '/' ? '' : this.namespace.replace(/\/$/, '');
    let full: string;
    if (topic.startsWith('/')) full = topic;
    else if (topic === '~') full = `${ns}/${this.name}`;
    else if (topic.startsWith('~/')) full = `${ns}/${this.name}/${topic.slice(2)}`;
    else full = `${ns}/${topic}`;
    return this.options.remap?.[full] ?? full;
  }

  destroy(): void {
    this.destroyed = true;
    for (const s of this.subscriptions) s.destroyed = true;
    for (const s of this.services) s.destroyed = true;
    for (const a of this.actionServers) a.destroyed = true;
    for (const a of this.actionClients) a.destroyed = true;
    for (const t of this.timers) t.cancelled = true;
  }

  /** rclnodejs dlopens lib<package>__rosidl_typesupport_c.so when an endpoint of the type is created. */
  private loadTypesupport(type: string): void {
    const pkg = type.split('/')[0]!;
    if (this.options.missingTypesupport?.includes(pkg)) {
      throw new Error(`lib${pkg}__rosidl_typesupport_c.so: cannot open shared object file: No such file or directory`);
    }
  }

  // --- Test controls --------------------------------------------------------------------------------------

  /**
   * What `ros2 param set` does (one set_parameters call): rclnodejs' checks in its order (declared, not read
   * only, the value fits the type), then every onSetParameters callback; all or nothing. A success stores the
   * values and records a parameter event.
   */
  setParameters(values: Record<string, unknown>): SetParameterResult {
    const changes = new Map<string, ParameterValue>();
    for (const [name, raw] of Object.entries(values)) {
      const p = this.parameters.get(name);
      if (!p) return { successful: false, reason: `Parameter ${name} has not been declared` };
      if (p.spec.readOnly) return { successful: false, reason: `Parameter ${name} is readonly` };
      try {
        changes.set(name, coerceParameter(p.spec, raw));
      } catch (err) {
        if (err instanceof ParameterTypeMismatchError) return { successful: false, reason: err.message };
        throw err;
      }
    }
    for (const callback of this.setCallbacks) {
      const reason = callback(changes);
      if (reason !== null) return { successful: false, reason };
    }
    for (const [name, value] of changes) this.parameters.get(name)!.value = value;
    this.parameterEvents.push({ changed: [...changes].map(([name, value]) => ({ name, value })) });
    return { successful: true, reason: '' };
  }

  /** Delivers a message to every live subscription on the topic; returns how many received it. */
  inject(topic: string, message: unknown): number {
    const resolved = this.resolveTopicName(topic);
    const subs = this.subscriptions.filter((s) => s.resolved === resolved && !s.destroyed);
    for (const s of subs) {
      checkShape(s.type, message);
      s.callback(message);
    }
    return subs.length;
  }

  subscription(topic: string): RecordedSubscription | undefined {
    const resolved = this.resolveTopicName(topic);
    return this.subscriptions.find((s) => s.resolved === resolved && !s.destroyed);
  }

  publisher(topic: string): RecordedPublisher | undefined {
    const resolved = this.resolveTopicName(topic);
    return this.publishers.find((p) => p.resolved === resolved);
  }

  /** Messages published on a topic, oldest first. */
  messages<T = unknown>(topic: string): T[] {
    const resolved = this.resolveTopicName(topic);
    return this.published.filter((p) => p.topic === resolved).map((p) => p.message as T);
  }

  /** Fires every live timer once (their periods are recorded, not waited for). */
  fireTimers(): void {
    for (const t of this.timers) if (!t.cancelled) t.callback();
  }

  async callService(name: string, request: unknown): Promise<unknown> {
    const resolved = this.resolveTopicName(name);
    const s = this.services.find((x) => x.resolved === resolved && !x.destroyed);
    if (!s) throw new Error(`no service ${resolved}`);
    return s.handler(request);
  }

  sendGoal(name: string, goal: unknown): SentGoal {
    const resolved = this.resolveTopicName(name);
    const server = this.actionServers.find((x) => x.resolved === resolved && !x.destroyed);
    if (!server) throw new Error(`no action server ${resolved}`);
    return this.startGoal(server, goal);
  }

  /** Runs a goal on a server of this double; feedback is recorded and handed to `onFeedback` as published. */
  private startGoal(server: RecordedActionServer, goal: unknown, onFeedback?: (feedback: unknown) => void): SentGoal {
    let cancelRequested = false;
    const sent: SentGoal = {
      feedback: [],
      status: 'executing',
      result: Promise.resolve(undefined),
      cancel: () => {
        const accept = server.handlers.cancel ? server.handlers.cancel(handle) : true;
        if (accept) cancelRequested = true;
        return accept;
      },
    };
    const terminal = (status: GoalStatus) => () => {
      if (sent.status !== 'executing') throw new Error(`goal already ${sent.status}`);
      sent.status = status;
    };
    const handle: ActionGoalHandle<unknown, unknown> = {
      goal,
      get isCancelRequested() {
        return cancelRequested;
      },
      publishFeedback: (f) => {
        sent.feedback.push(f);
        onFeedback?.(f);
      },
      succeed: terminal('succeeded'),
      abort: terminal('aborted'),
      canceled: terminal('canceled'),
    };
    sent.result = server.handlers.execute(handle).then((r) => {
      // rclnodejs aborts a goal whose execute callback returned without a terminal state.
      if (sent.status === 'executing') sent.status = 'aborted';
      return r;
    });
    return sent;
  }
}

export class MemoryRuntime implements RosRuntime {
  readonly distro = 'memory';
  readonly nodes: MemoryNode[] = [];
  shutDown = false;

  constructor(private readonly options: MemoryRuntimeOptions = {}) {}

  createNode(name: string, namespace = ''): MemoryNode {
    const node = new MemoryNode(name, namespace, this.options, () => this.nodes);
    this.nodes.push(node);
    return node;
  }

  spin(node: RosNode): void {
    (node as MemoryNode).spinning = true;
  }

  shutdown(): void {
    this.shutDown = true;
    for (const n of this.nodes) n.destroy();
  }
}
