// A body over the API's limit is answered 413 and the connection closed, and the client does get that answer even
// while it is still uploading (fetch with a streamed 100 MB body reads no answer before its upload is done): the
// server reads the rest on, and throws it away, for a bounded time before it answers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startConsole } from '../../src/console/server.js';
import { ClickPointer } from '../../src/pointing/click-pointer.js';
import { makeBridge } from './harness.js';

const bridge = makeBridge({ pointer: new ClickPointer([{ u: 159.5, v: 119.5 }]) });
const handle = await startConsole(bridge, { port: 0, log: () => {} });
after(() => handle.close());

test('POST /api/v1/point with a 100 MB chunked body: the client gets 413 and Connection: close', async () => {
  const total = 100 * 1024 * 1024;
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += 64 * 1024;
      controller.enqueue(new Uint8Array(64 * 1024));
    },
  });
  const res = await fetch(`http://127.0.0.1:${handle.port}/api/v1/point`, {
    method: 'POST',
    body,
    duplex: 'half',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${handle.token}` },
  } as RequestInit);
  assert.equal(res.status, 413);
  assert.equal(res.headers.get('connection'), 'close');
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'too_large');
});
