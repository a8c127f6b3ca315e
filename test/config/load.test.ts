import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_KEYS, ConfigError, loadConfig } from '../../src/config/index.js';
import { resolveOptions } from '../../src/console/options.js';
import { defaultConfig } from '../../src/pipeline/config.js';

const load = (text: string, extra: Parameters<typeof loadConfig>[0] = {}) => loadConfig({ file: 'config.yaml', text, env: {}, cwd: '/work', ...extra });
const fails = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (err: unknown) => err instanceof ConfigError && message.test(err.message) ? true : assert.fail(`got: ${(err as Error).message}`));

test('defaults alone give the pipeline defaults and no source, model or ROS requirement', () => {
  const { config, origins } = loadConfig({ env: {} });
  assert.deepEqual(config.bridge, defaultConfig());
  assert.deepEqual(config.source, { type: 'none' });
  assert.equal(config.model.backend, 'detector', 'no model URL: the bundled detector answers words');
  assert.equal(config.console.host, '127.0.0.1');
  assert.equal(config.ros, 'auto');
  assert.equal(origins.get('model.timeout_ms'), 'default');
});

test('a YAML file sets nested keys; relative paths resolve against its folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const file = join(dir, 'robot.yaml');
  writeFileSync(
    file,
    [
      'source:',
      '  type: mcap',
      '  mcap: { path: bags/run1.mcap, loop: false, topics: { color: /cam/image_raw } }',
      'model:',
      '  urls: [http://gpu:8000, http://backup:8000]',
      '  family: molmo2',
      '  timeout_ms: 5000',
      'frames: { target: tool0 }',
      'workspace: { enabled: true, frame: base_link, min: [0, -0.5, 0], max: [1, 0.5, 1.2] }',
      'timeouts: { point_ms: 9000 }',
      'targets: { selection: closest }',
      'dispatch: { max_age_ms: 15000 }',
      'ros: off',
      'console: { token: 1234567890123456 }',
    ].join('\n'),
  );
  const { config, origins } = loadConfig({ file, env: {} });
  assert.deepEqual(config.source, {
    type: 'mcap',
    path: join(dir, 'bags/run1.mcap'),
    topics: { color: '/cam/image_raw', depth: '/camera/aligned_depth_to_color/image_raw', cameraInfo: '/camera/color/camera_info', tf: '/tf', tfStatic: '/tf_static' },
    realtime: true,
    rate: 1,
    loop: false,
  });
  assert.equal(config.model.backend, 'molmo', "'auto' with urls is molmo");
  assert.deepEqual(config.model.urls, ['http://gpu:8000', 'http://backup:8000']);
  assert.equal(config.model.family, 'molmo2');
  assert.equal(config.model.timeoutMs, 5000);
  assert.equal(config.bridge.frames.target, 'tool0');
  assert.deepEqual(config.bridge.workspace, { frame: 'base_link', min: { x: 0, y: -0.5, z: 0 }, max: { x: 1, y: 0.5, z: 1.2 } });
  assert.equal(config.bridge.timeouts.stageMs.point, 9000);
  assert.equal(config.bridge.timeouts.stageMs.lift, 1000);
  assert.equal(config.bridge.targets.selection, 'closest');
  assert.equal(config.bridge.dispatch.maxAgeMs, 15000);
  assert.equal(config.ros, 'off');
  assert.equal(config.console.token, '1234567890123456');
  assert.equal(origins.get('model.timeout_ms'), 'robot.yaml');
});

