// `molmo-waypoints lift`: pixels -> 3D points through a camera info file and a depth PNG (or a constant depth),
// optionally into another frame through a hand-eye calibration or a static-transforms file. Prints JSON.
import { parseArgs } from 'node:util';
import { CalibrationFileError, loadCameraInfo, loadTransformsFile, type LoadedCameraInfo } from '../calibration/index.js';
import { backproject, liftPixel, sameAspect } from '../geometry/backproject.js';
import { CameraInfoError, CameraModel } from '../geometry/camera-model.js';
import { DepthEncodingError, DepthImage } from '../geometry/depth-image.js';
import { TfBuffer, TfError } from '../geometry/tf-buffer.js';
import { applyTransform } from '../geometry/transform.js';
import type { Transform, Vec3 } from '../geometry/types.js';
import { ImageFileError, readDepthPng } from '../sources/depth-png.js';
import { visibleText } from '../text/visible-text.js';

const USAGE = `usage: molmo-waypoints lift --camera-info <yaml|json> (--depth <png> [--depth-scale <units per metre>] | --depth-m <metres>)
                            --pixel <u,v> [--pixel <u,v> ...] [--window <radius px>]
                            [--calibration <file> [--target-frame <frame>]] [--camera-frame <frame>] [--rectified]

Back-projects raw pixels (integers are pixel centres) to points in the camera optical frame and prints JSON.
  --camera-info   camera_calibration_parsers YAML, or a sensor_msgs/CameraInfo as JSON/YAML (ROS 2 field names)
  --depth         16-bit single-channel PNG aligned with the colour image; 0 = no data. Its size must be the
                  camera info's, or the same aspect ratio at another resolution (then pixels are scaled onto it)
  --depth-scale   depth units per metre, 1 to 1e6 (default 1000: millimetres)
  --depth-m       use this constant depth (metres, up to 1000) instead of a depth image
  --pixel         a pixel "u,v"; repeat for more
  --window        radius of the depth window in pixels (default 3); the nearest well-supported surface wins
  --calibration   easy_handeye2 .calib or static-transforms YAML; with --target-frame also prints target points
                  (a hand-eye file alone targets its robot frame)
  --target-frame  frame to express points in
  --camera-frame  optical frame of the camera (default: the file's header.frame_id, the hand-eye camera frame,
                  else camera_optical_frame)
  --rectified     the pixels are in the rectified image: use P, no distortion
Exit status: 0 with a status per pixel; 2 when a file or flag is unusable (one line on stderr).`;

const DEFAULT_CAMERA_FRAME = 'camera_optical_frame';

class UsageError extends Error {}

interface PointOut {
  pixel: [number, number];
  status: string;
  reason: string | null;
  camera_point: [number, number, number] | null;
  frame_id: string;
  depth_m: number | null;
  valid_ratio: number;
  target_point: [number, number, number] | null;
  target_frame: string | null;
}

export async function run(argv: string[]): Promise<number> {
  try {
    const out = await lift(argv);
    if (out === 'help') {
      console.log(USAGE);
      return 0;
    }
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  } catch (e) {
    if (
      e instanceof UsageError || e instanceof CalibrationFileError || e instanceof CameraInfoError ||
      e instanceof DepthEncodingError || e instanceof TfError
    ) {
      console.error(`lift: ${visibleText(e.message, 1000)}`);
      return 2;
    }
    throw e;
  }
}

