// Ways to ask the node to point at something: a std_msgs/String query topic (works everywhere), and the PointAt
// action and service from interfaces/molmo_waypoints_interfaces when that package is built (feature-detected).
import { randomUUID } from 'node:crypto';
import { poseStampedFromWaypoint, type PointMsg, type PoseStampedMsg } from '../messages/outputs.js';
import type { PointRequest, PointResult, Progress, RequestMode } from '../pipeline/types.js';
import type { BridgeLike } from './bridge-like.js';
import type { RosNodeSettings } from './parameters.js';
import { DEFAULT_QOS } from './qos.js';
import { isMissingTypesupport } from './typesupport.js';
import type { RosActionServer, RosNode, RosService, RosSubscription } from './types.js';

export const POINT_AT_ACTION_TYPE = 'molmo_waypoints_interfaces/action/PointAt';
export const POINT_AT_SERVICE_TYPE = 'molmo_waypoints_interfaces/srv/PointAt';
export const POINT_AT_ACTION_NAME = '~/point_at';
export const POINT_AT_SERVICE_NAME = '~/point_at_srv';

/** PointAt goal / service request. */
export interface PointAtGoal {
  query: string;
  mode: string;
  target_frame: string;
  max_points: number;
}

/** PointAt result / service response. */
export interface PointAtResult {
  status: string;
  reason: string;
  result_id: string;
  poses: PoseStampedMsg[];
  pixels: PointMsg[];
  labels: string[];
  raw_text: string;
}

export interface PointAtFeedback {
  stage: string;
}

let counter = 0;
/** Request ids say where a request came from and stay unique across restarts (the bridge refuses duplicates). */
export function requestId(source: 'topic' | 'action' | 'service'): string {
  counter = (counter + 1) % 1_000_000;
  return `ros-${source}-${randomUUID().slice(0, 8)}-${counter}`;
}

/** A goal or service request as a PointRequest; empty fields take the node's defaults (the bridge validates). */
export function requestFromGoal(id: string, g: Partial<PointAtGoal>, defaultMode: RequestMode): PointRequest {
  const mode = typeof g.mode === 'string' && g.mode.trim() !== '' ? g.mode.trim() : defaultMode;
  const req: PointRequest = { id, query: typeof g.query === 'string' ? g.query : '', mode: mode as RequestMode };
  if (typeof g.target_frame === 'string' && g.target_frame.trim() !== '') req.targetFrame = g.target_frame.trim();
  const maxPoints = Number(g.max_points ?? 0);
  if (maxPoints > 0) req.maxPoints = maxPoints;
  return req;
}

/** The PointAt result for a PointResult: waypoints best first, their pixels and labels in the same order. */
export function pointAtResult(r: PointResult): PointAtResult {
  const waypoints = [...r.waypoints].sort((a, b) => a.rank - b.rank);
  return {
    status: r.status,
    reason: r.reason,
    result_id: r.id,
    poses: waypoints.map(poseStampedFromWaypoint),
    pixels: waypoints.map((w) => ({ x: w.pixel.u, y: w.pixel.v, z: 0 })),
    labels: waypoints.map((w) => w.label),
    raw_text: r.rawText,
  };
}

export interface RequestEndpoints {
  query: RosSubscription;
  action: RosActionServer | null;
  service: RosService | null;
  /** Aborts the requests still running for the action and service (on shutdown). */
  abortAll(): void;
}

