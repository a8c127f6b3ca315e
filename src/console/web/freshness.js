// How fresh what the page shows is: the server's clock from ping/pong (offset and round trip, the sample with
// the shortest round trip of the last few wins), and the newest frame's age on that clock, counted on while no
// new frame comes. The bridge stamps each preview frame with its clock when the snapshot was completed
// (`receivedAtMs`), so the age includes the server's queue, the link and this page's decoding: a page that
// falls behind shows it. Pure (tested in Node).

const SAMPLES = 5;
/** Older than this, the view is not called "live". */
export const LIVE_MAX_AGE_MS = 1500;

export class Freshness {
  constructor() {
    this.samples = [];
    this.frame = null;
  }

  /** A pong: `sentAtMs` (page clock, echoed back as t), the server's clock when it answered, now. */
  onPong(sentAtMs, serverMs, nowMs) {
    if (typeof sentAtMs !== 'number' || typeof serverMs !== 'number') return;
    const rttMs = nowMs - sentAtMs;
    if (!(rttMs >= 0)) return;
    this.samples.push({ rttMs, offsetMs: serverMs - (sentAtMs + rttMs / 2) });
    if (this.samples.length > SAMPLES) this.samples.shift();
  }

  /** The best estimate: { rttMs, offsetMs } or null before the first pong. */
  get link() {
    if (this.samples.length === 0) return null;
    return this.samples.reduce((best, s) => (s.rttMs < best.rttMs ? s : best));
  }

  /** A frame arrived: its header's `receivedAtMs` is on the bridge's clock. */
  onFrame(seq, serverReceivedAtMs, nowMs) {
    this.frame = { seq, serverReceivedAtMs, arrivedAtMs: nowMs };
  }

  /** How old the newest frame is now, ms: on the server's clock when known, else since it arrived here. */
  frameAgeMs(nowMs) {
    if (!this.frame) return null;
    const link = this.link;
    if (!link || !Number.isFinite(this.frame.serverReceivedAtMs)) return nowMs - this.frame.arrivedAtMs;
    return Math.max(0, nowMs + link.offsetMs - this.frame.serverReceivedAtMs);
  }
}

/** The view chip: { text, kind } with kind 'live' | 'frozen' | 'behind' | 'offline'. */
export function viewState({ connected, frameAgeMs, frozenSeq }) {
  if (!connected) return { text: 'disconnected', kind: 'offline' };
  if (frozenSeq !== null) return { text: `frame #${frozenSeq} (frozen)`, kind: 'frozen' };
  if (frameAgeMs === null) return { text: 'no frame yet', kind: 'behind' };
  if (frameAgeMs > LIVE_MAX_AGE_MS) return { text: `behind ${seconds(frameAgeMs)}`, kind: 'behind' };
  return { text: 'live', kind: 'live' };
}

export function seconds(msValue) {
  const s = Math.max(0, msValue) / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : s < 120 ? `${Math.round(s)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
