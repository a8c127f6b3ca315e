import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STANDARD_INTERFACES } from '../../src/ros/memory-runtime.js';
import type { PointAtResult } from '../../src/ros/requests.js';
import { STAMP, expectedBasePoint, startHarness } from './harness.js';

test('PointAt action: feedback per stage, result with stamped poses, pixels and labels, goal succeeded', async () => {
  const h = await startHarness();
  try {
    h.feedFrame();
    const goal = h.node.sendGoal('~/point_at', { query: 'the red mug', mode: 'pick', target_frame: '', max_points: 0 });
    const result = (await goal.result) as PointAtResult;
    assert.equal(goal.status, 'succeeded');
    assert.equal(result.status, 'ok', result.reason);
    assert.equal(result.reason, '');
    assert.match(result.result_id, /^ros-action-/);
    assert.deepEqual(goal.feedback.map((f) => (f as { stage: string }).stage), ['snapshot', 'point', 'lift', 'transform', 'target', 'validate']);
    assert.equal(result.poses.length, 1);
    assert.deepEqual(result.poses[0]!.header, { stamp: STAMP, frame_id: 'base_link' });
    // 50 % of 64×48 from the corner = pixel centre (31.5, 23.5).
    const expected = expectedBasePoint(31.5, 23.5);
    const p = result.poses[0]!.pose.position;
    assert.ok(Math.abs(p.x - expected.x) < 1e-9 && Math.abs(p.y - expected.y) < 1e-9 && Math.abs(p.z - expected.z) < 1e-9);
    const q = result.poses[0]!.pose.orientation;
    assert.ok(Math.abs(Math.hypot(q.x, q.y, q.z, q.w) - 1) < 1e-12, 'unit quaternion');
    assert.deepEqual(result.pixels, [{ x: 31.5, y: 23.5, z: 0 }]);
    assert.deepEqual(result.labels, ['red mug']);
    assert.match(result.raw_text, /<point x="50"/);
    // The action's result is also a bridge result: the usual topics carry it.
    assert.equal(h.node.messages('~/waypoints').length, 1);
    const json = JSON.parse(h.node.messages<{ data: string }>('~/result')[0]!.data) as { id: string; mode: string };
    assert.deepEqual([json.id, json.mode], [result.result_id, 'pick']);
  } finally {
    await h.close();
  }
});

test('PointAt action: a failed request aborts the goal with its status and reason; a bad mode is a bad_request', async () => {
  const h = await startHarness({ fallback: { answer: 'There are none.' } });
  try {
    h.feedFrame();
    const none = h.node.sendGoal('~/point_at', { query: 'unicorn', mode: '', target_frame: '', max_points: 0 });
    const r1 = (await none.result) as PointAtResult;
    assert.equal(none.status, 'aborted');
    assert.equal(r1.status, 'no_points');
    assert.notEqual(r1.reason, '');
    assert.deepEqual([r1.poses, r1.pixels, r1.labels], [[], [], []]);

    const bad = h.node.sendGoal('~/point_at', { query: 'mug', mode: 'dance', target_frame: '', max_points: 0 });
    const r2 = (await bad.result) as PointAtResult;
    assert.equal(bad.status, 'aborted');
    assert.equal(r2.status, 'bad_request');
    assert.match(r2.reason, /mode must be one of point, pick, navigate, got "dance"/);
  } finally {
    await h.close();
  }
});

test('PointAt action: a client cancel cancels the request and ends the goal as canceled', async () => {
  // The model hangs until the client gives up, so the goal is still running when the cancel arrives.
  const h = await startHarness({ fallback: { fail: 'hang' } });
  try {
    h.feedFrame();
    const goal = h.node.sendGoal('~/point_at', { query: 'the red mug', mode: 'point', target_frame: '', max_points: 0 });
    while (!goal.feedback.some((f) => (f as { stage: string }).stage === 'point')) await new Promise((r) => setTimeout(r, 5));
    assert.equal(goal.cancel(), true);
    const result = (await goal.result) as PointAtResult;
    assert.equal(result.status, 'cancelled');
    assert.equal(goal.status, 'canceled');
  } finally {
    await h.close();
  }
});

test('PointAt service: same request and response fields; target_frame and max_points pass through', async () => {
  const h = await startHarness({ fallback: { answer: '<points x1="25" y1="25" x2="75" y2="75" alt="mug">mug</points>' } });
  try {
    h.feedFrame();
    const one = (await h.node.callService('~/point_at_srv', { query: 'mugs', mode: 'point', target_frame: 'base_link', max_points: 1 })) as PointAtResult;
    assert.equal(one.status, 'ok', one.reason);
    assert.equal(one.poses.length, 1, 'max_points 1');
    assert.match(one.result_id, /^ros-service-/);
    const both = (await h.node.callService('~/point_at_srv', { query: 'mugs', mode: '', target_frame: '', max_points: 0 })) as PointAtResult;
    assert.equal(both.poses.length, 2);
    // 25 % and 75 % of 64×48 from the corner, − 0.5 onto the pixel-centre grid.
    assert.deepEqual(both.pixels.map((p) => [p.x, p.y]), [[15.5, 11.5], [47.5, 35.5]]);
    const frame = (await h.node.callService('~/point_at_srv', { query: 'mugs', mode: 'point', target_frame: 'no_such_frame', max_points: 0 })) as PointAtResult;
    assert.equal(frame.status, 'tf_error');
    assert.match(frame.reason, /no_such_frame/);
  } finally {
    await h.close();
  }
});

test('without the interface package the action and service are not offered, once-logged, and the topic still works', async () => {
  const h = await startHarness({ interfaces: STANDARD_INTERFACES });
  try {
    assert.equal(h.node.actionServers.length, 0);
    assert.equal(h.node.services.length, 0);
    const info = h.node.logs.filter((l) => l.message.includes('molmo_waypoints_interfaces is not built'));
    assert.equal(info.length, 1);
    assert.equal(h.node.publisher('~/detections'), undefined, 'no vision_msgs, no ~/detections');
    assert.ok(h.node.logs.some((l) => l.message.includes('vision_msgs is not available')));
    h.feedFrame();
    const done = h.nextResult();
    h.node.inject('~/point_at', { data: 'the red mug' });
    assert.equal((await done).status, 'ok');
    assert.equal(h.node.messages('~/waypoints').length, 1);
  } finally {
    await h.close();
  }
});
