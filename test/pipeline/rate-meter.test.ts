import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateMeter } from '../../src/pipeline/rate-meter.js';
import { LatencyWindow } from '../../src/pipeline/latency-window.js';

test('rate over the sliding window, decaying when events stop', () => {
  const m = new RateMeter(1000);
  assert.equal(m.rateHz(0), 0);
  assert.equal(m.ageMs(0), null);
  for (let t = 0; t < 3000; t += 100) m.mark(t); // 10 Hz for 3 s
  assert.equal(m.count, 30);
  assert.ok(Math.abs(m.rateHz(2950) - 10) < 0.5, `rate ${m.rateHz(2950)}`);
  assert.equal(m.ageMs(2950), 50);
  assert.equal(m.rateHz(5000), 0);
});

test('latency percentiles over the last N values', () => {
  const w = new LatencyWindow(100);
  assert.deepEqual(w.summary(), { count: 0, p50: null, p90: null, p99: null });
  for (let i = 1; i <= 200; i++) w.add(i); // keeps 101..200
  const s = w.summary();
  assert.equal(s.count, 100);
  assert.equal(s.p50, 150.5);
  assert.ok(s.p99! > 199 && s.p99! <= 200);
});
