// Issue 14, item 2: the interface package generated for rclnodejs in one shell, the node started in another without
// its install/setup.bash: creating the PointAt action server throws rclnodejs' dlopen error. The node must log one
// line and run with the query topic, not exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DiagnosticArrayMsg } from '../../src/messages/outputs.js';
import { startHarness } from './harness.js';

test('typesupport library missing: one log line, no action or service, the query topic still answers', async () => {
  const h = await startHarness({ missingTypesupport: ['molmo_waypoints_interfaces'] });
  try {
    const lines = h.node.logs.filter((l) => l.message.includes('molmo_waypoints_interfaces'));
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]!.level, 'warn');
    assert.match(lines[0]!.message, /libmolmo_waypoints_interfaces__rosidl_typesupport_c\.so: cannot open shared object file/);
    assert.match(lines[0]!.message, /PointAt action and service are off; ~\/point_at \(std_msgs\/String\) works without them/);
    assert.match(lines[0]!.message, /source the workspace overlay \(install\/setup\.bash/);
    assert.equal(h.node.actionServers.length, 0);
    assert.equal(h.node.services.length, 0);

    h.feedFrame();
    const result = h.nextResult();
    assert.equal(h.node.inject('~/point_at', { data: 'the red mug' }), 1);
    const r = await result;
    assert.equal(r.status, 'ok', r.reason);
    assert.equal(h.node.messages('~/waypoints').length, 1);

    h.node.fireTimers();
    const [diag] = h.node.messages<DiagnosticArrayMsg>('/diagnostics');
    const status = diag!.status.find((s) => s.name === 'molmo_waypoints: interfaces')!;
    assert.match(status.message, /^PointAt action\/service off/);
  } finally {
    await h.close();
  }
});

test('other errors creating the action server are not mistaken for a missing library', async () => {
  const { MemoryNode } = await import('../../src/ros/memory-runtime.js');
  const original = MemoryNode.prototype.createActionServer;
  MemoryNode.prototype.createActionServer = () => {
    throw new Error('rcl_action_server_init failed: invalid action name');
  };
  try {
    await assert.rejects(startHarness(), /invalid action name/);
  } finally {
    MemoryNode.prototype.createActionServer = original;
  }
});
