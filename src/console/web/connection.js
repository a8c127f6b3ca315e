// The WebSocket to the console server: token in the URL query (browsers cannot set headers on WebSockets),
// JSON text messages, binary preview frames (header layout in src/console/wire.ts), reconnection with backoff.
// A refused upgrade reaches the page only as a close before open (1006, no status): the page then asks the
// HTTP API whether the token still works (`handlers.tokenRefused`), so a console restarted with another token
// gets the token prompt instead of endless reconnects.

const FRAME_MAGIC = 0x4d575046;

/** Parses a binary preview frame: the 40-byte little-endian header, then the JPEG. */
export function parseFrame(buffer) {
  const view = new DataView(buffer);
  if (buffer.byteLength < 40 || view.getUint32(0, true) !== FRAME_MAGIC) return null;
  const headerBytes = view.getUint16(6, true);
  return {
    seq: view.getUint32(8, true),
    stampNs: view.getBigInt64(16, true).toString(),
    width: view.getUint16(24, true),
    height: view.getUint16(26, true),
    sentWidth: view.getUint16(28, true),
    sentHeight: view.getUint16(30, true),
    receivedAtMs: view.getFloat64(32, true),
    jpeg: new Blob([new Uint8Array(buffer, headerBytes)], { type: 'image/jpeg' }),
  };
}

export class Connection {
  constructor(token, handlers) {
    this.token = token;
    this.handlers = handlers;
    this.ws = null;
    this.backoffMs = 500;
    this.stopped = false;
  }

  open() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(this.token)}`);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.handlers.state('connecting');
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.backoffMs = 500;
      this.handlers.state('open');
    };
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') {
        let message;
        try {
          message = JSON.parse(event.data);
        } catch {
          return;
        }
        this.handlers.message(message);
      } else {
        const frame = parseFrame(event.data);
        if (frame) this.handlers.frame(frame);
      }
    };
    ws.onclose = async (event) => {
      this.ws = null;
      // 1008 = policy (bad token or too many errors): retrying with the same token would not help.
      let final = this.stopped || event.code === 1008;
      if (!final && !opened && this.handlers.tokenRefused && (await this.handlers.tokenRefused())) {
        this.stopped = true;
        final = true;
      }
      this.handlers.state(final ? 'closed' : 'reconnecting', event);
      if (!final) {
        setTimeout(() => this.open(), this.backoffMs);
        this.backoffMs = Math.min(this.backoffMs * 2, 8000);
      }
    };
  }

  send(message) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }
}
