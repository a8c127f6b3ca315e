// `molmo-waypoints request` against a real console (real Bridge, HTTP API) in this process.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { run } from '../../src/cli/request.js';
import { startConsole } from '../../src/console/server.js';
import { ClickPointer } from '../../src/pointing/click-pointer.js';
import { makeBridge, pushFrame } from '../console/harness.js';

const bridge = makeBridge({ pointer: new ClickPointer([{ u: 159.5, v: 119.5, label: 'mug' }]) });
const handle = await startConsole(bridge, { port: 0, log: () => {} });
after(() => handle.close());
const stamp = pushFrame(bridge, { index: 2, depthMm: 1500 });
const url = `http://127.0.0.1:${handle.port}`;

/** Runs the command in this process, capturing what it prints (calls must not overlap). */
async function request(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { log: console.log, error: console.error, token: process.env.MOLMO_WAYPOINTS_TOKEN, url: process.env.MOLMO_WAYPOINTS_URL };
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  process.env.MOLMO_WAYPOINTS_TOKEN = env.MOLMO_WAYPOINTS_TOKEN ?? '';
  process.env.MOLMO_WAYPOINTS_URL = env.MOLMO_WAYPOINTS_URL ?? '';
  try {
    const code = await run(args);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    console.log = saved.log;
    console.error = saved.error;
    process.env.MOLMO_WAYPOINTS_TOKEN = saved.token ?? '';
    process.env.MOLMO_WAYPOINTS_URL = saved.url ?? '';
  }
}

test('an ok result is printed as JSON with exact stamps, exit 0', async () => {
  const ok = await request(['--query', 'the mug', '--url', url, '--token', handle.token]);
  assert.equal(ok.code, 0, ok.stderr);
  const result = JSON.parse(ok.stdout);
  assert.equal(result.status, 'ok');
  assert.equal(result.stampNs, stamp.toString());
  assert.equal(result.waypoints[0].label, 'mug');
  assert.ok(Math.abs(result.waypoints[0].point.x - 1.5) < 1e-6);
  const navigate = await request(['--pixel', '159.5,119.5', '--mode', 'navigate', '--url', url, '--token', handle.token]);
  assert.equal(navigate.code, 0, navigate.stderr);
  assert.equal(JSON.parse(navigate.stdout).mode, 'navigate');
});

test('--offset-above <m> asks for a free-space target that far above the point; a bad value is a usage error', async () => {
  const above = await request(['--pixel', '159.5,119.5', '--mode', 'pick', '--offset-above', '0.2', '--url', url, '--token', handle.token]);
  assert.equal(above.code, 0, above.stderr);
  const w = JSON.parse(above.stdout).waypoints[0];
  assert.equal(w.targetKind, 'free_space');
  assert.ok(Math.abs(w.point.z - 1.2) < 1e-3, `0.2 m above the point at z 1 (base_link), got z ${w.point.z}`);
  for (const value of ['2.5', '-0.1', 'high', '']) {
    const bad = await request(['--pixel', '1,2', `--offset-above=${value}`, '--token', 'x']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--offset-above must be a number of metres in \[0, 2\]/, `for '${value}'`);
  }
});

test('a non-ok result is printed too, exit 1', async () => {
  const nonOk = await request(['--pixel', '10,10', '--target-frame', 'nowhere', '--url', url, '--token', handle.token]);
  assert.equal(nonOk.code, 1);
  assert.equal(JSON.parse(nonOk.stdout).status, 'tf_error');
});

test('the token comes from --token, MOLMO_WAYPOINTS_TOKEN or the printed ready URL', async () => {
  assert.equal((await request(['--query', 'mug', '--url', url], { MOLMO_WAYPOINTS_TOKEN: handle.token })).code, 0);
  assert.equal((await request(['--query', 'mug', '--url', handle.url])).code, 0);
  assert.equal((await request(['--query', 'mug'], { MOLMO_WAYPOINTS_URL: handle.url })).code, 0);
  const none = await request(['--query', 'mug', '--url', url]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no token/);
});

