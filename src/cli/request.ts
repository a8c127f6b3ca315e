// `molmo-waypoints request`: asks a running bridge (its console's HTTP API) to point at something and prints the
// PointResult JSON. Exit 0 when the result is ok, 1 for any other result status, 2 for usage or connection errors.
import { parseArgs } from 'node:util';
import { MAX_OFFSET_ABOVE_M } from '../console/protocol.js';
import { visibleText } from '../text/visible-text.js';

const USAGE = `usage: molmo-waypoints request (--query <text> | --pixel u,v [--pixel u,v ...]) [options]

  --query <text>         what to point at ("the red mug")
  --pixel u,v            point at this pixel instead (repeatable; pixel centres at integers)
  --mode <m>             point | pick | navigate (default point)
  --target-frame <f>     frame for the waypoints (default: the bridge's target frame)
  --max-points <n>       at most n waypoints
  --frame-seq <n>        use this snapshot (as shown in the console) instead of the latest
  --timeout-ms <n>       overall deadline for the request
  --offset-above <m>     point, pick: a free-space target this many metres above the object (0..2)
  --url <url>            console address (default $MOLMO_WAYPOINTS_URL or http://127.0.0.1:8765);
                         a printed ready URL with #token=... also supplies the token
  --token <t>            operator token. Without it: the #token= of --url, then $MOLMO_WAYPOINTS_TOKEN,
                         then the #token= of $MOLMO_WAYPOINTS_URL (what you typed wins over the environment)

Prints the result as JSON (stamps as decimal strings). Exit 0: status ok; 1: another status; 2: usage or
connection error.`;

class UsageError extends Error {}

/** `text` with every `token=…` value, and every known token (flag, environment, URL fragments) of a token's
 * length (real ones have 16+ characters; shorter strings would blank out ordinary words), replaced. */
