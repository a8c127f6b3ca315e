// The rclnodejs glue against a stand-in of the rclnodejs 2.2 API surface it calls (signatures and enum values
// as in rclnodejs' lib/qos.js, lib/parameter.js, lib/node.js and lib/action/server.js): the right QoS numbers,
// BigInt integer parameters, overrides applied by us, nanosecond timers, action callbacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParameterTypeMismatchError } from '../../src/ros/parameter-coerce.js';
import { RclnodejsRuntime, type Rcl } from '../../src/ros/rclnodejs-runtime.js';

class FakeQoS {
  static HistoryPolicy = { RMW_QOS_POLICY_HISTORY_SYSTEM_DEFAULT: 0, RMW_QOS_POLICY_HISTORY_KEEP_LAST: 1, RMW_QOS_POLICY_HISTORY_KEEP_ALL: 2 };
  static ReliabilityPolicy = { RMW_QOS_POLICY_RELIABILITY_SYSTEM_DEFAULT: 0, RMW_QOS_POLICY_RELIABILITY_RELIABLE: 1, RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT: 2 };
  static DurabilityPolicy = { RMW_QOS_POLICY_DURABILITY_SYSTEM_DEFAULT: 0, RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL: 1, RMW_QOS_POLICY_DURABILITY_VOLATILE: 2 };
  constructor(readonly history: number, readonly depth: number, readonly reliability: number, readonly durability: number) {}
}
const ParameterType = { PARAMETER_NOT_SET: 0, PARAMETER_BOOL: 1, PARAMETER_INTEGER: 2, PARAMETER_DOUBLE: 3, PARAMETER_STRING: 4, PARAMETER_STRING_ARRAY: 9, PARAMETER_DOUBLE_ARRAY: 8 };
class FakeParameter {
  readonly value: unknown;
  constructor(readonly name: string, readonly type: number, value: unknown) {
    // rclnodejs keeps integers as BigInt and validates the value against the type.
    if (type === ParameterType.PARAMETER_INTEGER && typeof value !== 'bigint') throw new TypeError(`${name}: integer must be bigint`);
    if (type === ParameterType.PARAMETER_DOUBLE && typeof value !== 'number') throw new TypeError(`${name}: double must be number`);
    this.value = value;
  }
}
class FakeDescriptor {
  additionalConstraints = '';
  constructor(readonly name: string, readonly type: number, readonly description: string, readonly readOnly: boolean) {}
}

const calls: { method: string; args: unknown[] }[] = [];
const overrides = new Map<string, FakeParameter>();
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let lastClient: any = null;
let lastAction: { execute: (h: unknown) => Promise<unknown>; goal: (g: unknown) => number; accepted: (h: unknown) => void; cancel: (h?: unknown) => number } | null = null;

