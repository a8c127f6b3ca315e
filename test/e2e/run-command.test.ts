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
  assert.match(r.stderr, /model: the bundled COCO detector \(CPU, offline/, 'auto without a model URL');
  assert.match(r.stderr, /waypoints in: map/);
  assert.match(r.stderr, /the source has ended/);
});

test('run refuses a missing --config, bad values and a config with nothing to feed the bridge (exit 2)', async (t) => {
  const errors: string[] = [];
  t.mock.method(console, 'error', (line: string) => errors.push(line));
  const { run: runCommand } = await import('../../src/cli/run.js');
  const saved = { ...process.env };
  try {
    process.env['MOLMO_URL'] = '';
    process.env['ROS_DISTRO'] = '';
    assert.equal(await runCommand([]), 2);
    assert.match(errors.pop()!, /--config <file> is required/);
    assert.equal(await runCommand(['--config', 'examples/config.yaml', '--set', 'model.timeout_ms=-1']), 2);
    assert.equal(errors.pop(), "molmo-waypoints run: --set: model.timeout_ms must be a positive number, got '-1'");
    process.env['MOLMO_FAMILY'] = 'qwen';
    assert.equal(await runCommand(['--config', 'examples/config.yaml']), 2);
    assert.match(errors.pop()!, /MOLMO_FAMILY: model\.family must be one of molmo, molmo2, qwen2\.5-vl, qwen3-vl, qwen2-vl, gemini-er, moondream, robopoint, paligemma, florence2, got 'qwen'/);
    delete process.env['MOLMO_FAMILY'];
    assert.equal(await runCommand(['--config', 'examples/config.yaml', '--set', 'source.type=none', '--ros', 'off', '--no-console', '--no-record']), 2);
    assert.match(errors.pop()!, /nothing feeds the bridge/);
    assert.equal(await runCommand(['--config', 'examples/config.yaml', '--bogus']), 2);
    assert.match(errors.pop()!, /Unknown option '--bogus'/);
  } finally {
    process.env = saved;
  }
});
