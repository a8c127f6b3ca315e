// Starts the ROS node on the in-memory double with a real Bridge and a real Molmo client talking to the fake
// Molmo server, and builds ROS-shaped camera and TF messages (exactly what rclnodejs hands to callbacks).
import { nsFromRos } from '../../src/geometry/time.js';
import { cameraInfoToMsg } from '../../src/messages/inputs.js';
import { Bridge } from '../../src/pipeline/bridge.js';
import type { PointResult } from '../../src/pipeline/types.js';
import { MolmoPointer } from '../../src/pointing/molmo-client.js';
import { MemoryRuntime, STANDARD_INTERFACES, type MemoryNode } from '../../src/ros/memory-runtime.js';
import { prepareRosNode, type RosNodeHandle } from '../../src/ros/node.js';
import type { RosSettings } from '../../src/ros/parameters.js';
import { cameraInfo } from '../helpers/camera-info.js';
import { startFakeMolmoServer, type FakeMolmoServer, type FakeReply } from '../helpers/fake-molmo-server.js';

export const W = 64;
export const H = 48;
export const FX = 50;
export const FY = 50;
export const CX = 31.5;
export const CY = 23.5;
export const DEPTH_MM = 1000;
/** The image stamp: 2024-04-05T19:34:38.123456789Z, odd nanoseconds so int64 handling shows. */
export const STAMP = { sec: 1_712_345_678, nanosec: 123_456_789 };
export const STAMP_NS = 1_712_345_678_123_456_789n;
export const CAMERA_FRAME = 'camera_color_optical_frame';

/** base_link <- optical frame: 0.5 m ahead and 1 m above the base, looking straight down (180° about x). */
export const BASE_FROM_CAMERA = { translation: { x: 0.5, y: 0, z: 1 }, rotation: { x: 1, y: 0, z: 0, w: 0 } };

export const ALL_INTERFACES = [
  ...STANDARD_INTERFACES,
  'vision_msgs/msg/Detection3DArray',
  'molmo_waypoints_interfaces/action/PointAt',
  'molmo_waypoints_interfaces/srv/PointAt',
];

export function header(frameId = CAMERA_FRAME, stamp = STAMP) {
  return { stamp: { ...stamp }, frame_id: frameId };
}

export function cameraInfoMsg(stamp = STAMP) {
  return cameraInfoToMsg(cameraInfo({ width: W, height: H, fx: FX, fy: FY, cx: CX, cy: CY }), { stampNs: nsFromRos(stamp), frameId: CAMERA_FRAME });
}

export function colorMsg(stamp = STAMP) {
  const data = new Uint8Array(W * H * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 251;
  return { header: header(CAMERA_FRAME, stamp), height: H, width: W, encoding: 'rgb8', is_bigendian: 0, step: W * 3, data };
}

export function depthMsg(stamp = STAMP, mm = DEPTH_MM) {
  const data = new Uint8Array(W * H * 2);
  const view = new DataView(data.buffer);
  for (let i = 0; i < W * H; i++) view.setUint16(i * 2, mm, true);
  return { header: header(CAMERA_FRAME, stamp), height: H, width: W, encoding: '16UC1', is_bigendian: 0, step: W * 2, data };
}

/** The fixture floor with a 10 cm block on it (900 mm from the camera over columns 24..47, rows 16..35): an
 * object beside the pointed image centre, for the segment's parameters (a bare floor grows no object). */
export function depthWithBlockMsg(stamp = STAMP) {
  const msg = depthMsg(stamp);
  const view = new DataView(msg.data.buffer);
  for (let v = 16; v <= 35; v++) for (let u = 24; u <= 47; u++) view.setUint16((v * W + u) * 2, DEPTH_MM - 100, true);
  return msg;
}

export function tfMsg(parent: string, child: string, t: { translation: { x: number; y: number; z: number }; rotation: { x: number; y: number; z: number; w: number } }, stamp = STAMP) {
  return { transforms: [{ header: header(parent, stamp), child_frame_id: child, transform: { translation: { ...t.translation }, rotation: { ...t.rotation } } }] };
}

/** The camera point of pixel (u, v) at the fixture depth, in base_link (the fixture camera looks straight down). */
export function expectedBasePoint(u: number, v: number) {
  const z = DEPTH_MM / 1000;
  const xc = ((u - CX) / FX) * z;
  const yc = ((v - CY) / FY) * z;
  return { x: BASE_FROM_CAMERA.translation.x + xc, y: -yc, z: BASE_FROM_CAMERA.translation.z - z };
}

export interface Harness {
  runtime: MemoryRuntime;
  node: MemoryNode;
  bridge: Bridge;
  server: FakeMolmoServer;
  settings: RosSettings;
  handle: RosNodeHandle;
  /** Publishes camera info, colour, depth (same stamp) and the static camera transform, as drivers would. */
  feedFrame(stamp?: { sec: number; nanosec: number }, depth?: ReturnType<typeof depthMsg>): void;
  /** The same frame with a block on the floor (depthWithBlockMsg). */
  feedFrameWithObject(): void;
  /** Resolves with the next result the bridge emits. */
  nextResult(): Promise<PointResult>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  overrides?: Record<string, unknown>;
  interfaces?: string[];
  replies?: FakeReply[];
  fallback?: FakeReply;
  now?: () => bigint;
  /** Packages generated for rclnodejs whose typesupport library does not load (overlay not sourced). */
  missingTypesupport?: string[];
}

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const server = await startFakeMolmoServer({ replies: o.replies ?? [], fallback: o.fallback ?? { answer: '<point x="50" y="50" alt="red mug">red mug</point>' }, model: 'fake-molmo' });
  const runtime = new MemoryRuntime({
    parameterOverrides: { 'model.urls': [server.url], 'model.name': 'fake-molmo', 'model.retries': 0, ...o.overrides },
    interfaces: o.interfaces ?? ALL_INTERFACES,
    ...(o.now ? { now: o.now } : {}),
    ...(o.missingTypesupport ? { missingTypesupport: o.missingTypesupport } : {}),
  });
  let prepared, bridge, handle;
  try {
    prepared = await prepareRosNode({ runtime });
    bridge = new Bridge({ config: prepared.settings.bridge, pointer: new MolmoPointer(prepared.settings.molmo) });
    handle = await prepared.start(bridge);
  } catch (err) {
    await server.close();
    throw err;
  }
  const settings = prepared.settings;
  const node = prepared.node as MemoryNode;
  function feedFrame(stamp = STAMP, depth = depthMsg(stamp)): void {
    node.inject('/tf_static', tfMsg('base_link', CAMERA_FRAME, BASE_FROM_CAMERA, { sec: 0, nanosec: 0 }));
    node.inject(settings.node.cameraInfoTopic, cameraInfoMsg(stamp));
    node.inject(settings.node.colorTopic, colorMsg(stamp));
    node.inject(settings.node.depthTopic, depth);
  }
  return {
    runtime,
    node,
    bridge,
    server,
    settings,
    handle,
    feedFrame,
    feedFrameWithObject: () => feedFrame(STAMP, depthWithBlockMsg()),
    nextResult: () => new Promise<PointResult>((resolve) => bridge.once('result', resolve)),
    async close() {
      handle.close();
      await server.close();
    },
  };
}
