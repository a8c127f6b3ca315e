// startConsole's options and their defaults, resolved in one place.
import { generateToken } from './auth.js';

export interface ConsoleOptions {
  /** Interface to bind; 127.0.0.1 keeps the console local (use 0.0.0.0 deliberately, behind a trusted network). */
  host?: string;
  /** TCP port; 0 picks a free one. Default 8765. */
  port?: number;
  /** Operator token (query, click, confirm, dispatch, cancel). Generated when absent. */
  token?: string;
  /** Viewer token (watch only). Generated when absent. */
  viewerToken?: string;
  /** Preview frames per second sent to clients (at most). Default 10. */
  previewFps?: number;
  /** Longest side of the preview JPEG in pixels. Default 960. */
  previewMaxSide?: number;
  /** Preview JPEG quality 1..100. Default 75. */
  previewQuality?: number;
  /** A client whose unsent bytes exceed this gets preview frames dropped. Default 1 MiB. */
  clientBufferBytes?: number;
  /** A client whose unsent bytes exceed this (it stopped reading) is disconnected. Default 16 MiB. */
  clientMaxBufferBytes?: number;
  /** Health, TF and statistics broadcast period. Default 1000 ms. */
  healthIntervalMs?: number;
  /** Extra browser origins allowed besides the console's own (e.g. 'https://robot.example:8443'). */
  allowedOrigins?: string[];
  /** Extra Host header names (or host:port) answered when bound to loopback, e.g. a reverse proxy's public name.
   * On loopback, only loopback names (127.0.0.0/8, localhost, [::1]), these and the hosts of `allowedOrigins`
   * are answered: that stops DNS rebinding. */
  allowedHosts?: string[];
  /** Results and dispatched goals kept for clients that connect later. Default 50. */
  historySize?: number;
  /** Requests one client may have in flight at once. Default 4. */
  maxInFlightPerClient?: number;
  /** How long a frame an operator froze on (clicked, or selected a result on) stays liftable. Default 5 min. */
  frameHoldMs?: number;
  /** How long each preview frame sent stays liftable, so a click on the frame on screen finds it even when the
   * page lags behind. Default 5 s (the bridge holds at most MAX_HELD frames in all). */
  previewHoldMs?: number;
  /** What receives dispatched goals, in words (e.g. 'the ROS 2 node molmo_waypoints'); null: nothing does, and
   * the page says a dispatch reached no robot. Default null. */
  dispatchSink?: string | null;
  /** Log sink (one line per call). Default: stderr. */
  log?: (line: string) => void;
}

export type ResolvedOptions = Required<ConsoleOptions>;

function inRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`console: ${name} must be in [${min}, ${max}], got ${value}`);
  return value;
}

export function resolveOptions(opts: ConsoleOptions): ResolvedOptions {
  return {
    host: opts.host ?? '127.0.0.1',
    port: inRange('port', opts.port ?? 8765, 0, 65535),
    token: opts.token ?? generateToken(),
    viewerToken: opts.viewerToken ?? generateToken(),
    previewFps: inRange('previewFps', opts.previewFps ?? 10, 0.1, 60),
    previewMaxSide: inRange('previewMaxSide', opts.previewMaxSide ?? 960, 64, 8192),
    previewQuality: inRange('previewQuality', opts.previewQuality ?? 75, 1, 100),
    clientBufferBytes: inRange('clientBufferBytes', opts.clientBufferBytes ?? 1 << 20, 1024, 2 ** 30),
    clientMaxBufferBytes: inRange('clientMaxBufferBytes', opts.clientMaxBufferBytes ?? 16 << 20, 4096, 2 ** 31),
    healthIntervalMs: inRange('healthIntervalMs', opts.healthIntervalMs ?? 1000, 50, 60_000),
    allowedOrigins: opts.allowedOrigins ?? [],
    allowedHosts: opts.allowedHosts ?? [],
    historySize: inRange('historySize', opts.historySize ?? 50, 0, 10_000),
    maxInFlightPerClient: inRange('maxInFlightPerClient', opts.maxInFlightPerClient ?? 4, 1, 100),
    frameHoldMs: inRange('frameHoldMs', opts.frameHoldMs ?? 300_000, 0, 3_600_000),
    previewHoldMs: inRange('previewHoldMs', opts.previewHoldMs ?? 5000, 0, 60_000),
    dispatchSink: opts.dispatchSink ?? null,
    log: opts.log ?? ((line) => process.stderr.write(`[console] ${line}\n`)),
  };
}
