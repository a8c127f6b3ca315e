// Loads rclnodejs on demand. Only when ROS_DISTRO is set (a sourced ROS 2), and with a message that says what to do
// when it is missing or was built without ROS: rclnodejs generates its message classes and builds its native
// binding against the sourced distro at `npm ci` time.
import type { Rcl } from './rclnodejs-runtime.js';
import type { RosRuntime } from './types.js';

/** ROS 2 cannot be used in this process; the message says why and what to run. */
export class RosUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RosUnavailableError';
  }
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Process arguments for rcl (where `--ros-args` live). */
  argv?: string[];
  /** Module loader, replaceable in tests. */
  importModule?: (specifier: string) => Promise<unknown>;
}

/** The command that builds rclnodejs against the sourced distro (scripts/install-rclnodejs.mjs, with its output). */
export function fixCommand(distro: string): string {
  return `source /opt/ros/${distro}/setup.bash && npm run install-rclnodejs`;
}

/** Whether a sourced ROS 2 is visible to this process. */
export function rosAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return typeof env['ROS_DISTRO'] === 'string' && env['ROS_DISTRO'] !== '';
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** The rclnodejs module object, or a RosUnavailableError that says how to get it. */
export async function importRclnodejs(options: LoadOptions = {}): Promise<Rcl> {
  const env = options.env ?? process.env;
  const distro = env['ROS_DISTRO'];
  if (!distro) {
    throw new RosUnavailableError('ROS 2 is not sourced (ROS_DISTRO is unset): source /opt/ros/<distro>/setup.bash first, or run without --ros');
  }
  // A variable specifier keeps TypeScript from resolving a package that is optional and usually absent here.
  const specifier = 'rclnodejs';
  const importModule = options.importModule ?? ((s: string) => import(s));
  let mod: unknown;
  try {
    mod = await importModule(specifier);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      // npm ci does not fail for it: an optional dependency whose build fails is dropped (where rclnodejs has no
      // prebuilt binary, e.g. Debian, it builds from source). The command shows that build and why it fails.
      throw new RosUnavailableError(
        `rclnodejs is not installed: npm left out this optional dependency because its native build for ROS 2 ${distro} failed ` +
          `(or npm ci ran before ROS 2 was sourced); build it, with the build's output, with '${fixCommand(distro)}'`,
      );
    }
    throw new RosUnavailableError(
      `rclnodejs is installed but failed to load (${(err as Error).message}): rebuild it against ROS 2 ${distro} with '${fixCommand(distro)}'`,
    );
  }
  const rcl = ((mod as { default?: unknown }).default ?? mod) as Partial<Rcl>;
  if (typeof rcl.init !== 'function' || typeof rcl.Node !== 'function') {
    throw new RosUnavailableError('the rclnodejs module does not look like rclnodejs (no init/Node): reinstall it with npm ci');
  }
  return rcl as Rcl;
}

/** rclnodejs, initialised with the process arguments, as our RosRuntime. */
export async function loadRosRuntime(options: LoadOptions = {}): Promise<RosRuntime> {
  const rcl = await importRclnodejs(options);
  const { RclnodejsRuntime } = await import('./rclnodejs-runtime.js');
  const env = options.env ?? process.env;
  return RclnodejsRuntime.init(rcl, env['ROS_DISTRO'] ?? 'unknown', options.argv ?? process.argv);
}
