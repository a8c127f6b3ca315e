// The operator console: one HTTP server for the page and the JSON API, with the WebSocket on the same port
// (upgrade on /ws). It listens to the bridge — frames, progress, results, dispatches — and fans them out to
// every connected client; operators send queries, clicks, confirmations and cancellations back.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeJpeg } from '../image/codec.js';
import type { DispatchedGoal, FrameSnapshot, GoalExecution, PointRequest, PointResult, Progress } from '../pipeline/types.js';
import { Auth, isLoopbackHostname } from './auth.js';
import type { ConsoleBridge } from './bridge-port.js';
import { CLOSE, ConsoleClient } from './client.js';
import { DepthGridCache } from './depth-grid.js';
import { HttpApi } from './http-api.js';
import { LoginThrottle } from './login-throttle.js';
import { resolveOptions, type ConsoleOptions } from './options.js';
import { PreviewFanout } from './preview.js';
import { MAX_PAYLOAD_BYTES, MAX_JSON_BYTES, MODES, PROTOCOL_VERSION, type ConsoleStats, type Role, type ServerMessage } from './protocol.js';
import { handleClientData, send, type SessionContext } from './session.js';
import { StaticFiles } from './static-files.js';
import { cameraPoseAt, cameraSummary, tfSnapshot } from './summaries.js';
import { toWireJson } from './wire.js';

export type { ConsoleOptions } from './options.js';

export interface ConsoleHandle {
  /** Ready-to-open URL with the operator token in the fragment (never sent to the server in requests). */
  url: string;
  /** The same page with the viewer token (watch only). */
  viewerUrl: string;
  token: string;
  viewerToken: string;
  host: string;
  port: number;
  /** Preview and per-client counters (also in every health message and GET /api/v1/health). */
  stats(): ConsoleStats;
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function rejectUpgrade(socket: Duplex, status: number, text: string, extraHeaders = ''): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n${extraHeaders}Content-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
  socket.destroy();
}

