// What a model says in words when it finds nothing. Shared by every family's parser (only consulted when an answer
// has no points, so a label that happens to say "not found" never hides a point).

const NONE_PATTERNS = [
  /\bthere (?:are|is) (?:none|no|not any)\b/i,
  /\b(?:is|are)(?:n['\u2019]t| not) (?:in|visible in|present in|shown in|found in) (?:the|this) (?:image|picture|photo)/i,
  /\b(?:none|nothing) (?:is |are )?(?:in|visible in) (?:the|this) (?:image|picture|photo)/i,
  /\bno such\b/i,
  /\bnot (?:be )?(?:found|visible|present|detected)\b/i,
  /\b(?:could|can)(?:n['\u2019]t| ?not) (?:find|see|locate|detect)\b/i,
];

export function saysNone(prose: string): boolean {
  return NONE_PATTERNS.some((p) => p.test(prose));
}
