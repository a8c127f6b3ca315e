// Minimal HTTP client for the model servers: node:http(s) with keep-alive agents. The global fetch (undici)
// costs several ms more per request for a few hundred KB of JSON (web streams, string bodies): measured in
// bench/pointing.bench.ts, that alone broke the client's overhead budget.
import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  /** A response header (lower-case name), or null. */
  header(name: string): string | null;
  text: string;
}

export interface HttpRequestOptions {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** The body, possibly in chunks (sent in order, without concatenating them first). */
  body?: Buffer | Buffer[];
  /** Aborts the request, the upload and the answer alike. */
  signal: AbortSignal;
  /** A larger answer (declared or counted) is refused with a TransportError of code RESPONSE_TOO_LARGE. */
  maxResponseBytes?: number;
}

/** The TransportError code for an answer over `maxResponseBytes`. */
export const RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE';

/** A failed exchange without an HTTP answer: `code` is the system error (ECONNREFUSED, ECONNRESET, …). */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

// Idle keep-alive sockets are closed before typical server idle timeouts (uvicorn: 5 s), so a request rarely
// lands on a socket the server is closing. Node unrefs idle sockets: they never keep a process alive.
const AGENT_OPTIONS = { keepAlive: true, timeout: 4_000, scheduling: 'lifo' as const };
const httpAgent = new http.Agent(AGENT_OPTIONS);
const httpsAgent = new https.Agent(AGENT_OPTIONS);

/** One request; resolves with the whole answer, rejects with TransportError or the signal's reason. */
export function httpRequest(url: string, opts: HttpRequestOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (opts.signal.aborted) return reject(opts.signal.reason);
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const headers: Record<string, string | number> = { ...opts.headers };
    const chunks = opts.body === undefined ? [] : Array.isArray(opts.body) ? opts.body : [opts.body];
    if (opts.body !== undefined) headers['content-length'] = chunks.reduce((n, c) => n + c.length, 0);
    const req = (secure ? https : http).request(
      target,
      { method: opts.method, headers, agent: secure ? httpsAgent : httpAgent, signal: opts.signal },
      (res) => {
        const limit = opts.maxResponseBytes ?? Infinity;
        // A misbehaving server could send gigabytes: refuse before buffering them (a string over ~512 MB
        // cannot even be made, and that throw would escape this callback).
        const tooLarge = () => new TransportError(`the answer is over ${limit} bytes`, RESPONSE_TOO_LARGE);
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > limit) {
          fail(tooLarge());
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          received += chunk.length;
          if (received > limit) {
            fail(tooLarge());
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          if (!res.complete) return fail(new TransportError('the connection closed before the answer was complete', 'ECONNRESET'));
          if (settled) return;
          let text: string;
          try {
            text = Buffer.concat(chunks).toString('utf8');
          } catch (err) {
            return fail(err);
          }
          settled = true;
          resolve({
            status: res.statusCode ?? 0,
            header: (name) => {
              const value = res.headers[name.toLowerCase()];
              return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
            },
            text,
          });
        });
        res.on('error', (err) => fail(err));
      },
    );
    let settled = false;
    function fail(err: unknown): void {
      if (settled) return;
      settled = true;
      if (opts.signal.aborted) return reject(opts.signal.reason);
      const code = (err as NodeJS.ErrnoException | null)?.code ?? null;
      const message = err instanceof Error ? err.message : String(err);
      reject(new TransportError(code && !message.includes(code) ? `${code} (${message})` : message, code));
    }
    req.on('error', fail);
    // Corked: the headers and all chunks leave in one writev.
    req.cork();
    for (const chunk of chunks) req.write(chunk);
    req.end();
    process.nextTick(() => req.uncork());
  });
}
