// The bundled detector's model: CenterNet (MobileNetV3, COCO) as shipped in TF.js graph format by the npm package
// @vladmandic/human, converted to ONNX by tfjs-to-onnx.ts at first use and cached outside the repository, keyed
// by the package version and a hash of its files and of the converter, so an upgrade or a converter fix converts
// again and a damaged cache file is replaced. The package is an ordinary dependency: no weights are committed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { readTfjsGraph } from './tfjs-graph.js';
import { tfjsToOnnx } from './tfjs-to-onnx.js';

export const DETECTOR_PACKAGE = '@vladmandic/human';
/** Raise whenever the converter's output for the same graph changes: it invalidates every cache file. */
export const CONVERTER_VERSION = 2;
export const CENTERNET_INPUT = 'tower_0/images';
export const CENTERNET_OUTPUT = 'tower_0/detections';
export const CENTERNET_SIZE = 512;

export class DetectorModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DetectorModelError';
  }
}

export interface BundledModel {
  onnx: Uint8Array;
  /** e.g. "@vladmandic/human@3.3.6 models/centernet.json". */
  source: string;
  version: string;
  /** Where the converted model is cached, or null when the cache could not be written (the note says why). */
  cachePath: string | null;
  /** 'cache' (read), 'converted' (and cached). */
  origin: 'cache' | 'converted';
  note: string | null;
}

/** $MOLMO_WAYPOINTS_CACHE, else $XDG_CACHE_HOME/molmo-waypoints, else ~/.cache/molmo-waypoints. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MOLMO_WAYPOINTS_CACHE) return env.MOLMO_WAYPOINTS_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'molmo-waypoints');
}

/** The package's model files (read, not yet converted). Throws DetectorModelError naming the missing package. */
export function readPackageFiles(): { json: Buffer; bin: Buffer; version: string; dir: string } {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    // The package's exports hide package.json: resolve its entry point, then walk up to its root.
    packageJson = packageRoot(require.resolve(DETECTOR_PACKAGE));
  } catch {
    throw new DetectorModelError(
      `the bundled detector needs the npm package ${DETECTOR_PACKAGE} (its models/centernet.*), which is not installed: run 'npm install' (or set model.backend to molmo or none)`,
    );
  }
  const dir = dirname(packageJson);
  const version = String((JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown }).version ?? 'unknown');
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, 'models', name));
    } catch (err) {
      throw new DetectorModelError(`${DETECTOR_PACKAGE}@${version} has no readable models/${name} (${(err as NodeJS.ErrnoException).code ?? String(err)}): reinstall it`);
    }
  };
  return { json: read('centernet.json'), bin: read('centernet.bin'), version, dir };
}

/**
 * The converted model: from the cache when a file for this package version, file hash and converter version exists
 * and `accept` says it loads, else converted now and written to the cache (atomically: a half-written file is never
 * read). A cache that cannot be written is not an error: the model is used from memory and `note` says so.
 */
export async function loadBundledModel(options: { cacheDir?: string; accept?: (onnx: Uint8Array) => Promise<boolean> } = {}): Promise<BundledModel> {
  const files = readPackageFiles();
  const hash = createHash('sha256').update(files.json).update(files.bin).update(`converter ${CONVERTER_VERSION}`).digest('hex').slice(0, 16);
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const cachePath = join(cacheDir, `centernet-human-${files.version}-${hash}.onnx`);
  const source = `${DETECTOR_PACKAGE}@${files.version} models/centernet.json`;

  let cached: Uint8Array | null = null;
  try {
    cached = readFileSync(cachePath);
  } catch {
    // Not cached yet.
  }
  if (cached && (!options.accept || (await options.accept(cached)))) {
    return { onnx: cached, source, version: files.version, cachePath, origin: 'cache', note: null };
  }
  let onnx: Uint8Array;
  try {
    onnx = tfjsToOnnx(readTfjsGraph(JSON.parse(files.json.toString('utf8')), files.bin), {
      outputs: [CENTERNET_OUTPUT],
      resizeImageInputs: true,
      producer: `molmo-waypoints tfjs-to-onnx ${CONVERTER_VERSION}`,
      metadata: { source },
    });
  } catch (err) {
    throw new DetectorModelError(`cannot convert ${source} to ONNX (corrupt or changed model?): ${err instanceof Error ? err.message : String(err)}`);
  }
  let note: string | null = cached ? `replaced a cached model that did not load (${cachePath})` : null;
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(tmp, onnx);
    renameSync(tmp, cachePath);
  } catch (err) {
    note = `could not cache the converted model in ${cacheDir} (${(err as NodeJS.ErrnoException).code ?? String(err)}); it is converted again on every start`;
    return { onnx, source, version: files.version, cachePath: null, origin: 'converted', note };
  }
  return { onnx, source, version: files.version, cachePath, origin: 'converted', note };
}

function packageRoot(entry: string): string {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown }).name === DETECTOR_PACKAGE) return candidate;
  }
  throw new Error(`no package.json of ${DETECTOR_PACKAGE} above ${entry}`);
}
