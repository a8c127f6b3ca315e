// Test harness for the console: a real Bridge fed with synthetic RGB-D frames, and a WebSocket test client
// that records every message so tests can wait for the ones they expect.
import { Bridge } from '../../src/pipeline/bridge.js';
import { defaultConfig, type BridgeConfig } from '../../src/pipeline/config.js';
import type { Pointer } from '../../src/pointing/types.js';
import { WebSocket } from 'ws';
import { decodeFrameMessage, type FrameHeader } from '../../src/console/wire.js';
import { cameraInfo } from '../helpers/camera-info.js';
import { mulberry32 } from '../helpers/prng.js';

export const CAMERA_FRAME = 'camera_color_optical_frame';
/** Above 2^53: a stamp that a JSON number would round, so tests can see it travels exactly. */
export const BASE_STAMP_NS = 1_700_000_000_123_456_789n;

export function makeBridge(opts: { pointer?: Pointer | null; tweak?: (c: BridgeConfig) => void } = {}): Bridge {
  const config = defaultConfig();
  config.frames = { target: 'base_link', navigation: 'base_link', robot: 'base_link' };
  config.store.maxAgeMs = 60_000;
  opts.tweak?.(config);
  const bridge = new Bridge({ pointer: opts.pointer ?? null, config });
  // The camera 1 m above the base, looking along the base's x axis (optical z forward, x right, y down).
  bridge.ingest({
    kind: 'tf',
    isStatic: true,
    transforms: [
      {
        frameId: 'base_link',
        childFrameId: CAMERA_FRAME,
        stampNs: 0n,
        transform: { translation: { x: 0, y: 0, z: 1 }, rotation: { x: -0.5, y: 0.5, z: -0.5, w: 0.5 } },
      },
    ],
  });
  return bridge;
}

export interface FrameSpec {
  index: number;
  width?: number;
  height?: number;
  /** Random pixels (large JPEGs) instead of a smooth gradient. */
  noise?: boolean;
  depthMm?: number;
}

/** Feeds one synced colour + depth + camera info set (same stamp) into the bridge: one 'frame' event. */
export function pushFrame(bridge: Bridge, spec: FrameSpec): bigint {
  const width = spec.width ?? 320;
  const height = spec.height ?? 240;
  const stampNs = BASE_STAMP_NS + BigInt(spec.index) * 33_333_333n;
  const header = { stampNs, frameId: CAMERA_FRAME };
  const f = width; // ~53° horizontal field of view
  bridge.ingest({
    kind: 'camera_info',
    header,
    info: cameraInfo({ width, height, fx: f, fy: f, cx: (width - 1) / 2, cy: (height - 1) / 2 }),
  });
  const depth = new Uint8Array(width * height * 2);
  const view = new DataView(depth.buffer);
  for (let i = 0; i < width * height; i++) view.setUint16(i * 2, spec.depthMm ?? 1500, true);
  bridge.ingest({ kind: 'depth', header, image: { encoding: '16UC1', width, height, step: width * 2, isBigEndian: false, data: depth } });
  bridge.ingest({ kind: 'color', header, image: { kind: 'raw', ...colorPixels(width, height, spec) } });
  return stampNs;
}

function colorPixels(width: number, height: number, spec: FrameSpec) {
  const data = new Uint8Array(width * height * 3);
  const rand = mulberry32(spec.index + 1);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if (spec.noise) {
        data[i] = rand() * 256;
        data[i + 1] = rand() * 256;
        data[i + 2] = rand() * 256;
      } else {
        data[i] = (x * 255) / width;
        data[i + 1] = (y * 255) / height;
        data[i + 2] = (spec.index * 40) & 255;
      }
    }
  }
  return { encoding: 'rgb8', width, height, step: width * 3, isBigEndian: false, data };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A real `ws` client that keeps every message; `next` waits for the first unread one matching. */
export class TestClient {
  readonly messages: Json[] = [];
  readonly frames: { header: FrameHeader; bytes: number }[] = [];
  private cursor = 0;
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        const { header } = decodeFrameMessage(data);
        this.frames.push({ header, bytes: data.byteLength });
      } else {
        this.messages.push(JSON.parse(data.toString('utf8')));
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static connect(port: number, token: string | null, opts: { origin?: string; path?: string; host?: string } = {}): Promise<TestClient> {
    const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
    const ws = new WebSocket(`ws://127.0.0.1:${port}${opts.path ?? '/ws'}${query}`, {
      ...(opts.origin ? { origin: opts.origin } : {}),
      ...(opts.host ? { headers: { host: opts.host } } : {}),
    });
    return new Promise((resolve, reject) => {
      const client = new TestClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next unread message of `type` (and matching `pred`); earlier unread messages of other types are skipped. */
  async next(type: string, pred: (m: Json) => boolean = () => true, timeoutMs = 5000): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.messages.length) {
        const m = this.messages[this.cursor++];
        if (m.type === type && pred(m)) return m;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no '${type}' message within ${timeoutMs} ms; got: ${this.messages.map((m) => m.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitFrames(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.frames.length} of ${count} frames within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.ws.terminate();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
