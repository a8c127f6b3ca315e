// Dispatched navigate goals through Nav2's NavigateToPose action, against a stand-in bt_navigator (an action server
// on another node of the same in-memory ROS graph): feedback and result reach the bridge's 'goal_execution' events
// (what the console shows) and /diagnostics, a cancel of the result id cancels the goal, and /goal_pose stays the
// fallback without nav2_msgs or with nav2_action empty. Goals, feedback and results are CDR-checked by the double
// against the official nav2_msgs definitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DiagnosticArrayMsg } from '../../src/messages/outputs.js';
import type { GoalExecution } from '../../src/pipeline/types.js';
import type { NavigateToPoseFeedbackMsg, NavigateToPoseGoalMsg, NavigateToPoseResultMsg } from '../../src/ros/nav2-navigator.js';
import type { ActionGoalHandle, ActionServerHandlers } from '../../src/ros/types.js';
import { ALL_INTERFACES, startHarness, tfMsg, type Harness } from './harness.js';

const NAV2 = 'nav2_msgs/action/NavigateToPose';

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function feedback(distance: number, recoveries: number): NavigateToPoseFeedbackMsg {
  return {
    current_pose: { header: { stamp: { sec: 1, nanosec: 0 }, frame_id: 'map' }, pose: { position: { x: 1, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } } },
    navigation_time: { sec: 3, nanosec: 500_000_000 },
    estimated_time_remaining: { sec: 7, nanosec: 0 },
    number_of_recoveries: recoveries,
    distance_remaining: distance,
  };
}

/** A navigate result to dispatch: the harness's frame, `map` above `base_link`. */
async function navigateResult(h: Harness): Promise<string> {
  h.node.inject('/tf_static', tfMsg('map', 'base_link', { translation: { x: 3, y: 2, z: 0 }, rotation: { x: 0, y: 0, z: 0, w: 1 } }, { sec: 0, nanosec: 0 }));
  h.feedFrame();
  const r = (await h.node.sendGoal('~/point_at', { query: 'the red mug', mode: 'navigate', target_frame: '', max_points: 0 }).result) as { status: string; result_id: string; reason: string };
  assert.equal(r.status, 'ok', r.reason);
  return r.result_id;
}

async function startNav2Harness(overrides: Record<string, unknown> = {}) {
  const h = await startHarness({ overrides: { publish_nav_goal: true, ...overrides }, interfaces: [...ALL_INTERFACES, NAV2] });
  const events: GoalExecution[] = [];
  h.bridge.on('goal_execution', (e: GoalExecution) => events.push(e));
  const serve = (handlers: ActionServerHandlers<NavigateToPoseGoalMsg, NavigateToPoseFeedbackMsg, NavigateToPoseResultMsg>) =>
    h.runtime.createNode('bt_navigator').createActionServer(NAV2, '/navigate_to_pose', handlers);
  const diagnostics = () => {
    h.node.fireTimers();
    const msg = h.node.messages<DiagnosticArrayMsg>('/diagnostics').at(-1)!;
    return msg.status.find((s) => s.name === 'molmo_waypoints: navigation');
  };
  const until = async (state: GoalExecution['state']) => {
    for (let i = 0; i < 100 && !events.some((e) => e.state === state); i++) await new Promise((r) => setImmediate(r));
    const e = events.find((x) => x.state === state);
    assert.ok(e, `a '${state}' report (got ${events.map((x) => x.state).join(', ')})`);
    return e;
  };
  return { h, events, serve, diagnostics, until };
}

