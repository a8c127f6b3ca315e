import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_JSON_BYTES, parseClientMessage, validateApiPointBody } from '../../src/console/protocol.js';

function refused(raw: string) {
  const out = parseClientMessage(raw);
  assert.equal(out.ok, false, `expected ${raw.slice(0, 80)} to be refused`);
  return out as { ok: false; code: string; message: string; ref?: string };
}

test('valid messages of every type parse', () => {
  for (const m of [
    { type: 'query', query: 'the red mug', mode: 'pick', ref: 'r1', targetFrame: 'base_link', maxPoints: 3, frameSeq: 12 },
    { type: 'click', pixel: [10.5, -0.5], frameSeq: 3, mode: 'navigate', label: 'door' },
    { type: 'cancel', id: 'console-abc' },
    { type: 'confirm', resultId: 'click-1', waypointIndex: 0 },
    { type: 'ping', t: 5 },
  ]) {
    const out = parseClientMessage(JSON.stringify(m));
    assert.ok(out.ok, JSON.stringify(out));
    assert.deepEqual(out.message, m);
  }
});

test('malformed messages are refused with a code and a message naming the field', () => {
  assert.equal(refused('{nope').code, 'bad_json');
  assert.equal(refused('[1,2]').code, 'invalid');
  assert.equal(refused('"text"').code, 'invalid');
  assert.equal(refused('{"mode":"point"}').code, 'invalid');
  assert.equal(refused('{"type":"launch_missiles"}').code, 'unknown_type');
  assert.match(refused('{"type":"query","mode":"point"}').message, /query: required/);
  assert.match(refused('{"type":"query","query":"x","mode":"fly"}').message, /mode: must be one of point \| pick \| navigate/);
  assert.match(refused('{"type":"click","pixel":[1],"frameSeq":1,"mode":"point"}').message, /pixel: must have exactly 2 items/);
  assert.match(refused('{"type":"click","pixel":[-3,1],"frameSeq":1,"mode":"point"}').message, /pixel\[0\]: must be in \[-0.5, 65535\]/);
  assert.match(refused('{"type":"click","pixel":[1,"2"],"frameSeq":1,"mode":"point"}').message, /pixel\[1\]: must be a finite number/);
  // 1e400 is valid JSON that parses to Infinity: the reason says so rather than "got number".
  assert.match(refused('{"type":"click","pixel":[1e400,2],"frameSeq":1,"mode":"point"}').message, /pixel\[0\]: must be a finite number, got an infinite one \(out of range\)$/);
  assert.match(refused('{"type":"click","pixel":[1,2],"frameSeq":1.5,"mode":"point"}').message, /frameSeq: must be an integer/);
  assert.match(refused('{"type":"query","query":"x","mode":"point","extra":1}').message, /extra: unknown field/);
  assert.match(refused('{"type":"query","query":"","mode":"point"}').message, /query: length must be 1\.\.500/);
  assert.match(refused('{"type":"query","query":"a\\u0000b","mode":"point"}').message, /control characters/);
  assert.match(refused('{"type":"confirm","resultId":"r","waypointIndex":-1}').message, /waypointIndex: must be in/);
  assert.match(refused(JSON.stringify({ type: 'query', query: 'x'.repeat(501), mode: 'point' })).message, /length must be 1\.\.500, got 501/);
});

test('the ref of a refused message is echoed back so the client can match the error', () => {
  assert.equal(refused('{"type":"query","ref":"r7","mode":"point"}').ref, 'r7');
});

test('messages over the JSON size limit are refused before parsing', () => {
  const out = refused(JSON.stringify({ type: 'ping', pad: 'x'.repeat(MAX_JSON_BYTES) }));
  assert.equal(out.code, 'too_large');
});

test('API bodies need exactly one of query, pixel, pixels', () => {
  assert.ok(validateApiPointBody({ query: 'mug' }).ok);
  assert.ok(validateApiPointBody({ pixel: [1, 2], mode: 'pick', target_frame: 'map', frame_seq: 2 }).ok);
  assert.ok(validateApiPointBody({ pixels: [[1, 2], [3, 4]] }).ok);
  assert.match((validateApiPointBody({}) as { message: string }).message, /exactly one of query, pixel, pixels/);
  assert.match((validateApiPointBody({ query: 'a', pixel: [1, 2] }) as { message: string }).message, /exactly one/);
  assert.match((validateApiPointBody({ query: 'a', max_points: 0 }) as { message: string }).message, /max_points: must be in \[1, 64\]/);
  assert.match((validateApiPointBody({ query: 'a', frameSeq: 1 }) as { message: string }).message, /frameSeq: unknown field/);
});
