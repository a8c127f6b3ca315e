// `molmo-waypoints parse`: a Molmo answer on stdin (or --text) -> pixel points as JSON. Exit 0 for any text:
// an answer without points is an answer. Imports only the parser (no sharp, no ONNX).
import { parseArgs } from 'node:util';
import { parseMolmo, type MolmoFamily } from '../pointing/parse.js';
import { visibleText } from '../text/visible-text.js';

const USAGE = `usage: molmo-waypoints parse --family <molmo|molmo2> --width <W> --height <H> [--text <answer>]

Parses a Molmo answer (stdin, or --text) into points on the W×H image it was asked about and prints
  {"points": [{"u", "v", "label", "alt", "image", "id"}], "count": number|null, "none": bool, "truncated": bool}
  --family   molmo (v1: <point x="12.5" y="40.0">, percent) or molmo2 (<points coords="1 1 125 400">, per-mille);
             taken from you, never guessed from the text
  --width, --height   the image's size in pixels (u = x/100·W − 0.5 for molmo, x/1000·W − 0.5 for molmo2:
             Molmo measures from the image's corner, pixel centres are integers; points are clamped to
             [0, W−1] × [0, H−1])
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
    io.stderr.write(`parse: ${visibleText((err as Error).message, 1000)}\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const text = args.text ?? (await readAll(io.stdin));
  const r = parseMolmo(text, args);
  const points = r.points.map((p) => ({ u: p.u, v: p.v, label: p.label, alt: p.alt, image: p.image, id: p.id }));
  io.stdout.write(`${JSON.stringify({ points, count: r.count, none: r.none, truncated: r.truncated })}\n`);
  return 0;
}

function parseFlags(argv: string[]): { family: MolmoFamily; width: number; height: number; text: string | undefined } | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      family: { type: 'string' },
      width: { type: 'string' },
      height: { type: 'string' },
      text: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
    strict: true,
  });
  if (values.help) return 'help';
  return {
    family: familyFlag(values.family),
    width: positiveIntFlag('width', values.width),
    height: positiveIntFlag('height', values.height),
    text: values.text,
  };
}

export function familyFlag(value: string | undefined): MolmoFamily {
  if (value === undefined) throw new Error('--family is required (molmo or molmo2)');
  if (value !== 'molmo' && value !== 'molmo2') throw new Error(`--family must be molmo or molmo2, got '${value}'`);
  return value;
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
