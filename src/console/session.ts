// What the server does with one client message: rate limit, validate, check the role, then act on the bridge.
// Every refusal is an 'error' reply plus a log line; too many refusals close the socket. Nothing here throws.
import { randomBytes } from 'node:crypto';
import type { PointRequest } from '../pipeline/types.js';
import type { ConsoleBridge } from './bridge-port.js';
import { CLOSE, type ConsoleClient } from './client.js';
import type { DepthGridCache } from './depth-grid.js';
import { OPERATOR_MESSAGES, parseClientMessage, type ClientMessage, type ErrorCode, type ServerMessage } from './protocol.js';
import { toWireJson } from './wire.js';

export interface SessionContext {
  bridge: ConsoleBridge;
  maxInFlightPerClient: number;
  /** How long a frame a page froze on (a click on it, or a 'hold') stays liftable, ms. */
  frameHoldMs: number;
  /** Downsampled depth of the frames pages show (built on request, shared between pages). */
  depthGrids: DepthGridCache;
  log: (line: string) => void;
}

export function send(client: ConsoleClient, message: ServerMessage): void {
  client.sendText(Buffer.from(toWireJson(message), 'utf8'));
}

function refuse(ctx: SessionContext, client: ConsoleClient, code: ErrorCode, message: string, ref?: string): void {
  ctx.log(`client ${client.id} (${client.role}, ${client.remote}): ${code}: ${message}`);
  send(client, { type: 'error', code, message, ...(ref !== undefined ? { ref } : {}) });
  if (client.recordError()) {
    ctx.log(`client ${client.id}: too many errors, closing`);
    client.close(CLOSE.policy, 'too many protocol errors');
  }
}

/** A request id that cannot collide with other clients' or other server runs'. */
export function newRequestId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export function handleClientData(ctx: SessionContext, client: ConsoleClient, data: Buffer, isBinary: boolean): void {
  if (!client.isOpen) return;
  if (!client.takeMessageToken()) return refuse(ctx, client, 'rate_limited', 'too many messages; slow down');
  if (isBinary) return refuse(ctx, client, 'binary_not_accepted', 'the console accepts JSON text messages only');
  const parsed = parseClientMessage(data.toString('utf8'));
  if (!parsed.ok) return refuse(ctx, client, parsed.code, parsed.message, parsed.ref);
  const message = parsed.message;
  if (OPERATOR_MESSAGES.has(message.type) && client.role !== 'operator') {
    return refuse(ctx, client, 'forbidden', `'${message.type}' needs the operator role; this connection is a viewer`, refOf(message));
  }
  act(ctx, client, message);
}

function refOf(message: ClientMessage): string | undefined {
  return 'ref' in message ? message.ref : undefined;
}

function act(ctx: SessionContext, client: ConsoleClient, message: ClientMessage): void {
  switch (message.type) {
    case 'ping':
      return send(client, { type: 'pong', ...(message.t !== undefined ? { t: message.t } : {}), serverMs: Date.now() });
    case 'query':
      return startRequest(ctx, client, message.ref, 'query', {
        id: newRequestId('console'),
        query: message.query,
        mode: message.mode,
        ...(message.targetFrame !== undefined ? { targetFrame: message.targetFrame } : {}),
        ...(message.maxPoints !== undefined ? { maxPoints: message.maxPoints } : {}),
        ...(message.frameSeq !== undefined ? { frameSeq: message.frameSeq } : {}),
        ...(message.offsetAboveM !== undefined ? { offsetAboveM: message.offsetAboveM } : {}),
      });
    case 'click':
      // The page now shows this frame frozen: keep it, so the next click on it lifts on it too.
      ctx.bridge.holdFrame(message.frameSeq, ctx.frameHoldMs);
      return startRequest(ctx, client, message.ref, 'click', {
        id: newRequestId('click'),
        pixels: [{ u: message.pixel[0], v: message.pixel[1], ...(message.label !== undefined ? { label: message.label } : {}) }],
        mode: message.mode,
        frameSeq: message.frameSeq,
        ...(message.targetFrame !== undefined ? { targetFrame: message.targetFrame } : {}),
        ...(message.offsetAboveM !== undefined ? { offsetAboveM: message.offsetAboveM } : {}),
      });
    case 'cancel':
      if (!ctx.bridge.cancel(message.id, `the operator (console client ${client.id})`)) return refuse(ctx, client, 'unknown_request', `no request or executing goal '${message.id}'`);
      ctx.log(`client ${client.id} cancelled ${message.id}`);
      return;
    case 'depth': {
      // Any role may look at depth. A frame no longer held gets an answer too, saying so.
      const frame = ctx.bridge.frameBySeq(message.frameSeq);
      const gone = { type: 'depth', frameSeq: message.frameSeq, stampNs: null, frameId: null, cameraPose: null, grid: null } as const;
      if (!frame) return send(client, { ...gone, reason: `frame #${message.frameSeq} is no longer held` });
      ctx.depthGrids.get(frame).then(
        (grid) => send(client, grid),
        (error: unknown) => send(client, { ...gone, reason: `depth of frame #${message.frameSeq}: ${(error as Error).message}` }),
      );
      return;
    }
    case 'hold': {
      const held = ctx.bridge.holdFrame(message.frameSeq, ctx.frameHoldMs);
      return send(client, { type: 'held', frameSeq: message.frameSeq, held, forMs: held ? ctx.frameHoldMs : 0 });
    }
    case 'confirm':
      try {
        // The dispatch event (broadcast to every client) is the confirmation; nothing else to send here.
        const goal = ctx.bridge.dispatch(message.resultId, message.waypointIndex, `console operator #${client.id}`);
        ctx.log(`client ${client.id} dispatched ${goal.resultId}#${goal.waypointIndex} (${goal.mode} '${goal.label}' in ${goal.frameId})`);
      } catch (error) {
        refuse(ctx, client, 'dispatch_refused', (error as Error).message);
      }
      return;
  }
}

function startRequest(ctx: SessionContext, client: ConsoleClient, ref: string | undefined, kind: 'query' | 'click', req: PointRequest): void {
  if (client.inFlight.size >= ctx.maxInFlightPerClient) {
    return refuse(ctx, client, 'too_many_requests', `at most ${ctx.maxInFlightPerClient} requests in flight per client`, ref);
  }
  client.inFlight.add(req.id);
  send(client, { type: 'accepted', id: req.id, kind, ...(ref !== undefined ? { ref } : {}) });
  // The result reaches every client through the bridge's 'result' event; here we only track the slot.
  void ctx.bridge.request(req).finally(() => client.inFlight.delete(req.id));
}
