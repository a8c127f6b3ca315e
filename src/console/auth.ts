// Who may talk to the console: a bearer token decides the role (operator or viewer), and browsers must come
// from the console's own origin (or a configured one) so another web page cannot drive the robot through a
// visitor's browser. A console on loopback also only answers loopback Host names, so a DNS-rebinding page
// (evil.example resolving to 127.0.0.1 is "same origin" to the browser) is refused. Tokens are compared in
// constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Role } from './protocol.js';

/** 32 random bytes, base64url: 43 characters, safe in URLs and headers. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Shortest configured token accepted. */
export const MIN_TOKEN_CHARS = 16;

function tooShort(what: string, token: string): string {
  return `console: the ${what} must be at least ${MIN_TOKEN_CHARS} characters, got ${token.length}; leave it empty for a random one`;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost: names that can only mean this machine. */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return /^127(\.\d{1,3}){3}$/.test(v4);
}

/** The hostname of a Host header value ('evil.example:8765' -> 'evil.example', '[::1]:80' -> '[::1]'), or null. */
function hostnameOf(host: string): string | null {
  try {
    const url = new URL(`http://${host}/`);
    return url.username || url.password || url.pathname !== '/' ? null : url.hostname;
  } catch {
    return null;
  }
}

export interface AuthPolicy {
  /** Extra browser origins allowed besides the console's own. */
  allowedOrigins: readonly string[];
  /** Extra Host names (or host:port) accepted when the console is bound to loopback (e.g. a reverse proxy's). */
  allowedHosts: readonly string[];
  /** The console listens on a loopback address: only loopback Host names (and the allowed ones) are answered. */
  loopbackOnly: boolean;
}

export class Auth {
  private readonly operator: Buffer;
  private readonly viewer: Buffer;
  private readonly allowedOrigins: readonly string[];
  private readonly extraHostnames: Set<string>;

  constructor(operatorToken: string, viewerToken: string, private readonly policy: AuthPolicy) {
    this.allowedOrigins = policy.allowedOrigins;
    // A configured origin's host is a name the console is reached by (through a proxy that keeps the Host).
    const names = [...policy.allowedHosts, ...policy.allowedOrigins.map((o) => URL.canParse(o) ? new URL(o).host : o)];
    this.extraHostnames = new Set(names.flatMap((n) => [n.toLowerCase(), hostnameOf(n)?.toLowerCase() ?? '']).filter((n) => n !== ''));
    // Configured tokens only (generated ones have 43): short ones could be guessed despite the lockout.
    if (operatorToken.length < MIN_TOKEN_CHARS) throw new Error(tooShort('operator token (console.token, --token, MOLMO_WAYPOINTS_TOKEN)', operatorToken));
    if (viewerToken.length < MIN_TOKEN_CHARS) throw new Error(tooShort('viewer token (console.viewer_token)', viewerToken));
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

  /** Whether the Host header names this console: always when it is not on loopback; else a loopback name or
   * a configured one. */
  hostAllowed(req: IncomingMessage): boolean {
    if (!this.policy.loopbackOnly) return true;
    const host = req.headers.host;
    if (host === undefined) return false;
    if (this.extraHostnames.has(host.toLowerCase())) return true;
    const hostname = hostnameOf(host);
    if (hostname === null) return false;
    return isLoopbackHostname(hostname) || this.extraHostnames.has(hostname.toLowerCase());
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
