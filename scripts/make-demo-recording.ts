// Converts the Redwood "living room 1" RGB-D frames (Open3D test data, MIT) into the bundled demo recording,
// a rosbag2 MCAP laid out like a RealSense camera driver's output:
//
//   npx tsx scripts/make-demo-recording.ts <input-folder> [--out demo/redwood_livingroom1.mcap]
//                                         [--copy-frames-to demo/redwood_livingroom1]
//
// The output depends only on the input files, so running it again reproduces the committed file byte for byte
// (test/sources/demo-recording.test.ts checks that).
import { chmod, copyFile, mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadCameraInfo } from '../src/calibration/camera-info-file.js';
import { quaternionFromMatrix } from '../src/geometry/transform.js';
import type { CameraInfo, TransformStamped } from '../src/geometry/types.js';
import {
  cameraInfoToMsg,
  compressedImageToMsg,
  rawImageToMsg,
  transformsToTfMsg,
} from '../src/messages/inputs.js';
import { readDepthPng } from '../src/sources/depth-png.js';
import { LATCHED_QOS, SENSOR_QOS } from '../src/sources/qos.js';
import { Ros2McapWriter } from '../src/sources/ros2-mcap-writer.js';

export const DEMO_TOPICS = {
  color: '/camera/color/image_raw/compressed',
  depth: '/camera/aligned_depth_to_color/image_raw',
  cameraInfo: '/camera/color/camera_info',
  tf: '/tf',
  tfStatic: '/tf_static',
} as const;

export const DEMO_FRAMES = {
  map: 'map',
  world: 'redwood_world',
  camera: 'camera_color_optical_frame',
} as const;

/** 2026-01-01T00:00:00Z: a fixed start so the file is reproducible. */
export const DEMO_START_NS = 1_767_225_600_000_000_000n;
/** Frames 1/15 s apart (the Redwood sequences are 30 Hz; these five are every other frame's pace). */
export function demoFrameStampNs(index: number): bigint {
  return DEMO_START_NS + (BigInt(index) * 1_000_000_000n) / 15n;
}

/**
 * Height of the floor above the Redwood world origin along its up axis (world +y), in metres. Measured once
 * from the depth: the median world y of all pixels below 0.2 m in the five frames is 0.1326 (spread 0.016 m).
 * `map` puts the floor at z = 0, as a navigation map would.
 */
export const DEMO_FLOOR_HEIGHT_M = 0.133;

/**
 * map -> redwood_world. Redwood's world is y-up (each camera's y axis, which points down in the image, maps to
 * world -y: checked per frame below); REP 103 wants z up. A +90° rotation about x takes world y to map z and
 * world z to map -y; the translation drops the floor to z = 0.
 */
export const MAP_FROM_REDWOOD_WORLD = {
  translation: { x: 0, y: 0, z: -DEMO_FLOOR_HEIGHT_M },
  rotation: { x: Math.SQRT1_2, y: 0, z: 0, w: Math.SQRT1_2 },
};

const LIBRARY = 'molmo-waypoints scripts/make-demo-recording.ts';

/**
 * The Open3D intrinsics file, published as a RealSense driver publishes its colour camera_info: plumb_bob with
 * zero coefficients (Open3D's file carries no distortion; loadCameraInfo reads it as an empty model).
 */
function readIntrinsics(path: string): CameraInfo {
  const { cameraName: _name, frameId: _frame, ...info } = loadCameraInfo(path);
  return { ...info, distortionModel: 'plumb_bob', d: [0, 0, 0, 0, 0] };
}

/** trajectory.log: per frame a "i j k" line and a camera-to-world 4×4 matrix (row-major, metres). */
export function parseTrajectoryLog(text: string, path = 'trajectory.log'): number[][] {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length % 5 !== 0) throw new Error(`${path}: ${lines.length} lines is not a multiple of 5`);
  const poses: number[][] = [];
  for (let i = 0; i < lines.length; i += 5) {
    const rows = lines.slice(i + 1, i + 5).map((l) => l.split(/\s+/).map(Number));
    const m = rows.flat();
    if (m.length !== 16 || m.some((v) => !Number.isFinite(v))) throw new Error(`${path}: pose ${i / 5} is not 16 numbers`);
    if (m[12] !== 0 || m[13] !== 0 || m[14] !== 0 || m[15] !== 1) throw new Error(`${path}: pose ${i / 5} last row is not 0 0 0 1`);
    poses.push(m);
  }
  return poses;
}

function cameraToWorld(m: number[], index: number): TransformStamped['transform'] {
  const r = [m[0]!, m[1]!, m[2]!, m[4]!, m[5]!, m[6]!, m[8]!, m[9]!, m[10]!];
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      const dot = r[a]! * r[b]! + r[3 + a]! * r[3 + b]! + r[6 + a]! * r[6 + b]!;
      if (Math.abs(dot - (a === b ? 1 : 0)) > 1e-9) throw new Error(`pose ${index}: rotation is not orthonormal`);
    }
  }
  // The camera's y axis (image down) seen in the world is the rotation's second column: it must point down (-y).
  if (r[4]! > -0.9) throw new Error(`pose ${index}: camera y maps to world y component ${r[4]}, expected about -1 (y-up world)`);
  return { translation: { x: m[3]!, y: m[7]!, z: m[11]! }, rotation: quaternionFromMatrix(r) };
}

export interface DemoRecordingSummary {
  frames: number;
  bytes: number;
}

