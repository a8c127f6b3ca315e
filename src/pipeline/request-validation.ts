import { type PointRequest, type RequestMode } from './types.js';

// Checks a request's shape before any work (it may come from JSON over a socket or a ROS message).

export const REQUEST_MODES: readonly RequestMode[] = ['point', 'pick', 'navigate'];
const MAX_PIXELS = 256;

/** The first problem with the request, or null when it is well formed. */
export function requestProblem(req: PointRequest): string | null {
  if (typeof req !== 'object' || req === null) return 'the request must be an object';
  if (typeof req.id !== 'string' || req.id.trim() === '') return 'id must be a non-empty string';
  if (!REQUEST_MODES.includes(req.mode)) return `mode must be one of ${REQUEST_MODES.join(', ')}, got ${JSON.stringify(req.mode)}`;
  if (req.query !== undefined && typeof req.query !== 'string') return 'query must be a string';
  const hasQuery = typeof req.query === 'string' && req.query.trim() !== '';
  if (req.pixels !== undefined) {
    if (!Array.isArray(req.pixels)) return 'pixels must be an array of {u, v}';
    if (req.pixels.length > MAX_PIXELS) return `at most ${MAX_PIXELS} pixels per request, got ${req.pixels.length}`;
    for (const [i, p] of req.pixels.entries()) {
      if (typeof p !== 'object' || p === null || !Number.isFinite(p.u) || !Number.isFinite(p.v)) {
        return `pixels[${i}] must have finite numbers u and v`;
      }
      if (p.label !== undefined && typeof p.label !== 'string') return `pixels[${i}].label must be a string`;
    }
  }
  const hasPixels = Array.isArray(req.pixels) && req.pixels.length > 0;
  if (!hasQuery && !hasPixels) return 'give a query or at least one pixel';
  if (req.targetFrame !== undefined && (typeof req.targetFrame !== 'string' || req.targetFrame.trim() === '')) {
    return 'targetFrame must be a non-empty string';
  }
  if (req.maxPoints !== undefined && !(Number.isInteger(req.maxPoints) && req.maxPoints >= 1)) {
    return `maxPoints must be a positive integer, got ${req.maxPoints}`;
  }
  if (req.deadlineMs !== undefined && !(Number.isFinite(req.deadlineMs) && req.deadlineMs > 0)) {
    return `deadlineMs must be a positive number, got ${req.deadlineMs}`;
  }
  if (req.frameSeq !== undefined && !(Number.isInteger(req.frameSeq) && req.frameSeq >= 0)) {
    return `frameSeq must be a non-negative integer, got ${req.frameSeq}`;
  }
  if (req.offsetAboveM !== undefined) {
    if (!(Number.isFinite(req.offsetAboveM) && req.offsetAboveM >= 0)) return `offsetAboveM must be a non-negative number of metres, got ${req.offsetAboveM}`;
    if (req.mode === 'navigate' && req.offsetAboveM > 0) return 'offsetAboveM applies to point and pick requests, not navigate (goals lie on the floor)';
  }
  return null;
}
