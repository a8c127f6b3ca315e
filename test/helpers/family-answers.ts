// Valid answers of every model family, written from each vendor's documented format (docs/pointing.md), generated from
// a seeded PRNG: the shared fuzz test mutates and cuts them, the pointing-families bench parses 100-point ones.
import type { FamilyName } from '../../src/pointing/families/names.js';
import { pick, randInt } from './prng.js';

const LABELS = ['mug', 'red mug', 'caf\u00E9 cup', '\u8D64\u3044\u30DE\u30B0', 'door handle'];

/** A valid answer of `family` with `n` entries (points or boxes) on a 1280×720 frame. */
export function validAnswer(family: FamilyName, rand: () => number, n: number): string {
  const label = pick(rand, LABELS);
  const int = (max: number) => randInt(rand, 0, max);
  const box = (max: number) => {
    const [a, b] = [int(max), int(max)].sort((p, q) => p - q);
    const [c, d] = [int(max), int(max)].sort((p, q) => p - q);
    return [a!, c!, b!, d!];
  };
  const list = <T>(f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
  switch (family) {
    case 'molmo': {
      const attrs = list((i) => `x${i + 1}="${(rand() * 100).toFixed(1)}" y${i + 1}="${(rand() * 100).toFixed(1)}"`);
      const tag = n === 1 && rand() < 0.5
        ? `<point ${attrs[0]!.replace(/1=/g, '=')} alt="${label}">${label}</point>`
        : `<points ${attrs.join(' ')} alt="${label}">${label}</points>`;
      return pick(rand, [tag, ` ${tag}`, `Counting the ${tag} shows a total of ${n}.`, `Here: ${tag} and more.`]);
    }
    case 'molmo2': {
      const pad = (v: number) => (rand() < 0.8 ? String(v).padStart(3, '0') : String(v));
      if (rand() < 0.2) return `<boxes coords="1 ${list((i) => `${i + 1} ${box(1000).map(pad).join(' ')}`).join(' ')}">${label}</boxes>`;
      const coords = `coords="1 ${list((i) => `${i + 1} ${pad(int(1000))} ${pad(int(1000))}`).join(' ')}"`;
      const tag = rand() < 0.5 ? `<points ${coords} alt="${label}">${label}</points>` : `<points alt="${label}" ${coords}>${label}</points>`;
      return pick(rand, [tag, ` ${tag}`, `There are ${n} ${tag}.`]);
    }
    case 'qwen2.5-vl':
    case 'qwen3-vl': {
      // qwen2.5-vl: pixels of the 1288×728 image sent for a 1280×720 frame; qwen3-vl: 0–1000.
      const [w, h] = family === 'qwen2.5-vl' ? [1288, 728] : [1000, 1000];
      const entries = list(() =>
        rand() < 0.7
          ? `{"point_2d": [${int(w)}, ${int(h)}], "label": "${label}"}`
          : `{"bbox_2d": [${(([x0, y0, x1, y1]) => [x0! * w / 1000, y0! * h / 1000, x1! * w / 1000, y1! * h / 1000].map(Math.round))(box(1000)).join(', ')}], "label": "${label}"}`,
      );
      const json = `[\n  ${entries.join(',\n  ')}\n]`;
      return pick(rand, [json, `\`\`\`json\n${json}\n\`\`\``, `Here are the ${label}s: ${json}`]);
    }
    case 'qwen2-vl':
      return list(() => { const [x0, y0, x1, y1] = box(1000); return `<|object_ref_start|>${label}<|object_ref_end|><|box_start|>(${x0},${y0}),(${x1},${y1})<|box_end|>`; }).join(' ');
    case 'gemini-er': {
      const entries = list(() => (rand() < 0.7 ? `{"point": [${int(1000)}, ${int(1000)}], "label": "${label}"}` : `{"box_2d": [${box(1000).join(', ')}], "label": "${label}"}`));
      return `\`\`\`json\n[\n  ${entries.join(',\n  ')}\n]\n\`\`\``;
    }
    case 'moondream':
      return JSON.stringify({ request_id: 'r', points: list(() => ({ x: int(1000) / 1000, y: int(1000) / 1000 })) });
    case 'robopoint':
      return `[${list(() => `(${(int(1000) / 1000).toFixed(3)}, ${(int(1000) / 1000).toFixed(3)})`).join(', ')}]`;
    case 'paligemma': {
      const loc = (v: number) => `<loc${String(v).padStart(4, '0')}>`;
      return list(() => (rand() < 0.7 ? `${box(1023).map(loc).join('')} ${label}` : `${loc(int(1023))}${loc(int(1023))} ${label}`)).join(' ; ');
    }
    case 'florence2':
      return `</s><s>${list(() => `${label}${box(999).map((v) => `<loc_${v}>`).join('')}`).join('')}</s>`;
  }
}
