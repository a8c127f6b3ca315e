import { existsSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { MIN_TOKEN_CHARS } from '../console/auth.js';
import { normalizeBaseUrl } from '../pointing/endpoint-pool.js';
import { YAML_INPUT_LIMITS, YamlInputError, parseBoundedYaml, readBoundedText } from '../text/yaml-input.js';
import { buildAppConfig, type AppConfig } from './app-config.js';
import { CONFIG_KEYS, KEY_INDEX, type KeySpec } from './schema.js';
import { checkText, checkTyped, expectation } from './values.js';

// Configuration in layers, later ones win: built-in defaults < the command's presets (e.g. `demo`) < the YAML file
// < environment variables (MOLMO_URL, ...) < command-line flags. Every error names where the value came from and
// its key: "config.yaml: model.timeout_ms must be a positive number, got -5".

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A value given as text on the command line (`--set key=value` or a named flag). */
export interface Override {
  key: string;
  value: string;
  /** Shown in errors, e.g. "--set" or "--molmo-url". */
  origin: string;
}

export interface LoadOptions {
  /** YAML file path. */
  file?: string;
  /** YAML text instead of reading `file` (tests); `file` still names it in errors and anchors relative paths. */
  text?: string;
  /** Typed values set by the command before the file (e.g. the demo's source). */
  presets?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  overrides?: Override[];
  /** Base for relative paths that do not come from a file. Default process.cwd(). */
  cwd?: string;
}

export interface LoadedConfig {
  config: AppConfig;
  /** Where each key's value came from: 'default', 'preset', the file name, an environment variable or a flag. */
  origins: ReadonlyMap<string, string>;
}

export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const values = new Map<string, unknown>(CONFIG_KEYS.map((k) => [k.key, k.default]));
  const origins = new Map<string, string>(CONFIG_KEYS.map((k) => [k.key, 'default']));
  const cwd = opts.cwd ?? process.cwd();

  for (const [key, value] of Object.entries(opts.presets ?? {})) {
    const spec = known(key, 'preset');
    const checked = checkTyped(spec.kind, value);
    if (!checked.ok) throw invalid('preset', spec, value);
    set(values, origins, spec, checked.value, 'preset', cwd);
  }

  if (opts.file !== undefined || opts.text !== undefined) {
    const name = opts.file ?? 'config';
    const text = opts.text ?? readConfigFile(name);
    const base = opts.file ? dirname(resolve(cwd, opts.file)) : cwd;
    const label = basename(name);
    for (const [spec, value] of fileEntries(text, label)) {
      if (value === null) continue; // `key:` with nothing after it keeps the default
      const checked = checkTyped(spec.kind, value);
      if (!checked.ok) throw invalid(label, spec, value);
      set(values, origins, spec, checked.value, label, base);
    }
  }

  const env = opts.env ?? process.env;
  for (const spec of CONFIG_KEYS) {
    if (!spec.env) continue;
    const text = env[spec.env];
    if (text === undefined || text.trim() === '') continue;
    const checked = checkText(spec.kind, text);
    if (!checked.ok) throw invalid(spec.env, spec, text);
    set(values, origins, spec, checked.value, spec.env, cwd);
  }

  for (const o of opts.overrides ?? []) {
    const spec = known(o.key, o.origin);
    const checked = checkText(spec.kind, o.value);
    if (!checked.ok) throw invalid(o.origin, spec, o.value);
    set(values, origins, spec, checked.value, o.origin, cwd);
  }

  checkCombinations(values, origins);
  return { config: buildAppConfig((key) => values.get(key)), origins };
}

function readConfigFile(path: string): string {
  try {
    return readBoundedText(path, YAML_INPUT_LIMITS.maxBytes);
  } catch (err) {
    const e = err as YamlInputError;
    throw new ConfigError(e.code ? `${path}: cannot read the config file: ${e.code}` : `${path}: the config file ${e.message}`);
  }
}

function set(values: Map<string, unknown>, origins: Map<string, string>, spec: KeySpec, value: unknown, origin: string, base: string): void {
  const v = spec.kind.type === 'path' && typeof value === 'string' && value !== '' && !isAbsolute(value) ? resolve(base, value) : value;
  values.set(spec.key, v);
  origins.set(spec.key, origin);
}

function known(key: string, origin: string): KeySpec {
  const spec = KEY_INDEX.get(key);
  if (!spec) throw new ConfigError(`${origin}: unknown key ${key}${suggestion(key)}`);
  return spec;
}

function invalid(origin: string, spec: KeySpec, value: unknown): ConfigError {
  const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  return new ConfigError(`${origin}: ${spec.key} must be ${expectation(spec.kind)}, got ${shown}`);
}

