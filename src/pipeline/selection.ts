import type { SelectionPolicy } from './config.js';

// Ranks the lifted points of one request. Sorting is stable, so ties keep the model's order.

export interface Candidate {
  /** Position in the pointer's answer. */
  index: number;
  /** Distance from the ranking origin (the robot frame's origin when TF knows it, else the camera's), metres. */
  rangeM: number;
  validRatio: number;
  spreadM: number;
}

/** The candidates best first: 'first' = the model's order, 'closest' = smallest rangeM (nearest the robot),
 * 'best_depth' = highest share of valid depth pixels, then the smallest depth spread. */
export function rankCandidates<T extends Candidate>(candidates: T[], policy: SelectionPolicy): T[] {
  const ranked = [...candidates];
  switch (policy) {
    case 'first':
      ranked.sort((a, b) => a.index - b.index);
      break;
    case 'closest':
      ranked.sort((a, b) => a.rangeM - b.rangeM || a.index - b.index);
      break;
    case 'best_depth':
      ranked.sort((a, b) => b.validRatio - a.validRatio || a.spreadM - b.spreadM || a.index - b.index);
      break;
  }
  return ranked;
}
