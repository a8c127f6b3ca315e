// `molmo-waypoints point`: ask a model server (any family: OpenAI-compatible chat, e.g. vLLM or Gemini, or
// Moondream's API) to point at something in one image file, and print the points on that image's pixel grid with
// the model's raw answer.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { ColorImage } from '../geometry/types.js';
import { colorSize } from '../image/codec.js';
import { MolmoPointer, type MolmoPointerOptions } from '../pointing/molmo-client.js';
import { FAMILY_NAMES, parseAnswer, type FamilyName } from '../pointing/families/index.js';
import { PointingError } from '../pointing/types.js';
import { familyFlag, positiveIntFlag, type CliIo } from './parse.js';
import { visibleText } from '../text/visible-text.js';

const USAGE = `usage: molmo-waypoints point --image <file> --query <text> --url <base url> [--url <fallback> ...]
                             [--model <name>] [--family <family>] [--max-side <px>] [--max-tokens <n>]
                             [--timeout-ms <ms>] [--retries <n>] [--api-key <key>] [--prompt <template>]
                             [--balance failover|least_loaded]

Sends one image (JPEG or PNG file) and a query to /v1/chat/completions (moondream: /v1/point) and prints
  {"points": [{"u", "v", "label", "alt", "image", "id"}], "count", "none", "truncated", "model", "width",
   "height", "rawText", "timings"}
  --url        server base URL, e.g. http://gpu-box:8000 (repeat for failover, in order of preference)
  --model      model name to request (default: what the server lists first at /v1/models)
  --family     the model family (default molmo2): ${FAMILY_NAMES.join(', ')}
  --max-side   downscale so the longer side is at most this before sending (points stay full size)
  --max-tokens default 1024; --timeout-ms per attempt, default 60000; --retries default 2
  --api-key    sent as a Bearer token, for moondream as X-Moondream-Auth (default: $MOLMO_API_KEY)
  --prompt     template with {query} or {object} ("the " + query), default per family; 'box' = the family's box prompt
  --balance    several --url: failover in order (default) or least_loaded
Exit status: 0 with the answer (also when it has no points); 1 when the server failed (kind and reason on
stderr); 2 for unusable flags or an unreadable image file.`;

const PROCESS_IO: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

class UsageError extends Error {}

export async function run(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  let args: ReturnType<typeof parseFlags>;
  try {
    args = parseFlags(argv);
  } catch (err) {
    io.stderr.write(`point: ${visibleText((err as Error).message, 1000)} (see --help)\n`);
    return 2;
  }
  if (args === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let image: ColorImage;
  let size: { width: number; height: number };
  try {
    image = await readImage(args.image);
    // The header check also refuses a file that is no image before any server is asked.
    size = await colorSize(image);
  } catch (err) {
    io.stderr.write(`point: ${visibleText((err as Error).message, 1000)}\n`);
    return 2;
  }
  const pointer = new MolmoPointer(args.options);
  try {
    const r = await pointer.point(image, args.query);
    if (r.points.length === 0) hintOtherFamilies(r.rawText, args.options.family, size, io);
    io.stdout.write(
      `${JSON.stringify(
        {
          points: r.points,
          count: r.count,
          none: r.none,
          truncated: r.truncated,
          model: r.model,
          width: size.width,
          height: size.height,
          rawText: r.rawText,
          timings: roundTimings(r.timings),
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof PointingError) {
      io.stderr.write(`point: ${err.kind}: ${visibleText(err.message, 1000)}\n`);
      return 1;
    }
    throw err;
  }
}

function parseFlags(argv: string[]): { image: string; query: string; options: MolmoPointerOptions } | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        image: { type: 'string' },
        query: { type: 'string' },
        url: { type: 'string', multiple: true },
        model: { type: 'string' },
        family: { type: 'string', default: 'molmo2' },
        'max-side': { type: 'string' },
        'max-tokens': { type: 'string' },
        'timeout-ms': { type: 'string' },
        retries: { type: 'string' },
        'api-key': { type: 'string' },
        prompt: { type: 'string' },
        balance: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  if (!values.image) throw new UsageError('--image is required');
  if (!values.query?.trim()) throw new UsageError('--query is required');
  if (!values.url?.length) throw new UsageError('--url is required (e.g. http://gpu-box:8000)');
  const optionalInt = (name: string, v: string | undefined) => (v === undefined ? undefined : positiveIntFlag(name, v));
  const retries = values.retries === undefined ? undefined : values.retries === '0' ? 0 : positiveIntFlag('retries', values.retries);
  const options: MolmoPointerOptions = {
    endpoints: values.url,
    family: familyFlag(values.family),
    model: values.model,
    maxSide: optionalInt('max-side', values['max-side']),
    maxTokens: optionalInt('max-tokens', values['max-tokens']),
    timeoutMs: optionalInt('timeout-ms', values['timeout-ms']),
    retries,
    apiKey: values['api-key'] ?? process.env.MOLMO_API_KEY,
    prompt: values.prompt,
    balance: values.balance as MolmoPointerOptions['balance'],
  };
  try {
    new MolmoPointer(options); // validates URLs and numbers with messages naming them
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return { image: values.image, query: values.query, options };
}

async function readImage(path: string): Promise<ColorImage> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (err) {
    throw new Error(`cannot read image '${path}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const ext = extname(path).toLowerCase();
  const format = ext === '.png' ? 'png' : ext === '.jpg' || ext === '.jpeg' ? 'jpeg' : ext.slice(1);
  return { kind: 'compressed', format, data };
}

/** No points: say which other families' grammars would have found some (the family is never guessed). */
function hintOtherFamilies(text: string, family: FamilyName, size: { width: number; height: number }, io: CliIo): void {
  const found = FAMILY_NAMES.filter((f) => f !== family)
    .map((f) => ({ f, n: parseAnswer(f, text, size).points.length }))
    .filter(({ n }) => n > 0);
  if (found.length === 0) return;
  const list = found.map(({ f, n }) => `family ${f} would have found ${n} point${n === 1 ? '' : 's'}`).join('; ');
  io.stderr.write(`point: no points in the ${family} grammar, but ${list}: try --family ${found[0]!.f}\n`);
}

function roundTimings(t: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v * 10) / 10]));
}