/** Flattens the YAML mapping into (key, value) pairs, refusing unknown keys and misplaced values. */
function fileEntries(text: string, label: string): [KeySpec, unknown][] {
  let root: unknown;
  try {
    root = parseBoundedYaml(text);
  } catch (err) {
    if (!(err instanceof YamlInputError)) throw err;
    throw new ConfigError(`${label}: ${err.message.startsWith('not valid YAML') ? '' : 'the config file '}${err.message}`);
  }
  if (root === null || root === undefined) return [];
  if (!isMapping(root)) throw new ConfigError(`${label}: the top level must be a mapping of sections (source, model, frames, ...)`);
  const out: [KeySpec, unknown][] = [];
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [name, value] of Object.entries(node)) {
      const key = prefix ? `${prefix}.${name}` : name;
      const spec = KEY_INDEX.get(key);
      if (spec) {
        out.push([spec, value]);
      } else if (CONFIG_KEYS.some((k) => k.key.startsWith(`${key}.`))) {
        if (value === null) continue;
        if (!isMapping(value)) throw new ConfigError(`${label}: ${key} must be a mapping (keys: ${childNames(key).join(', ')})`);
        walk(value, key);
      } else {
        throw new ConfigError(`${label}: unknown key ${key}${suggestion(key)}`);
      }
    }
  };
  walk(root, '');
  return out;
}

function checkCombinations(values: Map<string, unknown>, origins: Map<string, string>): void {
  const v = (key: string) => values.get(key);
  const from = (key: string) => origins.get(key) ?? 'config';
  const need = (when: string, key: string, condition: string) => {
    if (v(key) === '' || (Array.isArray(v(key)) && (v(key) as unknown[]).length === 0)) {
      throw new ConfigError(`${from(when)}: ${key} must be set when ${condition}`);
    }
  };
  if (v('source.type') === 'mcap') need('source.type', 'source.mcap.path', 'source.type is mcap');
  if (v('source.type') === 'images') {
    for (const key of ['source.images.color', 'source.images.depth', 'source.images.camera_info']) need('source.type', key, 'source.type is images');
  }
  if (v('model.backend') === 'molmo') need('model.backend', 'model.urls', 'model.backend is molmo (or set MOLMO_URL)');
  if (v('model.backend') === 'onnx') need('model.backend', 'model.onnx.model_path', 'model.backend is onnx');
  if ((v('depth.min_m') as number) >= (v('depth.max_m') as number)) {
    throw new ConfigError(`${from('depth.min_m')}: depth.min_m (${v('depth.min_m')}) must be below depth.max_m (${v('depth.max_m')})`);
  }
  if (v('workspace.enabled') === true) {
    const min = v('workspace.min') as number[];
    const max = v('workspace.max') as number[];
    ['x', 'y', 'z'].forEach((axis, i) => {
      if (min[i]! > max[i]!) throw new ConfigError(`${from('workspace.min')}: workspace.min ${axis} (${min[i]}) is above workspace.max ${axis} (${max[i]})`);
    });
  }
  // The same rules the model client applies, checked here so the error names where the value came from.
  for (const url of v('model.urls') as string[]) {
    try {
      normalizeBaseUrl(url);
    } catch (err) {
      throw new ConfigError(`${from('model.urls')}: model.urls: ${(err as Error).message}`);
    }
  }
  for (const key of ['console.token', 'console.viewer_token']) {
    const token = v(key) as string;
    if (token !== '' && token.length < MIN_TOKEN_CHARS) {
      throw new ConfigError(`${from(key)}: ${key} must be at least ${MIN_TOKEN_CHARS} characters, got ${token.length}; leave it empty for a random one`);
    }
  }
  if (v('console.token') !== '' && v('console.token') === v('console.viewer_token')) {
    throw new ConfigError(`${from('console.viewer_token')}: console.viewer_token must differ from console.token (a viewer must not be able to dispatch)`);
  }
  const hostProblem = bindAddressProblem(v('console.host') as string);
  if (hostProblem) throw new ConfigError(`${from('console.host')}: console.host ${hostProblem}`);
  const recording = v('recording.path') as string;
  if (v('recording.enabled') === true && recording !== '') {
    const problem = recordingPathProblem(recording);
    if (problem) throw new ConfigError(`${from('recording.path')}: recording.path '${recording}' ${problem}`);
  }
}

/** Why no recording can be written at `path`, or null: checked up front so the error names where the path came from
 * (a recording that fails later only stops recording). */
function recordingPathProblem(path: string): string | null {
  let folder = dirname(path);
  while (!existsSync(folder)) {
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) return `cannot be created: '${folder}' is not a folder`;
  if (existsSync(path) && statSync(path).isDirectory()) return 'is a folder, not a file';
  return null;
}

/** Why the console cannot bind `host`, or null. A bind address is an IP of this machine (or a wildcard, or
 * localhost): a name that needs DNS, or another machine's address, fails only at listen() otherwise. */
function bindAddressProblem(host: string): string | null {
  const h = host.trim().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '0.0.0.0' || h === '::') return null;
  if (isIP(h) === 0) return `must be an IP address of this machine, 0.0.0.0 or localhost, got '${host}'`;
  if (h.startsWith('127.') || h === '::1') return null;
  const local = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
  if (!local.includes(h)) return `'${host}' is not an address of this machine (its addresses: ${local.join(', ')})`;
  return null;
}

function isMapping(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function childNames(prefix: string): string[] {
  const names = new Set<string>();
  for (const k of CONFIG_KEYS) if (k.key.startsWith(`${prefix}.`)) names.add(k.key.slice(prefix.length + 1).split('.')[0]!);
  return [...names];
}

/** " (did you mean model.timeout_ms?)" for a near miss, else "". */
function suggestion(key: string): string {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of CONFIG_KEYS) {
    const d = editDistance(key, k.key);
    if (d < bestDistance) {
      best = k.key;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(key.length / 5)) ? ` (did you mean ${best}?)` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
