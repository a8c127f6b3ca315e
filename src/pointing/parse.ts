// Molmo answers -> pixel points. Two grammars, chosen by configuration and never guessed from the text:
//   molmo  (v1): <point x="12.5" y="40.0" alt="mug">mug</point>, <points x1=".." y1=".." x2=..>, percent 0..100
//   molmo2 (v2): <points coords="1 1 125 400 2 701 333;2 1 500 500" alt="mug">mug</points>, per-mille 0..1000,
//                groups per image separated by ';' (older checkpoints: TAB), each "image id x y id x y …";
//                boxes (MolmoAct2): <boxes coords="1 1 100 200 300 400">mug</boxes>, "image id x1 y1 x2 y2 …".
// Pixel mapping: Molmo's fractions are of the image's extent, measured from its top-left *corner* (0 = the
// left edge, 100 % = the right edge); our pixels put integer values at pixel *centres* (OpenCV/ROS). So
// u = x/100·W − 0.5 (v1) or x/1000·W − 0.5 (v2), v likewise with H, in the original image's grid (the
// fractions are of the image sent, so a downscaled upload maps back exactly). Values beyond the scale (> 100,
// > 1000) are invalid and dropped; in-scale values that land beyond the outermost pixel centres (the image's
// edges themselves, 0 and 100 %) are clamped to them, so every point lies inside the image.
import { boxFromQuad, pointFromPair, resolveGrid } from './families/coordinates.js';
import { saysNone } from './families/prose.js';
import type { Convention, ParsedAnswer } from './families/types.js';
import { cleanLabel } from './label-text.js';
import { scanPointTags, type ScannedAttr, type ScannedTag } from './tag-scanner.js';
import type { PixelPoint } from './types.js';

export type { ParsedAnswer };

export type MolmoFamily = 'molmo' | 'molmo2';

export interface ParseOptions {
  family: MolmoFamily;
  /** Size of the original image the points are reported in. */
  width: number;
  height: number;
}

/** Percent (v1) or per-mille (v2) of the image sent, from its top-left corner. */
export const MOLMO_CONVENTIONS: Record<MolmoFamily, Convention> = {
  molmo: { order: 'xy', divisor: 100, max: 100, offset: 0 },
  molmo2: { order: 'xy', divisor: 1000, max: 1000, offset: 0 },
};

/** Parses a Molmo answer. Never throws; every returned coordinate is finite and inside the image. */
export function parseMolmo(text: string, opts: ParseOptions): ParsedAnswer {
  const answer = typeof text === 'string' ? text : '';
  const scan = scanPointTags(answer);
  const raw = opts.family === 'molmo2' ? v2Points(scan.tags) : v1Points(scan.tags);
  const points = toPixels(raw, MOLMO_CONVENTIONS[opts.family] ?? MOLMO_CONVENTIONS.molmo, opts.width, opts.height);
  const count = statedCount(scan.prose);
  const none = points.length === 0 && (count === 0 || saysNone(scan.prose));
  return { points, count, none, truncated: scan.truncated };
}

/** A point in the model's own scale, before mapping to pixels. */
interface ScaledPoint {
  x: number;
  y: number;
  label: string;
  alt: string | null;
  image: number;
  id: number;
  /** x0 y0 x1 y1 of a box answer (the point is then its centre). */
  box?: [number, number, number, number];
}

function v1Points(tags: ScannedTag[]): ScaledPoint[] {
  const out: ScaledPoint[] = [];
  let nextId = 1;
  for (const tag of tags) {
    if (tag.name === 'boxes') continue;
    // Pair xN with yN by index N ('' for the single-point form), in the order the x's appear.
    const xs = new Map<string, ScannedAttr>();
    const ys = new Map<string, ScannedAttr>();
    for (const attr of tag.attrs) {
      const m = /^([xy])(\d*)$/.exec(attr.name);
      if (!m) continue;
      const map = m[1] === 'x' ? xs : ys;
      const key = String(m[2] === '' ? '' : Number(m[2]));
      if (!map.has(key)) map.set(key, attr);
    }
    const { label, alt } = labelOf(tag);
    for (const [key, xa] of xs) {
      const ya = ys.get(key);
      if (!ya || !xa.complete || !ya.complete) continue;
      const x = parseNumber(xa.value);
      const y = parseNumber(ya.value);
      if (x === null || y === null) continue;
      out.push({ x, y, label, alt, image: 1, id: nextId++ });
    }
  }
  return out;
}

