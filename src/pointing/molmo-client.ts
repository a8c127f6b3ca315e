// A VLM over HTTP (Molmo and the other families of families/: OpenAI-compatible chat completions as vLLM serves them,
// or Moondream's own API; transport: http-transport.ts). One point() = encode the frame as JPEG (on the family's
// input grid when it has one), wait for a concurrency slot, POST with per-attempt timeouts, retry transport errors,
// 429 and 5xx with backoff (failing over to another healthy endpoint at once), parse the answer with the family's
// parser onto the original pixel grid.
import type { ColorImage } from '../geometry/types.js';
import { encodeJpeg, ImageDecodeError, type EncodedJpeg } from '../image/codec.js';
import { backoffDelay, parseRetryAfter, sleep } from './backoff.js';
import { cancelledError, throwIfCancelled } from './cancel.js';
import { buildChatBody, errorBodySummary, jpegDataUri, readChatAnswer, type ChatAnswer } from './chat-completions.js';
import { EndpointPool, type BalancePolicy, type EndpointState } from './endpoint-pool.js';
import { familyEntry, type FamilyEntry, type FamilyName } from './families/index.js';
import { httpRequest, RESPONSE_TOO_LARGE, TransportError } from './http-transport.js';
import { ConcurrencyLimiter } from './limiter.js';
import { buildMoondreamBody, readMoondreamAnswer } from './moondream-api.js';
import { familyPrompt, renderPrompt } from './prompts.js';
import {
  PointingError,
  type HealthReporting,
  type PointerHealth,
  type PointOptions,
  type Pointer,
  type PointingResult,
} from './types.js';

export interface MolmoPointerOptions {
  /** Base URLs of OpenAI-compatible servers, in order of preference (e.g. http://gpu-box:8000). */
  endpoints: string[];
  /** Model name to request; when absent the family's default model, else read from GET /v1/models (once per
   * endpoint, once it succeeds). */
  model?: string;
  /** The model family (families/names.ts): prompt, transport, answer grammar and coordinates. Never guessed. */
  family: FamilyName;
  /** 'failover' (default: the first healthy endpoint in order) or 'least_loaded' (the healthy one with the fewest
   * requests in flight). */
  balance?: BalancePolicy;
  /** Downscale so the longer side is at most this before sending (points still come back full size). */
  maxSide?: number;
  /** Default 1024: room for dozens of points. */
  maxTokens?: number;
  /** Per attempt, covering connect, upload and the whole answer. Default 60000. */
  timeoutMs?: number;
  /** Extra attempts after the first: for connection errors, 429 and 5xx (same or another endpoint), and for a
   * timeout (only on another endpoint not yet tried in this request). Default 2. */
  retries?: number;
  /** Most requests in flight at once; the rest wait in a FIFO queue. Default 8. */
  concurrency?: number;
  /** Sent as `Authorization: Bearer <apiKey>` (Moondream: `X-Moondream-Auth: <apiKey>`). */
  apiKey?: string;
  /** Prompt template with {query} / {object}; default the family's point template; 'box' = its box template. */
  prompt?: string;
  /** First retry waits about this long (equal jitter), doubling per retry. Default 250. */
  backoffMs?: number;
  /** Longest single wait between attempts, a server's Retry-After included. Default 5000. */
  maxBackoffMs?: number;
  /** When the caller cancels an attempt that has had no answer for this long (or timeoutMs, if shorter), the
   * endpoint is marked unhealthy all the same. Default 10000. */
  stallMs?: number;
  /** A failed endpoint is tried again (before other unhealthy ones) after this long. Default 15000. */
  cooldownMs?: number;
  /** A larger answer is refused as a bad_response before it is buffered in full. Default 4 MiB. */
  maxResponseBytes?: number;
  /** JPEG quality for frames that must be encoded. Default 85. */
  jpegQuality?: number;
  /** Extra JSON fields merged into every request body (e.g. `{stop: ['<|endoftext|>']}`). */
  extraBody?: Record<string, unknown>;
  /** Jitter source (tests). Default Math.random. */
  random?: () => number;
  /** Called before each retry (for logs): the attempt about to start, the wait before it, and why. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** 2 for the first retry. */
  attempt: number;
  endpoint: string;
  delayMs: number;
  error: PointingError;
}

