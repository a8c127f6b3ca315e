import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RosUnavailableError, importRclnodejs, loadRosRuntime, rosAvailable } from '../../src/ros/load.js';
import { prepareRosNode } from '../../src/ros/node.js';

test('ROS mode needs ROS_DISTRO: a clear error, and rclnodejs is never imported without it', async () => {
  let imported = false;
  const importModule = async () => {
    imported = true;
    return {};
  };
  assert.equal(rosAvailable({}), false);
  assert.equal(rosAvailable({ ROS_DISTRO: 'jazzy' }), true);
  await assert.rejects(importRclnodejs({ env: {}, importModule }), (e: unknown) =>
    e instanceof RosUnavailableError && /ROS 2 is not sourced \(ROS_DISTRO is unset\): source \/opt\/ros\/<distro>\/setup.bash/.test(e.message));
  assert.equal(imported, false);
});

test('rclnodejs missing: "rclnodejs is not installed: source /opt/ros/<distro>/setup.bash then npm ci"', async () => {
  const notFound = async () => {
    throw Object.assign(new Error("Cannot find package 'rclnodejs'"), { code: 'ERR_MODULE_NOT_FOUND' });
  };
  await assert.rejects(importRclnodejs({ env: { ROS_DISTRO: 'humble' }, importModule: notFound }), {
    name: 'RosUnavailableError',
    message: 'rclnodejs is not installed: source /opt/ros/humble/setup.bash then npm ci',
  });
});

test('the real import() in this checkout (rclnodejs is an optional dependency, absent here) gives the same message', async (t) => {
  let installed = true;
  try {
    await import('node:module').then((m) => m.createRequire(import.meta.url).resolve('rclnodejs'));
  } catch {
    installed = false;
  }
  if (installed) {
    t.diagnostic('rclnodejs is installed here; the missing-module path is covered by the injected loader test');
    return;
  }
  await assert.rejects(loadRosRuntime({ env: { ROS_DISTRO: 'jazzy' }, argv: [] }), {
    name: 'RosUnavailableError',
    message: 'rclnodejs is not installed: source /opt/ros/jazzy/setup.bash then npm ci',
  });
  // prepareRosNode reads process.env: without ROS_DISTRO (CI) it says so, in a ROS shell it gives the install hint.
  await assert.rejects(prepareRosNode({ argv: [] }), RosUnavailableError);
});

test('rclnodejs that is installed but unbuilt (native binding missing) names the rebuild command', async () => {
  const unbuilt = async () => {
    throw new Error('Could not locate the bindings file. Tried: build/Release/rclnodejs.node');
  };
  await assert.rejects(importRclnodejs({ env: { ROS_DISTRO: 'jazzy' }, importModule: unbuilt }), (e: unknown) =>
    e instanceof RosUnavailableError &&
    e.message.includes('Could not locate the bindings file') &&
    e.message.includes("'source /opt/ros/jazzy/setup.bash && npm rebuild rclnodejs'"));
  await assert.rejects(importRclnodejs({ env: { ROS_DISTRO: 'jazzy' }, importModule: async () => ({ default: { something: 1 } }) }), /does not look like rclnodejs/);
});