class FakeNode {
  private readonly params = new Map<string, FakeParameter>();
  private readonly descriptors = new Map<string, FakeDescriptor>();
  private readonly preSet: ((ps: FakeParameter[]) => FakeParameter[])[] = [];
  private readonly onSet: ((ps: FakeParameter[]) => { successful: boolean; reason: string })[] = [];
  constructor(readonly nodeName: string, readonly ns: string) {
    calls.push({ method: 'Node', args: [nodeName, ns] });
  }
  name() { return this.nodeName; }
  namespace() { return this.ns === '' ? '/' : this.ns; }
  getLogger() { return { debug() {}, info() {}, warn() {}, error() {} }; }
  now() { return { nanoseconds: 1_700_000_000_000_000_001n }; }
  spin(t?: number) { calls.push({ method: 'spin', args: [t] }); }
  destroy() { calls.push({ method: 'destroy', args: [] }); }
  getParameterOverrides() { return [...overrides.values()]; }
  declareParameter(p: FakeParameter, d: FakeDescriptor, ignoreOverride: boolean) {
    calls.push({ method: 'declareParameter', args: [p, d, ignoreOverride] });
    this.params.set(p.name, p);
    this.descriptors.set(p.name, d);
    return p;
  }
  addPreSetParametersCallback(cb: (ps: FakeParameter[]) => FakeParameter[]) { this.preSet.unshift(cb); }
  addOnSetParametersCallback(cb: (ps: FakeParameter[]) => { successful: boolean; reason: string }) { this.onSet.unshift(cb); }
  /** rclnodejs 2.2's _setParametersAtomically: pre-set callbacks, its own checks (reasons verbatim), set callbacks. */
  setParametersAtomically(parameters: FakeParameter[]) {
    for (const cb of this.preSet) parameters = cb(parameters);
    for (const p of parameters) {
      const d = this.descriptors.get(p.name);
      if (!d) return { successful: false, reason: `Parameter ${p.name} has not been declared` };
      if (d.readOnly) return { successful: false, reason: `Parameter ${p.name} is readonly` };
      if (d.type !== p.type) return { successful: false, reason: `Parameter ${p.name} does not  readonly` };
    }
    for (const cb of this.onSet) {
      const r = cb(parameters);
      if (!r.successful) return r;
    }
    for (const p of parameters) this.params.set(p.name, p);
    return { successful: true, reason: '' };
  }
  getParameter(name: string) { return this.params.get(name)!; }
  hasParameter(name: string) { return this.params.has(name); }
  createSubscription(...args: unknown[]) { calls.push({ method: 'createSubscription', args }); return {}; }
  destroySubscription() {}
  createPublisher(...args: unknown[]) { calls.push({ method: 'createPublisher', args }); return { publish: (m: unknown) => calls.push({ method: 'publish', args: [m] }) }; }
  createService(...args: unknown[]) { calls.push({ method: 'createService', args }); return {}; }
  destroyService() {}
  createTimer(...args: unknown[]) { calls.push({ method: 'createTimer', args }); return { cancel() {} }; }
  getPublishersInfoByTopic(topic: string) {
    calls.push({ method: 'getPublishersInfoByTopic', args: [topic] });
    return [{ node_name: 'camera', node_namespace: '/camera', topic_type: 'sensor_msgs/msg/Image', qos_profile: { history: 1, depth: 5, reliability: 2, durability: 2 } }];
  }
  resolveTopicName(t: string) { return t.startsWith('~/') ? `/${this.nodeName}/${t.slice(2)}` : t; }
}

const fake = {
  init: async (...args: unknown[]) => void calls.push({ method: 'init', args }),
  Node: FakeNode,
  QoS: FakeQoS,
  Parameter: FakeParameter,
  ParameterDescriptor: FakeDescriptor,
  ParameterType,
  ActionServer: class {
    constructor(_node: unknown, type: string, name: string, execute: never, goal: never, accepted: never, cancel: never) {
      calls.push({ method: 'ActionServer', args: [type, name] });
      lastAction = { execute, goal, accepted, cancel };
    }
    destroy() {}
  },
  ActionClient: class {
    constructor(_node: unknown, type: string, name: string) {
      calls.push({ method: 'ActionClient', args: [type, name] });
      lastClient = this;
    }
    available = true;
    feedback: ((f: unknown) => void) | null = null;
    isActionServerAvailable() { return this.available; }
    // As rclnodejs' ClientGoalHandle: status updated by getResult(), the result resolved as a plain object.
    async sendGoal(goal: unknown, feedbackCallback: (f: unknown) => void) {
      calls.push({ method: 'sendGoal', args: [goal] });
      this.feedback = feedbackCallback;
      const handle = {
        status: 1,
        isAccepted: () => true,
        get accepted() { return true; },
        getResult: async () => {
          handle.status = 4;
          return { error_code: 0, error_msg: '' };
        },
        cancelGoal: async () => ({ return_code: 0, goals_canceling: [{}] }),
      };
      return handle;
    }
    destroy() { calls.push({ method: 'destroyActionClient', args: [] }); }
  },
  GoalResponse: { REJECT: 1, ACCEPT: 2 },
  CancelResponse: { REJECT: 1, ACCEPT: 2 },
  require: (type: string) => {
    if (type.startsWith('molmo_waypoints_interfaces/')) throw new Error(`The message required does not exist: ${type}`);
    return {};
  },
  shutdown: () => void calls.push({ method: 'shutdown', args: [] }),
  isShutdown: () => false,
} as unknown as Rcl;

