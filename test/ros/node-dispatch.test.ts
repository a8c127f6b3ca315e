import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STAMP, startHarness, tfMsg, type Harness } from './harness.js';

async function query(h: Harness, mode: string) {
  const goal = h.node.sendGoal('~/point_at', { query: 'the red mug', mode, target_frame: '', max_points: 0 });
  const r = (await goal.result) as { status: string; result_id: string; reason: string };
  assert.equal(r.status, 'ok', r.reason);
  return r.result_id;
}

test('an operator dispatch of a pick result publishes ~/pick_pose and ~/pre_grasp_pose with the capture stamp', async () => {
  const h = await startHarness();
  try {
    h.feedFrame();
    const id = await query(h, 'pick');
    assert.equal(h.node.messages('~/pick_pose').length, 0, 'auto_dispatch is off by default');
    const goal = h.bridge.dispatch(id, 0, 'console:alice');
    const [pick] = h.node.messages<{ header: unknown; pose: { position: unknown; orientation: { x: number; y: number; z: number; w: number } } }>('~/pick_pose');
    assert.deepEqual(pick!.header, { stamp: STAMP, frame_id: 'base_link' });
    assert.deepEqual(pick!.pose.position, goal.pose.position);
    const q = pick!.pose.orientation;
    assert.ok(Math.abs(Math.hypot(q.x, q.y, q.z, q.w) - 1) < 1e-12);
    const [pre] = h.node.messages<{ header: unknown; pose: { position: { z: number } } }>('~/pre_grasp_pose');
    assert.ok(goal.preGraspPose, 'the pipeline made a pre-grasp pose (pre_grasp_m 0.1)');
    assert.deepEqual(pre!.header, { stamp: STAMP, frame_id: 'base_link' });
    assert.deepEqual(pre!.pose.position, goal.preGraspPose.position);
    assert.ok(h.node.logs.some((l) => l.level === 'info' && /sent pick pose 'red mug'.*by console:alice/.test(l.message)));
    assert.equal(h.node.messages('/goal_pose').length, 0);
    assert.equal(h.node.messages('~/goal_point').length, 0, 'a pick goes to ~/pick_pose only');
  } finally {
    await h.close();
  }
});

test('a dispatched point result goes to ~/goal_point (a PointStamped: no orientation to misread), never ~/pick_pose', async () => {
  const h = await startHarness();
  try {
    h.feedFrame();
    const id = await query(h, 'point');
    const goal = h.bridge.dispatch(id, 0, 'console:bob');
    const points = h.node.messages<{ header: unknown; point: unknown }>('~/goal_point');
    assert.equal(points.length, 1);
    assert.deepEqual(points[0]!.header, { stamp: STAMP, frame_id: 'base_link' });
    assert.deepEqual(points[0]!.point, goal.pose.position);
    assert.equal(h.node.messages('~/pick_pose').length, 0, 'identity orientation must not go out as a grasp pose');
    assert.equal(h.node.messages('~/pre_grasp_pose').length, 0);
    assert.equal(h.node.messages('/goal_pose').length, 0);
    assert.ok(h.node.logs.some((l) => l.level === 'info' && /sent point goal 'red mug'.*by console:bob.*on \/molmo_waypoints\/goal_point in base_link/.test(l.message)));
  } finally {
    await h.close();
  }
});

test('a dispatched navigate goal goes to /goal_pose in the navigation frame only when publish_nav_goal is on', async () => {
  for (const publish of [false, true]) {
    const h = await startHarness({ overrides: { publish_nav_goal: publish, nav_goal_stamp: 'zero' } });
    try {
      h.node.inject('/tf_static', tfMsg('map', 'base_link', { translation: { x: 3, y: 2, z: 0 }, rotation: { x: 0, y: 0, z: 0, w: 1 } }, { sec: 0, nanosec: 0 }));
      h.feedFrame();
      const id = await query(h, 'navigate');
      h.bridge.dispatch(id, 0, 'console');
      const goals = h.node.messages<{ header: { stamp: unknown; frame_id: string }; pose: { position: { z: number }; orientation: { x: number; y: number; z: number; w: number } } }>('/goal_pose');
      if (!publish) {
        assert.equal(goals.length, 0);
        assert.ok(h.node.logs.some((l) => l.level === 'warn' && /publish_nav_goal is false/.test(l.message)));
        continue;
      }
      assert.equal(goals.length, 1);
      assert.deepEqual(goals[0]!.header, { stamp: { sec: 0, nanosec: 0 }, frame_id: 'map' }, 'zero stamp: Nav2 uses the latest transform');
      assert.ok(Math.abs(goals[0]!.pose.position.z) < 1e-9, 'on the floor');
      const q = goals[0]!.pose.orientation;
      assert.ok(Math.abs(Math.hypot(q.x, q.y, q.z, q.w) - 1) < 1e-12);
      assert.equal(h.node.messages('~/pick_pose').length, 0);
    } finally {
      await h.close();
    }
  }
});

test('nav_goal_stamp now uses the node clock; capture keeps the image stamp', async () => {
  for (const [policy, stamp] of [['now', { sec: 1_800_000_000, nanosec: 5 }], ['capture', STAMP]] as const) {
    const h = await startHarness({ overrides: { publish_nav_goal: true, nav_goal_stamp: policy }, now: () => 1_800_000_000_000_000_005n });
    try {
      h.node.inject('/tf_static', tfMsg('map', 'base_link', { translation: { x: 0, y: 0, z: 0 }, rotation: { x: 0, y: 0, z: 0, w: 1 } }, { sec: 0, nanosec: 0 }));
      h.feedFrame();
      h.bridge.dispatch(await query(h, 'navigate'), 0, 'console');
      assert.deepEqual(h.node.messages<{ header: { stamp: unknown } }>('/goal_pose')[0]!.header.stamp, stamp, policy);
    } finally {
      await h.close();
    }
  }
});

test('auto_dispatch sends the best waypoint of each ok result, once, and nothing for failed results', async () => {
  const h = await startHarness({ overrides: { auto_dispatch: true }, replies: [{ answer: 'There are none.' }] });
  try {
    h.feedFrame();
    const failed = h.nextResult();
    h.node.inject('~/point_at', { data: 'unicorn' });
    assert.equal((await failed).status, 'no_points');
    assert.equal(h.node.messages('~/pick_pose').length, 0);

    const id = await query(h, 'pick');
    assert.equal(h.node.messages('~/pick_pose').length, 1);
    assert.throws(() => h.bridge.dispatch(id, 0, 'console'), /already dispatched.*auto_dispatch/);
    assert.equal(h.node.messages('~/pick_pose').length, 1);
    assert.ok(h.node.logs.some((l) => /auto_dispatch ON/.test(l.message)), 'the start-up line warns that auto_dispatch is on');
  } finally {
    await h.close();
  }
});
