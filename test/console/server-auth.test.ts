// Who gets in: tokens, roles, origins — over real WebSocket and HTTP connections to the real server.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { startConsole } from '../../src/console/server.js';
import { makeBridge, TestClient } from './harness.js';

const logs: string[] = [];
const bridge = makeBridge();
const handle = await startConsole(bridge, { port: 0, log: (line) => logs.push(line), healthIntervalMs: 100 });
after(() => handle.close());

async function refusedWith(token: string | null, opts: { origin?: string; path?: string; host?: string } = {}): Promise<number> {
  try {
    const client = await TestClient.connect(handle.port, token, opts);
    client.close();
    return 101;
  } catch (error) {
    return (error as { status?: number }).status ?? -1;
  }
}

test('the ready URL carries the operator token in the fragment; tokens are long and distinct', () => {
  assert.equal(handle.url, `http://127.0.0.1:${handle.port}/#token=${handle.token}`);
  assert.equal(handle.viewerUrl, `http://127.0.0.1:${handle.port}/#token=${handle.viewerToken}`);
  assert.ok(handle.token.length >= 40);
  assert.notEqual(handle.token, handle.viewerToken);
});

test('a WebSocket without a token, or with a wrong one, is refused with 401 and logged', async () => {
  assert.equal(await refusedWith(null), 401);
  assert.equal(await refusedWith('wrong-token-123'), 401);
  assert.equal(await refusedWith(handle.token.slice(0, -1)), 401);
  assert.ok(logs.some((l) => /missing or wrong token/.test(l)));
  assert.ok(!logs.some((l) => l.includes(handle.token)), 'tokens never appear in the log');
});

test('a browser page from another origin is refused with 403, even with the token', async () => {
  assert.equal(await refusedWith(handle.token, { origin: 'http://evil.example' }), 403);
  assert.equal(await refusedWith(handle.token, { origin: `http://localhost:${handle.port + 1}` }), 403);
  const same = await TestClient.connect(handle.port, handle.token, { origin: `http://127.0.0.1:${handle.port}` });
  same.close();
});

test('configured extra origins are accepted', async () => {
  const other = await startConsole(makeBridge(), { port: 0, log: () => {}, allowedOrigins: ['https://robot.example'] });
  try {
    const client = await TestClient.connect(other.port, other.token, { origin: 'https://robot.example' });
    client.close();
  } finally {
    await other.close();
  }
});