const find = (method: string) => calls.filter((c) => c.method === method);

test('init hands the process arguments (--ros-args ...) to rclnodejs; nodes, spin and shutdown map through', async () => {
  const argv = ['node', 'molmo-waypoints', 'run', '--ros-args', '--params-file', 'p.yaml'];
  const runtime = await RclnodejsRuntime.init(fake, 'jazzy', argv);
  assert.deepEqual(find('init').at(-1)!.args, [undefined, argv], 'default context, our argv');
  const node = runtime.createNode('molmo_waypoints');
  assert.deepEqual(find('Node').at(-1)!.args, ['molmo_waypoints', '']);
  runtime.spin(node);
  assert.equal(find('spin').length, 1);
  assert.equal(node.nowNs(), 1_700_000_000_000_000_001n);
  assert.equal(node.resolveTopicName('~/waypoints'), '/molmo_waypoints/waypoints');
  runtime.shutdown();
  assert.equal(find('shutdown').length, 1);
});

test('parameters: typed declarations, our override coercion applied, integers as BigInt, descriptors filled', async () => {
  const runtime = await RclnodejsRuntime.init(fake, 'jazzy', []);
  const node = runtime.createNode('n');
  overrides.clear();
  overrides.set('sync.slop_ms', new FakeParameter('sync.slop_ms', ParameterType.PARAMETER_INTEGER, 15n));
  overrides.set('store.size', new FakeParameter('store.size', ParameterType.PARAMETER_INTEGER, 12n));
  assert.equal(node.declareParameter({ name: 'sync.slop_ms', type: 'double', default: 20, description: 'slop', constraints: '>= 0' }), 15);
  const [p, d, ignore] = find('declareParameter').at(-1)!.args as [FakeParameter, FakeDescriptor, boolean];
  assert.deepEqual([p.name, p.type, p.value, ignore], ['sync.slop_ms', ParameterType.PARAMETER_DOUBLE, 15, true]);
  assert.deepEqual([d.description, d.additionalConstraints, d.type], ['slop', '>= 0', ParameterType.PARAMETER_DOUBLE]);
  assert.equal(node.declareParameter({ name: 'store.size', type: 'integer', default: 10, description: 'size' }), 12);
  assert.equal((find('declareParameter').at(-1)!.args[0] as FakeParameter).value, 12n);
  assert.equal(node.getParameter('store.size'), 12, 'read back as a number');
  assert.equal(node.declareParameter({ name: 'depth.window_radius', type: 'integer', default: 2, description: 'r' }), 2);
  assert.equal((find('declareParameter').at(-1)!.args[0] as FakeParameter).value, 2n);
  overrides.set('target_frame', new FakeParameter('target_frame', ParameterType.PARAMETER_INTEGER, 3n));
  assert.throws(() => node.declareParameter({ name: 'target_frame', type: 'string', default: 'base_link', description: 't' }), ParameterTypeMismatchError);
  overrides.set('sync.slopp_ms', new FakeParameter('sync.slopp_ms', ParameterType.PARAMETER_DOUBLE, 1));
  assert.deepEqual(node.undeclaredOverrides(), ['target_frame', 'sync.slopp_ms'], 'overrides never declared');
  overrides.clear();
});

