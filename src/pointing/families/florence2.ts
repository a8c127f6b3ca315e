// Florence-2: location tokens <loc_0>…<loc_999> after the phrase they ground, four per box (x1, y1, x2, y2):
// "red mug<loc_52><loc_333><loc_932><loc_774>". The tokens are 1000 bins of the image; Microsoft's post-processor
// decodes a bin to its centre, (bin + 0.5) · size / 1000 (BoxQuantizer, mode 'floor'), from the top-left corner.
//   https://huggingface.co/microsoft/Florence-2-large (model card, task prompts)
//   https://huggingface.co/microsoft/Florence-2-large/blob/main/processing_florence2.py (BoxQuantizer.dequantize)
import { cleanLabel } from '../label-text.js';
import type { PixelPoint } from '../types.js';
import { boxFromQuad, resolveGrid } from './coordinates.js';
import { locRuns } from './loc-tokens.js';
import { saysNone } from './prose.js';
import type { Convention, FamilyEntry } from './types.js';

const convention: Convention = { order: 'xy', divisor: 1000, max: 999, offset: 0.5 };
const TOKEN = /<loc_(\d{1,4})>/g;
const PARTIAL = /<(?:l(?:o(?:c(?:_\d{0,4})?)?)?)?$/;

export const florence2: FamilyEntry = {
  name: 'florence2',
  sources: [
    'https://huggingface.co/microsoft/Florence-2-large',
    'https://huggingface.co/microsoft/Florence-2-large/blob/main/processing_florence2.py',
  ],
  transport: 'chat',
  prompts: { point: '<CAPTION_TO_PHRASE_GROUNDING>{query}', box: '<CAPTION_TO_PHRASE_GROUNDING>{query}' },
  convention,
  requestFields: { skip_special_tokens: false },
  parse(text, grid) {
    const answer = typeof text === 'string' ? text : '';
    const g = resolveGrid(grid, undefined);
    const { runs, cutToken } = locRuns(answer, TOKEN, PARTIAL);
    const points: PixelPoint[] = [];
    let truncated = cutToken;
    for (const run of runs) {
      // The phrase before the tokens, without the special tokens around it (</s>, <s>, <pad>, task tokens).
      const label = cleanLabel(run.before.replace(/<[^<>]*>/g, ''));
      const whole = run.values.length - (run.values.length % 4);
      if (whole < run.values.length && !run.closed) truncated = true;
      if (g === null) continue;
      for (let k = 0; k < whole; k += 4) {
        const at = boxFromQuad(run.values.slice(k, k + 4), convention, g);
        if (at) points.push({ u: at.u, v: at.v, label, alt: null, image: 1, id: points.length + 1, box: at.box });
      }
    }
    const none = points.length === 0 && !truncated && saysNone(answer);
    return { points, count: null, none, truncated };
  },
};
