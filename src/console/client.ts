// One connected browser or script: its role, what it was sent and dropped, and the two limits that keep a
// misbehaving client from hurting the others — a bounded send buffer (slow readers lose preview frames, and are
// disconnected if they stop reading altogether) and an error budget (repeated bad messages close the socket).
import type { WebSocket } from 'ws';
import type { ClientStats, Role } from './protocol.js';

export interface ClientLimits {
  /** Unsent bytes above which preview frames are dropped for this client. */
  frameBufferBytes: number;
  /** Unsent bytes above which the client is disconnected. */
  maxBufferBytes: number;
}

/** Close codes the console uses (RFC 6455 and the 4000-4999 private range). */
export const CLOSE = {
  goingAway: 1001,
  policy: 1008,
  tooSlow: 4008,
} as const;

const ERROR_WINDOW_MS = 10_000;
const MAX_ERRORS_IN_WINDOW = 10;
const MESSAGES_PER_SECOND = 20;
const MESSAGE_BURST = 40;

export class ConsoleClient {
  framesSent = 0;
  framesDropped = 0;
  readonly inFlight = new Set<string>();
  private errorTimes: number[] = [];
  private tokens = MESSAGE_BURST;
  private lastRefillMs: number;
  private closed = false;

  constructor(
    readonly id: number,
    readonly role: Role,
    readonly ws: WebSocket,
    readonly remote: string,
    private readonly limits: ClientLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.lastRefillMs = now();
    ws.once('close', () => {
      this.closed = true;
    });
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN;
  }

  /** Sends a JSON text message already serialised to bytes (shared between clients). */
  sendText(bytes: Buffer): void {
    if (!this.isOpen) return;
    if (this.ws.bufferedAmount > this.limits.maxBufferBytes) {
      this.close(CLOSE.tooSlow, 'client too slow: send buffer full');
      return;
    }
    this.ws.send(bytes, { binary: false, compress: false });
  }

  /**
   * Sends a preview frame unless it would push this client's unsent bytes over the bound (a frame always goes
   * when nothing is pending, so the bound is max(frameBufferBytes, one frame)); returns whether it was sent.
   */
  sendFrame(bytes: Buffer): boolean {
    if (!this.isOpen) return false;
    const pending = this.ws.bufferedAmount;
    if (pending > 0 && pending + bytes.byteLength > this.limits.frameBufferBytes) {
      this.framesDropped++;
      if (this.ws.bufferedAmount > this.limits.maxBufferBytes) this.close(CLOSE.tooSlow, 'client too slow: send buffer full');
      return false;
    }
    this.ws.send(bytes, { binary: true, compress: false });
    this.framesSent++;
    return true;
  }

  /** Token bucket: false when the client sends faster than MESSAGES_PER_SECOND (after a burst). */
  takeMessageToken(): boolean {
    const now = this.now();
    this.tokens = Math.min(MESSAGE_BURST, this.tokens + ((now - this.lastRefillMs) / 1000) * MESSAGES_PER_SECOND);
    this.lastRefillMs = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Counts one protocol error; true when the budget is spent and the client should be closed. */
  recordError(): boolean {
    const now = this.now();
    this.errorTimes = this.errorTimes.filter((t) => now - t < ERROR_WINDOW_MS);
    this.errorTimes.push(now);
    return this.errorTimes.length > MAX_ERRORS_IN_WINDOW;
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(code, reason);
    // A peer that stopped reading may never complete the closing handshake: do not wait for it.
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  stats(): ClientStats {
    return {
      clientId: this.id,
      role: this.role,
      framesSent: this.framesSent,
      framesDropped: this.framesDropped,
      bufferedBytes: this.ws.bufferedAmount,
    };
  }
}