test('QoS, timers and graph info use rclnodejs numbers and units', async () => {
  const runtime = await RclnodejsRuntime.init(fake, 'jazzy', []);
  const node = runtime.createNode('n');
  node.createSubscription('sensor_msgs/msg/Image', '/img', { history: 'keep_last', depth: 5, reliability: 'best_effort', durability: 'volatile' }, () => {});
  const [type, topic, options] = find('createSubscription').at(-1)!.args as [string, string, { qos: FakeQoS; enableTypedArray: boolean }];
  assert.deepEqual([type, topic, options.enableTypedArray], ['sensor_msgs/msg/Image', '/img', true]);
  assert.ok(options.qos instanceof FakeQoS);
  assert.deepEqual({ ...options.qos }, { history: 1, depth: 5, reliability: 2, durability: 2 });
  node.createPublisher('tf2_msgs/msg/TFMessage', '/tf_static', { history: 'keep_last', depth: 1, reliability: 'reliable', durability: 'transient_local' });
  const pubOptions = find('createPublisher').at(-1)!.args[2] as { qos: FakeQoS };
  assert.deepEqual({ ...pubOptions.qos }, { history: 1, depth: 1, reliability: 1, durability: 1 });
  node.createTimer(250, () => {});
  assert.equal(find('createTimer').at(-1)!.args[0], 250_000_000n);
  assert.deepEqual(node.publishersInfo('~/x'), [{ node: '/camera/camera', type: 'sensor_msgs/msg/Image', qos: { history: 'keep_last', depth: 5, reliability: 'best_effort', durability: 'volatile' } }]);
  assert.equal(find('getPublishersInfoByTopic').at(-1)!.args[0], '~/x', 'rclnodejs expands and remaps the name itself');
  assert.equal(node.hasInterface('molmo_waypoints_interfaces/action/PointAt'), false);
  assert.equal(node.hasInterface('std_msgs/msg/String'), true);
});

test('action server: plain goals, one wrapper per goal for execute and cancel, accept/reject codes', async () => {
  const runtime = await RclnodejsRuntime.init(fake, 'jazzy', []);
  const node = runtime.createNode('n');
  const seen: unknown[] = [];
  node.createActionServer<{ query: string }, unknown, unknown>('molmo_waypoints_interfaces/action/PointAt', '~/point_at', {
    execute: async (h) => {
      seen.push(h, h.goal);
      h.succeed();
      return { status: 'ok' };
    },
    cancel: (h) => {
      seen.push(h);
      return true;
    },
  });
  assert.deepEqual(find('ActionServer').at(-1)!.args, ['molmo_waypoints_interfaces/action/PointAt', '~/point_at']);
  const a = lastAction!;
  assert.equal(a.goal({}), 2, 'goals accepted');
  let executed = false;
  const rclHandle = {
    request: { toPlainObject: () => ({ query: 'mug' }) },
    isCancelRequested: false,
    execute: () => void (executed = true),
    publishFeedback() {},
    succeed: () => calls.push({ method: 'succeed', args: [] }),
    abort() {},
    canceled() {},
  };
  a.accepted(rclHandle);
  assert.equal(executed, true, 'accepted goals are executed');
  assert.deepEqual(await a.execute(rclHandle), { status: 'ok' });
  assert.equal(a.cancel(rclHandle), 2);
  assert.equal(a.cancel(undefined), 1, 'a cancel without a goal handle is rejected');
  assert.deepEqual(seen[1], { query: 'mug' });
  assert.equal(seen[0], seen[2], 'execute and cancel saw the same handle object');
  assert.equal(find('succeed').length, 1);
});

