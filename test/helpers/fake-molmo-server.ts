// A real HTTP server speaking the OpenAI chat-completions protocol the way vLLM serves Molmo, for tests and
// benchmarks. It checks each request's shape (text part then JPEG/PNG data-URI image part, as
// notes/molmo.md documents), records it, answers from a script, and counts how many requests are in flight.
//
//   const server = await startFakeMolmoServer({ replies: [{ status: 503 }, { answer: '<points coords="1 1 500 500">mug</points>' }] });
//   ... point at `${server.url}` ...
//   assert.equal(server.requests.length, 2); assert.equal(server.maxInFlight, 1);
//   await server.close();
//
// Replies (one per chat request, taken in order from `replies`, then `fallback`):
//   { answer: 'text', model?, finishReason? }       200 with a chat.completion body
//   { status: 429, body?, headers? }                 any status with an OpenAI-style error body (or `body`)
//   { fail: 'hang' }                                 never answers (until the client gives up or close())
//   { fail: 'reset' }                                destroys the connection without a response
//   { fail: 'garbage' }                              200 with an HTML body that is not JSON
//   { huge: bytes, declareLength? }                  200 streaming `bytes` of filler (content-length only when
//                                                    declareLength), stopping when the client hangs up
// Every reply may carry `delayMs`; `latencyMs` is added to every reply.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakeReply =
  | { answer: string; model?: string; finishReason?: 'stop' | 'length'; delayMs?: number }
  | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  | { fail: 'hang' | 'reset' | 'garbage'; delayMs?: number }
  | { huge: number; declareLength?: boolean; delayMs?: number };

export type FakeReplyFn = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeMolmoServerOptions {
  /** Replies used in order, one per chat request; when used up, `fallback` answers. */
  replies?: FakeReply[];
  /** Reply (or a function of the request) once `replies` is used up. Default: `{ answer: 'There are none.' }`. */
  fallback?: FakeReply | FakeReplyFn;
  /** Milliseconds added before every reply. */
  latencyMs?: number;
  /** Model name reported in answers (unless a reply names one) and by GET /v1/models. */
  model?: string;
  /** Statuses for the first GET /v1/models calls, in order (an error body for non-200); then 200 with the list. */
  modelListStatuses?: number[];
  /** Benchmarks: drain request bodies without parsing, checking or recording their content. */
  lightweight?: boolean;
  /** Where the API lives (default '/v1'): chat completions at `${prefix}/chat/completions`, models at
   * `${prefix}/models` (Gemini's OpenAI-compatible API: '/v1beta/openai'). */
  prefix?: string;
}

export interface RecordedRequest {
  /** 0-based order of arrival among chat requests. */
  index: number;
  /** The request target as sent (path and query). */
  url: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (null when lightweight). */
  body: Record<string, unknown> | null;
  /** The text part of the user message. */
  prompt: string | null;
  /** The decoded bytes of the image data URI, and its MIME type. */
  image: Buffer | null;
  imageMime: string | null;
  receivedAtMs: number;
}

export interface FakeMolmoServer {
  /** Base URL, e.g. http://127.0.0.1:40123 (the client appends /v1/chat/completions). */
  readonly url: string;
  /** Chat requests in arrival order (including rejected malformed ones). */
  readonly requests: RecordedRequest[];
  /** GET /v1/models calls. */
  readonly modelListCalls: number;
  readonly inFlight: number;
  /** The most chat requests that were in flight at once. */
  readonly maxInFlight: number;
  /** Bytes written by `huge` replies so far. */
  readonly hugeBytesSent: number;
  /** Replaces the queued replies (and the fallback, when given). */
  script(replies: FakeReply[], fallback?: FakeReply | FakeReplyFn): void;
  close(): Promise<void>;
}

