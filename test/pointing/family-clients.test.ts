// The client per transport against real HTTP servers: what is sent (prompt, the image's size as sent, the key's
// header, the family's request fields) and the answer mapped back onto the original frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { ColorImage } from '../../src/geometry/types.js';
import { MolmoPointer } from '../../src/pointing/molmo-client.js';
import { startFakeMolmoServer } from '../helpers/fake-molmo-server.js';
import { startFakeMoondreamServer } from '../helpers/fake-moondream-server.js';

function rgbImage(width: number, height: number): ColorImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 13) & 0xff;
  return { kind: 'raw', encoding: 'rgb8', width, height, step: width * 3, isBigEndian: false, data };
}

const HD = rgbImage(1280, 720);

async function sentSize(image: Buffer | null): Promise<[string | undefined, number | undefined, number | undefined]> {
  const meta = await sharp(image!).metadata();
  return [meta.format, meta.width, meta.height];
}

test('qwen2.5-vl over chat completions: the frame is sent on Qwen\'s 28-px grid and its pixels map back', async () => {
  const server = await startFakeMolmoServer({ fallback: { answer: '```json\n[{"point_2d": [644, 364], "label": "red mug"}]\n```' } });
  try {
    const full = new MolmoPointer({ endpoints: [server.url], family: 'qwen2.5-vl', model: 'Qwen/Qwen2.5-VL-7B-Instruct' });
    const r = await full.point(HD, 'red mug');
    assert.deepEqual(await sentSize(server.requests[0]!.image), ['jpeg', 1288, 728]);
    assert.match(server.requests[0]!.prompt!, /^Point to the red mug in the image\. Output the points in JSON format: \[\{"point_2d"/);
    assert.deepEqual(r.points.map((p) => [p.u, p.v, p.label]), [[639.5, 359.5, 'red mug']]);
    // max_side first (640×360), then the grid (644×364): the answer is in that image's pixels.
    server.script([{ answer: '[{"point_2d": [161, 91]}]' }]);
    const small = await new MolmoPointer({ endpoints: [server.url], family: 'qwen2.5-vl', model: 'q', maxSide: 640 }).point(HD, 'mug');
    assert.deepEqual(await sentSize(server.requests[1]!.image), ['jpeg', 644, 364]);
    assert.deepEqual(small.points.map((p) => [p.u, p.v]), [[319.5, 179.5]]);
  } finally {
    await server.close();
  }
});

test('gemini-er through Gemini\'s OpenAI-compatible prefix: bearer key, the family\'s default model, y-first answer', async () => {
  const server = await startFakeMolmoServer({ prefix: '/v1beta/openai', fallback: { answer: '```json\n[{"point": [250, 750], "label": "mug"}]\n```' } });
  try {
    const pointer = new MolmoPointer({ endpoints: [`${server.url}/v1beta/openai`], family: 'gemini-er', apiKey: 'g-key' });
    const r = await pointer.point(HD, 'the mug');
    const req = server.requests[0]!;
    assert.equal(req.url, '/v1beta/openai/chat/completions');
    assert.equal(req.headers.authorization, 'Bearer g-key');
    assert.equal((req.body as { model: string }).model, 'gemini-robotics-er-2-preview');
    assert.equal(server.modelListCalls, 0, 'a default model needs no model list');
    assert.match(req.prompt!, /\[y, x\] format normalized to 0-1000/);
    assert.deepEqual(await sentSize(req.image), ['jpeg', 1280, 720]);
    assert.deepEqual(r.points.map((p) => [p.u, p.v]), [[959.5, 179.5]]);
    // The same endpoint written out in full works too.
    await new MolmoPointer({ endpoints: [`${server.url}/v1beta/openai/chat/completions`], family: 'gemini-er', apiKey: 'g-key' }).point(HD, 'mug');
    assert.equal(server.requests[1]!.url, '/v1beta/openai/chat/completions');
  } finally {
    await server.close();
  }
});

test('moondream over its own API: /v1/point with the object and X-Moondream-Auth; 0–1 points mapped back', async () => {
  const server = await startFakeMoondreamServer({ replies: [{ points: [{ x: 0.25, y: 0.5 }] }] });
  try {
    const pointer = new MolmoPointer({ endpoints: [`${server.url}/v1`], family: 'moondream', apiKey: 'md-key', maxSide: 640 });
    const r = await pointer.point(HD, 'red mug');
    const req = server.requests[0]!;
    assert.equal(req.headers['x-moondream-auth'], 'md-key');
    assert.equal(req.headers.authorization, undefined);
    assert.equal(req.object, 'red mug');
    assert.deepEqual(await sentSize(req.image), ['jpeg', 640, 360]);
    // 0.25 · 1280 − 0.5, 0.5 · 720 − 0.5: the original frame's grid, not the 640×360 upload's.
    assert.deepEqual(r.points.map((p) => [p.u, p.v]), [[319.5, 359.5]]);
    assert.match(r.rawText, /"points":\[\{"x":0.25,"y":0.5\}\]/);
  } finally {
    await server.close();
  }
});

test('moondream: a body without points is a bad_response; an error status is an http_status', async () => {
  const server = await startFakeMoondreamServer({ replies: [{ body: '{"request_id": "x"}' }, { status: 401 }] });
  try {
    const pointer = new MolmoPointer({ endpoints: [server.url], family: 'moondream', retries: 0 });
    await assert.rejects(pointer.point(HD, 'mug'), (e: Error & { kind?: string }) => e.kind === 'bad_response' && /no "points" list/.test(e.message));
    await assert.rejects(pointer.point(HD, 'mug'), (e: Error & { kind?: string }) => e.kind === 'http_status' && /401/.test(e.message));
  } finally {
    await server.close();
  }
});

test('token families ask the server to keep special tokens; prompt "box" picks the family\'s box template', async () => {
  const server = await startFakeMolmoServer({ fallback: { answer: '<loc0256><loc0512><loc0768><loc0768> red mug' } });
  try {
    const r = await new MolmoPointer({ endpoints: [server.url], family: 'paligemma', model: 'p' }).point(HD, 'red mug');
    const req = server.requests[0]!;
    assert.equal(req.prompt, 'detect red mug');
    assert.equal((req.body as { skip_special_tokens?: boolean }).skip_special_tokens, false);
    assert.deepEqual(r.points.map((p) => [p.u, p.v, p.box]), [[799.5, 359.5, { u0: 639.5, v0: 179.5, u1: 959.5, v1: 539.5 }]]);
    await new MolmoPointer({ endpoints: [server.url], family: 'qwen3-vl', model: 'q', prompt: 'box' }).point(HD, 'mug');
    assert.match(server.requests[1]!.prompt!, /output its bbox coordinates using JSON format/);
    assert.equal('skip_special_tokens' in (server.requests[1]!.body as object), false);
    assert.throws(() => new MolmoPointer({ endpoints: [server.url], family: 'robopoint', prompt: 'box' }), /robopoint has no box prompt/);
  } finally {
    await server.close();
  }
});
