// The HTTP JSON API: same tokens as the WebSocket, operator-only pointing, strict bodies.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startConsole } from '../../src/console/server.js';
import { ClickPointer } from '../../src/pointing/click-pointer.js';
import { makeBridge, pushFrame, type Json } from './harness.js';

const json = (res: Response): Promise<Json> => res.json();

const bridge = makeBridge({ pointer: new ClickPointer([{ u: 159.5, v: 119.5 }]) });
const handle = await startConsole(bridge, { port: 0, log: () => {} });
after(() => handle.close());
const base = `http://127.0.0.1:${handle.port}`;
const stamp = pushFrame(bridge, { index: 4, depthMm: 1250 });

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/v1/point`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${handle.token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

test('GET /api/v1/health needs a token; either role may read it', async () => {
  const none = await fetch(`${base}/api/v1/health`);
  assert.equal(none.status, 401);
  assert.match(none.headers.get('www-authenticate') ?? '', /Bearer/);
  assert.equal((await json(none)).error.code, 'unauthorized');
  assert.equal((await fetch(`${base}/api/v1/health`, { headers: { Authorization: 'Bearer nope-nope-nope' } })).status, 401);
  const viewer = await fetch(`${base}/api/v1/health?token=${handle.viewerToken}`);
  assert.equal(viewer.status, 200);
  const body = await json(viewer);
  assert.equal(body.health.tf.targetFrame, 'base_link');
  assert.equal(body.health.inputs.synced.count, 1);
  assert.equal(typeof body.console.clients, 'number');
});

test('POST /api/v1/point with a query returns the PointResult with exact stamps', async () => {
  const res = await post({ query: 'the mug', mode: 'point' });
  assert.equal(res.status, 200);
  const result = await json(res);
  assert.equal(result.status, 'ok', result.reason);
  assert.equal(result.query, 'the mug');
  assert.equal(result.stampNs, stamp.toString());
  assert.equal(result.waypoints[0].frameId, 'base_link');
  assert.ok(Math.abs(result.waypoints[0].point.x - 1.25) < 1e-6);
  assert.match(result.id, /^api-/);
});

test('POST /api/v1/point with pixels, mode and target frame', async () => {
  const result = await json(await post({ pixel: [159.5, 119.5], mode: 'pick', target_frame: 'camera_color_optical_frame', label: 'box' }));
  assert.equal(result.status, 'ok', result.reason);
  assert.equal(result.mode, 'pick');
  assert.equal(result.waypoints[0].frameId, 'camera_color_optical_frame');
  assert.equal(result.waypoints[0].label, 'box');
  assert.ok(Math.abs(result.waypoints[0].point.z - 1.25) < 1e-6);
  const unknownFrame = await json(await post({ pixel: [10, 10], target_frame: 'nowhere' }));
  assert.equal(unknownFrame.status, 'tf_error', 'a non-ok result is still HTTP 200 with the status in the body');
});

test('POST /api/v1/point with offset_above_m: a free-space target above the point; out of 0..2 m or on navigate is refused', async () => {
  const result = await json(await post({ pixel: [159.5, 119.5], mode: 'pick', offset_above_m: 0.3 }));
  assert.equal(result.status, 'ok', result.reason);
  assert.equal(result.waypoints[0].targetKind, 'free_space');
  assert.ok(Math.abs(result.waypoints[0].point.z - 1.3) < 1e-3, `0.3 m above the point at z 1 (base_link), got z ${result.waypoints[0].point.z}`);
  for (const [value, pattern] of [[2.01, /offset_above_m: must be in \[0, 2\], got 2\.01/], [-1, /offset_above_m: must be in \[0, 2\]/], ['0.3', /offset_above_m: must be a finite number/]] as const) {
    const res = await post({ pixel: [159.5, 119.5], offset_above_m: value });
    assert.equal(res.status, 400);
    assert.match((await json(res)).error.message, pattern);
  }
  const navigate = await json(await post({ pixel: [159.5, 119.5], mode: 'navigate', offset_above_m: 0.3 }));
  assert.equal(navigate.status, 'bad_request', 'the pipeline says why: goals lie on the floor');
  assert.match(navigate.reason, /offsetAboveM applies to point and pick requests, not navigate/);
});

test('POST needs the operator token and a well-formed JSON body', async () => {
  assert.equal((await post({ query: 'mug' }, { Authorization: `Bearer ${handle.viewerToken}` })).status, 403);
  assert.equal((await post({ query: 'mug' }, { Authorization: '' })).status, 401);
  const bad = await post({ query: 'mug', pixel: [1, 2] });
  assert.equal(bad.status, 400);
  assert.match((await json(bad)).error.message, /exactly one of query, pixel, pixels/);
  const range = await post({ pixel: [1, 2], max_points: 1000 });
  assert.match((await json(range)).error.message, /max_points: must be in \[1, 64\]/);
  assert.equal((await post('{oops')).status, 400);
  assert.equal((await post({ query: 'mug' }, { 'Content-Type': 'text/plain' })).status, 415);
  assert.equal((await post({ query: 'x'.repeat(20_000) })).status, 413);
  assert.equal((await fetch(`${base}/api/v1/point`, { headers: { Authorization: `Bearer ${handle.token}` } })).status, 405);
  assert.equal((await fetch(`${base}/api/v1/nothing?token=${handle.token}`)).status, 404);
});

test('API calls from another browser origin are refused', async () => {
  const res = await post({ query: 'mug' }, { Origin: 'http://evil.example' });
  assert.equal(res.status, 403);
  assert.equal((await json(res)).error.code, 'bad_origin');
});

test('the page and three.js are served with a strict CSP; unknown paths are 404', async () => {
  const page = await fetch(`${base}/`);
  assert.equal(page.status, 200);
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(await page.text(), /<script type="importmap">/);
  const three = await fetch(`${base}/vendor/three/three.module.js`);
  assert.equal(three.status, 200);
  assert.match(three.headers.get('content-type') ?? '', /javascript/);
  assert.equal((await fetch(`${base}/vendor/three/addons/controls/OrbitControls.js`)).status, 200);
  assert.equal((await fetch(`${base}/../package.json`)).status, 404);
  assert.equal((await fetch(`${base}/%2e%2e/package.json`)).status, 404);
  assert.equal((await fetch(`${base}/server.ts`)).status, 404);
});
