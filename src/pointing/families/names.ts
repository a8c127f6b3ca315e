// The model families whose answers the bridge reads. A family is configuration (`model.family`), never guessed from
// an answer: several families write the same syntax on different scales. Kept apart from the registry so config
// validation can list the names without loading any parser.

export const FAMILY_NAMES = [
  'molmo',
  'molmo2',
  'qwen2.5-vl',
  'qwen3-vl',
  'qwen2-vl',
  'gemini-er',
  'moondream',
  'robopoint',
  'paligemma',
  'florence2',
] as const;

export type FamilyName = (typeof FAMILY_NAMES)[number];

export function isFamilyName(value: unknown): value is FamilyName {
  return typeof value === 'string' && (FAMILY_NAMES as readonly string[]).includes(value);
}