test('usage, authorisation and connection errors exit 2 with a reason', async () => {
  const viewer = await request(['--query', 'mug', '--url', url, '--token', handle.viewerToken]);
  assert.equal(viewer.code, 2);
  assert.match(viewer.stderr, /HTTP 403: forbidden/);
  const neither = await request(['--url', url, '--token', handle.token]);
  assert.equal(neither.code, 2);
  assert.match(neither.stderr, /give either --query or --pixel/);
  const badPixel = await request(['--pixel', '1;2', '--token', handle.token]);
  assert.match(badPixel.stderr, /--pixel must be u,v/);
  assert.match((await request(['--query', 'mug', '--mode', 'fly', '--token', 'x'])).stderr, /--mode must be point, pick or navigate/);
  assert.match((await request(['--query', 'mug', '--max-points', '0', '--token', 'x'])).stderr, /--max-points must be an integer in \[1, 64\]/);
  // A port nobody can listen on meanwhile: held on 127.0.0.1 by this probe (so no other test's server gets it,
  // as a just-closed port could be), while 127.0.0.2:port has no listener and refuses the connection.
  const probe = createServer();
  const heldPort = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
  try {
    const refused = await request(['--query', 'mug', '--url', `http://127.0.0.2:${heldPort}`, '--token', 'whatever-token']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, new RegExp(`cannot reach http://127\\.0\\.0\\.2:${heldPort}/api/v1/point: ECONNREFUSED`));
  } finally {
    probe.close();
  }
});

test('through the real command line: exit code and stdout', async () => {
  // The server lives in this process, so the child runs asynchronously (a blocking spawn would deadlock).
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'request', '--query', 'the mug', '--mode', 'pick', '--url', url],
      { env: { ...process.env, MOLMO_WAYPOINTS_TOKEN: handle.token }, timeout: 30_000 },
      (error, out) => resolve({ code: error ? Number((error as { code?: number }).code ?? -1) : 0, stdout: out }),
    );
  });
  assert.equal(code, 0);
  assert.equal(JSON.parse(stdout).mode, 'pick');
});

test('what is typed wins over the environment: --url\'s #token= beats a stale MOLMO_WAYPOINTS_TOKEN', async () => {
  const stale = 'stale-token-from-an-earlier-session';
  assert.equal((await request(['--query', 'mug', '--url', handle.url], { MOLMO_WAYPOINTS_TOKEN: stale })).code, 0);
  // --token beats everything; the environment's token beats the environment URL's fragment.
  assert.equal((await request(['--query', 'mug', '--url', `${url}/#token=${stale}`, '--token', handle.token], { MOLMO_WAYPOINTS_TOKEN: stale })).code, 0);
  assert.equal((await request(['--query', 'mug'], { MOLMO_WAYPOINTS_URL: `${url}/#token=${stale}`, MOLMO_WAYPOINTS_TOKEN: handle.token })).code, 0);
  const refused = await request(['--query', 'mug', '--url', url], { MOLMO_WAYPOINTS_TOKEN: stale });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /HTTP 401/);
});

test('no message prints a token: a bad URL with #token=, a bad environment URL, a refused token', async () => {
  const secret = 'a-secret-operator-token-123';
  const badUrl = await request(['--query', 'mug', '--url', `127.0.0.1 :8765/#token=${secret}`]);
  assert.equal(badUrl.code, 2);
  assert.match(badUrl.stderr, /--url is not a URL: '127\.0\.0\.1 :8765\/#token=<redacted>'/);
  const badEnvUrl = await request(['--query', 'mug'], { MOLMO_WAYPOINTS_URL: `nonsense#token=${secret}`, MOLMO_WAYPOINTS_TOKEN: secret });
  assert.match(badEnvUrl.stderr, /MOLMO_WAYPOINTS_URL is not a URL/);
  const wrong = await request(['--query', 'mug', '--url', url, '--token', secret]);
  assert.match(wrong.stderr, /HTTP 401/);
  for (const { stderr } of [badUrl, badEnvUrl, wrong]) assert.ok(!stderr.includes(secret), stderr);
});

/** A server that answers /api/v1/point with headers and half a body, then `then`s: closes, or stalls. */
async function brokenServer(then: 'close' | 'stall'): Promise<{ url: string; close: () => void }> {
  const { createServer: createHttpServer } = await import('node:http');
  const sockets = new Set<import('node:net').Socket>();
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '5000' });
      res.write('{"status": "ok", "waypoints": [');
      if (then === 'close') setTimeout(() => res.socket?.destroy(), 20);
    });
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => { for (const s of sockets) s.destroy(); server.close(); } };
}

test('a server that closes mid-body or never finishes it: one line, exit 2, no undici trace', async () => {
  for (const then of ['close', 'stall'] as const) {
    const server = await brokenServer(then);
    try {
      const r = await request(['--query', 'mug', '--url', server.url, '--token', 'some-operator-token', '--timeout-ms', '100']);
      assert.equal(r.code, 2, `${then}: ${r.stderr}`);
      assert.equal(r.stderr.split('\n').length, 1, `${then}: one line: ${r.stderr}`);
      assert.match(r.stderr, then === 'close' ? /the body broke off: the server closed the connection mid-answer/ : /the body broke off: no complete answer within 5100 ms/);
      assert.doesNotMatch(r.stderr, /TypeError|DOMException|\bat /);
    } finally {
      server.close();
    }
  }
});
