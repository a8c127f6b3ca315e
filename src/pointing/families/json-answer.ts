// JSON answers as VLMs write them: inside ```json fences, after prose, several values in a row, or cut off by
// max_tokens. One pass over the text finds each top-level [ … ] or { … }; of an array, every complete element is
// taken (JSON.parse on its slice), so a truncated list keeps the entries before the cut. Never throws.

export interface JsonItems {
  /** The complete objects found, in order (elements of top-level arrays, and top-level objects). */
  items: Record<string, unknown>[];
  /** The text ended inside a JSON value. */
  truncated: boolean;
  /** An empty top-level array `[]` was seen (the model's "nothing found"). */
  emptyList: boolean;
}

const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d; // ]
const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function jsonItems(text: string, from = 0): JsonItems {
  const out: JsonItems = { items: [], truncated: false, emptyList: false };
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== OPEN_ARRAY && c !== OPEN_OBJECT) {
      i++;
      continue;
    }
    const end = scanTopLevel(text, i, out);
    if (end < 0) {
      out.truncated = true;
      break;
    }
    i = end;
  }
  return out;
}

/** Scans the value opening at `start`; collects complete objects; returns the index after it, or −1 at the end of
 * the text inside it. Brackets are matched by depth only: malformed slices simply fail JSON.parse. */
function scanTopLevel(text: string, start: number, out: JsonItems): number {
  const isArray = text.charCodeAt(start) === OPEN_ARRAY;
  let depth = 0;
  let inString = false;
  let elementStart = -1;
  let sawElement = false;
  for (let j = start; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (inString) {
      if (c === BACKSLASH) j++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) {
      inString = true;
      if (depth === 1) sawElement = true;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (isArray && depth === 1) {
        elementStart = j;
        sawElement = true;
      }
      depth++;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
      if (depth === 0) {
        if (!isArray) take(text.slice(start, j + 1), out);
        else if (!sawElement) out.emptyList = true;
        return j + 1;
      }
      if (isArray && depth === 1 && elementStart >= 0) {
        take(text.slice(elementStart, j + 1), out);
        elementStart = -1;
      }
    } else if (depth === 1 && c > 0x20 && c !== 0x2c) {
      sawElement = true;
    }
  }
  return -1;
}

function take(slice: string, out: JsonItems): void {
  let value: unknown;
  try {
    value = JSON.parse(slice);
  } catch {
    return;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) out.items.push(value as Record<string, unknown>);
}
