// A transform given as a 4×4 homogeneous matrix, row-major: [R t; 0 0 0 1], as numpy prints what OpenCV's
// calibrateHandEye (R and t stacked), Open3D's registration and many calibration tools give. Accepted as 16
// numbers or as 4 rows of 4. It must be a rigid transform: last row [0, 0, 0, 1], R orthonormal with det +1.
import { createRequire } from 'node:module';
import type { Matrix } from 'mathjs';
import { quaternionFromMatrix } from '../geometry/transform.js';
import type { Transform } from '../geometry/types.js';
import { CalibrationFileError } from './errors.js';
import type { Fields } from './read-document.js';

type MathJs = typeof import('mathjs');

/** ‖RᵀR − I‖ (Frobenius) above this is a scale, a shear or a matrix printed with too few digits. */
const ORTHONORMAL_TOLERANCE = 1e-6;
const LAST_ROW_TOLERANCE = 1e-9;

let mathjs: MathJs | null = null;

// Loaded on first use, synchronously (the loaders are synchronous): importing mathjs costs ~0.7 s, which
// every user of the calibration loaders (CLI start-up, the ROS node) would otherwise pay for files without a matrix.
function loadMathjs(): MathJs {
  mathjs ??= createRequire(import.meta.url)('mathjs') as MathJs;
  return mathjs;
}

/** The transform of `f[key]`; throws CalibrationFileError naming `key` when it is not a rigid transform. */
export function transformFromMatrix(f: Fields, key: string): Transform {
  const m = matrixValues(f, key);
  const last = m.slice(12);
  if (last.some((v, i) => Math.abs(v - (i === 3 ? 1 : 0)) > LAST_ROW_TOLERANCE)) {
    const columnMajor = [m[3], m[7], m[11]].every((v) => Math.abs(v!) <= LAST_ROW_TOLERANCE) && Math.abs(m[15]! - 1) <= LAST_ROW_TOLERANCE;
    f.fail(key, `last row must be [0, 0, 0, 1], got [${last.join(', ')}]${columnMajor ? ' (the matrix looks column-major: give it row-major)' : ''}`);
  }
  const rows = [m.slice(0, 3), m.slice(4, 7), m.slice(8, 11)];
  const math = loadMathjs();
  const r = math.matrix(rows);
  const deviation = math.norm(math.subtract(math.multiply(math.transpose(r), r), math.identity(3)) as Matrix, 'fro') as number;
  if (!(deviation < ORTHONORMAL_TOLERANCE)) {
    f.fail(key, `rotation block is not orthonormal (‖RᵀR − I‖ = ${deviation.toExponential(1)}, must be below ${ORTHONORMAL_TOLERANCE.toExponential(0)}: a scale or shear, or too few digits)`);
  }
  const det = math.det(r);
  if (det < 0) f.fail(key, `is not a rotation (det = ${det.toFixed(3)}, a reflection)`);
  return {
    translation: { x: m[3]!, y: m[7]!, z: m[11]! },
    rotation: quaternionFromMatrix(rows.flat()),
  };
}

/** The 16 values, row-major, from a flat list or from 4 rows of 4. */
function matrixValues(f: Fields, key: string): number[] {
  const raw = f.raw(key);
  if (!Array.isArray(raw) || !raw.some(Array.isArray)) return f.numbers(key, [16]);
  if (raw.length !== 4 || !raw.every((row) => Array.isArray(row) && row.length === 4)) {
    f.fail(key, `needs 4 rows of 4 values (or 16 values), got ${raw.length} rows of ${raw.map((row) => (Array.isArray(row) ? row.length : 1)).join(', ')}`);
  }
  return (raw as unknown[][]).flatMap((row, i) =>
    row.map((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new CalibrationFileError(f.file, `${f.path(key)}[${i}][${j}]`, `must be a finite number, got ${JSON.stringify(v)}`);
      }
      return v;
    }),
  );
}
