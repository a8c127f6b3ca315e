// A dispatched goal's execution as the ROS node's Nav2 client reports it reaches every console client as a
// 'goal_execution' message, and the operator's 'cancel' of a result id that is no longer a request in flight goes
// to the adapter executing its goal (the bridge's goal canceller).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startConsole } from '../../src/console/server.js';
import { makeBridge, TestClient } from './harness.js';

const bridge = makeBridge();
const handle = await startConsole(bridge, { port: 0, log: () => {}, previewFps: 30 });
after(() => handle.close());

test('goal_execution reports are broadcast; cancel of a result id cancels its executing goal', async () => {
  const operator = await TestClient.connect(handle.port, handle.token);
  const viewer = await TestClient.connect(handle.port, handle.viewerToken);
  try {
    await operator.next('hello');
    await viewer.next('hello');
    bridge.reportGoalExecution({
      resultId: 'req-9', waypointIndex: 0, via: '/navigate_to_pose', state: 'active', distanceRemainingM: 2.5, recoveries: 1,
      navigationTimeS: 3.5, estimatedTimeRemainingS: 7, statusCode: null, errorCode: null, message: 'accepted by /navigate_to_pose',
    });
    for (const client of [operator, viewer]) {
      const { execution } = await client.next('goal_execution');
      assert.equal(execution.resultId, 'req-9');
      assert.equal(execution.distanceRemainingM, 2.5);
      assert.equal(typeof execution.atMs, 'number', 'stamped by the bridge');
    }

    const cancelled: string[] = [];
    bridge.setGoalCanceller((id) => (id === 'req-9' ? (cancelled.push(id), true) : false));
    operator.send({ type: 'cancel', id: 'req-9' });
    operator.send({ type: 'cancel', id: 'req-10' });
    const error = await operator.next('error');
    assert.equal(error.code, 'unknown_request');
    assert.match(error.message, /no request or executing goal 'req-10'/);
    assert.deepEqual(cancelled, ['req-9']);
    bridge.setGoalCanceller(null);
    assert.equal(bridge.cancel('req-9'), false, 'unset: nothing to cancel');
  } finally {
    operator.close();
    viewer.close();
  }
});