test('runtime sets: values made to fit their declared type as at start, a misfit refused with our reason, callback decides', async () => {
  const runtime = await RclnodejsRuntime.init(fake, 'jazzy', []);
  const node = runtime.createNode('n');
  overrides.clear();
  node.declareParameter({ name: 'dispatch.max_age_ms', type: 'double', default: 60000, description: 'age' });
  node.declareParameter({ name: 'targets.max_points', type: 'integer', default: 10, description: 'points' });
  node.declareParameter({ name: 'sync.slop_ms', type: 'double', default: 20, description: 'slop', readOnly: true });
  const seen: [string, unknown][][] = [];
  node.onSetParameters((changes) => {
    seen.push([...changes]);
    return changes.get('targets.max_points') === 0 ? "parameter 'targets.max_points' must be a number in [1, ∞], got 0" : null;
  });
  const raw = (node as unknown as { raw: FakeNode }).raw;
  const set = (name: string, type: number, value: unknown) => raw.setParametersAtomically([new FakeParameter(name, type, value)]);

  // `ros2 param set /n dispatch.max_age_ms 5000` sends an integer: coerced to the declared double.
  assert.deepEqual(set('dispatch.max_age_ms', ParameterType.PARAMETER_INTEGER, 5000n), { successful: true, reason: '' });
  assert.equal(node.getParameter('dispatch.max_age_ms'), 5000);
  assert.deepEqual(seen.at(-1), [['dispatch.max_age_ms', 5000]]);
  assert.deepEqual(set('dispatch.max_age_ms', ParameterType.PARAMETER_STRING, 'soon'), {
    successful: false,
    reason: 'parameter \'dispatch.max_age_ms\' must be a double, got "soon"',
  });
  assert.equal(node.getParameter('dispatch.max_age_ms'), 5000, 'unchanged');
  assert.equal(seen.length, 1, 'a misfit never reaches the callback');
  assert.deepEqual(set('targets.max_points', ParameterType.PARAMETER_INTEGER, 0n), { successful: false, reason: "parameter 'targets.max_points' must be a number in [1, ∞], got 0" });
  assert.deepEqual(seen.at(-1), [['targets.max_points', 0]], 'integers reach the callback as numbers');
  assert.equal(node.getParameter('targets.max_points'), 10);
  assert.deepEqual(set('sync.slop_ms', ParameterType.PARAMETER_DOUBLE, 5), { successful: false, reason: 'Parameter sync.slop_ms is readonly' });
  assert.equal((find('declareParameter').at(-1)!.args[1] as FakeDescriptor).readOnly, true, 'read_only reaches the descriptor');
});

test('action server: an accept handler that refuses a goal makes it REJECT', async () => {
  const runtime = await RclnodejsRuntime.init(fake, 'jazzy', []);
  const node = runtime.createNode('n');
  node.createActionServer<{ query: string }, unknown, unknown>('molmo_waypoints_interfaces/action/PointAt', '~/point_at', {
    execute: async () => ({}),
    accept: (g) => g.query !== '',
  });
  assert.equal(lastAction!.goal({ toPlainObject: () => ({ query: '' }) }), 1);
  assert.equal(lastAction!.goal({ query: 'mug' }), 2);
});

test('action client: goals, plain feedback, the status from getResult, cancel by return code', async () => {
  const runtime = await RclnodejsRuntime.init(fake, 'jazzy', []);
  const node = runtime.createNode('n');
  const client = node.createActionClient<{ behavior_tree: string }, { distance_remaining: number }, { error_code: number }>('nav2_msgs/action/NavigateToPose', 'navigate_to_pose');
  assert.deepEqual(find('ActionClient').at(-1)!.args, ['nav2_msgs/action/NavigateToPose', 'navigate_to_pose']);
  assert.equal(client.isServerAvailable(), true);
  const seen: unknown[] = [];
  const goal = await client.sendGoal({ behavior_tree: '' }, (f) => seen.push(f));
  assert.equal(goal.accepted, true);
  lastClient.feedback({ toPlainObject: () => ({ distance_remaining: 1.5 }) });
  assert.deepEqual(seen, [{ distance_remaining: 1.5 }], 'message objects made plain');
  assert.deepEqual(await goal.result(), { status: 4, result: { error_code: 0, error_msg: '' } });
  assert.equal(await goal.cancel(), true);
  client.destroy();
  assert.equal(find('destroyActionClient').length, 1);
});
