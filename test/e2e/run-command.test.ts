// `molmo-waypoints run --config <file>`: the example config runs; configuration mistakes exit 2 naming the key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const env = { ...process.env, MOLMO_URL: '', ROS_DISTRO: '' };
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', ...args], { encoding: 'utf8', env, timeout: 60_000 });

test('run replays the example config to the end of a non-looping source and exits 0', () => {
  const r = run('--config', 'examples/config.yaml', '--set', 'source.mcap.loop=false', '--set', 'source.mcap.realtime=false', '--no-console', '--no-record');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /source: MCAP .*demo\/redwood_livingroom1\.mcap\n/);
  assert.match(r.stderr, /model: none \(pixels from the console or --pixel\)/);
  assert.match(r.stderr, /waypoints in: map/);
  assert.match(r.stderr, /the source has ended/);
});

test('run refuses a missing --config, bad values and a config with nothing to feed the bridge (exit 2)', () => {
  const missing = run();
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--config <file> is required/);
  const bad = run('--config', 'examples/config.yaml', '--set', 'model.timeout_ms=-1');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^molmo-waypoints run: --set: model\.timeout_ms must be a positive number, got '-1'$/m);
  const envBad = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', '--config', 'examples/config.yaml'], {
    encoding: 'utf8',
    env: { ...env, MOLMO_FAMILY: 'qwen' },
  });
  assert.equal(envBad.status, 2);
  assert.match(envBad.stderr, /MOLMO_FAMILY: model\.family must be one of molmo, molmo2, got 'qwen'/);
  const idle = run('--config', 'examples/config.yaml', '--set', 'source.type=none', '--ros', 'off', '--no-console', '--no-record');
  assert.equal(idle.status, 2);
  assert.match(idle.stderr, /nothing feeds the bridge/);
});
