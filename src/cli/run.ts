// `molmo-waypoints run --config <file>`: the bridge with its adapters, from one YAML config. Under ROS 2 (ros: auto
// with ROS_DISTRO set, or ros: on) it is the molmo_waypoints node; without ROS a configured source (MCAP replay,
// image files) feeds it. The console serves operators either way; results print as they come and can be recorded.
// The wiring here (startApp) is shared with `demo`.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type AppConfig, type Override } from '../config/index.js';
import { Bridge } from '../pipeline/bridge.js';
import type { BridgeConfig } from '../pipeline/config.js';
import type { FrameSnapshot, PointRequest, PointResult, SourceEvent } from '../pipeline/types.js';
import { jsonWithBigints } from '../messages/outputs.js';
import { displayEndpoint } from '../pointing/endpoint-pool.js';
import type { Pointer } from '../pointing/types.js';
import type { FrameSource } from '../sources/types.js';
import type { Recorder } from '../sources/recorder.js';
import { rpyFromQuaternion } from '../geometry/transform.js';
import type { TfBuffer } from '../geometry/tf-buffer.js';
import type { TransformStamped } from '../geometry/types.js';
import type { RosRuntime } from '../ros/types.js';
import { visibleText } from '../text/visible-text.js';

export interface Output {
  /** Results (stdout). */
  print: (line: string) => void;
  /** Everything else: where things are, what to do next, warnings (stderr). */
  info: (line: string) => void;
}

export const STDIO: Output = {
  print: (line) => process.stdout.write(`${line}\n`),
  info: (line) => process.stderr.write(`${line}\n`),
};

export interface AppOptions {
  command: 'run' | 'demo';
  /** Print each result as JSON too (after its readable line). */
  json: boolean;
  out: Output;
  /** Process arguments for rcl (--ros-args ...). */
  rosArgv?: string[];
  /** A ROS client library to use instead of rclnodejs (tests: the in-memory double). */
  rosRuntime?: RosRuntime;
}

export interface App {
  readonly bridge: Bridge;
  readonly config: AppConfig;
  /** The model settings in effect: the config's with ROS parameters (model.*) applied, as the pointer was built. */
  readonly model: AppConfig['model'];
  readonly recordingPath: string | null;
  readonly consoleUrl: string | null;
  /** The console's watch-only URL (viewer token), or null without a console. */
  readonly viewerUrl: string | null;
  readonly rosActive: boolean;
  /** Settles when the source has nothing more to give (never for a looping replay until close()). */
  readonly sourceDone: Promise<void> | null;
  /** The first synced frame (rejects after `timeoutMs`). */
  firstFrame(timeoutMs: number): Promise<FrameSnapshot>;
  /** Cancels requests in flight, stops the adapters and the source, and closes the recording. */
  close(): Promise<void>;
}

/** One readable line per result. */
export function formatResult(r: PointResult): string {
  const what = r.query ? `"${visibleText(r.query, 80)}"` : r.pixels.length > 0 ? `pixel ${r.pixels.map((p) => `${fmt(p.u, 0)},${fmt(p.v, 0)}`).join(' ')}` : '';
  const head = `${r.status.padEnd(8)} ${r.id} ${r.mode} ${what}`.trimEnd();
  if (r.status !== 'ok') return `${head}: ${visibleText(r.reason, 1000)} (${fmt(r.timings.total, 0)} ms)`;
  const w = r.waypoints[0]!;
  const p = w.pose.position;
  let line = `${head} -> ${w.frameId} (${fmt(p.x)}, ${fmt(p.y)}, ${fmt(p.z)}) m`;
  if (r.mode === 'navigate') {
    const yaw = (rpyFromQuaternion(w.pose.orientation).yaw * 180) / Math.PI;
    line += ` yaw ${fmt(yaw, 0)}°, object at (${fmt(w.point.x)}, ${fmt(w.point.y)}, ${fmt(w.point.z)})`;
  }
  line += ` label "${w.label}" depth ${fmt(w.depthM)} m quality ${fmt(w.quality, 2)}`;
  if (r.waypoints.length > 1) line += ` (+${r.waypoints.length - 1} more)`;
  line += ` ${fmt(r.timings.total, 0)} ms`;
  if (r.reason) line += ` [${visibleText(r.reason, 1000)}]`;
  return line;
}

