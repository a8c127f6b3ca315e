// Moondream's own HTTP API (Moondream Cloud, and a local Moondream Station): POST {base}/v1/point with the image as a
// data URI and the object's name, the key in `X-Moondream-Auth`; the answer is {"request_id", "points": [{x, y}]}.
// https://moondream.ai/c/docs/advanced/api/point
import { randomUUID } from 'node:crypto';
import type { ChatAnswer } from './chat-completions.js';

/** Stands in for the image while the rest of the body is stringified (the data URI is spliced in as its own chunk);
 * random, so no object name can contain it. */
const IMAGE_SLOT = `image-slot-${randomUUID()}`;

/** The JSON body as byte chunks: {"image_url": <data URI>, "object": <name>, …extra}. */
export function buildMoondreamBody(object: string, imageDataUri: Buffer, extraBody?: Record<string, unknown>): Buffer[] {
  const json = JSON.stringify({ image_url: IMAGE_SLOT, object, ...extraBody });
  const at = json.indexOf(IMAGE_SLOT);
  return [Buffer.from(json.slice(0, at)), imageDataUri, Buffer.from(json.slice(at + IMAGE_SLOT.length))];
}

/** A 200 body of /v1/point as the "answer" (its JSON text is what the moondream parser reads), or the problem. */
export function readMoondreamAnswer(bodyText: string): ChatAnswer | string {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return `response is not JSON (starts with ${JSON.stringify(bodyText.slice(0, 60))})`;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'response is not a JSON object';
  const { points, objects } = body as { points?: unknown; objects?: unknown };
  if (!Array.isArray(points) && !Array.isArray(objects)) return 'response has no "points" list';
  return { text: bodyText, model: null, finishReason: null };
}
