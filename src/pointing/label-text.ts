// Labels come from the model's answer (or an operator's query) and end up in front of the operator, in the
// dispatch confirmation among other places. A prompt-injected answer could otherwise make a label that reads
// like the confirmation itself: newlines, bidi overrides that reorder what follows, and hundreds of spaces
// that push the real coordinates out of sight. So a label is reduced to one short line of visible text.

/** Longest label in characters (code points), the ellipsis included. */
export const MAX_LABEL_CHARS = 64;

// C0 and C1 controls, DEL, and invisible format characters that change how the text around them reads:
// zero-width space, LRM/RLM and ALM, the bidi embeddings, overrides and isolates, word joiner and invisible
// operators, BOM, interlinear annotation marks.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/gu;

/** One line of visible text: whitespace runs become one space, controls and bidi/format characters go, and
 * the result is trimmed and cut to MAX_LABEL_CHARS with an ellipsis. */
export function cleanLabel(text: string, max = MAX_LABEL_CHARS): string {
  const flat = text.replace(/\s+/gu, ' ').replace(INVISIBLE, '').replace(/ {2,}/g, ' ').trim();
  const chars = Array.from(flat);
  if (chars.length <= max) return flat;
  return `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
