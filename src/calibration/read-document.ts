// Reads a YAML or JSON calibration file into plain data, and small typed accessors that fail with the field's
// dotted path ("camera_matrix.data[4]") so a malformed file is fixed in one look.
import { YAML_INPUT_LIMITS, YamlInputError, parseBoundedYaml, readBoundedText } from '../text/yaml-input.js';
import { CalibrationFileError } from './errors.js';

export type Doc = Record<string, unknown>;

/** YAML is a superset of JSON, so one parser reads both. */
export function readDocument(path: string): Doc {
  let doc: unknown;
  try {
    doc = parseBoundedYaml(readBoundedText(path, YAML_INPUT_LIMITS.maxBytes));
  } catch (e) {
    if (!(e instanceof YamlInputError)) throw e;
    throw new CalibrationFileError(path, null, e.message.startsWith('not valid YAML') ? `not valid YAML/JSON (${e.message.replace(/^not valid YAML:? ?/, '')})` : e.message);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new CalibrationFileError(path, null, 'expected a mapping of fields at the top level');
  }
  return doc as Doc;
}

/** Typed access to one document, with errors naming file and field. */
export class Fields {
  constructor(
    readonly file: string,
    private readonly doc: Doc,
    private readonly prefix = '',
  ) {}

  has(key: string): boolean {
    return this.doc[key] !== undefined && this.doc[key] !== null;
  }

  path(key: string): string {
    return this.prefix ? `${this.prefix}.${key}` : key;
  }

  fail(key: string, detail: string): never {
    throw new CalibrationFileError(this.file, this.path(key), detail);
  }

  raw(key: string): unknown {
    return this.doc[key];
  }

  object(key: string): Fields {
    const v = this.doc[key];
    if (v === undefined || v === null) this.fail(key, 'missing');
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(key, 'must be a mapping');
    return new Fields(this.file, v as Doc, this.path(key));
  }

  string(key: string, fallback?: string): string {
    const v = this.doc[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      this.fail(key, 'missing');
    }
    if (typeof v !== 'string') this.fail(key, `must be a string, got ${JSON.stringify(v)}`);
    return v;
  }

  nonEmptyString(key: string): string {
    const s = this.string(key).trim();
    if (!s) this.fail(key, 'must not be empty');
    return s;
  }

  number(key: string, fallback?: number): number {
    const v = this.doc[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      this.fail(key, 'missing');
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(key, `must be a finite number, got ${JSON.stringify(v)}`);
    return v;
  }

  integer(key: string, fallback?: number): number {
    const v = this.number(key, fallback);
    if (!Number.isInteger(v)) this.fail(key, `must be an integer, got ${v}`);
    return v;
  }

  boolean(key: string, fallback?: boolean): boolean {
    const v = this.doc[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      this.fail(key, 'missing');
    }
    if (typeof v !== 'boolean') this.fail(key, `must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  numbers(key: string, lengths?: number[]): number[] {
    const v = this.doc[key];
    if (v === undefined || v === null) this.fail(key, 'missing');
    if (!Array.isArray(v)) this.fail(key, 'must be a list of numbers');
    const bad = v.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
    if (bad >= 0) throw new CalibrationFileError(this.file, `${this.path(key)}[${bad}]`, `must be a finite number, got ${JSON.stringify(v[bad])}`);
    if (lengths && !lengths.includes(v.length)) this.fail(key, `needs ${lengths.join(' or ')} values, got ${v.length}`);
    return v as number[];
  }
}
