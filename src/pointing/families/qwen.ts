// Qwen-VL families. Three generations, three conventions (each family checked against its vendor's text):
//   qwen2.5-vl: JSON {"point_2d": [x, y]} / {"bbox_2d": [x1, y1, x2, y2]} in ABSOLUTE pixels of the model's resized
//     input (sides rounded to multiples of 28 within min/max pixels, "smart_resize"). We send an image already on that
//     grid, so the server leaves it as it is and the answer's pixels are the sent image's pixels.
//     https://github.com/QwenLM/Qwen2.5-VL/blob/main/cookbooks/spatial_understanding.ipynb
//     https://github.com/QwenLM/Qwen2.5-VL/blob/main/qwen-vl-utils/src/qwen_vl_utils/vision_process.py (smart_resize)
//     https://huggingface.co/Qwen/Qwen2.5-VL-7B-Instruct/blob/main/preprocessor_config.json (min/max pixels)
//   qwen3-vl: the same JSON, relative 0–1000 of the image. Qwen's README says 0–1000; Alibaba Cloud's Model Studio
//     page says 0–999 (https://github.com/QwenLM/Qwen3-VL/issues/1741). We divide by 1000 (the model vendor's own
//     text); the difference is 0.1 % of a side (1.3 px on 1280).
//     https://github.com/QwenLM/Qwen3-VL  https://www.alibabacloud.com/help/en/model-studio/vision
//   qwen2-vl: <|object_ref_start|>mug<|object_ref_end|><|box_start|>(x1,y1),(x2,y2)<|box_end|>, 0–1000 ("normalised
//     within [0, 1000)", Qwen2-VL technical report https://arxiv.org/abs/2409.12191 §2.2). Boxes only.
import { cleanLabel } from '../label-text.js';
import type { PixelPoint } from '../types.js';
import { boxFromQuad, resolveGrid } from './coordinates.js';
import { parseJsonAnswer } from './json-family.js';
import { saysNone } from './prose.js';
import type { Convention, FamilyEntry } from './types.js';

/** Qwen2.5-VL's image processor (preprocessor_config.json of the Qwen2.5-VL checkpoints): 14 px patches merged 2×2. */
export const QWEN25_GRID = { factor: 28, minPixels: 3136, maxPixels: 12845056 };

/** Python's round(): halves go to the even neighbour (smart_resize is Python; 70/28 = 2.5 rounds to 2). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Qwen's smart_resize: each side to a multiple of `factor`, the area within [minPixels, maxPixels], aspect kept. */
export function qwenSmartResize(width: number, height: number, grid = QWEN25_GRID): { width: number; height: number } {
  const { factor, minPixels, maxPixels } = grid;
  let h = Math.max(factor, roundHalfEven(height / factor) * factor);
  let w = Math.max(factor, roundHalfEven(width / factor) * factor);
  if (h * w > maxPixels) {
    const beta = Math.sqrt((height * width) / maxPixels);
    h = Math.max(factor, Math.floor(height / beta / factor) * factor);
    w = Math.max(factor, Math.floor(width / beta / factor) * factor);
  } else if (h * w < minPixels) {
    const beta = Math.sqrt(minPixels / (height * width));
    h = Math.ceil((height * beta) / factor) * factor;
    w = Math.ceil((width * beta) / factor) * factor;
  }
  return { width: w, height: h };
}

const QWEN_JSON = { point: 'point_2d', box: 'bbox_2d' };
const QWEN_PROMPTS = {
  point: 'Point to {object} in the image. Output the points in JSON format: [{"point_2d": [x, y], "label": "<name>"}]. If there is none, output [].',
  box: 'Locate {object} in the image, output its bbox coordinates using JSON format: [{"bbox_2d": [x1, y1, x2, y2], "label": "<name>"}].',
};

const qwen25Convention: Convention = { order: 'xy', divisor: 'sent', max: 'sent', offset: 0 };
export const qwen25vl: FamilyEntry = {
  name: 'qwen2.5-vl',
  sources: [
    'https://github.com/QwenLM/Qwen2.5-VL/blob/main/cookbooks/spatial_understanding.ipynb',
    'https://github.com/QwenLM/Qwen2.5-VL/blob/main/qwen-vl-utils/src/qwen_vl_utils/vision_process.py',
  ],
  transport: 'chat',
  prompts: QWEN_PROMPTS,
  convention: qwen25Convention,
  sendSize: (width, height) => qwenSmartResize(width, height),
  parse: (text, grid) => parseJsonAnswer(text, grid, QWEN_JSON, qwen25Convention, qwen25vl.sendSize),
};

const qwen3Convention: Convention = { order: 'xy', divisor: 1000, max: 1000, offset: 0 };
export const qwen3vl: FamilyEntry = {
  name: 'qwen3-vl',
  sources: ['https://github.com/QwenLM/Qwen3-VL', 'https://www.alibabacloud.com/help/en/model-studio/vision'],
  transport: 'chat',
  prompts: QWEN_PROMPTS,
  convention: qwen3Convention,
  parse: (text, grid) => parseJsonAnswer(text, grid, QWEN_JSON, qwen3Convention),
};

const qwen2Convention: Convention = { order: 'xy', divisor: 1000, max: 1000, offset: 0 };
// (x1,y1),(x2,y2), optionally inside <|box_start|> … <|box_end|> (servers that skip special tokens drop the tags).
const QWEN2_BOX = /\(\s*(\d{1,6})\s*,\s*(\d{1,6})\s*\)\s*,?\s*\(\s*(\d{1,6})\s*,\s*(\d{1,6})\s*\)/g;
const QWEN2_REF = /<\|object_ref_start\|>([\s\S]*?)<\|object_ref_end\|>/g;

export const qwen2vl: FamilyEntry = {
  name: 'qwen2-vl',
  sources: ['https://arxiv.org/abs/2409.12191', 'https://github.com/QwenLM/Qwen2-VL'],
  transport: 'chat',
  prompts: {
    point: 'Detect the bounding box of <|object_ref_start|>{query}<|object_ref_end|>',
    box: 'Detect the bounding box of <|object_ref_start|>{query}<|object_ref_end|>',
  },
  convention: qwen2Convention,
  // vLLM drops special tokens from answers by default; the box tags are special tokens.
  requestFields: { skip_special_tokens: false },
  parse(text, grid) {
    const answer = typeof text === 'string' ? text : '';
    const g = resolveGrid(grid, undefined);
    const refs = [...answer.matchAll(QWEN2_REF)].map((m) => ({ at: m.index, label: cleanLabel(m[1]!) }));
    const points: PixelPoint[] = [];
    let lastEnd = 0;
    let ref = -1; // the last object_ref before the current box (both come in text order)
    for (const m of answer.matchAll(QWEN2_BOX)) {
      lastEnd = m.index + m[0].length;
      while (ref + 1 < refs.length && refs[ref + 1]!.at < m.index) ref++;
      if (g === null) continue;
      const at = boxFromQuad([Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])], qwen2Convention, g);
      if (!at) continue;
      const label = refs[ref]?.label ?? '';
      points.push({ u: at.u, v: at.v, label, alt: null, image: 1, id: points.length + 1, box: at.box });
    }
    // Cut off inside a box: an opened tag or bracket after the last complete box.
    const tail = answer.slice(lastEnd);
    const truncated = /<\|box_start\|>(?![\s\S]*<\|box_end\|>)|\([^)]*$|<\|[a-z_]*$/.test(tail);
    const none = points.length === 0 && !truncated && saysNone(answer);
    return { points, count: null, none, truncated };
  },
};
