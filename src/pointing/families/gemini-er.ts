// Gemini Robotics-ER (hosted by Google, here through Gemini's OpenAI-compatible chat endpoint with an API key).
// Answers are JSON lists, often in a ```json fence: points [{"point": [y, x], "label": …}], boxes
// [{"box_2d": [ymin, xmin, ymax, xmax], "label": …}]; Y FIRST, integers 0–1000 of the image, origin top-left.
//   https://ai.google.dev/gemini-api/docs/robotics-overview
//   https://ai.google.dev/gemini-api/docs/image-understanding (box_2d order and 0–1000 scale)
//   https://ai.google.dev/gemini-api/docs/openai (the OpenAI-compatible endpoint)
import { parseJsonAnswer } from './json-family.js';
import type { Convention, FamilyEntry } from './types.js';

const convention: Convention = { order: 'yx', divisor: 1000, max: 1000, offset: 0 };
const KEYS = { point: 'point', box: 'box_2d' };

export const geminiEr: FamilyEntry = {
  name: 'gemini-er',
  sources: [
    'https://ai.google.dev/gemini-api/docs/robotics-overview',
    'https://ai.google.dev/gemini-api/docs/image-understanding',
    'https://ai.google.dev/gemini-api/docs/openai',
  ],
  transport: 'chat',
  prompts: {
    point:
      'Point to {object} in the image. The answer should follow the JSON format: [{"point": <point>, "label": <label>}, ...]. ' +
      'The points are in [y, x] format normalized to 0-1000. If it is not in the image, answer [].',
    box:
      'Detect {object} in the image. Output a JSON list where each entry contains the 2D bounding box in "box_2d" ' +
      '([ymin, xmin, ymax, xmax] normalized to 0-1000) and a text label in "label".',
  },
  convention,
  // The current model id on the robotics overview page (ER 1.6 was retired in August 2026).
  defaultModel: 'gemini-robotics-er-2-preview',
  parse: (text, grid) => parseJsonAnswer(text, grid, KEYS, convention),
};
