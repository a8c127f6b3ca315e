// Labels come from the model's answer (or an operator's query) and end up in front of the operator, in the
// dispatch confirmation among other places. A prompt-injected answer could otherwise make a label that reads
// like the confirmation itself: newlines, bidi overrides that reorder what follows, and hundreds of spaces
// that push the real coordinates out of sight. So a label is reduced to one short line of visible text
// (the same rule as every outside text: src/text/visible-text.ts).
import { oneLine } from '../text/visible-text.js';

/** Longest label in characters (code points), the ellipsis included. */
export const MAX_LABEL_CHARS = 64;

/** One line of visible text: whitespace runs become one space, controls and bidi/format characters go, and
 * the result is trimmed and cut to MAX_LABEL_CHARS with an ellipsis. */
export function cleanLabel(text: string, max = MAX_LABEL_CHARS): string {
  return oneLine(text, max);
}
