// `molmo-waypoints demo` (= `npm start`): replays the bundled RGB-D recording through the bridge, prints a first
// waypoint at once, then keeps the console running for the operator to click (or Molmo to answer, with MOLMO_URL)
// until Ctrl-C. `--once` answers one request and exits: a newcomer's first check, and what the tests run.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/index.js';
import type { PointRequest, PointResult, RequestMode } from '../pipeline/types.js';
import { COMMON_FLAGS, COMMON_HELP, STDIO, describeApp, overridesFromFlags, reportError, startApp, untilSignal, type App } from './run.js';

/** The bundled recording, found from this file in src/cli or dist/cli alike. */
export const DEMO_RECORDING = fileURLToPath(new URL('../../demo/redwood_livingroom1.mcap', import.meta.url));
/** Asked when a model is configured and the user gave neither --query nor --pixel (the scene has a chair). */
export const DEFAULT_DEMO_QUERY = 'the chair';
const FIRST_FRAME_TIMEOUT_MS = 15_000;

const USAGE = `usage: molmo-waypoints demo [options]

Replays the bundled RGB-D recording (demo/redwood_livingroom1.mcap: a living room, looping, in real time) through
the bridge, prints the waypoint of a first request, then keeps the operator console running until Ctrl-C.
The first request asks "${DEFAULT_DEMO_QUERY}" (or --query): the bundled COCO detector answers offline, or Molmo
with MOLMO_URL (or --molmo-url); with --pixel, or --set model.backend=none, it is a pixel (default: the centre).

  --pixel u,v            point at this pixel of the 640×480 colour image (repeatable; default: the centre)
  --query <text>         ask the model to point at this (default "${DEFAULT_DEMO_QUERY}")
  --mode <m>             point | pick | navigate (default point)
  --once                 one request: print its waypoint and exit (0 when ok); no console
  --rate <x>             replay speed (default 1 = real time)
${COMMON_HELP}

Waypoints are in 'map' (the recording's floor is z = 0 there). Results are recorded to
recordings/demo-<time>.mcap unless --no-record.`;

const DEMO_FLAGS = {
  ...COMMON_FLAGS,
  pixel: { type: 'string', multiple: true },
  query: { type: 'string' },
  mode: { type: 'string' },
  once: { type: 'boolean' },
  rate: { type: 'string' },
} as const;

export async function run(argv: string[]): Promise<number> {
  let app: App | null = null;
  try {
    const { values } = parseArgs({ args: argv, options: DEMO_FLAGS, allowPositionals: false });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    const mode = parseMode(values.mode);
    const pixels = (values.pixel ?? []).map(parsePixel);
    if (!existsSync(DEMO_RECORDING)) throw new ConfigError(`the demo recording is missing: ${DEMO_RECORDING}`);
    const overrides = overridesFromFlags(values);
    if (values.rate !== undefined) overrides.push({ key: 'source.mcap.rate', value: values.rate, origin: '--rate' });
    if (values.once) {
      // One answer and out: nothing to serve.
      overrides.push({ key: 'console.enabled', value: 'false', origin: '--once' }, { key: 'ros', value: 'off', origin: '--once' });
    }
    const { config } = loadConfig({
      file: values.config,
      overrides,
      presets: {
        'source.type': 'mcap',
        'source.mcap.path': DEMO_RECORDING,
        'frames.target': 'map',
        'frames.navigation': 'map',
        'recording.enabled': true,
        ros: 'off',
      },
    });
    if (values.query !== undefined && config.model.backend === 'none') {
      throw new ConfigError('--query needs a model: leave model.backend at auto (the bundled detector) or set MOLMO_URL=http://<host>:8000, or point with --pixel u,v');
    }

    app = await startApp(config, { command: 'demo', json: values.json ?? false, out: STDIO });
    describeApp(app, STDIO);
    const frame = await app.firstFrame(FIRST_FRAME_TIMEOUT_MS);

    const request: PointRequest = { id: 'demo-1', mode };
    if (pixels.length > 0) request.pixels = pixels;
    else if (values.query !== undefined || config.model.backend !== 'none') request.query = values.query ?? DEFAULT_DEMO_QUERY;
    else request.pixels = [{ u: Math.round((frame.cameraInfo.width - 1) / 2), v: Math.round((frame.cameraInfo.height - 1) / 2), label: 'image centre' }];
    const result = await app.bridge.request(request);

    if (values.once) {
      await app.close();
      if (app.recordingPath) STDIO.info(`recorded to ${app.recordingPath}`);
      STDIO.info(result.status === 'ok' ? 'Next: `npm start` keeps the console running so you can click on the image.' : `the request ended with ${result.status}`);
      return result.status === 'ok' ? 0 : 1;
    }
    STDIO.info(nextSteps(app, result));
    const signal = await untilSignal().signal;
    STDIO.info(`${signal}: shutting down`);
    await app.close();
    if (app.recordingPath) STDIO.info(`recorded to ${app.recordingPath}`);
    return 0;
  } catch (err) {
    await app?.close();
    return reportError('demo', err);
  }
}

function nextSteps(app: App, first: PointResult): string {
  const lines = ['', 'What next:'];
  if (app.consoleUrl) {
    lines.push(`  - open the console: ${app.consoleUrl}`);
    lines.push('    click on the image for a waypoint, choose point / pick / navigate, confirm to dispatch');
    if (app.viewerUrl) lines.push(`  - let others watch (they cannot point or dispatch): ${app.viewerUrl}`);
    lines.push(`  - from another terminal (in this folder): npx molmo-waypoints request --pixel 470,250 --mode pick --url '${app.consoleUrl}'`);
  }
  if (app.config.model.backend === 'detector') {
    lines.push('  - ask in words in the console ("the chair", "all cups"): the bundled detector knows 80 COCO classes');
  }
  if (app.config.model.backend === 'none' || app.config.model.backend === 'detector') {
    lines.push('  - with a Molmo server (any object, in your words): MOLMO_URL=http://<gpu-host>:8000 npm start');
  }
  if (app.recordingPath) lines.push(`  - every request and result is recorded to ${app.recordingPath} (opens in Foxglove)`);
  if (first.status !== 'ok') lines.push(`  - the first request ended with ${first.status}: ${first.reason}`);
  lines.push('  Ctrl-C stops.');
  return lines.join('\n');
}

function parseMode(text: string | undefined): RequestMode {
  if (text === undefined) return 'point';
  if (text === 'point' || text === 'pick' || text === 'navigate') return text;
  throw new ConfigError(`--mode must be point, pick or navigate, got '${text}'`);
}

function parsePixel(text: string): { u: number; v: number } {
  const parts = text.split(',').map((p) => p.trim());
  const [u, v] = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => p === '') || !Number.isFinite(u) || !Number.isFinite(v)) {
    throw new ConfigError(`--pixel must be u,v (two numbers), got '${text}'`);
  }
  return { u: u!, v: v! };
}
