import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFrameMessage, encodeFrameMessage, toWireJson } from '../../src/console/wire.js';

test('bigints travel as exact decimal strings', () => {
  const stamp = 1_700_000_000_123_456_789n; // not representable as a double
  const text = toWireJson({ stampNs: stamp, nested: [{ s: -5n }], n: 1.5 });
  assert.equal(text, '{"stampNs":"1700000000123456789","nested":[{"s":"-5"}],"n":1.5}');
  assert.equal(BigInt(JSON.parse(text).stampNs), stamp);
});

test('a preview frame message round-trips its header and JPEG bytes', () => {
  const jpeg = Buffer.from([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]);
  const header = { seq: 4_000_000_000, stampNs: 1_700_000_000_123_456_789n, width: 1280, height: 720, sentWidth: 960, sentHeight: 540, receivedAtMs: 1234.5 };
  const message = encodeFrameMessage(header, jpeg);
  assert.equal(message.byteLength, 40 + jpeg.byteLength);
  const decoded = decodeFrameMessage(message);
  assert.deepEqual(decoded.header, header);
  assert.deepEqual(Buffer.from(decoded.jpeg), jpeg);
});

test('a message that is not a preview frame is refused with a reason', () => {
  assert.throws(() => decodeFrameMessage(new Uint8Array(10)), /shorter than its header/);
  assert.throws(() => decodeFrameMessage(new Uint8Array(48)), /bad magic/);
});
