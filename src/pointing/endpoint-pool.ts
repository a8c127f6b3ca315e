// Several model servers behind one pointer: prefer healthy ones in configured order, mark a server unhealthy
// when it fails, and give it another chance once its cooldown has passed.

export interface EndpointState {
  /** The URL as configured, without its query or fragment: what logs, errors and health() show. */
  url: string;
  /** The chat completions URL derived from it (with the configured query, if any). */
  chatUrl: string;
  /** The models URL (used to discover the served model name). */
  modelsUrl: string;
  healthy: boolean;
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
 * would show up wherever the endpoint is named). */
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
  ) {
    if (urls.length === 0) throw new RangeError('at least one model endpoint is needed');
    this.endpoints = urls.map((url) => {
      const base = normalizeBaseUrl(url);
      const query = new URL(url.trim()).search;
      return {
        url: displayEndpoint(url),
        chatUrl: `${base}/v1/chat/completions${query}`,
        modelsUrl: `${base}/v1/models${query}`,
        healthy: true,
        lastError: null,
        lastLatencyMs: null,
        failedAtMs: null,
      };
    });
  }

  /**
   * The endpoint for the next attempt: the first in configured order, not in `avoid`, that is healthy or whose
   * cooldown has passed (so a recovered preferred server gets its traffic back); else the one that failed
   * longest ago (never refuses: a sick server beats no server).
   */
  pick(avoid: ReadonlySet<EndpointState> = new Set()): EndpointState {
    const candidates = this.endpoints.filter((e) => !avoid.has(e));
    const pool = candidates.length > 0 ? candidates : this.endpoints;
    const usable = pool.find((e) => this.isUsable(e));
    if (usable) return usable;
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
