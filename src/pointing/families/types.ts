// What one family entry declares: how to ask (prompts, transport, the image to send), how to read the answer (parser)
// and the coordinate convention the parser applies, with the vendor's documentation it was checked against.
import type { PixelPoint } from '../types.js';
import type { FamilyName } from './names.js';

export interface ParsedAnswer {
  points: PixelPoint[];
  /** The count stated in a counting sentence ("… shows a total of 3."), or null. */
  count: number | null;
  /** The model said the object is not there (and gave no points). */
  none: boolean;
  /** The answer was cut off; incomplete entries were dropped. */
  truncated: boolean;
}

/** The image an answer is about: the original frame (points are reported on its grid) and the image actually sent. */
export interface AnswerGrid {
  width: number;
  height: number;
  /** The sent image's size (after max_side and the family's own grid); only families that answer in the sent
   * image's pixels need it. Default: the family's sendSize of width × height. */
  sentWidth?: number;
  sentHeight?: number;
}

/**
 * How the numbers of an answer become pixels. Every family documented here measures from the image's top-left
 * corner (0 = the left edge), so one rule maps them: fraction = (value + offset) / divisor, u = fraction · W − 0.5.
 */
export interface Convention {
  /** Order of a point's two numbers ('yx': y first) and of a box's four ('yx': ymin, xmin, ymax, xmax). */
  order: 'xy' | 'yx';
  /** What a value is divided by: a fixed scale, or 'sent' (pixels of the sent image, per axis). */
  divisor: number | 'sent';
  /** Largest valid value ('sent': the sent image's side); larger values are dropped. */
  max: number | 'sent';
  /** Added before dividing: 0.5 where a value names a bin whose centre is meant (Florence-2). */
  offset: number;
}

export type Transport = 'chat' | 'moondream';

export interface FamilyEntry {
  name: FamilyName;
  /** Vendor documentation or model card the convention was checked against. */
  sources: readonly string[];
  transport: Transport;
  /** Default prompt templates ({query}, {object}, see prompts.ts); `box` where the model answers boxes on request. */
  prompts: { point: string; box?: string };
  convention: Convention;
  /** The size to send an image of width × height (already limited by max_side) at; default: unchanged. */
  sendSize?: (width: number, height: number) => { width: number; height: number };
  /** Model name to request when none is configured (hosted APIs without a useful model list). */
  defaultModel?: string;
  /** Extra request fields the family needs (e.g. keeping special tokens the answer is written in). */
  requestFields?: Readonly<Record<string, unknown>>;
  /** Never throws; every point finite and inside width × height. */
  parse(text: string, grid: AnswerGrid): ParsedAnswer;
}
