// A forgiving scanner for the `<point …>` / `<points …>` tags (and Molmo 2's `<boxes …>`) in a model's answer. It
// never throws and never backtracks: it walks the text once, keeps the prose between tags, and records for every
// attribute value whether it was complete, so a caller can drop the half of a point that `max_tokens` cut off.

export interface ScannedAttr {
  /** Lower-cased attribute name. */
  name: string;
  /** The value with entities decoded (may be cut off when `complete` is false). */
  value: string;
  /** The value ended properly (closing quote, or a delimiter after an unquoted value). */
  complete: boolean;
}

export interface ScannedTag {
  /** Lower-cased tag name: 'point', 'points' or 'boxes'. */
  name: string;
  attrs: ScannedAttr[];
  /** Inner text with entities decoded, trimmed ('' for self-closing tags). */
  inner: string;
  /** The answer ended inside this tag (its opening, its content or its closing tag). */
  cutOff: boolean;
}

export interface ScanResult {
  tags: ScannedTag[];
  /** The text outside the tags' openings, inner texts included ("There are 3 mugs."). */
  prose: string;
  /** The answer ended inside a tag, or on the start of one ("… <poi"). */
  truncated: boolean;
}

const DOUBLE_QUOTES = '"\u201C\u201D\u201E\u201F\u2033\uFF02';
const SINGLE_QUOTES = "'\u2018\u2019\u201A\u201B\u2032";
const TAG_NAMES = ['points', 'point', 'boxes'];
const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[\w:.-]/;
const SPACE = /\s/;

export function scanPointTags(text: string): ScanResult {
  const tags: ScannedTag[] = [];
  let prose = '';
  let truncated = false;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      prose += text.slice(i);
      break;
    }
    prose += text.slice(i, lt);
    const opener = matchOpener(text, lt);
    if (opener === 'partial') {
      truncated = true;
      break;
    }
    if (opener === null) {
      prose += '<';
      i = lt + 1;
      continue;
    }
    const tag = scanTag(text, lt + 1 + opener.length, opener);
    tags.push(tag.tag);
    prose += tag.tag.inner;
    if (tag.tag.cutOff) truncated = true;
    i = tag.end;
  }
  return { tags, prose, truncated };
}

/** The tag's name when one opens at `lt`, 'partial' when the text ends on a prefix of one, else null. */
function matchOpener(text: string, lt: number): string | 'partial' | null {
  const rest = text.slice(lt + 1, lt + 1 + 'points'.length + 1).toLowerCase();
  for (const name of TAG_NAMES) {
    if (rest.startsWith(name)) {
      const after = rest.charAt(name.length);
      if (after === '' || SPACE.test(after) || after === '>' || after === '/') return name;
    }
  }
  // "<", "<p", … "<point", "<box" at the very end: the answer stopped while opening a tag.
  if (lt + 1 + rest.length >= text.length && TAG_NAMES.some((n) => rest.length < n.length && n.startsWith(rest))) return 'partial';
  return null;
}

function scanTag(text: string, start: number, name: string): { tag: ScannedTag; end: number } {
  const attrs: ScannedAttr[] = [];
  let j = start;
  let selfClosing = false;
  let openEnded = false;
  while (j < text.length) {
    const c = text.charAt(j);
    if (SPACE.test(c) || c === ',') {
      j++;
    } else if (c === '>') {
      openEnded = true;
      j++;
      break;
    } else if (c === '/' && text.charAt(j + 1) === '>') {
      openEnded = true;
      selfClosing = true;
      j += 2;
      break;
    } else if (c === '<') {
      // A new tag starts before this one's '>': treat the opening as ended here (malformed, not cut).
      openEnded = true;
      break;
    } else if (NAME_START.test(c)) {
      const attr = scanAttr(text, j);
      attrs.push(attr.attr);
      j = attr.end;
    } else {
      j++;
    }
  }
  if (!openEnded) {
    return { tag: { name, attrs, inner: '', cutOff: true }, end: text.length };
  }
  if (selfClosing || text.charAt(j) === '<') {
    return { tag: { name, attrs, inner: '', cutOff: false }, end: j };
  }
  return scanInner(text, j, name, attrs);
}

function scanAttr(text: string, start: number): { attr: ScannedAttr; end: number } {
  let j = start + 1;
  while (j < text.length && NAME_CHAR.test(text.charAt(j))) j++;
  const name = text.slice(start, j).toLowerCase();
  let k = j;
  while (k < text.length && SPACE.test(text.charAt(k))) k++;
  if (text.charAt(k) !== '=') return { attr: { name, value: '', complete: k < text.length }, end: j };
  k++;
  while (k < text.length && SPACE.test(text.charAt(k))) k++;
  if (k >= text.length) return { attr: { name, value: '', complete: false }, end: k };
  const q = text.charAt(k);
  const closers = DOUBLE_QUOTES.includes(q) ? DOUBLE_QUOTES : SINGLE_QUOTES.includes(q) ? SINGLE_QUOTES : null;
  if (closers !== null) {
    let e = k + 1;
    while (e < text.length && !closers.includes(text.charAt(e))) e++;
    if (e >= text.length) return { attr: { name, value: decodeEntities(text.slice(k + 1)), complete: false }, end: e };
    return { attr: { name, value: decodeEntities(text.slice(k + 1, e)), complete: true }, end: e + 1 };
  }
  // Unquoted value: runs to whitespace, '>' or '<'; complete only when one of them follows.
  let e = k;
  while (e < text.length && !SPACE.test(text.charAt(e)) && !'<>'.includes(text.charAt(e))) e++;
  const raw = text.slice(k, e);
  const selfClose = raw.endsWith('/') && text.charAt(e) === '>';
  const value = selfClose ? raw.slice(0, -1) : raw;
  return { attr: { name, value: decodeEntities(value), complete: e < text.length }, end: selfClose ? e - 1 : e };
}

const CLOSE_OR_OPEN = /<(\/?)(?:points?|boxes)(?=[\s>/]|$)/gi;

function scanInner(text: string, start: number, name: string, attrs: ScannedAttr[]): { tag: ScannedTag; end: number } {
  CLOSE_OR_OPEN.lastIndex = start;
  const m = CLOSE_OR_OPEN.exec(text);
  if (m === null) {
    // Ran to the end without a closing tag; drop a half-written "</poi" from the label.
    let inner = text.slice(start);
    const lt = inner.lastIndexOf('<');
    const tail = lt >= 0 ? inner.slice(lt).toLowerCase() : null;
    if (tail !== null && ['</points>', '</boxes>'].some((close) => close.startsWith(tail))) inner = inner.slice(0, lt);
    return { tag: { name, attrs, inner: decodeEntities(inner).trim(), cutOff: true }, end: text.length };
  }
  const inner = decodeEntities(text.slice(start, m.index)).trim();
  if (m[1] !== '/') return { tag: { name, attrs, inner, cutOff: false }, end: m.index };
  const gt = text.indexOf('>', m.index);
  if (gt < 0) return { tag: { name, attrs, inner, cutOff: true }, end: text.length };
  return { tag: { name, attrs, inner, cutOff: false }, end: gt + 1 };
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0' };

/** Decodes the XML/HTML entities a model might emit; anything unknown stays as written. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      const valid = Number.isInteger(code) && code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
      return valid ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}