function v2Points(tags: ScannedTag[]): ScaledPoint[] {
  const out: ScaledPoint[] = [];
  for (const tag of tags) {
    const coords = tag.attrs.find((a) => a.name === 'coords');
    if (!coords) continue;
    const { label, alt } = labelOf(tag);
    const groups = coords.value.split(/[;\t]/).map((g) => g.trim().split(/\s+/).filter((t) => t !== ''));
    // A cut-off coords value may end in the middle of a number: drop the last token unless a delimiter followed it.
    if (!coords.complete && !/[\s;]$/.test(coords.value)) groups[groups.length - 1]?.pop();
    groups.forEach((tokens, groupIndex) => {
      const head = tokens[0];
      if (head === undefined) return;
      const lead = parseNumber(head);
      if (lead === null) return;
      // Image groups start with a 1-based image index; video groups with a timestamp (then: the group's ordinal).
      const image = Number.isInteger(lead) && lead >= 1 ? lead : groupIndex + 1;
      if (tag.name === 'boxes') {
        for (let t = 1; t + 4 < tokens.length; t += 5) {
          const nums = tokens.slice(t, t + 5).map(parseNumber);
          if (nums.some((n) => n === null) || !Number.isInteger(nums[0])) continue;
          const [id, x0, y0, x1, y1] = nums as [number, number, number, number, number];
          out.push({ x: (x0 + x1) / 2, y: (y0 + y1) / 2, label, alt, image, id, box: [x0, y0, x1, y1] });
        }
        return;
      }
      for (let t = 1; t + 2 < tokens.length; t += 3) {
        const id = parseNumber(tokens[t]!);
        const x = parseNumber(tokens[t + 1]!);
        const y = parseNumber(tokens[t + 2]!);
        if (id === null || !Number.isInteger(id) || x === null || y === null) continue;
        out.push({ x, y, label, alt, image, id });
      }
    });
  }
  return out;
}

/** The point's label: its inner text, else its alt; both cleaned to one short line (see label-text.ts). */
function labelOf(tag: ScannedTag): { label: string; alt: string | null } {
  const altAttr = tag.attrs.find((a) => a.name === 'alt');
  const alt = altAttr ? cleanLabel(altAttr.value) : null;
  const inner = cleanLabel(tag.inner);
  // A label cut off by max_tokens is a fragment: the alt attribute, when complete, says it better.
  if (inner !== '' && !(tag.cutOff && altAttr?.complete)) return { label: inner, alt };
  return { label: alt ?? inner, alt };
}

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A plain non-negative decimal ("12", "12.5", "012", ".5"), or null. No signs, exponents or junk. */
function parseNumber(s: string): number | null {
  const t = s.trim();
  if (t.length > 32 || !NUMBER.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function toPixels(raw: ScaledPoint[], conv: Convention, width: number, height: number): PixelPoint[] {
  const grid = resolveGrid({ width, height }, undefined);
  if (grid === null) return [];
  const out: PixelPoint[] = [];
  for (const p of raw) {
    const fields = { label: p.label, alt: p.alt, image: p.image, id: p.id };
    if (p.box) {
      const at = boxFromQuad(p.box, conv, grid);
      if (at) out.push({ u: at.u, v: at.v, ...fields, box: at.box });
    } else {
      const at = pointFromPair(p.x, p.y, conv, grid);
      if (at) out.push({ u: at.u, v: at.v, ...fields });
    }
  }
  return out;
}

const NUMBER_WORDS = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty',
];
const COUNT_WORD = `(\\d{1,9}|${NUMBER_WORDS.join('|')})`;
const COUNT_PATTERNS = [
  new RegExp(`\\btotal of\\s+${COUNT_WORD}\\b`, 'i'),
  new RegExp(`\\bthere (?:are|is)\\s+${COUNT_WORD}\\b`, 'i'),
  new RegExp(`\\bcount(?:ed)?\\s*(?:is|of|:)\\s*${COUNT_WORD}\\b`, 'i'),
];

function statedCount(prose: string): number | null {
  for (const pattern of COUNT_PATTERNS) {
    const m = pattern.exec(prose);
    if (!m) continue;
    const word = m[1]!.toLowerCase();
    const n = /^\d+$/.test(word) ? Number(word) : NUMBER_WORDS.indexOf(word);
    if (Number.isSafeInteger(n) && n >= 0) return n;
  }
  return null;
}
