// Moondream through its own HTTP API (Moondream Cloud, and the same routes on a local Moondream Station):
// POST {base}/v1/point {"image_url": "data:image/jpeg;base64,…", "object": "red mug"} with `X-Moondream-Auth: <key>`
// -> {"request_id": …, "points": [{"x": 0.65, "y": 0.42}, …]}; /v1/detect answers {"objects": [{"x_min", "y_min",
// "x_max", "y_max"}]}. Both normalised 0–1 of the image, (0, 0) the top-left corner, (1, 1) the bottom-right.
//   https://moondream.ai/c/docs/advanced/api/point  https://docs.moondream.ai/quickstart
import type { PixelPoint } from '../types.js';
import { boxFromQuad, pointFromPair, resolveGrid } from './coordinates.js';
import { jsonItems } from './json-answer.js';
import type { Convention, FamilyEntry, ParsedAnswer } from './types.js';

const convention: Convention = { order: 'xy', divisor: 1, max: 1, offset: 0 };

export const moondream: FamilyEntry = {
  name: 'moondream',
  sources: ['https://moondream.ai/c/docs/advanced/api/point', 'https://docs.moondream.ai/quickstart'],
  transport: 'moondream',
  // The API takes an object name, not a sentence.
  prompts: { point: '{query}' },
  convention,
  parse: parseMoondream,
};

/** The JSON body of /point (or /detect); a body cut off keeps the complete entries of its list. */
function parseMoondream(text: string, grid: Parameters<FamilyEntry['parse']>[1]): ParsedAnswer {
  const answer = typeof text === 'string' ? text : '';
  const whole = jsonItems(answer).items[0];
  let entries: unknown[];
  let truncated = false;
  let emptyList = false;
  if (whole !== undefined) {
    const list = Array.isArray(whole.points) ? whole.points : Array.isArray(whole.objects) ? whole.objects : [];
    entries = list;
    emptyList = list.length === 0;
  } else {
    const at = answer.search(/"(?:points|objects)"\s*:\s*\[/);
    const partial = at < 0 ? null : jsonItems(answer, answer.indexOf('[', at));
    entries = partial?.items ?? [];
    truncated = at >= 0 || /^\s*\{/.test(answer);
  }
  const g = resolveGrid(grid, undefined);
  const points: PixelPoint[] = [];
  for (const e of entries) {
    if (g === null || typeof e !== 'object' || e === null) continue;
    const r = e as Record<string, unknown>;
    const fields = { label: '', alt: null, image: 1, id: points.length + 1 };
    if ('x_min' in r) {
      const at = boxFromQuad([r.x_min, r.y_min, r.x_max, r.y_max], convention, g);
      if (at) points.push({ u: at.u, v: at.v, ...fields, box: at.box });
    } else {
      const at = pointFromPair(r.x, r.y, convention, g);
      if (at) points.push({ u: at.u, v: at.v, ...fields });
    }
  }
  return { points, count: null, none: points.length === 0 && emptyList, truncated };
}
