import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TfBuffer, TfDisconnectedError, TfError, TfExtrapolationError, TfUnknownFrameError,
} from '../../src/geometry/tf-buffer.js';
import { applyTransform, quaternionFromRpy, quaternionFromYaw } from '../../src/geometry/transform.js';
import type { TransformStamped, Vec3 } from '../../src/geometry/types.js';

const S = 1_000_000_000n;
const tf = (frameId: string, childFrameId: string, stampNs: bigint, t: Vec3, yaw = 0): TransformStamped => ({
  frameId, childFrameId, stampNs, transform: { translation: t, rotation: quaternionFromYaw(yaw) },
});
function near(a: Vec3, b: Vec3, tol = 1e-9): void {
  assert.ok(Math.abs(a.x - b.x) < tol && Math.abs(a.y - b.y) < tol && Math.abs(a.z - b.z) < tol, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

/** map -> odom (dynamic) -> base_link (dynamic) -> camera_link (static) -> camera_optical (static); base_link -> arm (static). */
function robot(): TfBuffer {
  const buf = new TfBuffer();
  buf.setTransform(tf('map', 'odom', 10n * S, { x: 1, y: 0, z: 0 }), false);
  buf.setTransform(tf('map', 'odom', 12n * S, { x: 1, y: 0, z: 0 }), false);
  buf.setTransform(tf('odom', 'base_link', 10n * S, { x: 0, y: 0, z: 0 }, 0), false);
  buf.setTransform(tf('odom', 'base_link', 11n * S, { x: 2, y: 0, z: 0 }, Math.PI / 2), false);
  buf.setTransform(tf('base_link', 'camera_link', 0n, { x: 0.1, y: 0, z: 0.5 }), true);
  buf.setTransform(
    { frameId: 'camera_link', childFrameId: 'camera_optical', stampNs: 0n, transform: { translation: { x: 0, y: 0, z: 0 }, rotation: quaternionFromRpy(-Math.PI / 2, 0, -Math.PI / 2) } },
    true,
  );
  buf.setTransform(tf('base_link', 'arm', 0n, { x: 0, y: 0.3, z: 0.2 }), true);
  return buf;
}

test('chains through the tree and interpolates dynamic edges between neighbours', () => {
  const buf = robot();
  // At t = 10.5 s base_link is at x = 1 in odom, turned 45°; a point 1 m in front of the camera (optical z).
  const t = buf.lookup('map', 'camera_optical', 10_500_000_000n);
  const p = applyTransform(t, { x: 0, y: 0, z: 1 }); // (1.1, 0, 0.5) in base_link
  const c = Math.SQRT1_2;
  near(p, { x: 1 + 1 + 1.1 * c, y: 1.1 * c, z: 0.5 });
  // Exact samples are returned as they are.
  near(applyTransform(buf.lookup('odom', 'base_link', 11n * S), { x: 1, y: 0, z: 0 }), { x: 2, y: 1, z: 0 });
});

test('siblings resolve through their common ancestor', () => {
  const buf = robot();
  const t = buf.lookup('arm', 'camera_link', 10n * S);
  near(applyTransform(t, { x: 0, y: 0, z: 0 }), { x: 0.1, y: -0.3, z: 0.3 });
  // Static-only paths work at any stamp, including "latest" (0).
  near(applyTransform(buf.lookup('arm', 'camera_link', 0n), { x: 0, y: 0, z: 0 }), { x: 0.1, y: -0.3, z: 0.3 });
  near(applyTransform(buf.lookup('camera_link', 'arm', 999n * S), { x: 0.1, y: -0.3, z: 0.3 }), { x: 0, y: 0, z: 0 });
});

test('stamp 0 means the latest time every dynamic edge on the path covers', () => {
  const buf = robot();
  const latest = buf.lookupLatest('map', 'base_link');
  assert.equal(latest.stampNs, 11n * S); // odom->base_link ends at 11 s, map->odom at 12 s
  near(latest.transform.translation, { x: 3, y: 0, z: 0 });
  near(buf.lookup('map', 'base_link', 0n).translation, { x: 3, y: 0, z: 0 });
  assert.equal(buf.latestStampNs(), 12n * S);
});

test('a stamp outside the buffered interval is an extrapolation error unless within the tolerance', () => {
  const buf = robot();
  const err = (() => {
    try {
      buf.lookup('map', 'camera_optical', 11n * S + 200_000_000n);
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof TfExtrapolationError);
  assert.equal(err.code, 'extrapolation');
  assert.equal(err.parent, 'odom');
  assert.equal(err.child, 'base_link');
  assert.match(err.message, /200 ms after the newest/);
  assert.throws(() => buf.lookup('map', 'base_link', 9n * S), /before the oldest/);
  // Within tolerance the nearest sample is used.
  const t = buf.lookup('odom', 'base_link', 11n * S + 200_000_000n, 250_000_000n);
  near(t.translation, { x: 2, y: 0, z: 0 });
  assert.equal(buf.canTransform('odom', 'base_link', 11n * S + 200_000_000n), false);
  assert.equal(buf.canTransform('odom', 'base_link', 11n * S + 200_000_000n, 250_000_000n), true);
});

test('unknown and disconnected frames have their own errors', () => {
  const buf = robot();
  buf.setTransform(tf('world', 'table', 0n, { x: 0, y: 0, z: 0.7 }), true);
  assert.throws(() => buf.lookup('map', 'gripper', 10n * S), (e: unknown) => e instanceof TfUnknownFrameError && e.code === 'unknown_frame' && e.frame === 'gripper' && /source frame 'gripper'/.test(e.message));
  assert.throws(() => buf.lookup('nowhere', 'map', 10n * S), (e: unknown) => e instanceof TfUnknownFrameError && /target frame 'nowhere'/.test(e.message));
  assert.throws(() => buf.lookup('table', 'camera_optical', 10n * S), (e: unknown) => e instanceof TfDisconnectedError && e.code === 'disconnected' && /root 'world'/.test(e.message));
  assert.ok(buf.frames().includes('table'));
  assert.equal(buf.hasFrame('/table'), true);
});

test('invalid transforms are refused: zero quaternion, self-loop, cycle, empty frame, NaN', () => {
  const buf = robot();
  const zeroQ = { ...tf('a', 'b', 0n, { x: 0, y: 0, z: 0 }), transform: { translation: { x: 0, y: 0, z: 0 }, rotation: { x: 0, y: 0, z: 0, w: 0 } } };
  for (const bad of [zeroQ, tf('a', 'a', 0n, { x: 0, y: 0, z: 0 }), tf('camera_optical', 'map', 0n, { x: 0, y: 0, z: 0 }), tf('', 'x', 0n, { x: 0, y: 0, z: 0 }), tf('a', 'b', 0n, { x: NaN, y: 0, z: 0 })]) {
    assert.throws(() => buf.setTransform(bad, true), (e: unknown) => e instanceof TfError && e.code === 'invalid_transform');
  }
});

test('the cache keeps cacheDurationNs of history per edge and replaces equal stamps', () => {
  const buf = new TfBuffer({ cacheDurationNs: 2n * S });
  for (let s = 0n; s <= 10n; s++) buf.setTransform(tf('odom', 'base', s * S, { x: Number(s), y: 0, z: 0 }), false);
  assert.throws(() => buf.lookup('odom', 'base', 7n * S), TfExtrapolationError);
  near(buf.lookup('odom', 'base', 8n * S + S / 2n).translation, { x: 8.5, y: 0, z: 0 });
  buf.setTransform(tf('odom', 'base', 10n * S, { x: 100, y: 0, z: 0 }), false);
  near(buf.lookup('odom', 'base', 10n * S).translation, { x: 100, y: 0, z: 0 });
  // Out-of-order arrival is kept sorted.
  buf.setTransform(tf('odom', 'base', 9n * S + S / 2n, { x: -1, y: 0, z: 0 }), false);
  near(buf.lookup('odom', 'base', 9n * S + S / 4n).translation, { x: 4, y: 0, z: 0 });
});

test('leading slashes are ignored and identical frames give the identity', () => {
  const buf = robot();
  near(buf.lookup('/base_link', '/arm', 0n).translation, { x: 0, y: 0.3, z: 0.2 });
  near(buf.lookup('arm', 'arm', 5n).translation, { x: 0, y: 0, z: 0 });
  buf.clear();
  assert.deepEqual(buf.frames(), []);
  assert.equal(buf.latestStampNs(), null);
});
