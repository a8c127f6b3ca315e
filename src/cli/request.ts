// `molmo-waypoints request`: asks a running bridge (its console's HTTP API) to point at something and prints the
// PointResult JSON. Exit 0 when the result is ok, 1 for any other result status, 2 for usage or connection errors.
import { parseArgs } from 'node:util';

const USAGE = `usage: molmo-waypoints request (--query <text> | --pixel u,v [--pixel u,v ...]) [options]

  --query <text>         what to point at ("the red mug")
  --pixel u,v            point at this pixel instead (repeatable; pixel centres at integers)
  --mode <m>             point | pick | navigate (default point)
  --target-frame <f>     frame for the waypoints (default: the bridge's target frame)
  --max-points <n>       at most n waypoints
  --frame-seq <n>        use this snapshot (as shown in the console) instead of the latest
  --timeout-ms <n>       overall deadline for the request
  --url <url>            console address (default $MOLMO_WAYPOINTS_URL or http://127.0.0.1:8765);
                         a printed ready URL with #token=... also supplies the token
  --token <t>            operator token (default $MOLMO_WAYPOINTS_TOKEN)

Prints the result as JSON (stamps as decimal strings). Exit 0: status ok; 1: another status; 2: usage or
connection error.`;

class UsageError extends Error {}

function int(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be an integer in [${min}, ${max}], got '${text}'`);
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

function parse(argv: string[]): Parsed | 'help' {
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

  let url: URL;
  try {
    url = new URL(values.url ?? (process.env.MOLMO_WAYPOINTS_URL || 'http://127.0.0.1:8765'));
  } catch {
    throw new UsageError(`--url is not a URL: '${values.url}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must be http(s), got '${url.protocol}'`);
  const fromFragment = new URLSearchParams(url.hash.slice(1)).get('token');
  const token = values.token ?? (process.env.MOLMO_WAYPOINTS_TOKEN || fromFragment || '');
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
  return { endpoint: new URL('/api/v1/point', url.origin).href, token, body, timeoutMs: (timeoutMs ?? 60_000) + 5_000 };
}

export async function run(argv: string[]): Promise<number> {
  let parsed: Parsed | 'help';
  try {
    parsed = parse(argv);
  } catch (error) {
    console.error(`molmo-waypoints request: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  let response: Response;
  try {
    response = await fetch(parsed.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${parsed.token}` },
      body: JSON.stringify(parsed.body),
      signal: AbortSignal.timeout(parsed.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = (error as Error).name === 'TimeoutError' ? `no answer within ${parsed.timeoutMs} ms` : cause?.code ?? cause?.message ?? (error as Error).message;
    console.error(`molmo-waypoints request: cannot reach ${parsed.endpoint}: ${why}`);
    return 2;
  }
  const text = await response.text();
  let body: { status?: unknown; error?: { code?: string; message?: string } };
  try {
    body = JSON.parse(text);
  } catch {
    console.error(`molmo-waypoints request: ${parsed.endpoint} answered HTTP ${response.status} with non-JSON: ${text.slice(0, 200)}`);
    return 2;
  }
  if (!response.ok) {
    console.error(`molmo-waypoints request: HTTP ${response.status}: ${body.error?.code ?? ''} ${body.error?.message ?? text.slice(0, 200)}`.trim());
    return 2;
  }
  console.log(JSON.stringify(body, null, 2));
  return body.status === 'ok' ? 0 : 1;
}
