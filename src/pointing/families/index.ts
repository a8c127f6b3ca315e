// The registry: one declarative entry per model family (prompts, transport, parser, coordinate convention, sources).
// docs/pointing.md's table of families is written from these entries; test/pointing/families.test.ts keeps them honest.
import { florence2 } from './florence2.js';
import { geminiEr } from './gemini-er.js';
import { molmo, molmo2 } from './molmo.js';
import { moondream } from './moondream.js';
import { FAMILY_NAMES, isFamilyName, type FamilyName } from './names.js';
import { paligemma } from './paligemma.js';
import { qwen25vl, qwen2vl, qwen3vl } from './qwen.js';
import { robopoint } from './robopoint.js';
import type { AnswerGrid, FamilyEntry, ParsedAnswer } from './types.js';

export const FAMILIES: Readonly<Record<FamilyName, FamilyEntry>> = {
  molmo,
  molmo2,
  'qwen2.5-vl': qwen25vl,
  'qwen3-vl': qwen3vl,
  'qwen2-vl': qwen2vl,
  'gemini-er': geminiEr,
  moondream,
  robopoint,
  paligemma,
  florence2,
};

/** The entry of a configured family; a RangeError listing the families for anything else. */
export function familyEntry(name: unknown): FamilyEntry {
  if (!isFamilyName(name)) throw new RangeError(`family must be one of ${FAMILY_NAMES.join(', ')}; got '${String(name)}'`);
  return FAMILIES[name];
}

/** Parses an answer of `family` onto the grid. Never throws; every point is finite and inside the image. */
export function parseAnswer(family: FamilyName, text: string, grid: AnswerGrid): ParsedAnswer {
  return FAMILIES[family].parse(text, grid);
}

export { FAMILY_NAMES, isFamilyName, type FamilyName };
export type { AnswerGrid, Convention, FamilyEntry, ParsedAnswer, Transport } from './types.js';