export function serveRequests(node: RosNode, bridge: BridgeLike, s: RosNodeSettings): RequestEndpoints {
  const running = new Map<string, AbortController>();

  const run = async (req: PointRequest, onProgress?: (p: Progress) => void, controller = new AbortController()): Promise<PointResult> => {
    running.set(req.id, controller);
    const listener = (p: Progress) => {
      if (p.id === req.id) onProgress?.(p);
    };
    if (onProgress) bridge.on('progress', listener);
    try {
      return await bridge.request(req, { signal: controller.signal });
    } finally {
      running.delete(req.id);
      if (onProgress) bridge.off('progress', listener);
    }
  };

  const query = node.createSubscription<{ data?: unknown }>('std_msgs/msg/String', s.queryTopic, DEFAULT_QOS, (msg) => {
    const text = typeof msg.data === 'string' ? msg.data.trim() : '';
    if (text === '') {
      node.logger.warn(`ignored an empty query on ${s.queryTopic}`);
      return;
    }
    const req: PointRequest = { id: requestId('topic'), query: text, mode: s.defaultMode };
    node.logger.info(`query ${req.id} (${req.mode}): "${text}"`);
    void run(req).then((r) => node.logger.info(`query ${r.id}: ${r.status}${r.reason ? ` (${r.reason})` : ''}, ${r.waypoints.length} waypoint(s)`));
  });

  let action: RosActionServer | null = null;
  let service: RosService | null = null;
  const haveAction = node.hasInterface(POINT_AT_ACTION_TYPE);
  const haveService = node.hasInterface(POINT_AT_SERVICE_TYPE);
  /** Set when the package's typesupport library does not load: both live in it, so neither is tried again. */
  let notLoadable: Error | null = null;
  const optional = <T>(create: () => T): T | null => {
    if (notLoadable) return null;
    try {
      return create();
    } catch (err) {
      if (!isMissingTypesupport(err)) throw err;
      notLoadable = err;
      return null;
    }
  };
  if (haveAction) {
    const goals = new WeakMap<object, AbortController>();
    action = optional(() => node.createActionServer<PointAtGoal, PointAtFeedback, PointAtResult>(POINT_AT_ACTION_TYPE, POINT_AT_ACTION_NAME, {
      execute: async (handle) => {
        const req = requestFromGoal(requestId('action'), handle.goal, s.defaultMode);
        const controller = new AbortController();
        goals.set(handle, controller);
        const result = await run(
          req,
          (p) => {
            if (p.state === 'start') handle.publishFeedback({ stage: p.stage });
          },
          controller,
        );
        // rcl_action only allows CANCELED after a client's cancel request; a cancel from elsewhere aborts.
        if (result.status === 'ok') handle.succeed();
        else if (result.status === 'cancelled' && handle.isCancelRequested) handle.canceled();
        else handle.abort();
        return pointAtResult(result);
      },
      cancel: (handle) => {
        const controller = goals.get(handle);
        // Abort on the next turn: the client library moves the goal to CANCELING only after this returns, and
        // the goal may end as CANCELED only from there.
        if (controller) setImmediate(() => controller.abort());
        return controller !== undefined;
      },
    }));
  }
  if (haveService) {
    service = optional(() =>
      node.createService<Partial<PointAtGoal>, PointAtResult>(POINT_AT_SERVICE_TYPE, POINT_AT_SERVICE_NAME, async (request) =>
        pointAtResult(await run(requestFromGoal(requestId('service'), request, s.defaultMode))),
      ),
    );
  }
  if (notLoadable) {
    node.logger.warn(
      `molmo_waypoints_interfaces is generated for rclnodejs but its library does not load in this shell (${(notLoadable as Error).message}): ` +
        'the PointAt action and service are off; ~/point_at (std_msgs/String) works without them. ' +
        'To enable them: source the workspace overlay (install/setup.bash of the colcon build) in this shell and restart the node.',
    );
  } else if (!haveAction || !haveService) {
    node.logger.info(
      'molmo_waypoints_interfaces is not built: the PointAt action and service are off; ~/point_at (std_msgs/String) works without it. ' +
        'To enable them: colcon build the interfaces/ folder, source its install/setup.bash, then regenerate rclnodejs messages (npx generate-ros-messages).',
    );
  }

  return {
    query,
    action,
    service,
    abortAll: () => {
      for (const c of running.values()) c.abort();
    },
  };
}
