// A small hand-written schema validator for client messages and API bodies. Each spec says the type, the
// lengths and the numeric ranges; objects reject fields they do not list, so nothing unexpected reaches the
// bridge. Errors name the offending field ("pixel[1]: must be a number in [-0.5, 65535]").

export type Spec =
  | { kind: 'string'; min?: number; max: number; pattern?: RegExp; patternHint?: string }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'bool' }
  | { kind: 'literal'; value: string }
  | { kind: 'array'; items: Spec; min?: number; max: number }
  | { kind: 'tuple'; items: Spec[] }
  | { kind: 'object'; fields: Record<string, Spec>; optional?: readonly string[] };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Returns null when `value` matches `spec`, else a one-line reason naming the field. */
export function validate(value: unknown, spec: Spec, path = ''): string | null {
  const at = path === '' ? '' : `${path}: `;
  switch (spec.kind) {
    case 'string': {
      if (typeof value !== 'string') return `${at}must be a string, got ${describe(value)}`;
      const min = spec.min ?? 0;
      if (value.length < min || value.length > spec.max) return `${at}length must be ${min}..${spec.max}, got ${value.length}`;
      if (spec.pattern && !spec.pattern.test(value)) return `${at}${spec.patternHint ?? `must match ${spec.pattern}`}`;
      return null;
    }
    case 'int':
    case 'number': {
      if (typeof value !== 'number') return `${at}must be a finite number, got ${describe(value)}`;
      // JSON has no Infinity or NaN, but a literal like 1e400 parses to Infinity.
      if (!Number.isFinite(value)) return `${at}must be a finite number, got ${Number.isNaN(value) ? 'NaN' : 'an infinite one (out of range)'}`;
      if (spec.kind === 'int' && !Number.isInteger(value)) return `${at}must be an integer, got ${value}`;
      if (value < spec.min || value > spec.max) return `${at}must be in [${spec.min}, ${spec.max}], got ${value}`;
      return null;
    }
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) return `${at}must be one of ${spec.values.join(' | ')}`;
      return null;
    case 'literal':
      return value === spec.value ? null : `${at}must be '${spec.value}'`;
    case 'bool':
      return typeof value === 'boolean' ? null : `${at}must be true or false, got ${describe(value)}`;
    case 'array':
    case 'tuple': {
      if (!Array.isArray(value)) return `${at}must be an array, got ${describe(value)}`;
      if (spec.kind === 'tuple') {
        if (value.length !== spec.items.length) return `${at}must have exactly ${spec.items.length} items, got ${value.length}`;
        for (let i = 0; i < spec.items.length; i++) {
          const error = validate(value[i], spec.items[i]!, `${path}[${i}]`);
          if (error) return error;
        }
        return null;
      }
      const min = spec.min ?? 0;
      if (value.length < min || value.length > spec.max) return `${at}must have ${min}..${spec.max} items, got ${value.length}`;
      for (let i = 0; i < value.length; i++) {
        const error = validate(value[i], spec.items, `${path}[${i}]`);
        if (error) return error;
      }
      return null;
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${at}must be an object, got ${describe(value)}`;
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (!Object.hasOwn(spec.fields, key)) return `${path === '' ? '' : `${path}.`}${key.slice(0, 40)}: unknown field`;
      }
      for (const [key, fieldSpec] of Object.entries(spec.fields)) {
        const fieldPath = path === '' ? key : `${path}.${key}`;
        if (record[key] === undefined) {
          if (spec.optional?.includes(key)) continue;
          return `${fieldPath}: required`;
        }
        const error = validate(record[key], fieldSpec, fieldPath);
        if (error) return error;
      }
      return null;
    }
  }
}
