// The node's object outputs through the in-memory ROS double: collision objects added, replaced by a later result
// (REMOVE for the old ones), left alone by a failed one and removed on shutdown; the collision_objects_topic
// parameter; ~/target_pose_cov. Results are hand-built (sample-results.ts) and emitted as the bridge emits them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CollisionObjectMsg } from '../../src/messages/collision-objects.js';
import type { DiagnosticArrayMsg, PoseWithCovarianceStampedMsg } from '../../src/messages/outputs.js';
import { ALL_INTERFACES, startHarness } from './harness.js';
import { COVARIANCE, failedResult, objectExtent, okResult, waypoint } from './sample-results.js';

const MOVEIT = 'moveit_msgs/msg/CollisionObject';

const withObjects = (id: string, labels: string[]) =>
  okResult({ id, waypoints: labels.map((label, rank) => waypoint(rank, { label, object: objectExtent(), covariance: [...COVARIANCE] })) });

test('collision objects: ADD per object, REMOVE when a later result replaces them, kept after a failure, removed on shutdown', async () => {
  const h = await startHarness({ interfaces: [...ALL_INTERFACES, MOVEIT] });
  let closed = false;
  try {
    const pub = h.node.publisher('~/collision_objects')!;
    assert.equal(pub.type, MOVEIT);
    assert.deepEqual(pub.qos, { history: 'keep_last', depth: 256, reliability: 'reliable', durability: 'volatile' }, "MoveIt's subscription QoS");
    const sent = () => h.node.messages<CollisionObjectMsg>('~/collision_objects').map((o) => [o.operation, o.id]);

    h.bridge.emit('result', withObjects('req-1', ['red mug', 'bowl']), null);
    assert.deepEqual(sent(), [[0, 'red_mug_req-1_0'], [0, 'bowl_req-1_1']]);

    h.bridge.emit('result', failedResult(), null);
    assert.equal(sent().length, 2, 'a failed result removes nothing');

    h.bridge.emit('result', withObjects('req-3', ['red mug']), null);
    assert.deepEqual(sent().slice(2), [[1, 'red_mug_req-1_0'], [1, 'bowl_req-1_1'], [0, 'red_mug_req-3_0']], 'REMOVE the old, then ADD the new');

    h.bridge.emit('result', okResult({ id: 'req-4' }), null);
    assert.deepEqual(sent().slice(5), [[1, 'red_mug_req-3_0']], 'an ok result without boxes replaces them with nothing');

    h.bridge.emit('result', withObjects('req-5', ['cup']), null);
    h.node.fireTimers();
    const interfaces = h.node.messages<DiagnosticArrayMsg>('/diagnostics').at(-1)!.status.find((s) => s.name === 'molmo_waypoints: interfaces')!;
    assert.equal(interfaces.values.find((v) => v.key === 'collision_objects')!.value, 'true');
    await h.close();
    closed = true;
    assert.deepEqual(sent().at(-1), [1, 'cup_req-5_0'], 'shutdown removes what is still added');
  } finally {
    if (!closed) await h.close();
  }
});

test('collision_objects_topic /collision_object publishes where MoveIt listens; without moveit_msgs it is off', async () => {
  const h = await startHarness({ interfaces: [...ALL_INTERFACES, MOVEIT], overrides: { collision_objects_topic: '/collision_object' } });
  try {
    h.bridge.emit('result', withObjects('req-1', ['red mug']), null);
    assert.equal(h.node.messages('/collision_object').length, 1);
    assert.equal(h.node.messages('~/collision_objects').length, 0);
  } finally {
    await h.close();
  }
  const off = await startHarness();
  try {
    assert.equal(off.node.publisher('~/collision_objects'), undefined);
    assert.ok(off.node.logs.some((l) => /moveit_msgs is not available: ~\/collision_objects is off/.test(l.message)));
    off.bridge.emit('result', withObjects('req-1', ['red mug']), null);
  } finally {
    await off.close();
  }
});

test('~/target_pose_cov: the best waypoint with its covariance, latched like the other result outputs', async () => {
  const h = await startHarness();
  try {
    assert.equal(h.node.publisher('~/target_pose_cov')!.qos.durability, 'transient_local');
    h.bridge.emit('result', withObjects('req-1', ['red mug']), null);
    h.bridge.emit('result', failedResult(), null);
    const [msg, ...more] = h.node.messages<PoseWithCovarianceStampedMsg>('~/target_pose_cov');
    assert.equal(more.length, 0, 'nothing for a failed result');
    assert.equal(msg!.header.frame_id, 'base_link');
    assert.equal(msg!.pose.covariance[0], COVARIANCE[0]);
    assert.equal(msg!.pose.covariance[7], COVARIANCE[4], 'yy');
  } finally {
    await h.close();
  }
});
