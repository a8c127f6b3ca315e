// The small part of a ROS 2 client library this node uses, as our own interface. The rclnodejs implementation
// (rclnodejs-runtime.ts) is the only code that touches rclnodejs; the in-memory double (memory-runtime.ts)
// implements the same interface for tests. Messages are ROS-shaped plain objects (snake_case, {sec, nanosec}).

export type HistoryPolicy = 'keep_last' | 'keep_all' | 'system_default';
export type ReliabilityPolicy = 'reliable' | 'best_effort' | 'system_default';
export type DurabilityPolicy = 'volatile' | 'transient_local' | 'system_default';

export interface QosProfile {
  history: HistoryPolicy;
  depth: number;
  reliability: ReliabilityPolicy;
  durability: DurabilityPolicy;
}

export type ParameterType = 'bool' | 'integer' | 'double' | 'string' | 'string_array' | 'double_array';
export type ParameterValue = boolean | number | string | string[] | number[];

/** A parameter as declared: type, default and the description `ros2 param describe` shows. */
export interface ParameterSpec {
  name: string;
  type: ParameterType;
  default: ParameterValue;
  description: string;
  /** Constraints in words (shown by `ros2 param describe`), e.g. "one of: point, pick, navigate". */
  constraints?: string;
  readOnly?: boolean;
}

export interface RosLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RosSubscription {
  readonly topic: string;
  destroy(): void;
}

export interface RosPublisher<T = unknown> {
  readonly topic: string;
  readonly type: string;
  publish(message: T): void;
}

export interface RosService {
  readonly name: string;
  destroy(): void;
}

export interface RosTimer {
  cancel(): void;
}

/** One accepted goal of an action server. */
export interface ActionGoalHandle<Goal, Feedback> {
  readonly goal: Goal;
  /** True once a client asked to cancel (and the server accepted). */
  readonly isCancelRequested: boolean;
  publishFeedback(feedback: Feedback): void;
  succeed(): void;
  abort(): void;
  canceled(): void;
}

export interface ActionServerHandlers<Goal, Feedback, Result> {
  /** Runs an accepted goal to its end; must set a terminal state (succeed/abort/canceled) and return the result. */
  execute(handle: ActionGoalHandle<Goal, Feedback>): Promise<Result>;
  /** Whether to accept a cancel request for this goal (default: accept). */
  cancel?(handle: ActionGoalHandle<Goal, Feedback>): boolean;
  /** Whether to accept a new goal (default: accept). */
  accept?(goal: Goal): boolean;
}

export interface RosActionServer {
  readonly name: string;
  destroy(): void;
}

/** action_msgs/GoalStatus codes. */
export const GOAL_STATUS = { UNKNOWN: 0, ACCEPTED: 1, EXECUTING: 2, CANCELING: 3, SUCCEEDED: 4, CANCELED: 5, ABORTED: 6 } as const;

/** A goal an action client sent, as the server answered it. */
export interface ClientGoal<Result> {
  /** False when the server rejected the goal (nothing else then happens to it). */
  readonly accepted: boolean;
  /** Resolves once the goal has ended: its GOAL_STATUS code and the result message. */
  result(): Promise<{ status: number; result: Result }>;
  /** Asks the server to cancel the goal; resolves with whether the server accepted to. */
  cancel(): Promise<boolean>;
}

export interface RosActionClient<Goal, Feedback, Result> {
  readonly name: string;
  /** Whether an action server for this name is on the graph now. */
  isServerAvailable(): boolean;
  /** Sends a goal; resolves once the server accepted or rejected it. Feedback arrives on `onFeedback`. */
  sendGoal(goal: Goal, onFeedback: (feedback: Feedback) => void): Promise<ClientGoal<Result>>;
  destroy(): void;
}

/** What a publisher on a topic offers (from the ROS graph), to tell why a subscription receives nothing. */
export interface TopicEndpoint {
  node: string;
  type: string;
  qos: QosProfile;
}

export interface RosNode {
  readonly name: string;
  readonly namespace: string;
  readonly logger: RosLogger;
  /** Declares a parameter and returns its value: an override (--ros-args -p / --params-file) or the default. */
  declareParameter(spec: ParameterSpec): ParameterValue;
  getParameter(name: string): ParameterValue;
  /**
   * Vets every runtime change (`ros2 param set`, the set_parameters services) before it is stored: `callback` gets
   * the new values, already made to fit their declared types (a value that cannot fit is refused before, with
   * the reason), and returns null to accept them all or the reason to refuse them all. Read-only parameters are
   * refused by the client library itself.
   */
  onSetParameters(callback: (changes: ReadonlyMap<string, ParameterValue>) => string | null): void;
  /** Overrides given for parameters this node never declared (typos in a params file, stale names). */
  undeclaredOverrides(): string[];
  createSubscription<T = unknown>(type: string, topic: string, qos: QosProfile, callback: (message: T) => void): RosSubscription;
  createPublisher<T = unknown>(type: string, topic: string, qos: QosProfile): RosPublisher<T>;
  createService<Req = unknown, Res = unknown>(type: string, name: string, handler: (request: Req) => Promise<Res>): RosService;
  createActionServer<Goal = unknown, Feedback = unknown, Result = unknown>(
    type: string,
    name: string,
    handlers: ActionServerHandlers<Goal, Feedback, Result>,
  ): RosActionServer;
  createTimer(periodMs: number, callback: () => void): RosTimer;
  /** Whether an interface type (message, service or action) is available, i.e. its package was built. */
  createActionClient<Goal = unknown, Feedback = unknown, Result = unknown>(type: string, name: string): RosActionClient<Goal, Feedback, Result>;
  hasInterface(type: string): boolean;
  /** Publishers currently on a topic, with the QoS they offer. */
  publishersInfo(topic: string): TopicEndpoint[];
  /** The node's clock (ROS time; sim time when use_sim_time is set), nanoseconds. */
  nowNs(): bigint;
  /** Fully qualified name of a topic as the node resolves it (`~/x` -> `/<ns>/<node>/x`). */
  resolveTopicName(topic: string): string;
  destroy(): void;
}

/** A ROS 2 client library session: initialised once per process. */
export interface RosRuntime {
  /** ROS_DISTRO the library runs against (e.g. 'jazzy'), or a label for the double. */
  readonly distro: string;
  createNode(name: string, namespace?: string): RosNode;
  /** Starts processing callbacks for the node (non-blocking: callbacks arrive on the Node.js event loop). */
  spin(node: RosNode): void;
  shutdown(): void;
}