function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/**
 * The model settings with the per-attempt timeout clamped to timeouts.point_ms / (retries + 1): with a longer
 * one, the point stage's deadline would end a request to a hung endpoint before its attempt timed out, so
 * the request would never fail over. `say` gets one line when the clamp changes anything.
 */
export function clampModelTimeout(model: AppConfig['model'], bridge: BridgeConfig, say: (line: string) => void): AppConfig['model'] {
  if (model.backend !== 'molmo') return model;
  const pointMs = bridge.timeouts.stageMs.point;
  const perAttempt = Math.max(1, Math.floor(pointMs / (model.retries + 1)));
  if (model.timeoutMs <= perAttempt) return model;
  say(
    `model.timeout_ms ${model.timeoutMs} ms does not fit ${model.retries + 1} attempts into timeouts.point_ms ${pointMs} ms: ` +
      `using ${perAttempt} ms per attempt, so a hung endpoint fails over within the request`,
  );
  return { ...model, timeoutMs: perAttempt };
}

/** The Pointer the config asks for (null = explicit pixels only). */
export async function makePointer(model: AppConfig['model'], say: (line: string) => void = () => {}): Promise<Pointer | null> {
  if (model.backend === 'none') return null;
  if (model.backend === 'detector') {
    const { DetectorPointer } = await import('../pointing/detector/detector-pointer.js');
    const detector = await DetectorPointer.load({ minScore: model.detector.minScore, cacheDir: model.detector.cacheDir || undefined });
    say(detector.loadSummary());
    return detector;
  }
  if (model.backend === 'onnx') {
    const { OnnxPointer } = await import('../pointing/onnx-pointer.js');
    return OnnxPointer.load(model.onnx.modelPath, model.onnx.manifestPath || undefined);
  }
  const { MolmoPointer } = await import('../pointing/molmo-client.js');
  return new MolmoPointer({
    endpoints: model.urls,
    family: model.family,
    balance: model.balance,
    model: model.name || undefined,
    apiKey: model.apiKey || undefined,
    prompt: model.prompt || undefined,
    maxSide: model.maxSide || undefined,
    maxTokens: model.maxTokens,
    timeoutMs: model.timeoutMs,
    retries: model.retries,
    concurrency: model.concurrency,
  });
}

async function makeSource(config: AppConfig, out: Output): Promise<FrameSource | null> {
  const src = config.source;
  const onWarning = (w: { topic: string | null; message: string }) => out.info(visibleText(`source: ${w.topic ? `${w.topic}: ` : ''}${w.message}`, 1000));
  if (src.type === 'mcap') {
    const { McapSource } = await import('../sources/mcap-source.js');
    return new McapSource({ path: src.path, topics: src.topics, realtime: src.realtime, rate: src.rate, loop: src.loop, onWarning });
  }
  if (src.type === 'images') {
    const { ImageFilesSource } = await import('../sources/image-files-source.js');
    return new ImageFilesSource({
      color: src.color,
      depth: src.depth,
      cameraInfo: src.cameraInfo,
      frameId: src.frameId || undefined,
      rateHz: src.rateHz,
      onWarning,
    });
  }
  return null;
}

interface StandaloneCalibration {
  transforms: TransformStamped[];
  /** With tf.hand_eye_attach_frame: the hand-eye transform once TF holds the camera's own chain attach -> optical
   * frame (from the recording), else null; null itself when nothing waits. */
  attach: ((tf: TfBuffer) => TransformStamped | null) | null;
}

/** Static transforms from the calibration files (standalone; under ROS the node publishes them itself). */
async function calibrationTransforms(config: AppConfig): Promise<StandaloneCalibration> {
  const transforms: TransformStamped[] = [];
  if (config.tf.staticTransforms) {
    const { loadStaticTransforms } = await import('../calibration/static-transforms.js');
    transforms.push(...loadStaticTransforms(config.tf.staticTransforms));
  }
  if (!config.tf.handEye) return { transforms, attach: null };
  const { attachedHandEyeTransform, handEyeTransform, loadHandEye } = await import('../calibration/hand-eye.js');
  const handEye = loadHandEye(config.tf.handEye);
  const attachFrame = config.tf.handEyeAttachFrame;
  if (!attachFrame || attachFrame === handEye.childFrame) return { transforms: [...transforms, handEyeTransform(handEye)], attach: null };
  const attach = (tf: TfBuffer) => {
    if (!tf.hasFrame(attachFrame) || !tf.hasFrame(handEye.childFrame)) return null;
    try {
      return attachedHandEyeTransform(handEye, attachFrame, tf.lookupLatest(attachFrame, handEye.childFrame).transform);
    } catch {
      return null;
    }
  };
  return { transforms, attach };
}