const DEFAULTS = {
  maxTokens: 1024,
  timeoutMs: 60_000,
  retries: 2,
  concurrency: 8,
  backoffMs: 250,
  maxBackoffMs: 5_000,
  cooldownMs: 15_000,
  stallMs: 10_000,
  jpegQuality: 85,
  maxResponseBytes: 4 * 1024 * 1024,
  balance: 'failover' as BalancePolicy,
};

/** A frame ready to send: its JPEG sizes and its data URI bytes. */
interface EncodedFrame {
  encoded: EncodedJpeg;
  dataUri: Buffer;
}

type OptionalKeys = 'model' | 'maxSide' | 'apiKey' | 'extraBody' | 'onRetry';

/**
 * Why one attempt failed, and where another attempt may help: 'any' endpoint (transport errors, 429, 5xx:
 * the same server may recover after a backoff), only 'elsewhere' (a timeout or a bad answer: asking the same
 * server again within this request would likely repeat it, but an untried server may answer), or 'none'.
 */
interface AttemptFailure {
  error: PointingError;
  retry: 'any' | 'elsewhere' | 'none';
  /** The failure says something about the endpoint (not about our request). */
  endpointAtFault: boolean;
  /** What to record as the endpoint's last error when it differs from the error's message. */
  endpointNote?: string;
  retryAfterMs: number | null;
}

export class MolmoPointer implements Pointer, HealthReporting {
  readonly name: string;
  private readonly opts: Required<Omit<MolmoPointerOptions, OptionalKeys>> & Pick<MolmoPointerOptions, OptionalKeys>;
  private readonly family: FamilyEntry;
  private readonly pool: EndpointPool;
  private readonly limiter: ConcurrencyLimiter;
  /** Model-name lookups per endpoint, in flight or succeeded (failed ones are dropped and asked again). */
  private readonly discovered = new Map<EndpointState, Promise<string | undefined>>();
  /** Several queries about one frame (one object per request) share one JPEG encode. Keyed by the image
   * object: frames are immutable once received, and a dropped frame drops its entry. */
  private readonly encodedFrames = new WeakMap<ColorImage, Promise<EncodedFrame>>();

  constructor(options: MolmoPointerOptions) {
    this.family = familyEntry(options.family);
    this.opts = {
      ...DEFAULTS,
      random: Math.random,
      ...withoutUndefined(options),
      model: options.model ?? this.family.defaultModel,
      prompt: familyPrompt(this.family, options.prompt),
      endpoints: options.endpoints,
      family: options.family,
      extraBody: { ...this.family.requestFields, ...options.extraBody },
    };
    for (const key of ['maxTokens', 'timeoutMs', 'backoffMs', 'maxBackoffMs', 'cooldownMs', 'stallMs', 'maxResponseBytes'] as const) {
      if (!(this.opts[key] > 0)) throw new RangeError(`${key} must be positive, got ${this.opts[key]}`);
    }
    if (!Number.isInteger(this.opts.retries) || this.opts.retries < 0) {
      throw new RangeError(`retries must be a non-negative integer, got ${this.opts.retries}`);
    }
    this.pool = new EndpointPool(options.endpoints, this.opts.cooldownMs, undefined, this.opts.balance);
    this.limiter = new ConcurrencyLimiter(this.opts.concurrency);
    this.name = options.family;
  }

  health(): PointerHealth {
    return {
      backend: `molmo (${this.opts.family})`,
      endpoints: this.pool.endpoints.map((e) => ({
        url: e.url,
        healthy: e.healthy,
        lastError: e.lastError,
        lastLatencyMs: e.lastLatencyMs,
      })),
    };
  }

  async point(image: ColorImage, query: string, options: PointOptions = {}): Promise<PointingResult> {
    const signal = options.signal;
    const t0 = performance.now();
    throwIfCancelled(signal);

    // Take a place in the queue now, so requests are served in call order while their frames encode.
    const slot = this.limiter.acquire(signal);
    // A cancel during encoding rejects `slot` before anyone awaits it: mark it handled (awaited below).
    slot.catch(() => undefined);
    let release: () => void;
    let frame: EncodedFrame;
    let t1: number;
    try {
      frame = await this.encode(image);
      t1 = performance.now();
    } catch (err) {
      slot.then((free) => free(), () => undefined);
      if (err instanceof ImageDecodeError) throw new PointingError('bad_image', err.message);
      throw err;
    }
    try {
      release = await slot;
    } catch {
      throw cancelledError();
    }
    const t2 = performance.now();
    let answer: ChatAnswer;
    try {
      answer = await this.requestWithRetries(renderPrompt(this.opts.prompt, query), frame.dataUri, signal);
    } finally {
      release();
    }
    const t3 = performance.now();

    const { width, height, sentWidth, sentHeight } = frame.encoded;
    const parsed = this.family.parse(answer.text, { width, height, sentWidth, sentHeight });
    // We send one image: points the model put on "other images" have no place on ours.
    const points = parsed.points.filter((p) => p.image === 1);
    const t4 = performance.now();
    return {
      points,
      count: parsed.count,
      none: parsed.none,
      // finish_reason 'length' = cut off by max_tokens, even if the cut fell between tags.
      truncated: parsed.truncated || answer.finishReason === 'length',
      rawText: answer.text,
      model: answer.model ?? this.opts.model ?? 'unknown',
      timings: { encode: t1 - t0, queue: t2 - t1, request: t3 - t2, parse: t4 - t3, total: t4 - t0 },
    };
  }

