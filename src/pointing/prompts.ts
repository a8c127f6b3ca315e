// Prompt templates: each family's defaults live in its registry entry (families/); here the filling in. One object
// per request (ask in parallel for more).
import { FAMILIES, FAMILY_NAMES, type FamilyEntry, type FamilyName } from './families/index.js';

/** The default (point) template of every family. */
export const DEFAULT_PROMPTS = Object.fromEntries(FAMILY_NAMES.map((name) => [name, FAMILIES[name].prompts.point])) as Record<FamilyName, string>;

/** The template to use: the configured one, 'point' / 'box' for the family's own templates, or its point template. */
export function familyPrompt(family: FamilyEntry, configured: string | undefined): string {
  if (configured === undefined || configured === 'point') return family.prompts.point;
  if (configured === 'box') {
    if (family.prompts.box === undefined) throw new RangeError(`family ${family.name} has no box prompt; write the prompt out instead`);
    return family.prompts.box;
  }
  return configured;
}

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
