// scripts/ros-smoke.sh chooses its player before anything starts (issue 14, item 6): `ros2 bag play` when rosbag2
// can read the demo, else `molmo-waypoints play`. Run here with stand-ins for ros2 and colcon (no ROS on this
// machine), up to the colcon step, which the stand-in fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function smoke(bagWorks: boolean, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ros-smoke-'));
  try {
    mkdirSync(join(dir, 'scripts'));
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'node_modules', 'rclnodejs'), { recursive: true });
    copyFileSync(new URL('../../scripts/ros-smoke.sh', import.meta.url), join(dir, 'scripts', 'ros-smoke.sh'));
    const stub = (name: string, body: string) => {
      writeFileSync(join(dir, 'bin', name), `#!/usr/bin/env bash\n${body}\n`);
      chmodSync(join(dir, 'bin', name), 0o755);
    };
    stub('ros2', `if [ "$1" = bag ]; then ${bagWorks ? 'exit 0' : 'echo "ros2: invalid choice: bag" >&2; exit 2'}; fi; exit 0`);
    stub('colcon', 'echo "stand-in colcon" >&2; exit 1');
    const r = spawnSync('bash', [join(dir, 'scripts', 'ros-smoke.sh')], {
      encoding: 'utf8',
      env: { ...process.env, ...env, ROS_DISTRO: 'jazzy', PATH: `${join(dir, 'bin')}:${process.env['PATH']}` },
    });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('without a ros2 bag that reads the demo, the smoke test says so up front and replays with molmo-waypoints play', () => {
  const r = smoke(false);
  assert.equal(r.status, 1);
  const choice = r.out.indexOf('replaying with molmo-waypoints play');
  assert.ok(choice >= 0, r.out);
  assert.ok(choice < r.out.indexOf('FAIL: colcon build of interfaces/ failed'), 'decided before building anything');
});

test('with rosbag2 it uses ros2 bag play; SMOKE_PLAYER=bag without it fails at once, naming the package', () => {
  const withBag = smoke(true);
  assert.doesNotMatch(withBag.out, /molmo-waypoints play/);
  assert.match(withBag.out, /FAIL: colcon build of interfaces\/ failed/);
  const forced = smoke(false, { SMOKE_PLAYER: 'bag' });
  assert.equal(forced.status, 1);
  assert.match(forced.out, /FAIL: SMOKE_PLAYER=bag, but 'ros2 bag info demo\/redwood_livingroom1.mcap' fails: install rosbag2 and its MCAP storage plugin \(ros-jazzy-rosbag2-storage-mcap\)/);
  assert.doesNotMatch(forced.out, /colcon/);
});
