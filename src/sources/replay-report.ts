// The "no frame" report of a replay: when a configured frame topic (colour, depth, camera info) has yielded
// nothing a second after the replay started (or when the first pass ends first), one warning per topic says why
// as far as the replay knows — not in the file, of another type, every message skipped (and the last reason),
// waiting for a message logged far ahead — and what the file holds, so a recording that replays nothing is
// never silent.
import { visibleText } from '../text/visible-text.js';

/** A name or message from a recording (topic, schema, compression, a decoder's error) as one short visible line. */
export function shown(text: unknown, max = 160): string {
  return visibleText(text, max);
}

/** The roles whose silence is reported: a request needs all three. */
export const FRAME_ROLES = ['color', 'depth', 'cameraInfo'] as const;

/** A channel of the recording, as far as it is known when the report is made. */
export interface HeldChannel {
  topic: string;
  type: string;
  /** Messages on it: from the file's statistics or metadata.yaml, else as many as were read so far. */
  messages: bigint | number | null;
}

/** What happened to one role's topic so far. */
export interface RoleProgress {
  /** Why its channel is not replayed (wrong type or encoding), when one was refused. */
  refused: string | null;
  planned: boolean;
  read: number;
  emitted: number;
  skipped: number;
  lastSkip: string | null;
}

export function emptyProgress(): RoleProgress {
  return { refused: null, planned: false, read: 0, emitted: 0, skipped: 0, lastSkip: null };
}

/** What the replay is doing when the report is made. */
export type ReplayState = { kind: 'ended' } | { kind: 'reading' } | { kind: 'waiting'; ms: number; logTime: bigint };

const MAX_LISTED = 20;

/** "/a (type, 5 messages), /b (type)…", at most 20 channels. */
export function describeHoldings(channels: readonly HeldChannel[]): string {
  if (channels.length === 0) return 'no channels';
  const listed = channels.slice(0, MAX_LISTED).map((c) => {
    const count = c.messages === null ? '' : `, ${c.messages} message${BigInt(c.messages) === 1n ? '' : 's'}`;
    return `${shown(c.topic)} (${c.type ? shown(c.type) : 'no schema'}${count})`;
  });
  const more = channels.length > MAX_LISTED ? `, and ${channels.length - MAX_LISTED} more` : '';
  return listed.join(', ') + more;
}

/** Why a role with no frame has none, in words. */
export function noFrameReason(topic: string, p: RoleProgress, state: ReplayState, inFile: boolean): string {
  if (p.refused) return p.refused;
  if (!inFile && !p.planned) return `${shown(topic)} is not in the recording`;
  if (p.read > 0 && p.skipped === p.read) return `all ${p.read} message(s) read on it were skipped (last: ${shown(p.lastSkip, 300)})`;
  if (state.kind === 'waiting') {
    return `the replay is waiting ${formatWait(state.ms)} for the next message (log time ${state.logTime} ns), far past the previous one`;
  }
  if (state.kind === 'ended') return 'the recording ended without a message on it';
  return 'none of its messages has been reached yet';
}

function formatWait(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 3 * 86400) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400 / 365.25).toFixed(1)} years`;
}
