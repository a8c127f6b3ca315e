// Comparing messages with what CDR gives back: the decoder hands byte and number arrays over as typed arrays.
import assert from 'node:assert/strict';
import { decodeCdr, encodeCdr } from '../../src/messages/cdr.js';

/** Typed arrays as plain arrays, so decoded messages compare with ours field by field. */
export function plain(v: unknown): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/**
 * Real CDR bytes from the official definitions decode back to exactly our object: a field we lack would come back
 * with a default, a field the type does not have would be missing, a wrong primitive would change — all fail here.
 */
export function assertWireExact(type: string, msg: unknown): void {
  const bytes = encodeCdr(type, msg);
  assert.ok(bytes.byteLength > 4, `${type}: encoded`);
  assert.deepEqual(plain(decodeCdr(type, bytes)), plain(msg), `${type} round-trips through CDR unchanged`);
}
