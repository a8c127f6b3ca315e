// YAML and JSON files a user hands us (configuration, camera info, calibration) are read with bounds, so a wrong
// or hostile file ends in one clear error instead of a hang: a size limit before anything is read, a limit on
// mapping entries, the yaml library's alias limit (billion laughs), and a linear duplicate-key check (the
// library's own one is quadratic: 60k keys took minutes).
import { statSync, readFileSync } from 'node:fs';
import { isScalar, parseDocument, visit } from 'yaml';

export class YamlInputError extends Error {
  /** The errno code (ENOENT, EACCES, ...) when the file could not be read at all. */
  constructor(
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'YamlInputError';
  }
}

export interface YamlLimits {
  /** Largest file, bytes. */
  maxBytes: number;
  /** Most key/value pairs in all mappings together. */
  maxPairs: number;
}

/** Far above any real configuration, camera info or calibration file (a few KiB), far below a hang. */
export const YAML_INPUT_LIMITS: YamlLimits = { maxBytes: 256 * 1024, maxPairs: 10_000 };

/** The file's text, refused before reading when it is over `maxBytes`. Errors say `cannot read (ENOENT)` etc. */
export function readBoundedText(path: string, maxBytes: number): string {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new YamlInputError('is not a regular file');
    size = st.size;
  } catch (err) {
    if (err instanceof YamlInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new YamlInputError(code === 'ENOENT' ? 'file not found' : `cannot read (${code})`, code);
  }
  if (size > maxBytes) throw new YamlInputError(`is ${describeBytes(size)}, over the ${describeBytes(maxBytes)} limit for this file`);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new YamlInputError(`cannot read (${code})`, code);
  }
}

/** YAML (or JSON: YAML is a superset) text as plain data, within `limits`. The first syntax error is reported with
 * its line and column. */
export function parseBoundedYaml(text: string, limits: YamlLimits = YAML_INPUT_LIMITS): unknown {
  if (Buffer.byteLength(text, 'utf8') > limits.maxBytes) {
    throw new YamlInputError(`is ${describeBytes(Buffer.byteLength(text, 'utf8'))}, over the ${describeBytes(limits.maxBytes)} limit for this file`);
  }
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const where = e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
    throw new YamlInputError(`not valid YAML${where}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  let pairs = 0;
  let problem: string | null = null;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const item of map.items) {
        if (++pairs > limits.maxPairs) {
          problem = `has more than ${limits.maxPairs} mapping entries`;
          return visit.BREAK;
        }
        const key = isScalar(item.key) ? String(item.key.value) : null;
        if (key === null) continue;
        if (seen.has(key)) {
          const line = item.key && isScalar(item.key) && item.key.range ? ` (line ${lineOf(text, item.key.range[0])})` : '';
          problem = `has the key '${key.slice(0, 80)}' twice in one mapping${line}`;
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  if (problem) throw new YamlInputError(problem);
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // The yaml library's message for alias bombs: "Excessive alias count indicates a resource exhaustion attack".
    throw new YamlInputError(`is refused: ${(err as Error).message}`);
  }
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function describeBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}