test('environment beats the file, flags beat the environment', () => {
  const text = 'model: { urls: [http://file:8000], family: molmo }\nconsole: { port: 9000 }';
  const env = { MOLMO_URL: 'http://env-a:8000, http://env-b:8000', MOLMO_FAMILY: 'molmo2', MOLMO_WAYPOINTS_CONSOLE_PORT: '9100', MOLMO_MODEL: '' };
  const { config, origins } = load(text, {
    env,
    overrides: [
      { key: 'console.port', value: '9200', origin: '--port' },
      { key: 'workspace.min', value: '[0, 0, 0]', origin: '--set' },
      { key: 'workspace.enabled', value: 'yes', origin: '--set' },
    ],
  });
  assert.deepEqual(config.model.urls, ['http://env-a:8000', 'http://env-b:8000']);
  assert.equal(config.model.family, 'molmo2');
  assert.equal(config.model.name, '', 'empty environment variables are ignored');
  assert.equal(config.console.port, 9200);
  assert.equal(origins.get('console.port'), '--port');
  assert.equal(origins.get('model.urls'), 'MOLMO_URL');
  assert.deepEqual(config.bridge.workspace?.min, { x: 0, y: 0, z: 0 });
});

test('presets (a command default) sit between the defaults and the file', () => {
  const { config } = load('recording: { enabled: false }', { presets: { 'recording.enabled': true, 'console.port': 0 } });
  assert.equal(config.recording.enabled, false);
  assert.equal(config.console.port, 0);
});

