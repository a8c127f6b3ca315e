// The HTTP JSON API for scripts (and `molmo-waypoints request`): the same tokens as the WebSocket.
//   GET  /api/v1/health   any role  -> { health, console }
//   POST /api/v1/point    operator  -> the PointResult (HTTP 200 whatever its status; the status is in the body)
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PointRequest } from '../pipeline/types.js';
import { Auth } from './auth.js';
import type { ConsoleBridge } from './bridge-port.js';
import type { LoginThrottle } from './login-throttle.js';
import { validateApiPointBody, type ConsoleStats } from './protocol.js';
import { newRequestId } from './session.js';
import { toWireJson } from './wire.js';

export const MAX_API_BODY_BYTES = 16 * 1024;
const MAX_API_IN_FLIGHT = 8;

export interface ApiContext {
  bridge: ConsoleBridge;
  auth: Auth;
  throttle: LoginThrottle;
  stats: () => ConsoleStats;
  log: (line: string) => void;
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = toWireJson(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

function fail(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  reply(res, status, { error: { code, message } }, headers);
}

/** How long an over-limit body is read on (and thrown away) before the 413: a client still uploading, as fetch does
 * with a streamed body, reads no answer until its upload is done and sees only a reset if the socket closes first. */
const OVERSIZE_DRAIN_MS = 3000;

/** Reads the body up to `limit` bytes; null when it is larger. Past the limit nothing is kept: the rest is read and
 * discarded until the body ends or OVERSIZE_DRAIN_MS pass, then null (the caller answers 413 and closes). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    let timer: NodeJS.Timeout | null = null;
    const overLimit = () => {
      over = true;
      chunks.length = 0;
      timer ??= setTimeout(() => resolve(null), OVERSIZE_DRAIN_MS);
    };
    if (over) overLimit();
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.byteLength;
      if (size > limit) return overLimit();
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (timer) clearTimeout(timer);
      resolve(over ? null : Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
  });
}

export class HttpApi {
  private inFlight = 0;

  constructor(private readonly ctx: ApiContext) {}

  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const { auth, log } = this.ctx;
    if (!auth.originAllowed(req)) {
      log(`api: ${req.method} ${pathname} from origin ${req.headers.origin}: refused`);
      return fail(res, 403, 'bad_origin', 'this origin may not use the API');
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    const lockedMs = this.ctx.throttle.lockedMs(address);
    if (lockedMs > 0) {
      const seconds = Math.ceil(lockedMs / 1000);
      return fail(res, 429, 'too_many_failures', `too many refused tokens from this address; try again in ${seconds} s`, { 'Retry-After': String(seconds) });
    }
    const role = auth.roleFor(Auth.tokenFrom(req));
    if (role === null) {
      this.ctx.throttle.failure(address, `api: ${req.method} ${pathname} from ${address}: missing or wrong token`);
      return fail(res, 401, 'unauthorized', 'a valid token is required (Authorization: Bearer <token> or ?token=)', {
        'WWW-Authenticate': 'Bearer realm="molmo-waypoints"',
      });
    }
    if (pathname === '/api/v1/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'method_not_allowed', 'use GET', { Allow: 'GET' });
      return reply(res, 200, { health: this.ctx.bridge.health(), console: this.ctx.stats() });
    }
    if (pathname === '/api/v1/point') {
      if (req.method !== 'POST') return fail(res, 405, 'method_not_allowed', 'use POST', { Allow: 'POST' });
      if (role !== 'operator') return fail(res, 403, 'forbidden', 'pointing needs the operator token; this is the viewer token');
      return this.point(req, res);
    }
    return fail(res, 404, 'not_found', `no API endpoint ${pathname}`);
  }

  private async point(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Requiring application/json also keeps plain HTML forms on other sites from posting here.
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) return fail(res, 415, 'unsupported_media_type', 'send Content-Type: application/json');
    const raw = await readBody(req, MAX_API_BODY_BYTES).catch(() => null);
    if (raw === null) return fail(res, 413, 'too_large', `the body is over ${MAX_API_BODY_BYTES} bytes (or unreadable)`, { Connection: 'close' });
    let value: unknown;
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      return fail(res, 400, 'bad_json', `not JSON: ${(error as Error).message.slice(0, 120)}`);
    }
    const checked = validateApiPointBody(value);
    if (!checked.ok) return fail(res, 400, 'invalid', checked.message);
    if (this.inFlight >= MAX_API_IN_FLIGHT) return fail(res, 429, 'too_many_requests', `at most ${MAX_API_IN_FLIGHT} API requests at once`);

    const body = checked.body;
    const pixels = body.pixel ? [body.pixel] : body.pixels;
    const request: PointRequest = {
      id: newRequestId('api'),
      mode: body.mode ?? 'point',
      ...(body.query !== undefined ? { query: body.query } : {}),
      ...(pixels ? { pixels: pixels.map(([u, v]) => ({ u, v, ...(body.label !== undefined ? { label: body.label } : {}) })) } : {}),
      ...(body.target_frame !== undefined ? { targetFrame: body.target_frame } : {}),
      ...(body.max_points !== undefined ? { maxPoints: body.max_points } : {}),
      ...(body.frame_seq !== undefined ? { frameSeq: body.frame_seq } : {}),
      ...(body.timeout_ms !== undefined ? { deadlineMs: body.timeout_ms } : {}),
      ...(body.offset_above_m !== undefined ? { offsetAboveM: body.offset_above_m } : {}),
    };
    // A client that hangs up cancels its request.
    const abort = new AbortController();
    const onClose = () => {
      if (!res.writableEnded) abort.abort();
    };
    res.on('close', onClose);
    this.inFlight++;
    try {
      const result = await this.ctx.bridge.request(request, { signal: abort.signal });
      if (!res.destroyed) reply(res, 200, result);
    } finally {
      this.inFlight--;
      res.off('close', onClose);
    }
  }
}