  private encode(image: ColorImage): Promise<EncodedFrame> {
    let frame = this.encodedFrames.get(image);
    if (!frame) {
      const fitSize = this.family.sendSize;
      frame = encodeJpeg(image, { maxSide: this.opts.maxSide, quality: this.opts.jpegQuality, ...(fitSize ? { fitSize } : {}) }).then((encoded) => ({
        encoded,
        dataUri: jpegDataUri(encoded.jpeg),
      }));
      this.encodedFrames.set(image, frame);
      frame.catch(() => this.encodedFrames.delete(image));
    }
    return frame;
  }

  private async requestWithRetries(prompt: string, dataUri: Buffer, signal: AbortSignal | undefined): Promise<ChatAnswer> {
    const attempts = this.opts.retries + 1;
    const failedHere = new Set<EndpointState>();
    const tried = new Set<EndpointState>();
    let endpoint = this.pool.pick(failedHere);
    for (let attempt = 1; ; attempt++) {
      tried.add(endpoint);
      const started = performance.now();
      endpoint.inFlight++;
      const outcome = await this.attempt(endpoint, prompt, dataUri, signal).finally(() => endpoint.inFlight--);
      if (!('error' in outcome)) {
        this.pool.markSuccess(endpoint, performance.now() - started);
        return outcome;
      }
      const { error } = outcome;
      if (outcome.endpointAtFault) {
        this.pool.markFailure(endpoint, outcome.endpointNote ?? error.message);
        failedHere.add(endpoint);
      } else if (error.kind !== 'cancelled') {
        endpoint.lastError = error.message;
      }
      if (error.kind === 'cancelled') throw error;
      const next = this.pool.pick(failedHere);
      const retry = outcome.retry === 'any' || (outcome.retry === 'elsewhere' && !tried.has(next) && this.pool.isUsable(next));
      if (!retry || attempt >= attempts) {
        throw new PointingError(error.kind, attempt > 1 ? `${error.message} (after ${attempt} attempts)` : error.message, {
          ...error.details,
          attempts: attempt,
        });
      }
      // Failing over to a healthy endpoint that has not failed us yet needs no wait; anything else backs off.
      const failover = next.healthy && !failedHere.has(next);
      const delay = failover ? 0 : Math.min(this.opts.maxBackoffMs, Math.max(this.backoff(attempt), outcome.retryAfterMs ?? 0));
      this.opts.onRetry?.({ attempt: attempt + 1, endpoint: next.url, delayMs: delay, error });
      try {
        if (delay > 0) await sleep(delay, signal);
      } catch {
        throw cancelledError();
      }
      endpoint = next;
    }
  }

  private backoff(retry: number): number {
    return backoffDelay(retry, { baseMs: this.opts.backoffMs, maxMs: this.opts.maxBackoffMs, random: this.opts.random });
  }

