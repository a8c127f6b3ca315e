// The OpenAI chat-completions wire format as vLLM serves Molmo: one user message whose content is the text
// part followed by the image as a data URI; the answer text in choices[0].message.content.
import { randomUUID } from 'node:crypto';
import { visibleText } from '../text/visible-text.js';

export interface ChatRequestParts {
  model: string | undefined;
  prompt: string;
  /** The image as `data:image/jpeg;base64,…`, ASCII bytes (see jpegDataUri). */
  imageDataUri: Buffer;
  maxTokens: number;
  extraBody?: Record<string, unknown>;
}

/** `data:image/jpeg;base64,…` as bytes. Made once per frame: several queries about one frame reuse it. */
export function jpegDataUri(jpeg: Buffer): Buffer {
  const prefix = 'data:image/jpeg;base64,';
  const b64 = jpeg.toString('base64');
  const out = Buffer.allocUnsafe(prefix.length + b64.length);
  out.write(prefix, 0, 'latin1');
  out.write(b64, prefix.length, 'latin1');
  return out;
}

/** Stands in for the image while the rest of the body is stringified: random, so no prompt can contain it. */
const IMAGE_SLOT = `image-slot-${randomUUID()}`;

/**
 * The JSON body as byte chunks to send in order. `model` is left out when unknown (recent vLLM then uses the
 * served model). The data URI (hundreds of KB of plain base64, needing no JSON escaping) is spliced in as
 * its own chunk, neither stringified nor copied: that halves the client's per-request cost.
 */
export function buildChatBody(parts: ChatRequestParts): Buffer[] {
  const body: Record<string, unknown> = {
    ...(parts.model !== undefined ? { model: parts.model } : {}),
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: parts.prompt },
          { type: 'image_url', image_url: { url: IMAGE_SLOT } },
        ],
      },
    ],
    max_tokens: parts.maxTokens,
    temperature: 0,
    ...parts.extraBody,
  };
  const json = JSON.stringify(body);
  const at = json.indexOf(IMAGE_SLOT);
  const head = Buffer.from(json.slice(0, at));
  const tail = Buffer.from(json.slice(at + IMAGE_SLOT.length));
  return [head, parts.imageDataUri, tail];
}

export interface ChatAnswer {
  text: string;
  model: string | null;
  finishReason: string | null;
}

/** Reads a 200 response body; returns a string describing the problem when it is not a chat completion. */
export function readChatAnswer(bodyText: string): ChatAnswer | string {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return `response is not JSON (starts with ${JSON.stringify(visibleText(bodyText, 60))})`;
  }
  if (typeof body !== 'object' || body === null) return 'response is not a JSON object';
  const { choices, model } = body as { choices?: unknown; model?: unknown };
  if (!Array.isArray(choices) || choices.length === 0) return 'response has no choices';
  const choice = choices[0] as { message?: { content?: unknown }; finish_reason?: unknown } | null;
  const content = choice?.message?.content;
  const text = typeof content === 'string' ? content : Array.isArray(content) ? joinTextParts(content) : null;
  if (text === null) return 'response has no choices[0].message.content text';
  return {
    text,
    model: typeof model === 'string' ? model : null,
    finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : null,
  };
}

/** Some servers return content as parts: [{type: 'text', text: '…'}]. */
function joinTextParts(parts: unknown[]): string | null {
  const texts = parts.map((p) => (p as { text?: unknown } | null)?.text).filter((t): t is string => typeof t === 'string');
  return texts.length > 0 ? texts.join('') : null;
}

/** A short reason from an error response body (OpenAI/vLLM `{error: {message}}` or `{message}`), else its start. */
export function errorBodySummary(bodyText: string): string {
  try {
    const body = JSON.parse(bodyText) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    const msg = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message ?? body.detail);
    if (typeof msg === 'string') return visibleText(msg, 200);
  } catch {
    // not JSON: fall through
  }
  // A server's error page ends up in logs and on terminals: one line of visible text (no escape sequences).
  return visibleText(bodyText, 200);
}
