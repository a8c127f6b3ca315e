// Camera intrinsics files -> CameraInfo. Three layouts are recognised by their fields, in YAML or JSON:
//   camera_calibration_parsers (what camera_calibration writes, what camera drivers load): image_width,
//     image_height, camera_name, camera_matrix {rows, cols, data}, distortion_model, distortion_coefficients,
//     rectification_matrix, projection_matrix;
//   sensor_msgs/CameraInfo with ROS 2 field names (e.g. `ros2 topic echo --once` as YAML, or JSON):
//     width, height, distortion_model, d, k, r, p, binning_x, binning_y, roi;
//   Open3D's PinholeCameraIntrinsic JSON: width, height, intrinsic_matrix (column-major 3×3, no distortion).
// The result is validated by building a CameraModel, so a file that loads is a file that works.
import { CameraInfoError, CameraModel } from '../geometry/camera-model.js';
import type { CameraInfo } from '../geometry/types.js';
import { CalibrationFileError } from './errors.js';
import { type Doc, Fields, readDocument } from './read-document.js';

export interface LoadedCameraInfo extends CameraInfo {
  /** camera_name of a camera_calibration_parsers file, or null. */
  cameraName: string | null;
  /** header.frame_id of a CameraInfo message file, or null (intrinsics files do not name a frame). */
  frameId: string | null;
}

export function loadCameraInfo(path: string): LoadedCameraInfo {
  return parseCameraInfo(readDocument(path), path);
}

export function parseCameraInfo(doc: Doc, file: string): LoadedCameraInfo {
  const f = new Fields(file, doc);
  let info: LoadedCameraInfo;
  let fieldNames: Record<string, string>;
  if (f.has('camera_matrix')) {
    info = fromCalibrationParsers(f);
    fieldNames = {
      width: 'image_width', height: 'image_height', k: 'camera_matrix.data', d: 'distortion_coefficients.data',
      r: 'rectification_matrix.data', p: 'projection_matrix.data',
    };
  } else if (f.has('k') || f.has('K')) {
    info = fromRos2(f);
    fieldNames = f.has('K') ? { k: 'K', d: 'D', r: 'R', p: 'P' } : {};
  } else if (f.has('intrinsic_matrix')) {
    info = fromOpen3d(f);
    fieldNames = { k: 'intrinsic_matrix' };
  } else {
    throw new CalibrationFileError(file, null, 'not a camera info file (no camera_matrix, k or intrinsic_matrix field)');
  }
  try {
    CameraModel.fromCameraInfo(info);
  } catch (e) {
    if (!(e instanceof CameraInfoError)) throw e;
    const detail = e.message.replace(/^camera info: [^:]+: /, '');
    throw new CalibrationFileError(file, fieldNames[e.field] ?? e.field, detail);
  }
  return info;
}

function matrix(f: Fields, key: string, rows: number, cols: number): number[] {
  const m = f.object(key);
  const r = m.integer('rows', rows);
  const c = m.integer('cols', cols);
  const data = m.numbers('data');
  if (r * c !== data.length) m.fail('data', `has ${data.length} values for a ${r}×${c} matrix`);
  if (rows > 0 && (r !== rows || c !== cols)) m.fail('rows', `must be ${rows}×${cols}, got ${r}×${c}`);
  return data;
}

function fromCalibrationParsers(f: Fields): LoadedCameraInfo {
  const width = f.integer('image_width');
  const height = f.integer('image_height');
  const k = matrix(f, 'camera_matrix', 3, 3);
  const d = f.has('distortion_coefficients') ? matrix(f, 'distortion_coefficients', 0, 0) : [];
  // Files written before distortion_model existed are plumb_bob (camera_calibration_parsers' own default).
  const model = f.string('distortion_model', d.length ? 'plumb_bob' : '');
  const r = f.has('rectification_matrix') ? matrix(f, 'rectification_matrix', 3, 3) : [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const p = f.has('projection_matrix')
    ? matrix(f, 'projection_matrix', 3, 4)
    : [k[0]!, k[1]!, k[2]!, 0, k[3]!, k[4]!, k[5]!, 0, k[6]!, k[7]!, k[8]!, 0];
  return {
    cameraName: f.has('camera_name') ? f.string('camera_name') : null,
    frameId: null,
    width, height, distortionModel: model, d, k, r, p,
    binningX: 0, binningY: 0,
    roi: { xOffset: 0, yOffset: 0, width: 0, height: 0, doRectify: false },
  };
}

function fromRos2(f: Fields): LoadedCameraInfo {
  const upper = f.has('K');
  const k = f.numbers(upper ? 'K' : 'k', [9]);
  const d = f.has(upper ? 'D' : 'd') ? f.numbers(upper ? 'D' : 'd') : [];
  const r = f.has(upper ? 'R' : 'r') ? f.numbers(upper ? 'R' : 'r', [9]) : [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const p = f.has(upper ? 'P' : 'p')
    ? f.numbers(upper ? 'P' : 'p', [12])
    : [k[0]!, k[1]!, k[2]!, 0, k[3]!, k[4]!, k[5]!, 0, k[6]!, k[7]!, k[8]!, 0];
  let roi = { xOffset: 0, yOffset: 0, width: 0, height: 0, doRectify: false };
  if (f.has('roi')) {
    const o = f.object('roi');
    roi = {
      xOffset: o.integer('x_offset', 0),
      yOffset: o.integer('y_offset', 0),
      width: o.integer('width', 0),
      height: o.integer('height', 0),
      doRectify: o.boolean('do_rectify', false),
    };
  }
  const header = f.has('header') ? f.object('header') : null;
  const frameId = header?.has('frame_id') ? header.string('frame_id').trim() || null : null;
  return {
    cameraName: null,
    frameId,
    width: f.integer('width'),
    height: f.integer('height'),
    distortionModel: f.string('distortion_model', d.length ? 'plumb_bob' : ''),
    d, k, r, p,
    binningX: f.integer('binning_x', 0),
    binningY: f.integer('binning_y', 0),
    roi,
  };
}

function fromOpen3d(f: Fields): LoadedCameraInfo {
  const m = f.numbers('intrinsic_matrix', [9]);
  // Open3D stores the matrix column-major: [fx, 0, 0, 0, fy, 0, cx, cy, 1].
  const k = [m[0]!, m[3]!, m[6]!, m[1]!, m[4]!, m[7]!, m[2]!, m[5]!, m[8]!];
  return {
    cameraName: null,
    frameId: null,
    width: f.integer('width'),
    height: f.integer('height'),
    distortionModel: '',
    d: [],
    k,
    r: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    p: [k[0]!, k[1]!, k[2]!, 0, k[3]!, k[4]!, k[5]!, 0, k[6]!, k[7]!, k[8]!, 0],
    binningX: 0, binningY: 0,
    roi: { xOffset: 0, yOffset: 0, width: 0, height: 0, doRectify: false },
  };
}
