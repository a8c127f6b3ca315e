// Live preview: the newest colour frame, downscaled and JPEG-encoded once, then the same bytes go to every
// client. At most `fps` encodes per second; frames arriving in between replace the pending one (only the
// newest matters for a live view), and only one encode runs at a time, so a burst of frames costs one encode.
// A camera's own JPEG (CompressedImage) that needs no downscale is forwarded as it came: no decode, no encode.
import type { ColorImage } from '../geometry/types.js';
import type { ResizeKernel } from '../image/codec.js';
import { jpegSize } from '../image/compressed-format.js';
import type { FrameSnapshot } from '../pipeline/types.js';
import { encodeFrameMessage } from './wire.js';

export type JpegEncoder = (
  img: ColorImage,
  opts: { maxSide: number; quality: number; resizeKernel: ResizeKernel },
) => Promise<{ jpeg: Buffer; width: number; height: number; sentWidth: number; sentHeight: number }>;

export interface PreviewOptions {
  fps: number;
  maxSide: number;
  quality: number;
  encode: JpegEncoder;
  /** Whether anyone is watching; no clients, no encoding. */
  hasClients: () => boolean;
  /** Receives each encoded frame message (header + JPEG), to send to every client. */
  deliver: (message: Buffer, seq: number) => void;
  log: (line: string) => void;
  now?: () => number;
}

const ENCODE_SAMPLES = 100;

export class PreviewFanout {
  framesEncoded = 0;
  /** Frames that were replaced by a newer one before their turn came (rate limit). */
  framesSkipped = 0;
  encodeErrors = 0;
  /** Frames whose source JPEG went out as it came (counted in framesEncoded too: frames prepared for clients). */
  framesForwarded = 0;
  /** The last encoded message, sent at once to clients that connect between frames. */
  lastMessage: Buffer | null = null;
  lastSeq: number | null = null;
  private pending: FrameSnapshot | null = null;
  private encoding = false;
  private lastStartMs = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly encodeMs: number[] = [];
  private lastErrorText = '';
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: PreviewOptions) {
    this.intervalMs = 1000 / opts.fps;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Called for every new snapshot. */
  offer(frame: FrameSnapshot): void {
    if (this.stopped || !this.opts.hasClients()) return;
    if (this.pending !== null) this.framesSkipped++;
    this.pending = frame;
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    this.pending = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  encodeMsP50(): number | null {
    if (this.encodeMs.length === 0) return null;
    const sorted = [...this.encodeMs].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  }

  private pump(): void {
    if (this.stopped || this.encoding || this.timer !== null || this.pending === null) return;
    const wait = this.lastStartMs + this.intervalMs - this.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, Math.ceil(wait));
      return;
    }
    const frame = this.pending;
    this.pending = null;
    this.encoding = true;
    this.lastStartMs = this.now();
    void this.encodeAndDeliver(frame).finally(() => {
      this.encoding = false;
      this.pump();
    });
  }

  /** The source's JPEG bytes when they can go as they are, else null. */
  private forwardable(color: ColorImage): { jpeg: Buffer; width: number; height: number; sentWidth: number; sentHeight: number } | null {
    if (color.kind !== 'compressed') return null;
    const size = jpegSize(color.data);
    if (!size || Math.max(size.width, size.height) > this.opts.maxSide) return null;
    const jpeg = Buffer.from(color.data.buffer, color.data.byteOffset, color.data.byteLength);
    return { jpeg, width: size.width, height: size.height, sentWidth: size.width, sentHeight: size.height };
  }

  private async encodeAndDeliver(frame: FrameSnapshot): Promise<void> {
    const started = this.now();
    try {
      const forwarded = this.forwardable(frame.color);
      if (forwarded) this.framesForwarded++;
      // A bilinear downscale: the preview is looked at, not measured, and it costs less than lanczos3
      // (`npm run bench -- console`, its last lines).
      const out = forwarded ?? (await this.opts.encode(frame.color, { maxSide: this.opts.maxSide, quality: this.opts.quality, resizeKernel: 'linear' }));
      this.encodeMs.push(this.now() - started);
      if (this.encodeMs.length > ENCODE_SAMPLES) this.encodeMs.shift();
      const message = encodeFrameMessage(
        {
          seq: frame.seq,
          stampNs: frame.stampNs,
          width: out.width,
          height: out.height,
          sentWidth: out.sentWidth,
          sentHeight: out.sentHeight,
          receivedAtMs: frame.receivedAtMs,
        },
        out.jpeg,
      );
      this.framesEncoded++;
      this.lastMessage = message;
      this.lastSeq = frame.seq;
      if (!this.stopped) this.opts.deliver(message, frame.seq);
    } catch (error) {
      this.encodeErrors++;
      // One log line per distinct problem, not one per frame.
      const text = (error as Error).message;
      if (text !== this.lastErrorText) this.opts.log(`preview: frame ${frame.seq} not encoded: ${text}`);
      this.lastErrorText = text;
    }
  }
}
