// One entry point for "a file of fixed transforms": an easy_handeye2 .calib (recognised by `parameters`) or our
// static-transforms YAML (recognised by `transforms`). Used by the CLI and the app config to seed a TF buffer.
import type { TransformStamped } from '../geometry/types.js';
import { CalibrationFileError } from './errors.js';
import { handEyeTransform, loadHandEye, type HandEyeCalibration } from './hand-eye.js';
import { readDocument } from './read-document.js';
import { loadStaticTransforms } from './static-transforms.js';

export interface TransformsFile {
  kind: 'hand_eye' | 'static_transforms';
  transforms: TransformStamped[];
  /** For a hand-eye file: the calibrated camera frame (tracking_base_frame). */
  cameraFrame: string | null;
  handEye: HandEyeCalibration | null;
}

export function loadTransformsFile(path: string): TransformsFile {
  const doc = readDocument(path);
  if (doc.parameters !== undefined) {
    const handEye = loadHandEye(path, doc);
    return { kind: 'hand_eye', transforms: [handEyeTransform(handEye)], cameraFrame: handEye.childFrame, handEye };
  }
  if (doc.transforms !== undefined) {
    return { kind: 'static_transforms', transforms: loadStaticTransforms(path, doc), cameraFrame: null, handEye: null };
  }
  throw new CalibrationFileError(path, null, 'neither an easy_handeye2 calibration (parameters, transform) nor a static-transforms file (transforms)');
}