async function lift(argv: string[]): Promise<{ points: PointOut[] } | 'help'> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'camera-info': { type: 'string' },
        depth: { type: 'string' },
        'depth-scale': { type: 'string' },
        'depth-m': { type: 'string' },
        pixel: { type: 'string', multiple: true },
        window: { type: 'string' },
        calibration: { type: 'string' },
        'target-frame': { type: 'string' },
        'camera-frame': { type: 'string' },
        rectified: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (see --help)`);
  }
  if (values.help) return 'help';

  if (!values['camera-info']) throw new UsageError('--camera-info <file> is required');
  if (!values.pixel?.length) throw new UsageError('at least one --pixel u,v is required');
  if ((values.depth === undefined) === (values['depth-m'] === undefined)) {
    throw new UsageError('give exactly one of --depth <png> and --depth-m <metres>');
  }
  if (values['depth-scale'] !== undefined && values.depth === undefined) throw new UsageError('--depth-scale applies to --depth only');
  const pixels = values.pixel.map(parsePixel);
  const window = values.window === undefined ? 3 : parseNumber('--window', values.window);
  if (!Number.isInteger(window) || window < 0 || window > 100) throw new UsageError(`--window must be an integer 0..100, got '${values.window}'`);

  const info = loadCameraInfo(values['camera-info']);
  const model = CameraModel.fromCameraInfo(info, { rectified: values.rectified ?? false });
  for (const w of model.warnings) console.error(`lift: warning: ${visibleText(w, 1000)}`);

  const target = resolveTarget(values, info);

  let depth: DepthImage | null = null;
  let constantDepth: number | null = null;
  if (values.depth !== undefined) {
    const scale = values['depth-scale'] === undefined ? 1000 : parseNumber('--depth-scale', values['depth-scale']);
    if (!(scale >= 1 && scale <= 1e6)) throw new UsageError(`--depth-scale must be 1 to 1e6 depth units per metre, got '${values['depth-scale']}'`);
    depth = await readDepth(values.depth, scale);
    if ((depth.width !== model.width || depth.height !== model.height) && !sameAspect(depth.width, depth.height, model.width, model.height)) {
      throw new UsageError(
        `--depth ${values.depth} is ${depth.width}x${depth.height} but the camera info is ${model.width}x${model.height}: ` +
          'an aligned depth image has the colour image\'s size (or its aspect ratio at another resolution)',
      );
    }
  } else {
    constantDepth = parseNumber('--depth-m', values['depth-m']!);
    if (!(constantDepth > 0 && constantDepth <= 1000)) throw new UsageError(`--depth-m must be a positive number of metres up to 1000, got '${values['depth-m']}'`);
  }

  const points = pixels.map(([u, v]): PointOut => {
    // Field order as in the CLI contract.
    const failed = (status: string, reason: string): PointOut => ({
      pixel: [u, v], status, reason, camera_point: null, frame_id: target.cameraFrame, depth_m: null,
      valid_ratio: 0, target_point: null, target_frame: target.frame,
    });
    let point: Vec3;
    let depthM: number;
    let validRatio = 1;
    if (depth) {
      const r = liftPixel(model, depth, u, v, { windowRadius: window });
      if (r.status !== 'ok') return failed(r.status, r.reason);
      point = r.point;
      depthM = r.sample.depthM;
      validRatio = r.sample.validRatio;
    } else {
      if (!model.contains(u, v)) return failed('outside_image', `pixel (${u}, ${v}) is outside the ${model.width}×${model.height} image`);
      depthM = constantDepth!;
      const p = backproject(model, u, v, depthM);
      // depthM is checked positive above: only the lens model can refuse.
      if (!p) return failed('undistort_failed', `pixel (${u}, ${v}) lies outside the valid region of the ${model.distortionModel} lens model`);
      point = p;
    }
    const t = target.transform ? applyTransform(target.transform, point) : null;
    return {
      pixel: [u, v],
      status: 'ok',
      reason: null,
      camera_point: [point.x, point.y, point.z],
      frame_id: target.cameraFrame,
      depth_m: depthM,
      valid_ratio: validRatio,
      target_point: t ? [t.x, t.y, t.z] : null,
      target_frame: target.frame,
    };
  });
  return { points };
}

function parseNumber(flag: string, text: string): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} expects a number, got '${text}'`);
  return n;
}

function parsePixel(text: string): [number, number] {
  const parts = text.split(',');
  const nums = parts.map((p) => Number(p.trim()));
  if (parts.length !== 2 || parts.some((p) => p.trim() === '') || !nums.every(Number.isFinite)) {
    throw new UsageError(`--pixel expects u,v (two numbers), got '${text}'`);
  }
  return [nums[0]!, nums[1]!];
}

/** The camera frame name, and (when asked) the transform from it into the target frame. */
function resolveTarget(
  values: { calibration?: string; 'target-frame'?: string; 'camera-frame'?: string },
  info: LoadedCameraInfo,
): { cameraFrame: string; frame: string | null; transform: Transform | null } {
  const file = values.calibration ? loadTransformsFile(values.calibration) : null;
  const named = values['camera-frame'] ?? info.frameId ?? null;
  if (file?.cameraFrame && named && named !== file.cameraFrame) {
    throw new UsageError(
      `${values.calibration} calibrates camera frame '${file.cameraFrame}' but the camera frame is '${named}'`,
    );
  }
  const cameraFrame = named ?? file?.cameraFrame ?? DEFAULT_CAMERA_FRAME;
  let frame = values['target-frame'] ?? null;
  if (!file) {
    if (frame !== null && frame !== cameraFrame) throw new UsageError(`--target-frame ${frame} needs --calibration <file> to get there from ${cameraFrame}`);
    return { cameraFrame, frame, transform: null };
  }
  if (frame === null) {
    if (!file.handEye) throw new UsageError(`--calibration ${values.calibration} needs --target-frame <frame>`);
    frame = file.handEye.parentFrame;
  }
  const tf = new TfBuffer();
  for (const t of file.transforms) tf.setTransform(t, true);
  return { cameraFrame, frame, transform: tf.lookup(frame, cameraFrame, 0n) };
}

/** A 16-bit single-channel PNG in `scale` units per metre (0 = no data) as a depth view. */
async function readDepth(path: string, scale: number): Promise<DepthImage> {
  try {
    return DepthImage.fromImage(await readDepthPng(path), { unitsPerMetre: scale });
  } catch (e) {
    if (e instanceof ImageFileError) throw new UsageError(`--depth ${e.message}`);
    throw e;
  }
}