/** mkdir -p, one level at a time: Node's recursive mkdir never returns for some paths (e.g. under /proc). */
function makeFolders(folder: string): void {
  const missing: string[] = [];
  for (let f = resolve(folder); !existsSync(f); f = dirname(f)) {
    missing.unshift(f);
    if (dirname(f) === f) break;
  }
  for (const f of missing) {
    try {
      mkdirSync(f);
    } catch (err) {
      throw new ConfigError(`recording: cannot create the folder ${f} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
}

function defaultRecordingPath(command: string): string {
  const stamp = new Date().toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
  return resolve('recordings', `${command}-${stamp}.mcap`);
}

/** Wires config -> pointer, bridge, recorder, source, ROS node and console. */
export async function startApp(config: AppConfig, opts: AppOptions): Promise<App> {
  const { out } = opts;
  const closers: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        out.info(`shutdown: ${visibleText((err as Error).message)}`);
      }
    }
  };
  try {
    // ROS 2 first: its parameters may override the bridge and model settings the bridge is built from.
    let rosActive = false;
    let bridgeConfig: BridgeConfig = config.bridge;
    let model = config.model;
    let prepared: Awaited<ReturnType<typeof import('../ros/node.js')['prepareRosNode']>> | null = null;
    if (config.ros !== 'off') {
      const { rosAvailable } = await import('../ros/load.js');
      if (config.ros === 'on' || rosAvailable()) {
        const ros = await import('../ros/node.js');
        prepared = await ros.prepareRosNode({
          ...(opts.rosRuntime ? { runtime: opts.rosRuntime } : {}),
          argv: opts.rosArgv,
          base: {
            bridge: config.bridge,
            molmo: {
              endpoints: config.model.urls,
              family: config.model.family,
              balance: config.model.balance,
              ...(config.model.name ? { model: config.model.name } : {}),
              ...(config.model.maxSide ? { maxSide: config.model.maxSide } : {}),
              maxTokens: config.model.maxTokens,
              timeoutMs: config.model.timeoutMs,
              retries: config.model.retries,
              concurrency: config.model.concurrency,
              ...(config.model.prompt ? { prompt: config.model.prompt } : {}),
              detector: { ...config.model.detector },
            },
            node: { handEyeCalibration: config.tf.handEye, handEyeAttachFrame: config.tf.handEyeAttachFrame, staticTransforms: config.tf.staticTransforms },
          },
        });
        const p = prepared;
        closers.push(() => p.close());
        rosActive = true;
        bridgeConfig = prepared.settings.bridge;
        const m = prepared.settings.molmo;
        model = {
          ...model,
          urls: m.endpoints,
          family: m.family,
          balance: m.balance ?? model.balance,
          name: m.model ?? '',
          maxSide: m.maxSide ?? 0,
          maxTokens: m.maxTokens ?? model.maxTokens,
          timeoutMs: m.timeoutMs ?? model.timeoutMs,
          retries: m.retries ?? model.retries,
          concurrency: m.concurrency ?? model.concurrency,
          prompt: m.prompt ?? '',
          detector: m.detector ?? model.detector,
          backend: (model.backend === 'none' || model.backend === 'detector') && m.endpoints.length > 0 ? 'molmo' : model.backend,
        };
      }
    }

    model = clampModelTimeout(model, bridgeConfig, (line) => out.info(line));
    const pointer = await makePointer(model, (line) => out.info(line));
    const bridge = new Bridge({ pointer, config: bridgeConfig });
    bridge.on('result', (r: PointResult) => {
      out.print(formatResult(r));
      if (opts.json) out.print(jsonWithBigints(r)); // int64 stamps as decimal strings, like ~/result
    });
    bridge.on('input_warning', (w: { kind: string; message: string }) => out.info(visibleText(`input ${w.kind}: ${w.message}`, 1000)));

    let recorder: Recorder | null = null;
    let recordingPath: string | null = null;
    if (config.recording.enabled) {
      recordingPath = config.recording.path || defaultRecordingPath(opts.command);
      makeFolders(dirname(recordingPath));
      const { Recorder } = await import('../sources/recorder.js');
      const r = config.recording;
      const rec = await Recorder.open({
        path: recordingPath,
        compression: r.compression,
        frames: r.frames,
        rotation: { maxBytes: r.maxSizeMb * 1e6, maxAgeMs: r.maxAgeS * 1000, maxFiles: r.maxFiles },
        onError: (err) => out.info(`recording: ${visibleText(err.message)}`),
      });
      recorder = rec;
      bridge.on('request', (req: PointRequest) => void rec.recordRequest(req));
      bridge.on('result', (r: PointResult, snapshot: FrameSnapshot | null) => void rec.recordResult(r, snapshot));
      // Closed after the requests in flight have ended (see close()), so every result is in the file.
      closers.push(async () => {
        await waitFor(() => bridge.inFlightIds().length === 0, 5000);
        await rec.close();
      });
    }
    // Requests still running at shutdown end as cancelled (and are recorded as such).
    closers.push(async () => {
      for (const id of bridge.inFlightIds()) bridge.cancel(id);
    });

    let pendingAttach: StandaloneCalibration['attach'] = null;
    const feed = (e: SourceEvent) => {
      bridge.ingest(e);
      if (e.kind === 'tf' && recorder) void recorder.recordTransforms(e.transforms, e.isStatic);
      const attached = e.kind === 'tf' && pendingAttach ? pendingAttach(bridge.tf) : null;
      if (attached) {
        pendingAttach = null;
        out.info(`calibration: hand-eye attached as ${attached.frameId} -> ${attached.childFrameId} (tf.hand_eye_attach_frame)`);
        feed({ kind: 'tf', transforms: [attached], isStatic: true });
      }
    };
    if (!rosActive) {
      const calibration = await calibrationTransforms(config);
      pendingAttach = calibration.attach;
      if (calibration.transforms.length > 0) feed({ kind: 'tf', transforms: calibration.transforms, isStatic: true });
      if (pendingAttach) out.info(`calibration: the hand-eye transform waits for TF ${config.tf.handEyeAttachFrame} -> its camera frame from the source`);
    }

    const source = await makeSource(config, out);
    let sourceDone: Promise<void> | null = null;
    if (source) {
      sourceDone = source.start(feed);
      sourceDone.catch(() => undefined); // reported by whoever awaits it; never an unhandled rejection
      closers.push(async () => {
        source.stop();
        await sourceDone!.catch(() => undefined);
      });
    } else if (!rosActive) {
      throw new ConfigError(
        'nothing feeds the bridge: ROS 2 is not running (ROS_DISTRO unset, or ros: off) and source.type is none; ' +
          'set source.type: mcap (with source.mcap.path) or images, or source ROS 2',
      );
    }

    const adapters = await startAdapters(bridge, config, prepared, out);
    closers.push(...adapters.closers);

    return {
      bridge,
      config,
      model,
      recordingPath,
      consoleUrl: adapters.consoleUrl,
      viewerUrl: adapters.viewerUrl,
      rosActive,
      sourceDone,
      firstFrame: (timeoutMs) => firstFrame(bridge, timeoutMs, sourceDone),
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** The ROS node (when prepared) and the operator console, around a running bridge. */
export async function startAdapters(
  bridge: Bridge,
  config: AppConfig,
  prepared: { start(bridge: Bridge): Promise<{ close(): void }> } | null,
  out: Output,
): Promise<{ consoleUrl: string | null; viewerUrl: string | null; closers: (() => Promise<void> | void)[] }> {
  const closers: (() => Promise<void> | void)[] = [];
  if (prepared) {
    const node = await prepared.start(bridge);
    closers.push(() => node.close());
    out.info('ROS 2 node molmo_waypoints is running');
  }
  let consoleUrl: string | null = null;
  let viewerUrl: string | null = null;
  if (config.console.enabled) {
    const { startConsole } = await import('../console/server.js');
    let handle;
    try {
      handle = await startConsole(bridge, {
        host: config.console.host,
        port: config.console.port,
        ...(config.console.token ? { token: config.console.token } : {}),
        ...(config.console.viewerToken ? { viewerToken: config.console.viewerToken } : {}),
        previewFps: config.console.previewFps,
        previewMaxSide: config.console.previewMaxSide,
        previewQuality: config.console.previewQuality,
        dispatchSink: prepared ? 'the ROS 2 node molmo_waypoints' : null,
      });
    } catch (err) {
      for (const close of closers) await close();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') {
        throw new ConfigError(`console: port ${config.console.port} on ${config.console.host} is in use: pick another with --port <n> (0 = any free port)`);
      }
      throw err;
    }
    const h = handle;
    closers.push(() => h.close());
    consoleUrl = h.url;
    viewerUrl = h.viewerUrl;
  }
  return { consoleUrl, viewerUrl, closers };
}

function firstFrame(bridge: Bridge, timeoutMs: number, sourceDone: Promise<void> | null): Promise<FrameSnapshot> {
  const have = bridge.latestFrame();
  if (have) return Promise.resolve(have);
  return new Promise((resolvePromise, reject) => {
    const onFrame = (f: FrameSnapshot) => finish(() => resolvePromise(f));
    const timer = setTimeout(() => {
      const h = bridge.health().inputs;
      finish(() =>
        reject(new Error(`no synchronised frame within ${timeoutMs} ms (colour ${h.color.count}, depth ${h.depth.count}, camera_info ${h.camera_info.count}): check the topics and frame ids`)),
      );
    }, timeoutMs);
    const finish = (then: () => void) => {
      clearTimeout(timer);
      bridge.off('frame', onFrame);
      then();
    };
    bridge.on('frame', onFrame);
    sourceDone?.then(
      () => finish(() => reject(new Error('the source ended before a synchronised frame arrived'))),
      (err: Error) => finish(() => reject(err)),
    );
  });
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}

/** Resolves on the first SIGINT/SIGTERM (a second one exits at once); dispose() removes the handlers. */
export function untilSignal(): { signal: Promise<NodeJS.Signals>; dispose(): void } {
  let handler: (signal: NodeJS.Signals) => void = () => {};
  const dispose = () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  const signal = new Promise<NodeJS.Signals>((resolvePromise) => {
    handler = (sig: NodeJS.Signals) => {
      dispose();
      process.once('SIGINT', () => process.exit(130));
      resolvePromise(sig);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
  return { signal, dispose };
}

// ---- flags shared by run and demo ----

export const COMMON_FLAGS = {
  config: { type: 'string' },
  set: { type: 'string', multiple: true },
  'molmo-url': { type: 'string', multiple: true },
  'target-frame': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  token: { type: 'string' },
  record: { type: 'string' },
  'no-record': { type: 'boolean' },
  'no-console': { type: 'boolean' },
  ros: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const COMMON_HELP = `  --config <file>        YAML configuration (docs/pipeline.md lists every key)
  --set key=value        override one key, e.g. --set model.timeout_ms=5000 (repeatable)
  --molmo-url <url>      Molmo server base URL (repeatable; same as MOLMO_URL)
  --target-frame <f>     frame for point and pick waypoints
  --host <h>, --port <n> console address (default 127.0.0.1:8765; port 0 = any free port)
  --token <t>            console operator token (default: a fresh one, printed)
  --record <path>        record requests, results and frames to this MCAP file
  --no-record            do not record
  --no-console           do not start the console
  --ros auto|on|off      run as a ROS 2 node (auto: when ROS_DISTRO is set)
  --json                 also print each result as JSON
  -h, --help             this help`;

type CommonValues = { [K in keyof typeof COMMON_FLAGS]?: (typeof COMMON_FLAGS)[K] extends { multiple: true } ? string[] : (typeof COMMON_FLAGS)[K] extends { type: 'boolean' } ? boolean : string };

/** Flag values as config overrides (in the order of precedence among flags: specific flags after --set). */
export function overridesFromFlags(values: CommonValues): Override[] {
  const o: Override[] = [];
  for (const item of values.set ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--set: expected key=value, got '${item}'`);
    o.push({ key: item.slice(0, eq).trim(), value: item.slice(eq + 1), origin: '--set' });
  }
  if (values['molmo-url']?.length) o.push({ key: 'model.urls', value: values['molmo-url'].join(','), origin: '--molmo-url' });
  if (values['target-frame'] !== undefined) o.push({ key: 'frames.target', value: values['target-frame'], origin: '--target-frame' });
  if (values.host !== undefined) o.push({ key: 'console.host', value: values.host, origin: '--host' });
  if (values.port !== undefined) o.push({ key: 'console.port', value: values.port, origin: '--port' });
  if (values.token !== undefined) o.push({ key: 'console.token', value: values.token, origin: '--token' });
  if (values.record !== undefined) {
    o.push({ key: 'recording.enabled', value: 'true', origin: '--record' });
    o.push({ key: 'recording.path', value: values.record, origin: '--record' });
  }
  if (values['no-record']) o.push({ key: 'recording.enabled', value: 'false', origin: '--no-record' });
  if (values['no-console']) o.push({ key: 'console.enabled', value: 'false', origin: '--no-console' });
  if (values.ros !== undefined) o.push({ key: 'ros', value: values.ros, origin: '--ros' });
  return o;
}

const RUN_USAGE = `usage: molmo-waypoints run --config <file> [options] [--ros-args ...]

Runs the bridge: as the ROS 2 node when ROS 2 is sourced, otherwise from the configured source (MCAP replay or
image files). Results print as they come; the console serves operators. Ctrl-C stops.

${COMMON_HELP}`;

export async function run(argv: string[]): Promise<number> {
  // rcl's own arguments are not ours to parse.
  const rosAt = argv.indexOf('--ros-args');
  const own = rosAt >= 0 ? argv.slice(0, rosAt) : argv;
  const rosArgv = rosAt >= 0 ? ['node', 'molmo-waypoints', ...argv.slice(rosAt)] : undefined;
  let app: App | null = null;
  try {
    const { values } = parseArgs({ args: own, options: COMMON_FLAGS, allowPositionals: false });
    if (values.help) {
      console.log(RUN_USAGE);
      return 0;
    }
    if (values.config === undefined) {
      console.error('molmo-waypoints run: --config <file> is required (see examples/config.yaml and --help)');
      return 2;
    }
    const { config } = loadConfig({ file: values.config, overrides: overridesFromFlags(values) });
    app = await startApp(config, { command: 'run', json: values.json ?? false, out: STDIO, rosArgv });
    describeApp(app, STDIO);
    // A source that fails always ends the run (exit 1); one that simply ends does only when nothing else serves.
    const serving = app.consoleUrl !== null || app.rosActive;
    const never = new Promise<never>(() => {});
    const ended = app.sourceDone
      ? app.sourceDone.then(() => {
          if (!serving) return 'source' as const;
          STDIO.info('the source has ended; still serving (Ctrl-C stops)');
          return never;
        })
      : never;
    const stop = untilSignal();
    const why = await Promise.race([stop.signal, ended]).finally(() => stop.dispose());
    STDIO.info(why === 'source' ? 'the source has ended' : `${why}: shutting down`);
    await app.close();
    return 0;
  } catch (err) {
    await app?.close();
    return reportError('run', err);
  }
}

export function describeApp(app: App, out: Output): void {
  const c = app.config;
  const src = c.source.type === 'mcap' ? `MCAP ${c.source.path}${c.source.loop ? ' (looping)' : ''}` : c.source.type === 'images' ? `image files ${c.source.color}` : 'none';
  // From the settings in effect: under ROS, -p model.urls:=[...] turns a config without a model into Molmo.
  const m = app.model;
  const model =
    m.backend === 'molmo'
      ? `Molmo at ${m.urls.map(displayEndpoint).join(', ')} (family ${m.family})`
      : m.backend === 'onnx'
        ? `ONNX ${m.onnx.modelPath}`
        : m.backend === 'detector'
          ? `the bundled COCO detector (CPU, offline; 80 object classes, e.g. "the chair", "all cups", "the red mug"; anything else needs a VLM: MOLMO_URL=http://<gpu-host>:8000)`
          : 'none (pixels from the console or --pixel)';
  out.info(`source: ${src}${app.rosActive ? '; ROS 2 topics' : ''}`);
  out.info(`model: ${model}`);
  out.info(`waypoints in: ${app.bridge.config.frames.target} (navigate: ${app.bridge.config.frames.navigation})`);
  if (app.consoleUrl) out.info(`console: ${app.consoleUrl}`);
  if (app.viewerUrl) out.info(`viewer (watch-only): ${app.viewerUrl}`);
  if (app.recordingPath) out.info(`recording: ${app.recordingPath}`);
}

export function reportError(command: string, err: unknown): number {
  const code = (err as NodeJS.ErrnoException | null)?.code ?? '';
  // Messages quote files, servers and the environment: one line of visible text, whatever they held.
  if (err instanceof ConfigError || (err instanceof Error && code.startsWith('ERR_PARSE_ARGS'))) {
    console.error(`molmo-waypoints ${command}: ${visibleText(err.message, 1000)}`);
    return 2;
  }
  console.error(`molmo-waypoints ${command}: ${visibleText(err instanceof Error ? err.message : err, 1000)}`);
  return 1;
}
