// Location-token answers (PaliGemma's <loc0123>, Florence-2's <loc_123>): runs of adjacent tokens, each run one
// object's numbers, with the prose around it as its label. A run is "closed" once something other than another
// token follows it; a run at the very end of the answer may still be growing (max_tokens cut it), so callers
// treat its length with care.

export interface LocRun {
  values: number[];
  /** Text between the previous run and this one. */
  before: string;
  /** Text between this run and the next one (or the end). */
  after: string;
  /** Something other than whitespace or a token follows: the run is complete. */
  closed: boolean;
}

/**
 * The runs of `token` (a global regex with the number as its first group) in `text`. `partialToken` matches the
 * beginning of a token at the end of the text ("<loc01"): such an end leaves the last run open and sets `cutToken`.
 */
export function locRuns(text: string, token: RegExp, partialToken: RegExp): { runs: LocRun[]; cutToken: boolean } {
  const runs: LocRun[] = [];
  let current: { values: number[]; start: number; end: number; before: string } | null = null;
  let lastEnd = 0;
  const finish = (nextStart: number) => {
    if (!current) return;
    const after = text.slice(current.end, nextStart);
    runs.push({ values: current.values, before: current.before, after, closed: after.trim() !== '' });
    current = null;
  };
  for (const m of text.matchAll(token)) {
    const gap = text.slice(lastEnd, m.index);
    if (current && gap.trim() === '') {
      current.values.push(Number(m[1]));
      current.end = m.index + m[0].length;
    } else {
      finish(m.index);
      current = { values: [Number(m[1])], start: m.index, end: m.index + m[0].length, before: gap };
    }
    lastEnd = m.index + m[0].length;
  }
  finish(text.length);
  const tail = text.slice(lastEnd);
  const cut = partialToken.exec(tail);
  const cutToken = cut !== null && tail.slice(0, cut.index).trim() === '';
  const last = runs.at(-1);
  if (cutToken && last && last.after === tail) last.closed = false;
  return { runs, cutToken };
}