  /** One HTTP exchange with one endpoint, under its own timeout. Never throws. */
  private async attempt(
    endpoint: EndpointState,
    prompt: string,
    dataUri: Buffer,
    signal: AbortSignal | undefined,
  ): Promise<ChatAnswer | AttemptFailure> {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const at = { endpoint: endpoint.url };
    const started = performance.now();
    try {
      const moondream = this.family.transport === 'moondream';
      const model = moondream ? undefined : (this.opts.model ?? (await this.discoverModel(endpoint, combined)));
      const body = moondream
        ? buildMoondreamBody(prompt, dataUri, this.opts.extraBody)
        : buildChatBody({ model, prompt, imageDataUri: dataUri, maxTokens: this.opts.maxTokens, extraBody: this.opts.extraBody });
      const res = await httpRequest(moondream ? endpoint.pointUrl : endpoint.chatUrl, {
        method: 'POST',
        headers: this.headers(),
        body,
        signal: combined,
        maxResponseBytes: this.opts.maxResponseBytes,
      });
      const text = res.text;
      if (res.status === 429 || res.status >= 500) {
        return {
          error: new PointingError('http_status', `${endpoint.url} answered HTTP ${res.status}: ${errorBodySummary(text)}`, { ...at, status: res.status }),
          retry: 'any',
          endpointAtFault: true,
          retryAfterMs: parseRetryAfter(res.header('retry-after')),
        };
      }
      if (res.status < 200 || res.status >= 300) {
        return {
          error: new PointingError('http_status', `${endpoint.url} answered HTTP ${res.status}: ${errorBodySummary(text)}`, { ...at, status: res.status }),
          retry: 'none',
          endpointAtFault: false,
          retryAfterMs: null,
        };
      }
      const answer = moondream ? readMoondreamAnswer(text) : readChatAnswer(text);
      if (typeof answer === 'string') {
        return { error: new PointingError('bad_response', `${endpoint.url}: ${answer}`, at), retry: 'elsewhere', endpointAtFault: true, retryAfterMs: null };
      }
      return answer;
    } catch (err) {
      if (signal?.aborted) {
        // The caller gave up (its deadline or a cancel). If the server had stayed silent for a long time by
        // then, that says something about the server: mark it, so the next request goes elsewhere, even when
        // the caller's deadline is shorter than our per-attempt timeout.
        const silentMs = performance.now() - started;
        const stalled = silentMs >= Math.min(this.opts.stallMs, this.opts.timeoutMs);
        return {
          error: cancelledError(),
          retry: 'none',
          endpointAtFault: stalled,
          ...(stalled ? { endpointNote: `${endpoint.url} gave no answer in ${Math.round(silentMs)} ms (the request was then cancelled)` } : {}),
          retryAfterMs: null,
        };
      }
      if (timeout.aborted) {
        return {
          error: new PointingError('timeout', `${endpoint.url} did not answer within ${this.opts.timeoutMs} ms`, at),
          retry: 'elsewhere',
          endpointAtFault: true,
          retryAfterMs: null,
        };
      }
      if (err instanceof TransportError && err.code === RESPONSE_TOO_LARGE) {
        return {
          error: new PointingError('bad_response', `${endpoint.url}: answer over ${this.opts.maxResponseBytes} bytes`, at),
          retry: 'elsewhere',
          endpointAtFault: true,
          retryAfterMs: null,
        };
      }
      return {
        error: new PointingError('unreachable', `${endpoint.url} is unreachable: ${transportReason(err)}`, at),
        retry: 'any',
        endpointAtFault: true,
        retryAfterMs: null,
      };
    }
  }

  /** The served model's name from GET /v1/models, shared by concurrent requests (under its own timeout, so
   * one caller's cancel does not fail the others); undefined when the server does not say (the field is then
   * left out). Only a name is remembered: after an error status, an answer without a name or a transport
   * failure, the next request asks again (a 503 while the server warms up must not stick). */
  private discoverModel(endpoint: EndpointState, signal: AbortSignal): Promise<string | undefined> {
    let found = this.discovered.get(endpoint);
    if (!found) {
      found = (async () => {
        const res = await httpRequest(endpoint.modelsUrl, {
          method: 'GET',
          headers: this.headers(),
          signal: AbortSignal.timeout(this.opts.timeoutMs),
          maxResponseBytes: this.opts.maxResponseBytes,
        });
        if (res.status !== 200) return undefined;
        const body = parseJsonOrNull(res.text) as { data?: { id?: unknown }[] } | null;
        const id = body?.data?.[0]?.id;
        return typeof id === 'string' ? id : undefined;
      })();
      const entry = found;
      this.discovered.set(endpoint, entry);
      const forget = () => {
        if (this.discovered.get(endpoint) === entry) this.discovered.delete(endpoint);
      };
      entry.then((name) => name === undefined && forget(), forget);
    }
    return untilAborted(found, signal);
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.opts.apiKey && this.family.transport === 'moondream') headers['x-moondream-auth'] = this.opts.apiKey;
    else if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
    return headers;
  }
}

function transportReason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** `promise`, or a rejection with the signal's reason as soon as the signal aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function withoutUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
