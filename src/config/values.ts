import type { KeyKind } from './schema.js';

// Checking one value against its kind: typed YAML values, and strings from the environment or flags.

/** What a valid value looks like, for error messages ("must be a positive number"). */
export function expectation(kind: KeyKind): string {
  switch (kind.type) {
    case 'string':
      return 'a string';
    case 'path':
      return 'a file path (string)';
    case 'enum':
      return `one of ${kind.values.join(', ')}`;
    case 'bool':
      return 'true or false';
    case 'string_list':
      return 'a list of strings (or one comma-separated string)';
    case 'vec3':
      return 'three numbers [x, y, z]';
    case 'int': {
      if (kind.min !== undefined && kind.max !== undefined) return `an integer from ${kind.min} to ${kind.max}`;
      if (kind.min !== undefined) return kind.min === 0 ? 'a non-negative integer' : `an integer ≥ ${kind.min}`;
      return 'an integer';
    }
    case 'number': {
      if (kind.min === 0 && kind.exclusiveMin && kind.max === undefined) return 'a positive number';
      if (kind.min === 0 && !kind.exclusiveMin && kind.max === undefined) return 'a non-negative number';
      if (kind.min !== undefined && kind.max !== undefined) return `a number from ${kind.min} to ${kind.max}`;
      return 'a number';
    }
  }
}

export type Checked = { ok: true; value: unknown } | { ok: false };

const BAD: Checked = { ok: false };

/** A value parsed from YAML. */
export function checkTyped(kind: KeyKind, raw: unknown): Checked {
  switch (kind.type) {
    case 'string':
    case 'path':
      if (typeof raw === 'string') return { ok: true, value: raw };
      // `token: 12345` arrives as a number; a string was clearly meant.
      if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, value: String(raw) };
      return BAD;
    case 'enum':
      return typeof raw === 'string' && kind.values.includes(raw) ? { ok: true, value: raw } : BAD;
    case 'bool':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : BAD;
    case 'number':
    case 'int':
      return typeof raw === 'number' ? checkNumber(kind, raw) : BAD;
    case 'string_list':
      if (typeof raw === 'string') return { ok: true, value: splitList(raw) };
      if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return { ok: true, value: raw.map((x: string) => x.trim()).filter((x) => x !== '') };
      return BAD;
    case 'vec3':
      if (Array.isArray(raw) && raw.length === 3 && raw.every((x) => typeof x === 'number' && Number.isFinite(x))) return { ok: true, value: [...raw] };
      return BAD;
  }
}

/** A value given as text (environment variable, command-line flag). */
export function checkText(kind: KeyKind, text: string): Checked {
  const t = text.trim();
  switch (kind.type) {
    case 'string':
    case 'path':
      return { ok: true, value: text };
    case 'enum':
      return kind.values.includes(t) ? { ok: true, value: t } : BAD;
    case 'bool': {
      const lower = t.toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(lower)) return { ok: true, value: true };
      if (['false', '0', 'no', 'off'].includes(lower)) return { ok: true, value: false };
      return BAD;
    }
    case 'number':
    case 'int':
      return t === '' ? BAD : checkNumber(kind, Number(t));
    case 'string_list':
      return { ok: true, value: splitList(t) };
    case 'vec3': {
      const parts = t.replace(/^\[|\]$/g, '').split(',').map((p) => p.trim());
      const nums = parts.map(Number);
      return parts.length === 3 && parts.every((p) => p !== '') && nums.every(Number.isFinite) ? { ok: true, value: nums } : BAD;
    }
  }
}

function checkNumber(kind: Extract<KeyKind, { type: 'number' | 'int' }>, n: number): Checked {
  if (!Number.isFinite(n)) return BAD;
  if (kind.type === 'int' && !Number.isInteger(n)) return BAD;
  if (kind.min !== undefined && (n < kind.min || ('exclusiveMin' in kind && kind.exclusiveMin && n === kind.min))) return BAD;
  if (kind.max !== undefined && n > kind.max) return BAD;
  return { ok: true, value: n };
}

function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