export async function startConsole(bridge: ConsoleBridge, options: ConsoleOptions = {}): Promise<ConsoleHandle> {
  const opts = resolveOptions(options);
  const log = opts.log;
  const auth = new Auth(opts.token, opts.viewerToken, {
    allowedOrigins: opts.allowedOrigins,
    allowedHosts: opts.allowedHosts,
    loopbackOnly: isLoopbackHostname(opts.host),
  });
  const throttle = new LoginThrottle({ log });
  const files = new StaticFiles();
  const clients = new Set<ConsoleClient>();
  let nextClientId = 1;
  const history: PointResult[] = [];
  const dispatched: DispatchedGoal[] = [];
  // A page that reconnects to another server run must not keep the old run's history and dispatch marks.
  const bootId = randomBytes(8).toString('hex');
  /** When each request was submitted (wall clock ms), for the ones running and the ones in `history`. */
  const requestedAtMs = new Map<string, number>();
  let camera: { key: string; bytes: Buffer } | null = null;

  const broadcast = (message: ServerMessage): void => {
    if (clients.size === 0) return;
    const bytes = Buffer.from(toWireJson(message), 'utf8');
    for (const client of clients) client.sendText(bytes);
  };

  const preview = new PreviewFanout({
    fps: opts.previewFps,
    maxSide: opts.previewMaxSide,
    quality: opts.previewQuality,
    encode: encodeJpeg,
    hasClients: () => clients.size > 0,
    deliver: (message, seq) => {
      // Whatever a page shows, a click on it must find: keep each sent frame a while (bounded by the bridge).
      bridge.holdFrame(seq, opts.previewHoldMs);
      for (const client of clients) client.sendFrame(message);
    },
    log,
  });

  const stats = (): ConsoleStats => ({
    clients: clients.size,
    previewFps: opts.previewFps,
    framesEncoded: preview.framesEncoded,
    framesSkipped: preview.framesSkipped,
    encodeMsP50: preview.encodeMsP50(),
    lastEncodeBytes: preview.lastMessage?.byteLength ?? 0,
    clientStats: [...clients].map((c) => c.stats()),
  });

  // Bridge events -> clients.
  const onFrame = (frame: FrameSnapshot): void => {
    const summary = cameraSummary(frame);
    const key = JSON.stringify(summary);
    if (camera?.key !== key) {
      camera = { key, bytes: Buffer.from(toWireJson({ type: 'camera', camera: summary } satisfies ServerMessage)) };
      for (const client of clients) client.sendText(camera.bytes);
    }
    preview.offer(frame);
  };
  const onRequest = (req: PointRequest): void => {
    if (typeof req?.id === 'string' && req.id !== '') requestedAtMs.set(req.id, Date.now());
  };
  const onProgress = (progress: Progress): void => broadcast({ type: 'progress', progress });
  const onResult = (result: PointResult): void => {
    history.push(result);
    if (history.length > opts.historySize) {
      const gone = history.shift()!;
      if (!history.some((r) => r.id === gone.id)) requestedAtMs.delete(gone.id);
    }
    broadcast({ type: 'result', result, requestedAtMs: requestedAtMs.get(result.id) ?? null });
    if (opts.historySize === 0) requestedAtMs.delete(result.id);
  };
  const onDispatch = (goal: DispatchedGoal): void => {
    dispatched.push(goal);
    if (dispatched.length > opts.historySize) dispatched.shift();
    broadcast({ type: 'dispatch', goal });
  };
  bridge.on('frame', onFrame);
  bridge.on('request', onRequest);
  bridge.on('progress', onProgress);
  bridge.on('result', onResult);
  bridge.on('dispatch', onDispatch);
  const onGoalExecution = (execution: GoalExecution): void => broadcast({ type: 'goal_execution', execution });
  bridge.on('goal_execution', onGoalExecution);

  // Health, TF and per-client counters, once per interval.
  const healthTimer = setInterval(() => {
    if (clients.size === 0) return;
    try {
      const common = toWireJson({ health: bridge.health(), console: stats() });
      broadcast({ type: 'tf', ...tfSnapshot(bridge) });
      for (const client of clients) {
        // Splice the per-client part into the shared JSON instead of serialising health once per client.
        client.sendText(Buffer.from(`{"type":"health","you":${JSON.stringify(client.stats())},${common.slice(1)}`));
      }
    } catch (error) {
      log(`health broadcast failed: ${(error as Error).message}`);
    }
  }, opts.healthIntervalMs);
  healthTimer.unref();

  const depthGrids = new DepthGridCache(bridge.config.camera?.rectified ?? false, (frame) => cameraPoseAt(bridge, frame));
  const sessionCtx: SessionContext = { bridge, maxInFlightPerClient: opts.maxInFlightPerClient, frameHoldMs: opts.frameHoldMs, depthGrids, log };
  const api = new HttpApi({ bridge, auth, throttle, stats, log });

  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!auth.hostAllowed(req)) {
      log(`http: ${req.socket.remoteAddress}: Host '${String(req.headers.host).slice(0, 100)}' refused (not a loopback name; see allowedHosts)`);
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end('{"error":{"code":"bad_host","message":"this Host name is not served here"}}');
      return;
    }
    if (pathname.startsWith('/api/')) {
      api.handle(req, res, pathname).catch((error: unknown) => {
        log(`api: ${pathname}: ${(error as Error).message}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end('{"error":{"code":"internal_error","message":"see the server log"}}');
      });
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && files.serve(pathname, req.method, res)) return;
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES, perMessageDeflate: false, clientTracking: false });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const remote = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== '/ws') return rejectUpgrade(socket, 404, 'Not Found');
    if (!auth.hostAllowed(req)) {
      log(`ws: ${remote}: Host '${String(req.headers.host).slice(0, 100)}' refused (not a loopback name; see allowedHosts)`);
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    if (!auth.originAllowed(req)) {
      log(`ws: ${remote}: origin ${req.headers.origin} refused`);
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    const lockedMs = throttle.lockedMs(address);
    if (lockedMs > 0) return rejectUpgrade(socket, 429, 'Too Many Requests', `Retry-After: ${Math.ceil(lockedMs / 1000)}\r\n`);
    const role = auth.roleFor(Auth.tokenFrom(req));
    if (role === null) {
      throttle.failure(address, `ws: ${remote}: missing or wrong token`);
      return rejectUpgrade(socket, 401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, role, remote));
  });

  function onConnection(ws: WebSocket, role: Role, remote: string): void {
    const client = new ConsoleClient(nextClientId++, role, ws, remote, {
      frameBufferBytes: opts.clientBufferBytes,
      maxBufferBytes: opts.clientMaxBufferBytes,
    });
    clients.add(client);
    log(`client ${client.id} connected (${role}, ${remote}); ${clients.size} connected`);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      try {
        handleClientData(sessionCtx, client, data, isBinary);
      } catch (error) {
        log(`client ${client.id}: unexpected ${(error as Error).message}`);
      }
    });
    ws.on('error', (error) => log(`client ${client.id}: ${error.message}`));
    ws.on('close', (code) => {
      clients.delete(client);
      log(`client ${client.id} disconnected (${code}); sent ${client.framesSent} frames, dropped ${client.framesDropped}`);
    });

    send(client, {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      clientId: client.id,
      role,
      config: {
        previewFps: opts.previewFps,
        previewMaxSide: opts.previewMaxSide,
        targetFrame: bridge.config.frames.target,
        modes: MODES,
        maxJsonBytes: MAX_JSON_BYTES,
        dispatchMaxAgeMs: bridge.config.dispatch?.maxAgeMs ?? null,
        bootId,
        queryBackend: bridge.pointerBackend,
        dispatchSink: opts.dispatchSink,
        frameHoldMs: opts.frameHoldMs,
      },
    });
    const times: Record<string, number> = {};
    for (const r of history) {
      const at = requestedAtMs.get(r.id);
      if (at !== undefined) times[r.id] = at;
    }
    send(client, { type: 'history', results: history, dispatched, requestedAtMs: times });
    if (camera) client.sendText(camera.bytes);
    try {
      send(client, { type: 'tf', ...tfSnapshot(bridge) });
    } catch (error) {
      log(`tf snapshot failed: ${(error as Error).message}`);
    }
    // Show something at once: the last preview, or encode the latest frame if nobody was watching.
    if (preview.lastMessage) client.sendFrame(preview.lastMessage);
    const latest = bridge.latestFrame();
    if (latest && latest.seq !== preview.lastSeq) onFrame(latest);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`http server: ${error.message}`));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : opts.port;
  const base = `http://${urlHost(opts.host)}:${port}/`;

  let closed: Promise<void> | null = null;
  return {
    url: `${base}#token=${opts.token}`,
    viewerUrl: `${base}#token=${opts.viewerToken}`,
    token: opts.token,
    viewerToken: opts.viewerToken,
    host: opts.host,
    port,
    stats,
    close() {
      closed ??= (async () => {
        clearInterval(healthTimer);
        throttle.stop();
        preview.stop();
        bridge.off('frame', onFrame);
        bridge.off('request', onRequest);
        bridge.off('progress', onProgress);
        bridge.off('result', onResult);
        bridge.off('dispatch', onDispatch);
        bridge.off('goal_execution', onGoalExecution);
        // Ask clients to go, give them a moment to complete the closing handshake, then cut the rest.
        const gone = [...clients].map((c) => new Promise<void>((resolve) => c.ws.once('close', () => resolve())));
        for (const client of clients) client.close(CLOSE.goingAway, 'console shutting down');
        await Promise.race([Promise.all(gone), new Promise((resolve) => setTimeout(resolve, 300).unref())]);
        for (const client of clients) client.ws.terminate();
        clients.clear();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closed;
    },
  };
}
