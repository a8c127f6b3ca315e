// scripts/install-rclnodejs.mjs (issue 14, item 3): the postinstall that rebuilds rclnodejs, once, when npm ci
// dropped it under a sourced ROS 2, with what its source build needs (a non-interactive npx, local Node headers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installPlan, localNodeHeaders, lockedVersion } from '../../scripts/install-rclnodejs.mjs';

test('no ROS sourced: nothing to do, even when rclnodejs is absent (CI, this machine)', () => {
  assert.equal(installPlan({ env: {}, installed: false, force: false, version: '2.2.0', nodedir: '/usr' }), null);
});

test('ROS sourced and rclnodejs present after npm ci: nothing to do unless forced', () => {
  const env = { ROS_DISTRO: 'jazzy' };
  assert.equal(installPlan({ env, installed: true, force: false, version: '2.2.0', nodedir: '/usr' }), null);
  assert.ok(installPlan({ env, installed: true, force: true, version: '2.2.0', nodedir: '/usr' }));
});

test('ROS sourced and rclnodejs dropped: reinstall the locked version with yes and the local headers, build output shown', () => {
  const plan = installPlan({ env: { ROS_DISTRO: 'jazzy', PATH: '/bin' }, installed: false, force: false, version: '2.2.0', nodedir: '/usr' });
  assert.ok(plan);
  assert.deepEqual(plan.args, ['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts', 'rclnodejs@2.2.0']);
  assert.equal(plan.env.npm_config_yes, 'true', "the build's `npx rimraf` must not stop at a prompt");
  assert.equal(plan.env.npm_config_nodedir, '/usr', 'headers of the running Node: no download');
  assert.equal(plan.env.PATH, '/bin');
  const own = installPlan({ env: { ROS_DISTRO: 'jazzy', npm_config_nodedir: '/opt/node' }, installed: false, force: false, version: '2.2.0', nodedir: '/usr' });
  assert.equal(own!.env.npm_config_nodedir, '/opt/node', "a nodedir the user set is kept");
  const none = installPlan({ env: { ROS_DISTRO: 'jazzy' }, installed: false, force: false, version: '2.2.0', nodedir: null });
  assert.equal('npm_config_nodedir' in none!.env, false, 'no matching headers: node-gyp downloads them');
});

test('the version comes from package-lock.json; local headers count only for the exact running version', () => {
  assert.equal(lockedVersion(), '2.2.0');
  const dir = mkdtempSync(join(tmpdir(), 'headers-'));
  try {
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'include', 'node'), { recursive: true });
    writeFileSync(join(dir, 'bin', 'node'), '');
    writeFileSync(join(dir, 'include', 'node', 'node_version.h'), '#define NODE_MAJOR_VERSION 20\n#define NODE_MINOR_VERSION 20\n#define NODE_PATCH_VERSION 2\n');
    assert.equal(localNodeHeaders(join(dir, 'bin', 'node'), '20.20.2'), dir);
    assert.equal(localNodeHeaders(join(dir, 'bin', 'node'), '20.20.3'), null);
    rmSync(join(dir, 'include'), { recursive: true });
    assert.equal(localNodeHeaders(join(dir, 'bin', 'node'), '20.20.2'), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