test('a navigate goal goes to navigate_to_pose: feedback and the result reach the bridge events and /diagnostics', async () => {
  const { h, events, serve, diagnostics, until } = await startNav2Harness();
  try {
    const arrive = deferred();
    const received: NavigateToPoseGoalMsg[] = [];
    serve({
      execute: async (g: ActionGoalHandle<NavigateToPoseGoalMsg, NavigateToPoseFeedbackMsg>) => {
        received.push(g.goal);
        g.publishFeedback(feedback(2.5, 1));
        await arrive.promise;
        g.succeed();
        return { error_code: 0, error_msg: '' };
      },
    });
    const id = await navigateResult(h);
    h.bridge.dispatch(id, 0, 'console:alice');
    const active = await until('active');
    assert.equal(active.via, '/navigate_to_pose');
    assert.equal(events[0]!.state, 'sending');
    assert.equal(received.length, 1);
    assert.equal(received[0]!.pose.header.frame_id, 'map');
    assert.deepEqual(received[0]!.pose.header.stamp, { sec: 0, nanosec: 0 }, 'nav_goal_stamp zero, as on /goal_pose');
    assert.ok(Math.abs(received[0]!.pose.pose.position.z) < 1e-9, 'on the floor');
    assert.equal(received[0]!.behavior_tree, '', "Nav2's default tree");
    const withFeedback = events.find((e) => e.distanceRemainingM !== null)!;
    assert.deepEqual([withFeedback.distanceRemainingM, withFeedback.recoveries, withFeedback.navigationTimeS, withFeedback.estimatedTimeRemainingS], [2.5, 1, 3.5, 7]);
    assert.equal(diagnostics()!.values.find((v) => v.key === 'last.distance_remaining_m')!.value, '2.5');

    arrive.resolve();
    const done = await until('succeeded');
    assert.deepEqual([done.resultId, done.statusCode, done.errorCode], [id, 4, 0]);
    assert.ok(typeof done.atMs === 'number');
    const status = diagnostics()!;
    assert.equal(status.level, 0);
    assert.match(status.message, /succeeded/);
    assert.equal(status.values.find((v) => v.key === 'goals_succeeded')!.value, '1');
    assert.equal(h.node.messages('/goal_pose').length, 0, 'the action replaces the topic');
    assert.equal(h.bridge.cancel(id), false, 'nothing left to cancel');
    assert.ok(h.node.logs.some((l) => l.level === 'info' && /sent navigate goal 'red mug'.*to \/navigate_to_pose in map/.test(l.message)));
  } finally {
    await h.close();
  }
});

test("cancelling the result's id (the console's cancel) cancels the running action goal", async () => {
  const { h, serve, until } = await startNav2Harness();
  try {
    const cancelled = deferred();
    serve({
      execute: async (g) => {
        g.publishFeedback(feedback(4, 0));
        await cancelled.promise;
        if (!g.isCancelRequested) throw new Error('expected a cancel request');
        g.canceled();
        return { error_code: 0, error_msg: '' };
      },
      cancel: () => {
        queueMicrotask(() => cancelled.resolve());
        return true;
      },
    });
    const id = await navigateResult(h);
    h.bridge.dispatch(id, 0, 'console');
    await until('active');
    assert.equal(h.bridge.cancel(id, 'the operator'), true, 'a finished request with a running goal: the goal is cancelled');
    await until('canceling');
    const done = await until('canceled');
    assert.equal(done.statusCode, 5);
  } finally {
    await h.close();
  }
});

test('an aborted goal reports Nav2\'s error code and message and warns in /diagnostics; a rejected goal says so', async () => {
  const { h, serve, diagnostics, until } = await startNav2Harness();
  try {
    let accept = true;
    serve({
      accept: () => accept,
      execute: async (g) => {
        g.abort();
        return { error_code: 9001, error_msg: 'Failed to load behavior tree' };
      },
    });
    h.bridge.dispatch(await navigateResult(h), 0, 'console');
    const aborted = await until('aborted');
    assert.deepEqual([aborted.statusCode, aborted.errorCode], [6, 9001]);
    assert.match(aborted.message, /aborted \(error 9001: Failed to load behavior tree\)/);
    assert.equal(diagnostics()!.level, 1);
    assert.ok(h.node.logs.some((l) => l.level === 'warn' && /navigate goal 'red mug'.*aborted/.test(l.message)));

    accept = false;
    h.bridge.dispatch(await navigateResult(h), 0, 'console');
    const rejected = await until('rejected');
    assert.equal(rejected.message, 'Nav2 rejected the goal');
  } finally {
    await h.close();
  }
});

test('no action server: the goal is reported unavailable, not sent anywhere', async () => {
  const { h, diagnostics, until } = await startNav2Harness();
  try {
    assert.match(diagnostics()!.message, /no navigate goal sent yet .*server not available/);
    h.bridge.dispatch(await navigateResult(h), 0, 'console');
    const e = await until('unavailable');
    assert.match(e.message, /no action server on \/navigate_to_pose/);
    assert.equal(h.node.messages('/goal_pose').length, 0);
  } finally {
    await h.close();
  }
});

test('/goal_pose stays the fallback: without nav2_msgs, or with nav2_action empty', async () => {
  for (const [interfaces, overrides] of [[ALL_INTERFACES, {}], [[...ALL_INTERFACES, NAV2], { nav2_action: '' }]] as const) {
    const h = await startHarness({ overrides: { publish_nav_goal: true, ...overrides }, interfaces: [...interfaces] });
    try {
      h.bridge.dispatch(await navigateResult(h), 0, 'console');
      assert.equal(h.node.messages('/goal_pose').length, 1, JSON.stringify(overrides));
      assert.equal(h.node.actionClients.length, 0, 'no action client made');
    } finally {
      await h.close();
    }
  }
});
