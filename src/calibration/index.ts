// Calibration file loaders (file I/O lives here, not in src/geometry/).
export { CalibrationFileError } from './errors.js';
export { loadCameraInfo, parseCameraInfo, type LoadedCameraInfo } from './camera-info-file.js';
export { handEyeTransform, loadHandEye, type HandEyeCalibration, type HandEyeType } from './hand-eye.js';
export { loadStaticTransforms } from './static-transforms.js';
export { loadTransformsFile, type TransformsFile } from './transforms-file.js';
