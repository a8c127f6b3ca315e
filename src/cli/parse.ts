// `molmo-waypoints parse`: a model's answer on stdin (or --text) -> pixel points as JSON, with the family's parser.
// Exit 0 for any text: an answer without points is an answer. Imports only the parsers (no sharp, no ONNX).
import { parseArgs } from 'node:util';
import { FAMILY_NAMES, parseAnswer, type FamilyName } from '../pointing/families/index.js';
import { visibleText } from '../text/visible-text.js';

const USAGE = `usage: molmo-waypoints parse --family <family> --width <W> --height <H> [--sent <w>x<h>] [--text <answer>]

Parses a model's answer (stdin, or --text) into points on the W×H image it was asked about and prints
  {"points": [{"u", "v", "label", "alt", "image", "id", "box"?}], "count": number|null, "none": bool, "truncated": bool}
  --family   ${FAMILY_NAMES.join(', ')}
             (docs/pointing.md: each one's answer and coordinates); taken from you, never guessed from the text
  --width, --height   the image's size in pixels (the models measure from the image's corner, pixel centres are
             integers: u = fraction·W − 0.5; points are clamped to [0, W−1] × [0, H−1]; a box's point is its centre)
  --sent     the size of the image the model was sent, for qwen2.5-vl (its pixels); default: W×H on Qwen's grid
Exit status: 0 for any answer; 2 for unusable flags.`;

export interface CliIo {
  stdin: AsyncIterable<Buffer | string>;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

const PROCESS_IO: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

export async function run(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  let args;
  try {
    args = parseFlags(argv);
  } catch (err) {
    io.stderr.write(`parse: ${visibleText((err as Error).message, 1000)} (see --help)\n`);
    return 2;
  }
  if (args === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const text = args.text ?? (await readAll(io.stdin));
  const r = parseAnswer(args.family, text, args.grid);
  const points = r.points.map((p) => ({ u: p.u, v: p.v, label: p.label, alt: p.alt, image: p.image, id: p.id, ...(p.box ? { box: p.box } : {}) }));
  io.stdout.write(`${JSON.stringify({ points, count: r.count, none: r.none, truncated: r.truncated })}\n`);
  return 0;
}

interface ParseArgs {
  family: FamilyName;
  grid: { width: number; height: number; sentWidth?: number; sentHeight?: number };
  text: string | undefined;
}

function parseFlags(argv: string[]): ParseArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      family: { type: 'string' },
      width: { type: 'string' },
      height: { type: 'string' },
      sent: { type: 'string' },
      text: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
    strict: true,
  });
  if (values.help) return 'help';
  const grid = { width: positiveIntFlag('width', values.width), height: positiveIntFlag('height', values.height) };
  const sent = values.sent === undefined ? {} : sizeFlag('sent', values.sent);
  return { family: familyFlag(values.family), grid: { ...grid, ...sent }, text: values.text };
}

export function familyFlag(value: string | undefined): FamilyName {
  if (value === undefined) throw new Error(`--family is required (one of ${FAMILY_NAMES.join(', ')})`);
  const family = FAMILY_NAMES.find((f) => f === value);
  if (family === undefined) throw new Error(`--family must be one of ${FAMILY_NAMES.join(', ')}; got '${value}'`);
  return family;
}

function sizeFlag(name: string, value: string): { sentWidth: number; sentHeight: number } {
  const m = /^(\d+)x(\d+)$/.exec(value.trim());
  if (!m) throw new Error(`--${name} must be <width>x<height>, e.g. 1288x728, got '${value}'`);
  return { sentWidth: positiveIntFlag(`${name} width`, m[1]), sentHeight: positiveIntFlag(`${name} height`, m[2]) };
}

export function positiveIntFlag(name: string, value: string | undefined): number {
  if (value === undefined) throw new Error(`--${name} is required`);
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${value}'`);
  return n;
}

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
