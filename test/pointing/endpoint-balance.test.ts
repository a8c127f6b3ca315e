// model.balance: 'least_loaded' spreads requests over healthy endpoints by their in-flight count (a fleet of robots
// sharing a pool of GPU servers); 'failover' keeps every request on the first healthy endpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ColorImage } from '../../src/geometry/types.js';
import { EndpointPool } from '../../src/pointing/endpoint-pool.js';
import { MolmoPointer, type MolmoPointerOptions } from '../../src/pointing/molmo-client.js';
import { startFakeMolmoServer, type FakeMolmoServer } from '../helpers/fake-molmo-server.js';

const FRAME: ColorImage = { kind: 'raw', encoding: 'rgb8', width: 32, height: 24, step: 96, isBigEndian: false, data: new Uint8Array(32 * 24 * 3) };
const ANSWER = { answer: '<points coords="1 1 500 500">mug</points>' };

async function withServers(n: number, fn: (servers: FakeMolmoServer[]) => Promise<void>): Promise<void> {
  const servers = await Promise.all(Array.from({ length: n }, () => startFakeMolmoServer({ latencyMs: 150, fallback: ANSWER })));
  try {
    await fn(servers);
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}

function pointer(servers: FakeMolmoServer[], opts: Partial<MolmoPointerOptions>): MolmoPointer {
  return new MolmoPointer({ endpoints: servers.map((s) => s.url), family: 'molmo2', model: 'm', concurrency: 12, backoffMs: 5, ...opts });
}

test('least_loaded: 12 concurrent requests over 3 servers land 4, 4, 4 (and at most 4 in flight on each)', async () => {
  await withServers(3, async (servers) => {
    const p = pointer(servers, { balance: 'least_loaded' });
    const results = await Promise.all(Array.from({ length: 12 }, () => p.point(FRAME, 'mug')));
    assert.equal(results.length, 12);
    assert.deepEqual(servers.map((s) => s.requests.length), [4, 4, 4]);
    assert.deepEqual(servers.map((s) => s.maxInFlight), [4, 4, 4]);
  });
});

test('failover (the default): the same 12 requests all go to the first server', async () => {
  await withServers(3, async (servers) => {
    const p = pointer(servers, {});
    await Promise.all(Array.from({ length: 12 }, () => p.point(FRAME, 'mug')));
    assert.deepEqual(servers.map((s) => s.requests.length), [12, 0, 0]);
  });
});

test('least_loaded skips an unhealthy endpoint: its failed request is retried elsewhere, the rest spread over the others', async () => {
  await withServers(3, async (servers) => {
    servers[0]!.script([{ status: 503 }], { status: 503 });
    const p = pointer(servers, { balance: 'least_loaded', cooldownMs: 60_000 });
    await p.point(FRAME, 'mug'); // 503 on the first, then served by the second
    await Promise.all(Array.from({ length: 8 }, () => p.point(FRAME, 'mug')));
    assert.deepEqual(servers.map((s) => s.requests.length), [1, 5, 4]);
  });
});

test('pool: least_loaded picks the fewest in flight, ties in configured order; an unknown policy is refused', () => {
  const pool = new EndpointPool(['http://a:1', 'http://b:1', 'http://c:1'], 1000, () => 0, 'least_loaded');
  const [a, b, c] = pool.endpoints;
  assert.equal(pool.pick(), a);
  a!.inFlight = 2;
  b!.inFlight = 1;
  c!.inFlight = 1;
  assert.equal(pool.pick(), b);
  assert.equal(pool.pick(new Set([b!])), c);
  assert.throws(() => new EndpointPool(['http://a:1'], 1000, () => 0, 'random' as never), /balance must be one of failover, least_loaded; got 'random'/);
});
