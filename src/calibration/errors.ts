/** A calibration file that cannot be used. The message is one line naming the file and the field at fault. */
export class CalibrationFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string | null,
    detail: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${detail}`.replace(/\s*\n\s*/g, ' '));
    this.name = 'CalibrationFileError';
  }
}
