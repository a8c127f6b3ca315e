// "Nothing lost": 50 concurrent requests, many failing in different ways, through the app wiring (config ->
// source, Molmo client, bridge, recorder) yield exactly 50 results, and exactly those 50 are in the recording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type Output } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config/index.js';
import { decodeCdr } from '../../src/messages/cdr.js';
import type { PointRequest, PointResult, ResultStatus } from '../../src/pipeline/types.js';
import { startFakeMolmoServer } from '../helpers/fake-molmo-server.js';
import { DEMO_MCAP, readMcapMessages } from './helpers.js';

test('50 concurrent requests, some failing, give exactly 50 results in the recording', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'molmo-e2e-'));
  const server = await startFakeMolmoServer({
    fallback: (req) => {
      const p = req.prompt ?? '';
      if (p.includes('ghost')) return { answer: 'There are none.' };
      if (p.includes('broken')) return { status: 500 };
      if (p.includes('slow') || p.includes('sluggish')) return { fail: 'hang' };
      return { answer: '<point x="73.4" y="52.1" alt="chair">chair</point>' };
    },
  });
  const lines: string[] = [];
  const out: Output = { print: (l) => lines.push(l), info: () => {} };
  const recording = join(dir, 'session.mcap');
  const { config } = loadConfig({
    env: {},
    presets: {
      'source.type': 'mcap',
      'source.mcap.path': DEMO_MCAP,
      'source.mcap.realtime': false,
      'source.mcap.loop': false,
      'frames.target': 'map',
      'model.urls': [server.url],
      'model.retries': 0,
      'model.concurrency': 64,
      // The replay ends at once; the frames must not turn stale however slow the machine is.
      'store.max_age_ms': 600000,
      'console.enabled': false,
      'recording.enabled': true,
      'recording.path': recording,
      ros: 'off',
    },
  });
  const app = await startApp(config, { command: 'run', json: false, out });
  try {
    await app.sourceDone;
    const planned: [PointRequest, ResultStatus][] = [];
    const add = (n: number, req: Omit<PointRequest, 'id'>, status: ResultStatus) => {
      for (let i = 0; i < n; i++) planned.push([{ id: `${planned.length}-${status}`, ...req }, status]);
    };
    add(10, { pixels: [{ u: 470, v: 250 }], mode: 'pick' }, 'ok');
    add(10, { query: 'chair', mode: 'point' }, 'ok');
    add(5, { pixels: [{ u: 900, v: 250 }], mode: 'point' }, 'bad_request');
    add(5, { pixels: [{ u: 470, v: 250 }], mode: 'point', targetFrame: 'nowhere' }, 'tf_error');
    add(5, { query: 'ghost', mode: 'point' }, 'no_points');
    add(5, { query: 'broken', mode: 'point' }, 'model_error');
    add(5, { query: 'slow', mode: 'point' }, 'cancelled');
    add(5, { query: 'sluggish', mode: 'point', deadlineMs: 50 }, 'deadline_exceeded');
    assert.equal(planned.length, 50);

    const pending = planned.map(([req]) => app.bridge.request(req));
    // Cancel the hanging ones once the model has them (cancel() of a request in the model's hands).
    await waitUntil(() => server.requests.filter((r) => r.prompt?.includes('slow')).length === 5);
    for (const [req, status] of planned) if (status === 'cancelled') assert.equal(app.bridge.cancel(req.id), true);
    const results = await Promise.all(pending);

    assert.deepEqual(results.map((r) => r.status), planned.map(([, s]) => s));
    assert.equal(lines.length, 50, 'one printed line per result');
    await app.close();

    const messages = await readMcapMessages(recording);
    const recorded = messages
      .filter((m) => m.topic === '/molmo_waypoints/result')
      .map((m) => JSON.parse(decodeCdr<{ data: string }>('std_msgs/msg/String', m.data).data) as PointResult);
    assert.equal(recorded.length, 50);
    assert.deepEqual(new Set(recorded.map((r) => r.id)), new Set(planned.map(([req]) => req.id)));
    for (const r of recorded) assert.equal(r.status, planned.find(([req]) => req.id === r.id)![1]);
    assert.equal(messages.filter((m) => m.topic === '/molmo_waypoints/request').length, 50);
    // The frames the results were computed from are in the recording too.
    assert.ok(messages.some((m) => m.topic === '/camera/aligned_depth_to_color/image_raw'));
  } finally {
    await app.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