function redactWith(text: string, secrets: ReadonlySet<string>): string {
  let out = text.replace(/(token=)[^&#\s'"]+/gi, '$1<redacted>');
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('<redacted>');
  return out;
}

function tokenInFragment(url: URL): string | null {
  return new URLSearchParams(url.hash.slice(1)).get('token') || null;
}

function int(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be an integer in [${min}, ${max}], got '${text}'`);
  return value;
}

function metres(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || value < min || value > max) throw new UsageError(`--${name} must be a number of metres in [${min}, ${max}], got '${text}'`);
  return value;
}

function pixel(text: string): [number, number] {
  const parts = text.split(',').map((p) => p.trim());
  const [u, v] = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => p === '') || !Number.isFinite(u) || !Number.isFinite(v)) {
    throw new UsageError(`--pixel must be u,v (two numbers), got '${text}'`);
  }
  return [u!, v!];
}

interface Parsed {
  endpoint: string;
  token: string;
  body: Record<string, unknown>;
  timeoutMs: number;
}

function parse(argv: string[], secrets: Set<string>): Parsed | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      query: { type: 'string' },
      pixel: { type: 'string', multiple: true },
      mode: { type: 'string' },
      'target-frame': { type: 'string' },
      'max-points': { type: 'string' },
      'frame-seq': { type: 'string' },
      'timeout-ms': { type: 'string' },
      'offset-above': { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const pixels = (values.pixel ?? []).map(pixel);
  if ((values.query === undefined) === (pixels.length === 0)) throw new UsageError('give either --query or --pixel');
  if (values.query !== undefined && values.query.trim() === '') throw new UsageError('--query must not be empty');
  const mode = values.mode ?? 'point';
  if (!['point', 'pick', 'navigate'].includes(mode)) throw new UsageError(`--mode must be point, pick or navigate, got '${mode}'`);

  const envUrl = process.env.MOLMO_WAYPOINTS_URL || '';
  const envToken = process.env.MOLMO_WAYPOINTS_TOKEN || '';
  if (values.token) secrets.add(values.token);
  if (envToken) secrets.add(envToken);
  const urlText = values.url ?? (envUrl || 'http://127.0.0.1:8765');
  const urlFlag = values.url !== undefined ? '--url' : envUrl ? 'MOLMO_WAYPOINTS_URL' : 'the default URL';
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new UsageError(`${urlFlag} is not a URL: '${redactWith(urlText, secrets)}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${urlFlag} must be http(s), got '${url.protocol}'`);
  const fromFragment = tokenInFragment(url);
  if (fromFragment) secrets.add(fromFragment);
  // What was typed on this command line (--token, then the --url's fragment) beats the environment, where a
  // token from an earlier session may linger; the environment's own token beats its URL's fragment.
  const token = values.token || (values.url !== undefined ? fromFragment : null) || envToken || fromFragment || '';
  if (token === '') throw new UsageError('no token: pass --token, set MOLMO_WAYPOINTS_TOKEN, or use the printed URL with #token=');

  const timeoutMs = int('timeout-ms', values['timeout-ms'], 100, 600_000);
  const body: Record<string, unknown> = { mode };
  if (values.query !== undefined) body.query = values.query;
  if (pixels.length === 1) body.pixel = pixels[0];
  if (pixels.length > 1) body.pixels = pixels;
  if (values['target-frame'] !== undefined) body.target_frame = values['target-frame'];
  const maxPoints = int('max-points', values['max-points'], 1, 64);
  if (maxPoints !== undefined) body.max_points = maxPoints;
  const frameSeq = int('frame-seq', values['frame-seq'], 0, 0xffffffff);
  if (frameSeq !== undefined) body.frame_seq = frameSeq;
  if (timeoutMs !== undefined) body.timeout_ms = timeoutMs;
  const offsetAbove = metres('offset-above', values['offset-above'], 0, MAX_OFFSET_ABOVE_M);
  if (offsetAbove !== undefined) body.offset_above_m = offsetAbove;
  return { endpoint: new URL('/api/v1/point', url.origin).href, token, body, timeoutMs: (timeoutMs ?? 60_000) + 5_000 };
}

export async function run(argv: string[]): Promise<number> {
  const secrets = new Set<string>();
  const redact = (text: string) => redactWith(text, secrets);
  let parsed: Parsed | 'help';
  try {
    parsed = parse(argv, secrets);
  } catch (error) {
    console.error(`molmo-waypoints request: ${visibleText(redact((error as Error).message), 1000)} (see --help)`);
    return 2;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  // The deadline covers the whole exchange, body included: a server that sends headers and then stalls, or closes
  // mid-body, is a connection error (exit 2) in one line like any other.
  const signal = AbortSignal.timeout(parsed.timeoutMs);
  const connectionError = (message: string) => {
    console.error(visibleText(redact(`molmo-waypoints request: ${message}`), 1000));
    return 2;
  };
  let response: Response;
  let text: string;
  try {
    response = await fetch(parsed.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${parsed.token}` },
      body: JSON.stringify(parsed.body),
      signal,
    });
  } catch (error) {
    return connectionError(`cannot reach ${parsed.endpoint}: ${connectionProblem(error, parsed.timeoutMs)}`);
  }
  try {
    text = await response.text();
  } catch (error) {
    return connectionError(`${parsed.endpoint} answered HTTP ${response.status}, then the body broke off: ${connectionProblem(error, parsed.timeoutMs)}`);
  }
  let body: { status?: unknown; error?: { code?: string; message?: string } };
  try {
    body = JSON.parse(text);
  } catch {
    console.error(visibleText(redact(`molmo-waypoints request: ${parsed.endpoint} answered HTTP ${response.status} with non-JSON: ${text.slice(0, 200)}`), 1000));
    return 2;
  }
  if (!response.ok) {
    console.error(visibleText(redact(`molmo-waypoints request: HTTP ${response.status}: ${body.error?.code ?? ''} ${body.error?.message ?? text.slice(0, 200)}`.trim()), 1000));
    return 2;
  }
  console.log(JSON.stringify(body, null, 2));
  return body.status === 'ok' ? 0 : 1;
}

/** Why fetch (or reading its body) failed, in words: undici's TypeError 'fetch failed' / 'terminated' hide the cause. */
function connectionProblem(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no complete answer within ${timeoutMs} ms`;
  if (e.message === 'terminated') return `the server closed the connection mid-answer${e.cause?.code ? ` (${e.cause.code})` : ''}`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}