/** Writes the demo MCAP for the frames in `inputDir` to `outPath`. */
export async function makeDemoRecording(inputDir: string, outPath: string): Promise<DemoRecordingSummary> {
  const names = (await readdir(inputDir)).sort();
  const colors = names.filter((n) => /^color_\d+\.jpg$/.test(n));
  const depths = names.filter((n) => /^depth_\d+\.png$/.test(n));
  if (colors.length === 0 || colors.length !== depths.length) {
    throw new Error(`${inputDir}: expected matching color_NNNNN.jpg and depth_NNNNN.png files, found ${colors.length} and ${depths.length}`);
  }
  const info = readIntrinsics(join(inputDir, 'camera_primesense.json'));
  const poses = parseTrajectoryLog(await readFile(join(inputDir, 'trajectory.log'), 'utf8'));
  if (poses.length < colors.length) throw new Error(`${inputDir}: ${poses.length} poses for ${colors.length} frames`);

  const out = await Ros2McapWriter.create(outPath, { library: LIBRARY });
  try {
    out.addTopic(DEMO_TOPICS.tfStatic, 'tf2_msgs/msg/TFMessage', LATCHED_QOS);
    out.addTopic(DEMO_TOPICS.tf, 'tf2_msgs/msg/TFMessage', SENSOR_QOS);
    out.addTopic(DEMO_TOPICS.cameraInfo, 'sensor_msgs/msg/CameraInfo', SENSOR_QOS);
    out.addTopic(DEMO_TOPICS.color, 'sensor_msgs/msg/CompressedImage', SENSOR_QOS);
    out.addTopic(DEMO_TOPICS.depth, 'sensor_msgs/msg/Image', SENSOR_QOS);

    const staticTf: TransformStamped = {
      frameId: DEMO_FRAMES.map, childFrameId: DEMO_FRAMES.world, stampNs: DEMO_START_NS, transform: MAP_FROM_REDWOOD_WORLD,
    };
    await out.write(DEMO_TOPICS.tfStatic, DEMO_START_NS, transformsToTfMsg([staticTf]));

    for (let i = 0; i < colors.length; i++) {
      const stampNs = demoFrameStampNs(i);
      const header = { stampNs, frameId: DEMO_FRAMES.camera };
      const colorPath = join(inputDir, colors[i]!);
      const meta = await sharp(colorPath).metadata();
      if (meta.format !== 'jpeg' || meta.width !== info.width || meta.height !== info.height) {
        throw new Error(`${colorPath}: ${meta.format} ${meta.width}x${meta.height}, expected a ${info.width}x${info.height} JPEG`);
      }
      const jpeg = new Uint8Array(await readFile(colorPath));
      const depthPath = join(inputDir, depths[i]!);
      const depth = await readDepthPng(depthPath);
      if (depth.width !== info.width || depth.height !== info.height) {
        throw new Error(`${depthPath}: ${depth.width}x${depth.height}, expected ${info.width}x${info.height}`);
      }
      const tf: TransformStamped = {
        frameId: DEMO_FRAMES.world, childFrameId: DEMO_FRAMES.camera, stampNs, transform: cameraToWorld(poses[i]!, i),
      };
      await out.write(DEMO_TOPICS.tf, stampNs, transformsToTfMsg([tf]));
      await out.write(DEMO_TOPICS.cameraInfo, stampNs, cameraInfoToMsg(info, header));
      await out.write(DEMO_TOPICS.color, stampNs, compressedImageToMsg({ format: 'jpeg', data: jpeg }, header));
      await out.write(DEMO_TOPICS.depth, stampNs, rawImageToMsg(depth, header));
    }
  } finally {
    await out.close();
  }
  return { frames: colors.length, bytes: (await stat(outPath)).size };
}

const SOURCE_FILES = /^(color_\d+\.jpg|depth_\d+\.png|trajectory\.log|odometry\.log|rgbd\.match|camera_primesense\.json)$/;

/** Copies the source frames (and their pose/intrinsics files) next to the recording, so it can be rebuilt. */
export async function copySourceFrames(inputDir: string, destDir: string): Promise<number> {
  if (resolve(inputDir) === resolve(destDir)) return 0;
  await mkdir(destDir, { recursive: true });
  const names = (await readdir(inputDir)).filter((n) => SOURCE_FILES.test(n)).sort();
  for (const n of names) {
    await copyFile(join(inputDir, n), join(destDir, n));
    await chmod(join(destDir, n), 0o644); // the shared originals are read-only
  }
  return names.length;
}

async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  let out = 'demo/redwood_livingroom1.mcap';
  let copyTo: string | null = null;
  const positional: string[] = [];
  while (args.length > 0) {
    const a = args.shift()!;
    if (a === '--out') out = args.shift() ?? '';
    else if (a === '--copy-frames-to') copyTo = args.shift() ?? '';
    else if (a === '--help' || a === '-h') positional.length = 99;
    else positional.push(a);
  }
  if (positional.length !== 1 || out === '' || copyTo === '') {
    console.error('usage: npx tsx scripts/make-demo-recording.ts <input-folder> [--out <file.mcap>] [--copy-frames-to <folder>]');
    return 2;
  }
  const input = positional[0]!;
  if (copyTo !== null) console.log(`copied ${await copySourceFrames(input, copyTo)} files to ${copyTo}`);
  const summary = await makeDemoRecording(input, out);
  console.log(`wrote ${out}: ${summary.frames} frames, ${summary.bytes} bytes`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`make-demo-recording: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
