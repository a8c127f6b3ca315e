// Prompt templates per Molmo family. v1 was trained with style prefixes: `pointing: ` forces the strict point
// answer. Molmo 2 takes natural prompts without a prefix. One object per request (ask in parallel for more).
import type { MolmoFamily } from './parse.js';

export const DEFAULT_PROMPTS: Record<MolmoFamily, string> = {
  molmo: 'pointing: Point to {object}',
  molmo2: 'Point to {object}.',
};

const DETERMINER = /^(the|a|an|all|every|each|any|some|this|that|these|those|my|your|its|their|\d+)\s/i;

/**
 * Fills a template. Placeholders: `{query}` = the query as given (trimmed), `{object}` = the query without
 * trailing punctuation and with "the " in front unless it already starts with a determiner
 * ("red mug" → "the red mug", "all chairs" → "all chairs").
 */
export function renderPrompt(template: string, query: string): string {
  const q = query.trim();
  const bare = q.replace(/[\s.?!]+$/u, '');
  const object = DETERMINER.test(bare) ? bare : `the ${bare}`;
  return template.replace(/\{(query|object)\}/g, (_, key: string) => (key === 'query' ? q : object));
}
