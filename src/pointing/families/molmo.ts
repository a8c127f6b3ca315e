// Molmo v1 and Molmo 2: XML-like tags with percent / per-mille coordinates (grammar in ../parse.ts).
// Sources: Ai2's model cards https://huggingface.co/allenai/Molmo-7B-D-0924 and https://huggingface.co/allenai/Molmo2-8B,
// and the point formats in Ai2's molmo repository https://github.com/allenai/molmo.
import { MOLMO_CONVENTIONS, parseMolmo } from '../parse.js';
import type { FamilyEntry } from './types.js';

export const molmo: FamilyEntry = {
  name: 'molmo',
  sources: ['https://huggingface.co/allenai/Molmo-7B-D-0924', 'https://github.com/allenai/molmo'],
  transport: 'chat',
  // v1 was trained with style prefixes: `pointing: ` forces the strict point answer.
  prompts: { point: 'pointing: Point to {object}' },
  convention: MOLMO_CONVENTIONS.molmo,
  parse: (text, grid) => parseMolmo(text, { family: 'molmo', width: grid.width, height: grid.height }),
};

export const molmo2: FamilyEntry = {
  name: 'molmo2',
  sources: ['https://huggingface.co/allenai/Molmo2-8B'],
  transport: 'chat',
  prompts: { point: 'Point to {object}.' },
  convention: MOLMO_CONVENTIONS.molmo2,
  parse: (text, grid) => parseMolmo(text, { family: 'molmo2', width: grid.width, height: grid.height }),
};
