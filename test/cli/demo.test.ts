// `molmo-waypoints demo` as a newcomer runs it: a waypoint from the bundled recording, then (without --once) the
// console until Ctrl-C, with every result in the recording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMcapMessages } from '../e2e/helpers.js';

// The bundled detector's converted model is cached in a temp dir, never the user's cache.
const cacheDir = mkdtempSync(join(tmpdir(), 'demo-cache-'));
test.after(() => rmSync(cacheDir, { recursive: true, force: true }));
const env = { ...process.env, MOLMO_URL: '', ROS_DISTRO: '', MOLMO_WAYPOINTS_CACHE: cacheDir };
const demo = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'demo', ...args], { encoding: 'utf8', env, timeout: 60_000 });

test('demo --once with no model server asks the bundled detector for "the chair" and prints its waypoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-once-'));
  try {
    const recording = join(dir, 'once.mcap');
    const r = demo('--once', '--json', '--record', recording);
    assert.equal(r.status, 0, r.stderr);
    const [line, json] = r.stdout.trim().split('\n');
    // The chair's seat is 1.19–1.26 m from the camera (test/e2e/detector-chair.test.ts checks the pixel too).
    assert.match(line!, /^ok +demo-1 point "the chair" -> map \(-?\d+\.\d{3}, -?\d+\.\d{3}, -?\d+\.\d{3}\) m label "chair" depth 1\.2\d\d m/);
    assert.match(r.stderr, /model: the bundled COCO detector .*80 object classes/);
    assert.match(r.stderr, /detector: CenterNet .* from @vladmandic\/human@/);
    const result = JSON.parse(json!);
    assert.equal(result.status, 'ok');
    assert.equal(result.waypoints[0].frameId, 'map');
    assert.match(r.stderr, /source: MCAP .*redwood_livingroom1\.mcap/);
    assert.match(r.stderr, /Next: `npm start` keeps the console running/);
    assert.ok(existsSync(recording));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo --once with model.backend none points at the image centre', () => {
  const r = demo('--once', '--no-record', '--set', 'model.backend=none');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ok +demo-1 point pixel 320,240 -> map \(-?\d+\.\d{3}, -?\d+\.\d{3}, -?\d+\.\d{3}\) m label "image centre" depth 2\.195 m/);
  assert.match(r.stderr, /model: none/);
});

test('demo --once --pixel in pick mode', () => {
  const r = demo('--once', '--no-record', '--pixel', '470,250', '--mode', 'pick');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ok +demo-1 pick pixel 470,250 -> map/);
});

test('demo flag mistakes exit 2 with a message naming the flag', async (t) => {
  const errors: string[] = [];
  t.mock.method(console, 'error', (line: string) => errors.push(line));
  const { run } = await import('../../src/cli/demo.js');
  const saved = process.env['MOLMO_URL'];
  process.env['MOLMO_URL'] = '';
  try {
    assert.equal(await run(['--once', '--pixel', '470']), 2);
    assert.match(errors.pop()!, /--pixel must be u,v \(two numbers\), got '470'/);
    assert.equal(await run(['--once', '--query', 'the chair', '--set', 'model.backend=none']), 2);
    assert.match(errors.pop()!, /--query needs a model: leave model.backend at auto \(the bundled detector\) or set MOLMO_URL/);
    assert.equal(await run(['--once', '--mode', 'fly']), 2);
    assert.match(errors.pop()!, /--mode must be point, pick or navigate, got 'fly'/);
  } finally {
    if (saved === undefined) delete process.env['MOLMO_URL'];
    else process.env['MOLMO_URL'] = saved;
  }
});

test('demo without --once keeps the console up, answers console requests, stops on SIGINT with all results recorded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-live-'));
  const recording = join(dir, 'live.mcap');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'demo', '--port', '0', '--record', recording], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const url = await until(() => /What next:/.test(stderr) && /console: (http:\/\/\S+)/.exec(stderr)?.[1]);
    assert.match(stdout, /^ok +demo-1 point "the chair"/);
    // The console's HTTP API (what `molmo-waypoints request` uses) reaches the same bridge.
    const base = url.split('#')[0]!;
    const token = /#token=([^&\s]+)/.exec(url)![1]!;
    const res = await fetch(new URL('api/v1/point', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ pixel: [470, 250], mode: 'navigate' }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    // The watch-only URL is printed on its own line; its token may watch but not point.
    const viewerUrl = /\nviewer \(watch-only\): (http:\/\/\S+)/.exec(stderr)?.[1];
    assert.ok(viewerUrl, stderr);
    const viewerToken = /#token=([^&\s]+)/.exec(viewerUrl)![1]!;
    assert.notEqual(viewerToken, token);
    const refused = await fetch(new URL('api/v1/point', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${viewerToken}` },
      body: JSON.stringify({ pixel: [470, 250], mode: 'navigate' }),
    });
    assert.equal(refused.status, 403);
    await until(() => /navigate pixel 470,250 -> map \(.*\) m yaw/.test(stdout));
    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
    const results = (await readMcapMessages(recording)).filter((m) => m.topic === '/molmo_waypoints/result');
    assert.equal(results.length, 2);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

async function until<T>(fn: () => T | false | undefined | null, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
