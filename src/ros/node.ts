// The molmo_waypoints ROS 2 node: parameters, camera and TF inputs into the bridge, requests (query topic, PointAt
// action and service), result outputs, dispatched goals, calibration on /tf_static and /diagnostics.
//
// Two steps, because the bridge and the Molmo client are built from settings that parameters may override:
//   const ros = await prepareRosNode({ base });            // init rclnodejs, declare parameters
//   const bridge = new Bridge({ config: ros.settings.bridge, pointer: new MolmoPointer(ros.settings.molmo) });
//   const handle = await ros.start(bridge);                 // subscriptions, publishers, services, timer, spin
// startRosNode(bridge, opts) does both for a bridge that already exists (parameters then default to its config).
import { defaultConfig, type BridgeConfig } from '../pipeline/config.js';
import type { DispatchedGoal, PointResult } from '../pipeline/types.js';
import type { BridgeLike } from './bridge-like.js';
import { CalibrationPublisher } from './calibration.js';
import { Diagnostics } from './diagnostics.js';
import { subscribeInputs } from './input-subscriptions.js';
import { loadRosRuntime } from './load.js';
import { Nav2Navigator } from './nav2-navigator.js';
import { OutputPublishers } from './output-publishers.js';
import {
  DEFAULT_MOLMO_SETTINGS,
  DEFAULT_NODE_SETTINGS,
  applyParameterChanges,
  declareParameters,
  parametersNotApplied,
  type MolmoSettings,
  type RosNodeSettings,
  type RosSettings,
} from './parameters.js';
import { serveRequests } from './requests.js';
import type { RosNode, RosRuntime } from './types.js';

export const NODE_NAME = 'molmo_waypoints';

export interface PrepareRosNodeOptions {
  /** A runtime to use (tests: MemoryRuntime); default: rclnodejs, loaded and initialised with `argv`. */
  runtime?: RosRuntime;
  /** Process arguments for rcl (`--ros-args -p ... --params-file ...`); default process.argv. */
  argv?: string[];
  nodeName?: string;
  namespace?: string;
  /** Parameter defaults: the app's config (file / flags). Missing parts take the built-in defaults. */
  base?: { bridge?: BridgeConfig; molmo?: Partial<MolmoSettings>; node?: Partial<RosNodeSettings> };
}

export interface RosNodeHandle {
  readonly node: RosNode;
  readonly settings: RosSettings;
  /** Stops timers, aborts ROS-originated requests still running, destroys the node and shuts rclnodejs down. */
  close(): void;
}

export interface PreparedRosNode {
  readonly runtime: RosRuntime;
  readonly node: RosNode;
  /** Settings after parameters: build the bridge from `bridge` and the Molmo client from `molmo`. */
  readonly settings: RosSettings;
  start(bridge: BridgeLike): Promise<RosNodeHandle>;
  /** Releases the node when start() will not be called (e.g. building the bridge failed). */
  close(): void;
}

/** Initialises ROS (unless a runtime is given), creates the node and declares every parameter. */
export async function prepareRosNode(opts: PrepareRosNodeOptions = {}): Promise<PreparedRosNode> {
  const ownsRuntime = opts.runtime === undefined;
  const runtime = opts.runtime ?? (await loadRosRuntime(opts.argv ? { argv: opts.argv } : {}));
  let node: RosNode;
  let settings: RosSettings;
  try {
    node = runtime.createNode(opts.nodeName ?? NODE_NAME, opts.namespace ?? '');
    const base: RosSettings = {
      bridge: opts.base?.bridge ?? defaultConfig(),
      molmo: { ...DEFAULT_MOLMO_SETTINGS, ...opts.base?.molmo },
      node: { ...DEFAULT_NODE_SETTINGS, ...opts.base?.node },
    };
    settings = declareParameters(node, base);
    // rclnodejs declares use_sim_time itself; qos_overrides.* belong to QoS overriding options.
    const unknown = node.undeclaredOverrides().filter((n) => n !== 'use_sim_time' && !n.startsWith('qos_overrides.'));
    if (unknown.length > 0) node.logger.warn(`ignored parameters this node does not have: ${unknown.join(', ')} (docs/ros.md lists them)`);
  } catch (err) {
    if (ownsRuntime) runtime.shutdown();
    throw err;
  }
  let closed = false;
  const release = () => {
    if (closed) return;
    closed = true;
    // On Ctrl-C rclnodejs' own SIGINT handler may have shut the context (and its nodes) down already: closing must
    // still succeed, so a second destroy's complaint is only reported.
    for (const step of [() => node.destroy(), () => ownsRuntime && runtime.shutdown()]) {
      try {
        step();
      } catch (err) {
        process.emitWarning(`molmo_waypoints: shutdown: ${(err as Error).message}`);
      }
    }
  };
  return {
    runtime,
    node,
    settings,
    start: async (bridge) => {
      try {
        return await startPrepared(runtime, node, settings, bridge, release);
      } catch (err) {
        release();
        throw err;
      }
    },
    close: release,
  };
}

/**
 * Starts the node for a bridge that already exists. Parameters default to the bridge's config; bridge settings
 * overridden by parameters cannot change a running bridge, so they are reported (use prepareRosNode first).
 */