test('errors name the origin and the key', () => {
  fails(() => load('model:\n  timeout_ms: -5'), /^config\.yaml: model\.timeout_ms must be a positive number, got -5$/);
  fails(() => load('model: { tmeout_ms: 5 }'), /^config\.yaml: unknown key model\.tmeout_ms \(did you mean model\.timeout_ms\?\)$/);
  fails(() => load('sync: { policy: sloppy }'), /^config\.yaml: sync\.policy must be one of exact, approximate, got 'sloppy'$/);
  fails(() => load('store: { size: 2.5 }'), /store\.size must be an integer from 1 to 1000, got 2\.5/);
  fails(() => load('workspace: { min: [1, 2] }'), /workspace\.min must be three numbers \[x, y, z\]/);
  fails(() => load('model: 3'), /^config\.yaml: model must be a mapping \(keys: backend, urls, /);
  fails(() => load('- a\n- b'), /top level must be a mapping/);
  fails(() => load('model: {'), /^config\.yaml: not valid YAML \(line \d+, column \d+\)/);
  fails(() => load('', { env: { MOLMO_TIMEOUT_MS: 'soon' } }), /^MOLMO_TIMEOUT_MS: model\.timeout_ms must be a positive number, got 'soon'$/);
  fails(() => load('', { overrides: [{ key: 'console.prot', value: '1', origin: '--set' }] }), /^--set: unknown key console\.prot \(did you mean console\.port\?\)/);
  fails(() => loadConfig({ file: '/nonexistent/molmo.yaml', env: {} }), /^\/nonexistent\/molmo\.yaml: cannot read the config file: ENOENT/);
});

test('combinations are checked: a source needs its files, a backend its endpoint, ranges their order', () => {
  fails(() => load('source: { type: mcap }'), /^config\.yaml: source\.mcap\.path must be set when source\.type is mcap$/);
  fails(() => load('source: { type: images, images: { color: a.jpg } }'), /source\.images\.depth must be set when source\.type is images/);
  fails(() => load('model: { backend: molmo }'), /model\.urls must be set when model\.backend is molmo/);
  fails(() => load('', { env: { MOLMO_URL: 'gpu:8000' } }), /^MOLMO_URL: model\.urls: endpoint 'gpu:8000' must be http:\/\/ or https:\/\//);
  fails(() => load('depth: { min_m: 3, max_m: 2 }'), /depth\.min_m \(3\) must be below depth\.max_m \(2\)/);
  fails(() => load('workspace: { enabled: true, min: [0, 0, 2], max: [1, 1, 1] }'), /workspace\.min z \(2\) is above workspace\.max z \(1\)/);
});

test('configuration the bridge could not use later is refused here, naming where it came from (env vars included)', () => {
  fails(() => load('', { env: { MOLMO_URL: 'http://user:pw@gpu:8000' } }), /^MOLMO_URL: model\.urls: endpoint 'http:\/\/gpu:8000' carries credentials/);
  fails(() => load('model: { urls: ["http://gpu box:8000"] }'), /^config\.yaml: model\.urls: endpoint 'http:\/\/gpu box:8000' is not a valid URL/);
  fails(() => load('', { env: { MOLMO_WAYPOINTS_TOKEN: 'short' } }), /^MOLMO_WAYPOINTS_TOKEN: console\.token must be at least 16 characters, got 5/);
  fails(() => load('console: { token: aaaaaaaaaaaaaaaa, viewer_token: aaaaaaaaaaaaaaaa }'), /^config\.yaml: console\.viewer_token must differ from console\.token/);
  fails(() => load('', { env: { MOLMO_WAYPOINTS_CONSOLE_HOST: 'junk host' } }), /^MOLMO_WAYPOINTS_CONSOLE_HOST: console\.host must be an IP address of this machine, 0\.0\.0\.0 or localhost, got 'junk host'/);
  fails(() => load('', { env: { MOLMO_WAYPOINTS_CONSOLE_HOST: '203.0.113.7' } }), /^MOLMO_WAYPOINTS_CONSOLE_HOST: console\.host '203\.0\.113\.7' is not an address of this machine/);
  fails(() => load('recording: { enabled: true }', { env: { MOLMO_WAYPOINTS_RECORDING: '/dev/null/run.mcap' } }), /^MOLMO_WAYPOINTS_RECORDING: recording\.path '\/dev\/null\/run\.mcap' cannot be created: '\/dev\/null' is not a folder/);
  fails(() => load('recording: { enabled: true }', { env: { MOLMO_WAYPOINTS_RECORDING: tmpdir() } }), /^MOLMO_WAYPOINTS_RECORDING: recording\.path '.*' is a folder, not a file/);
  assert.equal(load('recording: { enabled: false }', { env: { MOLMO_WAYPOINTS_RECORDING: '/dev/null/run.mcap' } }).config.recording.enabled, false, 'checked only when recording');
  for (const host of ['127.0.0.1', 'localhost', '0.0.0.0', '::1', '[::1]', '127.0.0.2']) assert.equal(load('', { env: { MOLMO_WAYPOINTS_CONSOLE_HOST: host } }).config.console.host, host);
});

test("console.preview_* default to the console's own defaults and are range-checked like it", () => {
  const { config } = load('');
  const own = resolveOptions({ log: () => {} });
  assert.deepEqual(
    [config.console.previewFps, config.console.previewMaxSide, config.console.previewQuality],
    [own.previewFps, own.previewMaxSide, own.previewQuality],
  );
  const set = load('console: { preview_fps: 2.5, preview_max_side: 640, preview_quality: 60 }').config.console;
  assert.deepEqual([set.previewFps, set.previewMaxSide, set.previewQuality], [2.5, 640, 60]);
  fails(() => load('console: { preview_fps: 0 }'), /^config\.yaml: console\.preview_fps must be a number from 0\.1 to 60, got 0$/);
  fails(() => load('console: { preview_max_side: 32 }'), /console\.preview_max_side must be an integer from 64 to 8192, got 32/);
  fails(() => load('', { overrides: [{ key: 'console.preview_quality', value: '85.5', origin: '--set' }] }), /^--set: console\.preview_quality must be an integer from 1 to 100, got '85\.5'$/);
});

test('every key is documented in docs/pipeline.md with its default, and examples/config.yaml loads', () => {
  const docs = readFileSync('docs/pipeline.md', 'utf8');
  for (const k of CONFIG_KEYS) {
    const row = docs.split('\n').find((line) => line.startsWith(`| \`${k.key}\` |`));
    assert.ok(row, `docs/pipeline.md has no row for ${k.key}`);
    const shown = Array.isArray(k.default) ? `[${(k.default as unknown[]).join(', ')}]` : k.default === '' ? '""' : String(k.default);
    assert.ok(row.includes(`\`${shown}\``), `docs row for ${k.key} lacks its default ${shown}: ${row}`);
  }
  const { config } = loadConfig({ file: 'examples/config.yaml', env: {} });
  assert.equal(config.source.type, 'mcap');
});
