// Refused tokens: per-address lockout and a collapsed log, on a fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoginThrottle } from '../../src/console/login-throttle.js';

function throttle() {
  let t = 1000;
  const lines: string[] = [];
  const th = new LoginThrottle({ log: (l) => lines.push(l), now: () => t });
  return { th, lines, advance: (ms: number) => (t += ms) };
}

test('ten refused tokens within 10 s lock that address out for 10 s; others are not affected', () => {
  const { th, advance } = throttle();
  for (let i = 0; i < 9; i++) th.failure('10.0.0.1', 'refused');
  assert.equal(th.lockedMs('10.0.0.1'), 0);
  th.failure('10.0.0.1', 'refused');
  assert.equal(th.lockedMs('10.0.0.1'), 10_000);
  assert.equal(th.lockedMs('10.0.0.2'), 0);
  advance(9_999);
  assert.equal(th.lockedMs('10.0.0.1'), 1);
  advance(1);
  assert.equal(th.lockedMs('10.0.0.1'), 0);
  // Failures spread over more than the window never lock.
  for (let i = 0; i < 30; i++) {
    th.failure('10.0.0.3', 'refused');
    advance(1_200);
  }
  assert.equal(th.lockedMs('10.0.0.3'), 0);
  th.stop();
});

test('the log gets the first refusal of each 10 s window and then one "N more" line', () => {
  const { th, lines, advance } = throttle();
  for (let i = 0; i < 50; i++) th.failure(`10.0.0.${i % 5}`, `ws: 10.0.0.${i % 5}: missing or wrong token`);
  advance(10_000);
  th.failure('10.0.0.9', 'ws: 10.0.0.9: missing or wrong token');
  th.stop();
  assert.deepEqual(lines.filter((l) => !/answering 429/.test(l)), [
    'ws: 10.0.0.0: missing or wrong token',
    '49 more refused token attempts in the last 10 s',
    'ws: 10.0.0.9: missing or wrong token',
  ]);
  assert.equal(lines.filter((l) => /answering 429 for 10 s/.test(l)).length, 5, 'one line per locked address');
});
