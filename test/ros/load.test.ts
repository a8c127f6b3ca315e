import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RosUnavailableError, fixCommand, importRclnodejs, loadRosRuntime, rosAvailable } from '../../src/ros/load.js';
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

const notInstalled = (distro: string) =>
  `rclnodejs is not installed: npm left out this optional dependency because its native build for ROS 2 ${distro} failed ` +
  `(or npm ci ran before ROS 2 was sourced); build it, with the build's output, with 'source /opt/ros/${distro}/setup.bash && npm run install-rclnodejs'`;

test('rclnodejs missing: says npm dropped it because its build failed, and names the command that builds it', async () => {
  const notFound = async () => {
    throw Object.assign(new Error("Cannot find package 'rclnodejs'"), { code: 'ERR_MODULE_NOT_FOUND' });
  };
  await assert.rejects(importRclnodejs({ env: { ROS_DISTRO: 'humble' }, importModule: notFound }), {
    name: 'RosUnavailableError',
    message: notInstalled('humble'),
  });
  // The command is the one scripts/install-rclnodejs.mjs prints, and `npm run install-rclnodejs` exists.
  const script = await import('../../scripts/install-rclnodejs.mjs');
  assert.equal(script.fixCommand('humble'), fixCommand('humble'));
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  assert.equal(pkg.scripts['install-rclnodejs'], 'node scripts/install-rclnodejs.mjs --force');
  assert.equal(pkg.scripts['postinstall'], 'node scripts/install-rclnodejs.mjs');
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
    message: notInstalled('jazzy'),
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
    e.message.includes("'source /opt/ros/jazzy/setup.bash && npm run install-rclnodejs'"));
  await assert.rejects(importRclnodejs({ env: { ROS_DISTRO: 'jazzy' }, importModule: async () => ({ default: { something: 1 } }) }), /does not look like rclnodejs/);
});
