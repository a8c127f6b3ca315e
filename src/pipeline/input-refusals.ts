import type { SourceEvent } from './types.js';

// Why an input's messages were refused before they reached the bridge (an adapter could not convert them: a depth
// image whose step does not fit its encoding, a colour image with an empty encoding). A request that then finds no
// frame, or only an old one, names that cause instead of asking whether the camera still publishes.

export type RefusedInput = Extract<SourceEvent['kind'], 'color' | 'depth' | 'camera_info'>;

const NAMES: Record<RefusedInput, string> = { color: 'colour', depth: 'depth', camera_info: 'camera info' };

export class InputRefusals {
  private readonly byInput = new Map<RefusedInput, { count: number; lastMs: number; reason: string }>();

  note(input: RefusedInput, reason: string, atMs: number): void {
    const seen = this.byInput.get(input);
    this.byInput.set(input, { count: (seen?.count ?? 0) + 1, lastMs: atMs, reason });
  }

  /** e.g. "depth input refused (12 messages, the last: <reason>)" for inputs refused after `sinceMs`; null if none. */
  describeSince(sinceMs: number): string | null {
    const parts: string[] = [];
    for (const [input, r] of this.byInput) {
      if (r.lastMs < sinceMs) continue;
      parts.push(`${NAMES[input]} input refused (${r.count} message${r.count === 1 ? '' : 's'}, the last: ${r.reason})`);
    }
    return parts.length > 0 ? parts.join('; ') : null;
  }
}
