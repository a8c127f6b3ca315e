// RoboPoint (a LLaVA-based VLM for spatial affordances): a list of tuples in prose, [(0.56, 0.69), (0.55, 0.71)],
// x then y, normalised 0–1 of the image (the prompt suffix below is the one its authors trained and evaluate with).
//   https://github.com/wentaoyuan/RoboPoint  https://arxiv.org/abs/2406.10721
import type { PixelPoint } from '../types.js';
import { pointFromPair, resolveGrid } from './coordinates.js';
import { saysNone } from './prose.js';
import type { Convention, FamilyEntry } from './types.js';

const convention: Convention = { order: 'xy', divisor: 1, max: 1, offset: 0 };
const NUMBER = '(\\d+(?:\\.\\d*)?|\\.\\d+)';
const TUPLE = new RegExp(`\\(\\s*${NUMBER}\\s*,\\s*${NUMBER}\\s*\\)`, 'g');

export const robopoint: FamilyEntry = {
  name: 'robopoint',
  sources: ['https://github.com/wentaoyuan/RoboPoint', 'https://arxiv.org/abs/2406.10721'],
  transport: 'chat',
  prompts: {
    point:
      'Point to {object}. Your answer should be formatted as a list of tuples, i.e. [(x1, y1), (x2, y2), ...], where each ' +
      'tuple contains the x and y coordinates of a point satisfying the conditions above. The coordinates should be ' +
      'between 0 and 1, indicating the normalized pixel locations of the points in the image.',
  },
  convention,
  parse(text, grid) {
    const answer = typeof text === 'string' ? text : '';
    const g = resolveGrid(grid, undefined);
    const points: PixelPoint[] = [];
    let lastEnd = 0;
    for (const m of answer.matchAll(TUPLE)) {
      lastEnd = m.index + m[0].length;
      const at = g && pointFromPair(Number(m[1]), Number(m[2]), convention, g);
      if (at) points.push({ u: at.u, v: at.v, label: '', alt: null, image: 1, id: points.length + 1 });
    }
    // A '(' open after the last complete tuple, or a '[' never closed: the list was cut off.
    const unclosed = (s: string, open: string, close: string) => s.lastIndexOf(open) > s.lastIndexOf(close);
    const truncated = unclosed(answer.slice(lastEnd), '(', ')') || unclosed(answer, '[', ']');
    const none = points.length === 0 && !truncated && (/\[\s*\]/.test(answer) || saysNone(answer));
    return { points, count: null, none, truncated };
  },
};
