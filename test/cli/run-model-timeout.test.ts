// run/demo: the per-attempt model timeout is clamped so every attempt fits into the point stage's deadline
// (otherwise the stage deadline ends a request to a hung endpoint before any failover).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clampModelTimeout } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config/index.js';

function configFrom(yaml: string) {
  return loadConfig({ env: {}, text: yaml, file: 'robot.yaml' }).config;
}

test('model.timeout_ms over timeouts.point_ms / (retries + 1) is clamped, with one line saying so', () => {
  const config = configFrom('model: { urls: [http://gpu:8000], timeout_ms: 60000, retries: 2 }\ntimeouts: { point_ms: 20000 }');
  const lines: string[] = [];
  const model = clampModelTimeout(config.model, config.bridge, (line) => lines.push(line));
  assert.equal(model.timeoutMs, 6666);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /model\.timeout_ms 60000 ms .* 3 attempts .* timeouts\.point_ms 20000 ms: using 6666 ms per attempt/);
  assert.equal(config.model.timeoutMs, 60000, 'the config itself is left as loaded');
});

test('a timeout that already fits, or a backend without a model server, is left alone and nothing is said', () => {
  const lines: string[] = [];
  const fits = configFrom('model: { urls: [http://gpu:8000], timeout_ms: 5000, retries: 3 }\ntimeouts: { point_ms: 20000 }');
  assert.equal(clampModelTimeout(fits.model, fits.bridge, (l) => lines.push(l)).timeoutMs, 5000);
  const none = configFrom('model: { backend: none, timeout_ms: 60000 }');
  assert.equal(clampModelTimeout(none.model, none.bridge, (l) => lines.push(l)).timeoutMs, 60000);
  assert.deepEqual(lines, []);
});
