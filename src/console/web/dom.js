// Tiny DOM helpers: build elements without innerHTML (every text from the server goes in as text, never markup).

/** el('td', {class: 'num', dataset: {x: 1}}, 'text', child) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`page: #${id} missing`);
  return node;
}

// Controls, and invisible characters that change how nearby text reads (bidi embeddings, overrides and
// isolates, LRM/RLM/ALM, zero-width space, word joiner, BOM): the same set the pointing layer strips
// (src/pointing/label-text.ts), applied again here to anything a model or another client wrote.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/gu;

/** A label as one short line of visible text: whitespace runs become a space, controls and bidi/format
 * characters go, and more than `max` characters end in an ellipsis. */
export function cleanText(value, max = 64) {
  if (typeof value !== 'string') return '';
  const flat = value.replace(/\s+/gu, ' ').replace(INVISIBLE, '').replace(/ {2,}/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** Fixed decimals, or an en dash for missing values. */
export function num(value, digits = 3) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '–';
}

export function ms(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

export function clock(msSinceEpoch) {
  return new Date(msSinceEpoch).toLocaleTimeString([], { hour12: false });
}

/** A stamp in ns (decimal string, as it travels) as seconds with 3 decimals, exactly (no float rounding). */
export function stampSeconds(stampNs) {
  if (typeof stampNs !== 'string' || !/^-?\d+$/.test(stampNs)) return '–';
  const ns = BigInt(stampNs);
  const sign = ns < 0n ? '-' : '';
  const abs = ns < 0n ? -ns : ns;
  return `${sign}${abs / 1_000_000_000n}.${String((abs % 1_000_000_000n) / 1_000_000n).padStart(3, '0')}`;
}
