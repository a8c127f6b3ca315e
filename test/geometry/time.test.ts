import { test } from 'node:test';
import assert from 'node:assert/strict';
import { msBetween, nsFromRos, rosFromNs } from '../../src/geometry/time.js';

test('ROS time <-> nanoseconds round-trips exactly, also far from the epoch and before it', () => {
  const t = { sec: 1_732_000_000, nanosec: 123_456_789 };
  assert.equal(nsFromRos(t), 1_732_000_000_123_456_789n);
  assert.deepEqual(rosFromNs(nsFromRos(t)), t);
  assert.deepEqual(rosFromNs(-1n), { sec: -1, nanosec: 999_999_999 });
  assert.equal(nsFromRos(rosFromNs(-1_500_000_000n)), -1_500_000_000n);
  assert.throws(() => nsFromRos({ sec: 1, nanosec: 1e9 }), RangeError);
  assert.throws(() => nsFromRos({ sec: 1.5, nanosec: 0 }), RangeError);
});

test('msBetween is (b - a) in milliseconds', () => {
  assert.equal(msBetween(1_000_000_000n, 1_250_000_000n), 250);
  assert.equal(msBetween(5n, 2n), -3e-6);
});
