// Who may talk to the console: a bearer token decides the role (operator or viewer), and browsers must come
// from the console's own origin (or a configured one) so another web page cannot drive the robot through a
// visitor's browser. Tokens are compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Role } from './protocol.js';

/** 32 random bytes, base64url: 43 characters, safe in URLs and headers. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export class Auth {
  private readonly operator: Buffer;
  private readonly viewer: Buffer;

  constructor(operatorToken: string, viewerToken: string, private readonly allowedOrigins: readonly string[]) {
    if (operatorToken.length < 8) throw new Error('console: the operator token must be at least 8 characters');
    if (viewerToken.length < 8) throw new Error('console: the viewer token must be at least 8 characters');
    if (operatorToken === viewerToken) throw new Error('console: the operator and viewer tokens must differ');
    this.operator = digest(operatorToken);
    this.viewer = digest(viewerToken);
  }

  /** The role a token grants, or null. Comparing digests keeps the time independent of the token's content. */
  roleFor(token: string | null): Role | null {
    if (token === null || token.length === 0 || token.length > 512) return null;
    const given = digest(token);
    if (timingSafeEqual(given, this.operator)) return 'operator';
    if (timingSafeEqual(given, this.viewer)) return 'viewer';
    return null;
  }

  /** The token from `Authorization: Bearer <t>` or the `token` query parameter. */
  static tokenFrom(req: IncomingMessage): string | null {
    const header = req.headers.authorization;
    if (typeof header === 'string') {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (match) return match[1]!;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    return url.searchParams.get('token');
  }

  /**
   * Browsers always send Origin on WebSocket upgrades and cross-origin POSTs; scripts and the CLI send none.
   * A present Origin must be this server (same host:port as the Host header) or one of the configured ones.
   */
  originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    if (this.allowedOrigins.includes(origin)) return true;
    const host = req.headers.host;
    if (host === undefined) return false;
    return origin === `http://${host}` || origin === `https://${host}`;
  }
}
