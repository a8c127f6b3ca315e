// Text from outside — a model server's error body, a recording's topic or schema names, a file's frame ids, an
// environment variable — ends up on an operator's terminal and in logs. Raw, it can carry escape sequences that
// recolour or rewrite the screen, newlines that forge extra log lines, bidi overrides that reorder what follows, and
// megabytes of junk. Everything from outside is reduced to one bounded line of visible text before it is shown.

/** Longest text shown from outside in one message, in characters (code points), the ellipsis included. */
export const MAX_SHOWN_CHARS = 300;

// C0 and C1 controls, DEL, and invisible format characters that change how the text around them reads:
// zero-width space, LRM/RLM and ALM, the bidi embeddings, overrides and isolates, word joiner and invisible
// operators, BOM, interlinear annotation marks.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/gu;

// Terminal escape sequences as a whole, so no "[31m" residue is left: CSI (ESC [ … final byte, or the 8-bit CSI),
// OSC / DCS / SOS / PM / APC strings up to their terminator (BEL or ST), and two-character ESC sequences.
const ESCAPE_SEQUENCE = /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[\u0020-\u002f]*[\u0030-\u007e]?/gu;

/** One line of visible text: whitespace runs become one space, controls and bidi/format characters go, and the
 * result is trimmed and cut to `max` characters with an ellipsis. What labels and console text use. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/gu, ' ').replace(INVISIBLE, '').replace(/ {2,}/g, ' ').trim();
  if (flat.length <= max) return flat; // code units >= code points: nothing to cut
  const chars = Array.from(flat);
  if (chars.length <= max) return flat;
  return `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** `oneLine` for a terminal: escape sequences are removed whole first. Use it on every string from a file, a server
 * or the environment before it is logged. Non-strings (an error's odd `message`) are shown as their String(). */
export function visibleText(text: unknown, max = MAX_SHOWN_CHARS): string {
  const s = typeof text === 'string' ? text : String(text);
  // Bound the work on a huge input before the regexes run: only the first part can be shown anyway.
  const head = s.length > max * 8 + 1024 ? s.slice(0, max * 8 + 1024) : s;
  return oneLine(head.replace(ESCAPE_SEQUENCE, ''), max);
}
