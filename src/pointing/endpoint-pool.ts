// Several model servers behind one pointer: prefer healthy ones in configured order ('failover'), or the healthy one
// with the fewest requests in flight ('least_loaded': a fleet of robots sharing a pool of GPU servers); mark a server
// unhealthy when it fails, and give it another chance once its cooldown has passed.

export const BALANCE_POLICIES = ['failover', 'least_loaded'] as const;
export type BalancePolicy = (typeof BALANCE_POLICIES)[number];

export interface EndpointState {
  /** The URL as configured, without its query or fragment: what logs, errors and health() show. */
  url: string;
  /** The chat completions URL derived from it (with the configured query, if any). */
  chatUrl: string;
  /** The models URL (used to discover the served model name). */
  modelsUrl: string;
  /** Moondream's point URL ({base}/v1/point). */
  pointUrl: string;
  healthy: boolean;
  /** Attempts on this endpoint now in flight (the least_loaded policy's measure). */
  inFlight: number;
  lastError: string | null;
  lastLatencyMs: number | null;
  /** When it was last marked unhealthy (ms, the pool's clock). */
  failedAtMs: number | null;
}

/** `text` (an endpoint as written) fit to show: no user:password@, no query, no fragment. */
export function displayEndpoint(text: string): string {
  return text.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1').replace(/[?#].*$/s, '');
}

/** `http://host:8000`, `http://host:8000/` and `http://host:8000/v1` all mean the same server. A query
 * (`?api-version=…`) is kept for the requests but never shown; credentials in the URL are refused (they
 * would show up wherever the endpoint is named). A URL ending in `/chat/completions` is taken as that endpoint
 * itself, and one ending in `/openai` as an OpenAI-style prefix (hosted APIs with their own prefix, e.g. Gemini's
 * `https://generativelanguage.googleapis.com/v1beta/openai`). */
export function endpointUrls(url: string): { chatUrl: string; modelsUrl: string; pointUrl: string } {
  const base = normalizeBaseUrl(url);
  const parsed = new URL(url.trim());
  const query = parsed.search;
  const path = parsed.pathname.replace(/\/+$/, '');
  const own = path.replace(/\/chat\/completions$/, '');
  if (own.endsWith('/openai') || (path !== own && !own.endsWith('/v1'))) {
    const prefix = `${parsed.origin}${own}`;
    return { chatUrl: `${prefix}/chat/completions${query}`, modelsUrl: `${prefix}/models${query}`, pointUrl: `${prefix}/point${query}` };
  }
  return { chatUrl: `${base}/v1/chat/completions${query}`, modelsUrl: `${base}/v1/models${query}`, pointUrl: `${base}/v1/point${query}` };
}

/** The server's base URL, validated (http(s), no credentials), without a trailing /v1 or /v1/chat/completions. */
export function normalizeBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new RangeError(`endpoint '${displayEndpoint(url)}' is not a valid URL (expected e.g. http://gpu-box:8000)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new RangeError(`endpoint '${displayEndpoint(url)}' must be http:// or https://`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new RangeError(
      `endpoint '${displayEndpoint(url)}' carries credentials (user:password@): remove them and set the API key instead ` +
        '(apiKey, model.api_key or MOLMO_API_KEY; sent as Authorization: Bearer)',
    );
  }
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/chat\/completions$/, '').replace(/\/v1$/, '');
  return `${parsed.origin}${path}`;
}

export class EndpointPool {
  readonly endpoints: EndpointState[];

  constructor(
    urls: readonly string[],
    private readonly cooldownMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly balance: BalancePolicy = 'failover',
  ) {
    if (urls.length === 0) throw new RangeError('at least one model endpoint is needed');
    if (!BALANCE_POLICIES.includes(balance)) throw new RangeError(`balance must be one of ${BALANCE_POLICIES.join(', ')}; got '${String(balance)}'`);
    this.endpoints = urls.map((url) => {
      return {
        url: displayEndpoint(url),
        ...endpointUrls(url),
        healthy: true,
        inFlight: 0,
        lastError: null,
        lastLatencyMs: null,
        failedAtMs: null,
      };
    });
  }

  /**
   * The endpoint for the next attempt, among those not in `avoid` that are healthy or whose cooldown has passed:
   * 'failover' takes the first in configured order (so a recovered preferred server gets its traffic back),
   * 'least_loaded' the one with the fewest attempts in flight (ties: configured order). When none is usable, the
   * one that failed longest ago (never refuses: a sick server beats no server).
   */
  pick(avoid: ReadonlySet<EndpointState> = new Set()): EndpointState {
    const candidates = this.endpoints.filter((e) => !avoid.has(e));
    const pool = candidates.length > 0 ? candidates : this.endpoints;
    const usable = pool.filter((e) => this.isUsable(e));
    if (usable.length > 0) {
      if (this.balance === 'failover') return usable[0]!;
      return usable.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    }
    return pool.reduce((a, b) => ((a.failedAtMs ?? 0) <= (b.failedAtMs ?? 0) ? a : b));
  }

  /** Healthy, or unhealthy with its cooldown passed: worth an attempt without further ado. */
  isUsable(e: EndpointState): boolean {
    return e.healthy || e.failedAtMs === null || this.now() - e.failedAtMs >= this.cooldownMs;
  }

  markSuccess(e: EndpointState, latencyMs: number): void {
    e.healthy = true;
    e.lastLatencyMs = latencyMs;
    e.failedAtMs = null;
  }

  markFailure(e: EndpointState, error: string): void {
    e.healthy = false;
    e.lastError = error;
    e.failedAtMs = this.now();
  }
}