export async function startRosNode(bridge: BridgeLike, opts: PrepareRosNodeOptions = {}): Promise<RosNodeHandle> {
  const prepared = await prepareRosNode({ ...opts, base: { ...opts.base, bridge: bridge.config } });
  const molmo = { ...DEFAULT_MOLMO_SETTINGS, ...opts.base?.molmo };
  const ignored = parametersNotApplied(prepared.settings, { bridge: bridge.config, molmo });
  if (ignored.length > 0) {
    prepared.node.logger.warn(
      `parameters ${ignored.join(', ')} differ from the running bridge and model client and are not applied: ` +
        'build them from prepareRosNode().settings (molmo-waypoints run does this)',
    );
  }
  return prepared.start(bridge);
}

async function startPrepared(runtime: RosRuntime, node: RosNode, settings: RosSettings, bridge: BridgeLike, release: () => void): Promise<RosNodeHandle> {
  const s = settings.node;
  const calibration = new CalibrationPublisher(node, bridge, s);
  const outputs = new OutputPublishers(node, s);
  const requests = serveRequests(node, bridge, s);
  const navigator = Nav2Navigator.create(node, s, (e) => bridge.reportGoalExecution(e));
  const interfaces = {
    action: requests.action !== null,
    service: requests.service !== null,
    detections: outputs.detections !== null,
    collisionObjects: outputs.collisionObjects.available,
    navigateToPose: navigator !== null,
  };
  const inputs = subscribeInputs(node, bridge, s, { onTf: () => calibration.tryPublish() });
  const diag = new Diagnostics(node, bridge, {
    inputs,
    calibration: () => calibration.state(),
    interfaces,
    staleInputMs: s.staleInputMs,
    ...(navigator ? { navigation: () => navigator.diagnosticStatus() } : {}),
  });
  // The console's cancel of a dispatched result reaches its Nav2 goal.
  if (navigator) bridge.setGoalCanceller((resultId) => navigator.cancel(resultId));

  const onResult = (r: PointResult) => {
    try {
      outputs.publishResult(r);
    } catch (err) {
      node.logger.error(`publishing result ${r.id} failed: ${(err as Error).message}`);
    }
    if (s.autoDispatch && r.status === 'ok' && r.waypoints.length > 0) {
      const best = Math.max(0, r.waypoints.findIndex((w) => w.rank === 0));
      try {
        bridge.dispatch(r.id, best, 'auto_dispatch');
      } catch (err) {
        node.logger.warn(`auto_dispatch of result ${r.id} refused: ${(err as Error).message}`);
      }
    }
  };
  const onDispatch = (g: DispatchedGoal) => {
    // With Nav2's action (and publish_nav_goal on), navigate goals go there instead of nav_goal_topic.
    if (navigator && g.mode === 'navigate' && s.publishNavGoal) {
      void navigator.send(g);
      return;
    }
    try {
      outputs.publishGoal(g);
    } catch (err) {
      node.logger.error(`publishing goal of result ${g.resultId} failed: ${(err as Error).message}`);
    }
  };
  const onInputWarning = (w: { kind: string; message: string }) => node.logger.warn(`input ${w.kind}: ${w.message}`);
  bridge.on('result', onResult);
  bridge.on('dispatch', onDispatch);
  bridge.on('input_warning', onInputWarning);

  const timer = node.createTimer(s.diagnosticsPeriodS * 1000, () => {
    try {
      calibration.tryPublish();
      diag.publish();
    } catch (err) {
      node.logger.error(`diagnostics failed: ${(err as Error).message}`);
    }
  });

  // `ros2 param set`: the running bridge's config and the node's settings are read at each request, result and
  // dispatch, so dynamic parameters are changed in place and take effect with the next one.
  const live: RosSettings = { bridge: bridge.config, molmo: settings.molmo, node: s };
  node.onSetParameters((changes) => {
    let reason: string | null;
    try {
      reason = applyParameterChanges(live, (name) => node.getParameter(name), changes);
    } catch (err) {
      // Runs inside the client library's parameter service: an exception must not reach its executor.
      reason = `internal error applying the change: ${(err as Error).message}`;
    }
    const what = [...changes].map(([name, value]) => `${name} = ${JSON.stringify(value)}`).join(', ');
    if (reason !== null) {
      node.logger.warn(`refused ${what}: ${reason}`);
      return reason;
    }
    node.logger.info(`parameters set, in effect now: ${what}`);
    if (changes.has('publish_nav_goal')) outputs.updateNavGoal();
    if (changes.has('auto_dispatch') && s.autoDispatch) node.logger.warn('auto_dispatch ON: ok results move the robot without confirmation');
    return null;
  });

  runtime.spin(node);
  // The topic as subscribed (with the /compressed suffix of compressed transport).
  const colorTopic = inputs.find((i) => i.kind === 'color')?.topic;
  node.logger.info(
    `${node.name} ready: colour ${colorTopic}, depth ${s.depthTopic}, camera info ${s.cameraInfoTopic}; ` +
      `queries on ${node.resolveTopicName(s.queryTopic)}; target frame ${settings.bridge.frames.target}` +
      (s.autoDispatch ? '; auto_dispatch ON: ok results move the robot without confirmation' : ''),
  );

  let closed = false;
  return {
    node,
    settings,
    close: () => {
      if (closed) return;
      closed = true;
      timer.cancel();
      bridge.off('result', onResult);
      bridge.off('dispatch', onDispatch);
      bridge.off('input_warning', onInputWarning);
      if (navigator) {
        bridge.setGoalCanceller(null);
        navigator.destroy();
      }
      try {
        outputs.collisionObjects.removeAll();
      } catch (err) {
        node.logger.warn(`removing collision objects on shutdown failed: ${(err as Error).message}`);
      }
      requests.abortAll();
      release();
    },
  };
}
