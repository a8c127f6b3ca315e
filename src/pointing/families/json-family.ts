// The parser shared by the families that answer in JSON lists (Qwen2.5-VL, Qwen3-VL, Gemini Robotics-ER): each entry
// names a point (two numbers) or a box (four numbers) under the family's keys, and a label.
import { cleanLabel } from '../label-text.js';
import type { PixelPoint } from '../types.js';
import { boxFromQuad, pointFromPair, resolveGrid } from './coordinates.js';
import { jsonItems } from './json-answer.js';
import { saysNone } from './prose.js';
import type { AnswerGrid, Convention, FamilyEntry, ParsedAnswer } from './types.js';

export interface JsonKeys {
  point: string;
  box: string;
}

export function parseJsonAnswer(text: string, grid: AnswerGrid, keys: JsonKeys, conv: Convention, sendSize?: FamilyEntry['sendSize']): ParsedAnswer {
  const answer = typeof text === 'string' ? text : '';
  const found = jsonItems(answer);
  const g = resolveGrid(grid, sendSize);
  const points: PixelPoint[] = [];
  if (g !== null) {
    for (const item of found.items) {
      const label = typeof item.label === 'string' ? cleanLabel(item.label) : '';
      const fields = { label, alt: null, image: 1, id: points.length + 1 };
      const box = item[keys.box];
      const point = item[keys.point];
      if (Array.isArray(box) && box.length === 4) {
        const at = boxFromQuad(box, conv, g);
        if (at) points.push({ u: at.u, v: at.v, ...fields, box: at.box });
      } else if (Array.isArray(point) && point.length === 2) {
        const at = pointFromPair(point[0], point[1], conv, g);
        if (at) points.push({ u: at.u, v: at.v, ...fields });
      }
    }
  }
  const none = points.length === 0 && !found.truncated && (found.emptyList || saysNone(answer));
  return { points, count: null, none, truncated: found.truncated };
}
