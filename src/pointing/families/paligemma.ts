// PaliGemma: location tokens <loc0000>…<loc1023>, 1024 bins of the image, Y FIRST. "detect mug" answers
// "<loc0215><loc0322><loc0790><loc0512> mug" (ymin, xmin, ymax, xmax, then the label; several objects separated by
// " ; "); two tokens <locY><locX> are a point. Decoded as value / 1024 of the image from its top-left corner, as
// Google's own PaliGemma demo does (int(loc) / 1024 · size).
//   https://ai.google.dev/gemma/docs/paligemma/prompt-system-instructions (detect task, loc tokens)
//   https://github.com/google-research/big_vision/blob/main/big_vision/configs/proj/paligemma/README.md
//   https://huggingface.co/spaces/big-vision/paligemma-hf (paligemma_parse.py: the decoding)
// The two-token point form is not in Google's task list; it is read because PaliGemma-based pointing fine-tunes
// write it (no vendor source found).
import { cleanLabel } from '../label-text.js';
import type { PixelPoint } from '../types.js';
import { boxFromQuad, pointFromPair, resolveGrid } from './coordinates.js';
import { locRuns } from './loc-tokens.js';
import { saysNone } from './prose.js';
import type { Convention, FamilyEntry } from './types.js';

const convention: Convention = { order: 'yx', divisor: 1024, max: 1023, offset: 0 };
const TOKEN = /<loc(\d{4})>/g;
const PARTIAL = /<(?:l(?:o(?:c\d{0,4})?)?)?$/;

export const paligemma: FamilyEntry = {
  name: 'paligemma',
  sources: [
    'https://ai.google.dev/gemma/docs/paligemma/prompt-system-instructions',
    'https://github.com/google-research/big_vision/blob/main/big_vision/configs/proj/paligemma/README.md',
  ],
  transport: 'chat',
  prompts: { point: 'detect {query}', box: 'detect {query}' },
  convention,
  requestFields: { skip_special_tokens: false },
  parse(text, grid) {
    const answer = typeof text === 'string' ? text : '';
    const g = resolveGrid(grid, undefined);
    const { runs, cutToken } = locRuns(answer, TOKEN, PARTIAL);
    const points: PixelPoint[] = [];
    let truncated = cutToken;
    for (const run of runs) {
      const label = cleanLabel(run.after.replace(/<seg\d{3}>/g, '').split(';')[0] ?? '');
      const n = run.values.length;
      // An open run of two could be the first half of a box: never guess.
      if (!run.closed && n % 4 !== 0) {
        truncated = true;
        continue;
      }
      if (g === null) continue;
      if (n === 2) {
        const at = pointFromPair(run.values[0], run.values[1], convention, g);
        if (at) points.push({ u: at.u, v: at.v, label, alt: null, image: 1, id: points.length + 1 });
        continue;
      }
      for (let k = 0; k + 4 <= n && n % 4 === 0; k += 4) {
        const at = boxFromQuad(run.values.slice(k, k + 4), convention, g);
        if (at) points.push({ u: at.u, v: at.v, label, alt: null, image: 1, id: points.length + 1, box: at.box });
      }
    }
    const none = points.length === 0 && !truncated && saysNone(answer);
    return { points, count: null, none, truncated };
  },
};
