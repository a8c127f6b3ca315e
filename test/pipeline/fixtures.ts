// Synthetic frames and a scripted pointer for the pipeline tests (no sensors, no network).
import type { CameraInfo, RawImage, TransformStamped } from '../../src/geometry/types.js';
import { Bridge } from '../../src/pipeline/bridge.js';
import { defaultConfig, type BridgeConfig } from '../../src/pipeline/config.js';
import type { PointingResult, Pointer, PointOptions } from '../../src/pointing/types.js';
import type { ColorImage } from '../../src/geometry/types.js';
import { cameraInfo as sharedCameraInfo } from '../helpers/camera-info.js';

export const W = 64;
export const H = 48;
export const FX = 50;
export const FY = 52;
export const CX = 31.5;
export const CY = 23.5;
export const CAMERA = 'camera_color_optical_frame';
export const STAMP = 1_700_000_000_000_000_000n;

/** The fixture camera; other sizes keep the field of view (intrinsics scaled with the pixel-centre convention). */
export function cameraInfo(width = W, height = H): CameraInfo {
  const s = width / W;
  return sharedCameraInfo({ width, height, fx: FX * s, fy: FY * s, cx: (CX + 0.5) * s - 0.5, cy: (CY + 0.5) * s - 0.5 });
}

export function colorImage(width = W, height = H): ColorImage {
  return { kind: 'raw', encoding: 'rgb8', width, height, step: width * 3, isBigEndian: false, data: new Uint8Array(width * height * 3).fill(128) };
}

/** 16UC1 depth in mm from a function of the pixel (0 = no data). */
export function depthImage(mm: (col: number, row: number) => number, width = W, height = H): RawImage {
  const data = new Uint8Array(width * height * 2);
  const view = new DataView(data.buffer);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) view.setUint16((r * width + c) * 2, mm(c, r), true);
  return { encoding: '16UC1', width, height, step: width * 2, isBigEndian: false, data };
}

/** base_link <- camera optical frame: camera 1.2 m up, 0.1 m forward, looking along base +X (REP 103 optical axes). */
export const CAMERA_IN_BASE: TransformStamped = {
  frameId: 'base_link',
  childFrameId: CAMERA,
  stampNs: STAMP,
  // optical z -> base x, optical x -> base -y, optical y -> base -z
  transform: { translation: { x: 0.1, y: 0, z: 1.2 }, rotation: { x: -0.5, y: 0.5, z: -0.5, w: 0.5 } },
};

/** The same mapping as CAMERA_IN_BASE, written out as a matrix for independent checks. */
export function cameraToBase(p: { x: number; y: number; z: number }) {
  return { x: p.z + 0.1, y: -p.x, z: -p.y + 1.2 };
}

export class FakeClock {
  constructor(public ms = 1_000_000) {}
  now = () => this.ms;
}

export function makeBridge(opts: { pointer?: Pointer | null; config?: (c: BridgeConfig) => void; clock?: FakeClock } = {}) {
  const config = defaultConfig();
  opts.config?.(config);
  const clock = opts.clock ?? new FakeClock();
  const bridge = new Bridge({ pointer: opts.pointer ?? null, config, now: clock.now });
  return { bridge, clock, config };
}

/** Feeds a static TF and one synced frame with a flat wall at `mm` (or the given depth). */
export function feedFrame(bridge: Bridge, opts: { stampNs?: bigint; depth?: RawImage; info?: CameraInfo; color?: ColorImage; depthFrame?: string; tf?: boolean } = {}) {
  const stampNs = opts.stampNs ?? STAMP;
  if (opts.tf !== false) bridge.ingest({ kind: 'tf', transforms: [CAMERA_IN_BASE], isStatic: true });
  bridge.ingest({ kind: 'camera_info', header: { stampNs, frameId: CAMERA }, info: opts.info ?? cameraInfo() });
  bridge.ingest({ kind: 'color', header: { stampNs, frameId: CAMERA }, image: opts.color ?? colorImage() });
  bridge.ingest({ kind: 'depth', header: { stampNs, frameId: opts.depthFrame ?? CAMERA }, image: opts.depth ?? depthImage(() => 2000) });
}

export function pointing(points: { u: number; v: number; label?: string }[], extra: Partial<PointingResult> = {}): PointingResult {
  return {
    points: points.map((p, i) => ({ u: p.u, v: p.v, label: p.label ?? 'mug', alt: null, image: 1, id: i + 1 })),
    count: null,
    none: false,
    truncated: false,
    rawText: '<point x="50" y="50">mug</point>',
    model: 'scripted-molmo',
    timings: {},
    ...extra,
  };
}

/** A Pointer whose answer the test scripts; records the queries it got. */
export class ScriptedPointer implements Pointer {
  readonly name = 'scripted';
  readonly queries: string[] = [];
  constructor(private readonly answer: (query: string, options: PointOptions) => Promise<PointingResult>) {}
  point(_image: ColorImage, query: string, options: PointOptions = {}): Promise<PointingResult> {
    this.queries.push(query);
    return this.answer(query, options);
  }
}

/** A promise that settles only when the signal aborts (like a model that hangs), or never if ignoreSignal. */
export function hang(options: PointOptions, ignoreSignal = false): Promise<PointingResult> {
  return new Promise((_, reject) => {
    if (!ignoreSignal) options.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
}
