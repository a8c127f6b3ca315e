// Parameter override values made to fit the declared parameter type. Shared by the rclnodejs runtime and the
// in-memory double so both accept and refuse exactly the same overrides.
import type { ParameterSpec, ParameterType, ParameterValue } from './types.js';

/** Thrown when a parameter override has a type that cannot be used for the declared parameter. */
export class ParameterTypeMismatchError extends Error {
  constructor(name: string, expected: ParameterType, got: unknown) {
    super(`parameter '${name}' must be ${expected === 'integer' ? 'an integer' : `a ${expected.replace('_', ' ')}`}, got ${JSON.stringify(got, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))}`);
    this.name = 'ParameterTypeMismatchError';
  }
}

/** An override value made to fit the declared type where that loses nothing (YAML `1` for a double, `[1, 2]` for
 * a double array), else a ParameterTypeMismatchError naming the parameter. rclnodejs itself would refuse these. */
export function coerceParameter(spec: ParameterSpec, value: unknown): ParameterValue {
  const v = typeof value === 'bigint' ? Number(value) : value;
  const bad = () => new ParameterTypeMismatchError(spec.name, spec.type, v);
  switch (spec.type) {
    case 'bool':
      if (typeof v !== 'boolean') throw bad();
      return v;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw bad();
      return v;
    case 'double':
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad();
      return v;
    case 'string':
      if (typeof v !== 'string') throw bad();
      return v;
    case 'string_array':
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw bad();
      return [...(v as string[])];
    case 'double_array': {
      const arr = ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number | bigint>) : v;
      if (!Array.isArray(arr)) throw bad();
      const nums = arr.map((x: unknown) => (typeof x === 'bigint' ? Number(x) : x));
      if (!nums.every((x) => typeof x === 'number' && Number.isFinite(x))) throw bad();
      return nums as number[];
    }
  }
}