export async function startFakeMolmoServer(opts: FakeMolmoServerOptions = {}): Promise<FakeMolmoServer> {
  const model = opts.model ?? 'fake-molmo';
  let queue = [...(opts.replies ?? [])];
  let fallback: FakeReply | FakeReplyFn = opts.fallback ?? { answer: 'There are none.' };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let maxInFlight = 0;
  let modelListCalls = 0;
  let hugeBytesSent = 0;
  const modelListStatuses = [...(opts.modelListStatuses ?? [])];

  const wait = (ms: number, res: ServerResponse) =>
    new Promise<boolean>((resolve) => {
      if (ms <= 0) return resolve(!res.destroyed);
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(!res.destroyed);
      }, ms);
      timers.add(timer);
      res.once('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(false);
      });
    });

  async function handleChat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    const raw = await readBody(req);
    const record: RecordedRequest = {
      index: requests.length,
      url: req.url ?? '',
      headers: req.headers,
      body: null,
      prompt: null,
      image: null,
      imageMime: null,
      receivedAtMs: performance.now(),
    };
    requests.push(record);
    if (!opts.lightweight) {
      const problem = inspectChatBody(raw, record);
      if (problem !== null) return sendJson(res, 400, { error: { message: problem, type: 'BadRequestError', code: 400 } });
    }
    const next = queue.shift() ?? fallback;
    const reply = typeof next === 'function' ? await next(record) : next;
    if (!(await wait((opts.latencyMs ?? 0) + (reply.delayMs ?? 0), res))) return;
    if ('answer' in reply) {
      sendJson(res, 200, {
        id: `chatcmpl-${record.index}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: reply.model ?? model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.answer }, finish_reason: reply.finishReason ?? 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
    } else if ('status' in reply) {
      const body = reply.body ?? JSON.stringify({ error: { message: `scripted status ${reply.status}`, code: reply.status } });
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(body);
    } else if ('huge' in reply) {
      streamFiller(res, reply.huge, reply.declareLength ?? false, (n) => (hugeBytesSent += n));
    } else if (reply.fail === 'reset') {
      req.socket.destroy();
    } else if (reply.fail === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway (proxy)</body></html>');
    }
    // 'hang': leave the response open; the client's abort or close() ends it.
  }

  const prefix = opts.prefix ?? '/v1';
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === `${prefix}/chat/completions`) {
      handleChat(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: { message: String(err) } });
      });
    } else if (req.method === 'GET' && path === `${prefix}/models`) {
      modelListCalls++;
      const status = modelListStatuses.shift() ?? 200;
      if (status !== 200) sendJson(res, status, { error: { message: `scripted status ${status}`, code: status } });
      else sendJson(res, 200, { object: 'list', data: [{ id: model, object: 'model', owned_by: 'fake' }] });
    } else {
      sendJson(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
    }
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get modelListCalls() {
      return modelListCalls;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get hugeBytesSent() {
      return hugeBytesSent;
    },
    script(replies, newFallback) {
      queue = [...replies];
      if (newFallback !== undefined) fallback = newFallback;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Checks the body against the request shape Molmo needs; fills the record; returns a problem or null. */
function inspectChatBody(raw: Buffer, record: RecordedRequest): string | null {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return 'body is not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body is not a JSON object';
  record.body = body as Record<string, unknown>;
  const messages = (body as { messages?: unknown }).messages;
  if (!Array.isArray(messages) || messages.length === 0) return 'messages must be a non-empty array';
  const user = messages[messages.length - 1] as { role?: unknown; content?: unknown };
  if (user.role !== 'user' || !Array.isArray(user.content)) return 'the last message must be a user message with a content array';
  const text = user.content.find((part: { type?: unknown }) => part?.type === 'text') as { text?: unknown } | undefined;
  const image = user.content.find((part: { type?: unknown }) => part?.type === 'image_url') as { image_url?: { url?: unknown } } | undefined;
  if (typeof text?.text !== 'string') return 'missing text part';
  record.prompt = text.text;
  const url = image?.image_url?.url;
  if (typeof url !== 'string') return 'missing image_url part';
  const m = /^data:(image\/(?:jpeg|png));base64,([A-Za-z0-9+/=]+)$/.exec(url);
  if (!m) return 'image_url is not a base64 JPEG/PNG data URI';
  record.imageMime = m[1]!;
  record.image = Buffer.from(m[2]!, 'base64');
  return null;
}

/** Writes `total` bytes of JSON-ish filler in 64 KiB chunks, honouring backpressure, until done or hung up. */
function streamFiller(res: ServerResponse, total: number, declareLength: boolean, count: (n: number) => void): void {
  res.writeHead(200, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(total) } : {}) });
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let left = total;
  const pump = (): void => {
    while (left > 0 && !res.destroyed) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      count(piece.length);
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    // A client that aborts mid-upload: answer nothing, the response is already closed.
    req.on('error', () => resolve(Buffer.concat(chunks)));
    req.on('aborted', () => resolve(Buffer.concat(chunks)));
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.destroyed) return;
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