/** GET `path` with an explicit Host header (fetch may not set one); resolves with the status. */
function getWithHost(port: number, host: string, path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host, authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

test('on loopback, only loopback Host names are answered (DNS rebinding), unless a host is configured', async () => {
  const p = handle.port;
  for (const host of [`evil.example:${p}`, 'evil.example', `127.0.0.1.evil.example:${p}`, `10.0.0.5:${p}`]) {
    assert.equal(await getWithHost(p, host, '/api/v1/health', handle.token), 403, host);
    assert.equal(await getWithHost(p, host, '/', handle.token), 403, `${host} (page)`);
  }
  // A rebinding page is same-origin in the browser: its Origin matches its Host, and it would have the token
  // only by other means, yet it is refused all the same.
  assert.equal(await refusedWith(handle.token, { host: `evil.example:${p}`, origin: `http://evil.example:${p}` }), 403);
  for (const host of [`127.0.0.1:${p}`, `localhost:${p}`, `[::1]:${p}`, `127.0.0.2:${p}`, 'localhost']) {
    assert.equal(await getWithHost(p, host, '/api/v1/health', handle.token), 200, host);
  }
  assert.ok(logs.some((l) => /Host 'evil\.example:\d+' refused/.test(l)));

  const proxied = await startConsole(makeBridge(), { port: 0, log: () => {}, allowedHosts: ['robot.example'], allowedOrigins: ['https://ops.example:8443'] });
  try {
    assert.equal(await getWithHost(proxied.port, 'robot.example', '/api/v1/health', proxied.token), 200);
    assert.equal(await getWithHost(proxied.port, 'ops.example:8443', '/api/v1/health', proxied.token), 200);
    assert.equal(await getWithHost(proxied.port, 'evil.example', '/api/v1/health', proxied.token), 403);
  } finally {
    await proxied.close();
  }
  // Bound to every interface, the console cannot know its names: any Host is answered (tokens still apply).
  const open = await startConsole(makeBridge(), { host: '0.0.0.0', port: 0, log: () => {} });
  try {
    assert.equal(await getWithHost(open.port, 'robot.lan:1234', '/api/v1/health', open.token), 200);
  } finally {
    await open.close();
  }
});

test('WebSocket upgrades elsewhere than /ws are refused', async () => {
  assert.equal(await refusedWith(handle.token, { path: '/socket' }), 404);
});

test('the operator token gives the operator role, the viewer token the viewer role', async () => {
  const operator = await TestClient.connect(handle.port, handle.token);
  const viewer = await TestClient.connect(handle.port, handle.viewerToken);
  try {
    const a = await operator.next('hello');
    const b = await viewer.next('hello');
    assert.equal(a.role, 'operator');
    assert.equal(b.role, 'viewer');
    assert.equal(a.config.targetFrame, 'base_link');
    assert.deepEqual(a.config.modes, ['point', 'pick', 'navigate']);
    assert.notEqual(a.clientId, b.clientId);
  } finally {
    operator.close();
    viewer.close();
  }
});

test('a viewer trying operator actions gets forbidden errors and nothing reaches the bridge', async () => {
  let requests = 0;
  const original = bridge.request.bind(bridge);
  bridge.request = (...args) => {
    requests++;
    return original(...args);
  };
  const viewer = await TestClient.connect(handle.port, handle.viewerToken);
  try {
    await viewer.next('hello');
    const attempts = [
      { type: 'query', query: 'mug', mode: 'point', ref: 'q1' },
      { type: 'click', pixel: [5, 5], frameSeq: 1, mode: 'pick', ref: 'c1' },
      { type: 'confirm', resultId: 'x', waypointIndex: 0 },
      { type: 'cancel', id: 'x' },
    ];
    for (const attempt of attempts) {
      viewer.send(attempt);
      const error = await viewer.next('error');
      assert.equal(error.code, 'forbidden');
      assert.match(error.message, new RegExp(`'${attempt.type}' needs the operator role`));
    }
    viewer.send({ type: 'ping', t: 42 });
    assert.equal((await viewer.next('pong')).t, 42, 'viewers may still ping');
    assert.equal(requests, 0);
  } finally {
    viewer.close();
    bridge.request = original;
  }
});

test('weak or equal tokens are refused at start, naming the setting', async () => {
  await assert.rejects(startConsole(bridge, { port: 0, token: 'short', log: () => {} }), /operator token \(console\.token, --token, MOLMO_WAYPOINTS_TOKEN\) must be at least 16 characters, got 5/);
  await assert.rejects(startConsole(bridge, { port: 0, token: 'fifteen-chars-1', log: () => {} }), /at least 16 characters, got 15/);
  await assert.rejects(startConsole(bridge, { port: 0, viewerToken: 'viewer-token-12', log: () => {} }), /viewer token \(console\.viewer_token\) must be at least 16/);
  await assert.rejects(startConsole(bridge, { port: 0, token: 'same-token-123456', viewerToken: 'same-token-123456', log: () => {} }), /must differ/);
  const ok = await startConsole(bridge, { port: 0, token: 'sixteen-chars-12', viewerToken: 'sixteen-chars-34', log: () => {} });
  await ok.close();
});

test('after 10 refused tokens in 10 s an address gets 429 (even with the right token), and the log is not flooded', async () => {
  const lines: string[] = [];
  const own = await startConsole(makeBridge(), { port: 0, log: (l) => lines.push(l) });
  const health = (token: string) =>
    fetch(`http://127.0.0.1:${own.port}/api/v1/health`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => ({ status: r.status, retry: r.headers.get('retry-after') }));
  try {
    for (let i = 0; i < 6; i++) assert.equal((await health(`wrong-token-${i}`)).status, 401);
    for (let i = 0; i < 4; i++) {
      const ws = await TestClient.connect(own.port, `wrong-token-ws-${i}`).then(() => 101, (e: { status?: number }) => e.status);
      assert.equal(ws, 401);
    }
    const locked = await health(own.token);
    assert.deepEqual([locked.status, Number(locked.retry) > 0 && Number(locked.retry) <= 10], [429, true]);
    const ws = await TestClient.connect(own.port, own.token).then(() => 101, (e: { status?: number }) => e.status);
    assert.equal(ws, 429);
    assert.equal(lines.filter((l) => /missing or wrong token/.test(l)).length, 1, lines.join('\n'));
    assert.ok(lines.some((l) => /10 refused tokens within 10 s: answering 429 for 10 s/.test(l)));
  } finally {
    await own.close();
  }
  assert.ok(lines.some((l) => /^9 more refused token attempts in the last 10 s$/.test(l)), 'the count is written at close');
});
