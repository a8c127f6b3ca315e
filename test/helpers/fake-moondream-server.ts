// A real HTTP server speaking Moondream's own API (POST /v1/point, as Moondream Cloud and a local Moondream Station
// serve it: https://moondream.ai/c/docs/advanced/api/point), for the client tests: it checks and records each
// request (the object, the decoded data-URI image, the headers) and answers from a script.
//
//   const server = await startFakeMoondreamServer({ replies: [{ points: [{ x: 0.5, y: 0.25 }] }] });
//   ... point at server.url with family 'moondream' ...
//   assert.equal(server.requests[0].object, 'red mug');
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type MoondreamReply = { points: { x: number; y: number }[] } | { status: number } | { body: string };

export interface MoondreamRequest {
  url: string;
  headers: IncomingHttpHeaders;
  object: string | null;
  image: Buffer | null;
  imageMime: string | null;
}

export interface FakeMoondreamServer {
  readonly url: string;
  readonly requests: MoondreamRequest[];
  close(): Promise<void>;
}

export async function startFakeMoondreamServer(opts: { replies?: MoondreamReply[]; fallback?: MoondreamReply } = {}): Promise<FakeMoondreamServer> {
  const queue = [...(opts.replies ?? [])];
  const fallback = opts.fallback ?? { points: [] };
  const requests: MoondreamRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: string) => {
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      };
      if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v1/point') return send(404, JSON.stringify({ error: `no route ${req.url}` }));
      const record: MoondreamRequest = { url: req.url ?? '', headers: req.headers, object: null, image: null, imageMime: null };
      requests.push(record);
      let body: { image_url?: unknown; object?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return send(400, JSON.stringify({ error: 'body is not JSON' }));
      }
      const m = typeof body.image_url === 'string' ? /^data:(image\/(?:jpeg|png));base64,([A-Za-z0-9+/=]+)$/.exec(body.image_url) : null;
      if (!m || typeof body.object !== 'string') return send(422, JSON.stringify({ error: 'image_url (data URI) and object are required' }));
      record.object = body.object;
      record.imageMime = m[1]!;
      record.image = Buffer.from(m[2]!, 'base64');
      const reply = queue.shift() ?? fallback;
      if ('status' in reply) return send(reply.status, JSON.stringify({ error: `scripted status ${reply.status}` }));
      if ('body' in reply) return send(200, reply.body);
      send(200, JSON.stringify({ request_id: `point-${requests.length}`, points: reply.points }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
