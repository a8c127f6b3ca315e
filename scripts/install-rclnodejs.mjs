#!/usr/bin/env node
// rclnodejs, the ROS 2 client library, is an optional dependency: where it has no prebuilt binary (any distro but
// Ubuntu LTS, e.g. Debian) its install script builds it from source, and when that build fails npm drops it and
// still exits 0. Run as the project's postinstall, this notices that under a sourced ROS 2 and retries the build
// once with what it needs in the environment:
//   - npm_config_yes=true: the build's `npx rimraf` must not wait for (or, with yes=false set, refuse) a prompt;
//   - npm_config_nodedir: the headers of the running Node when it ships them (no download, so it works offline);
// with the build's output shown. If rclnodejs is still missing it says so and names the command to run.
// `npm run install-rclnodejs` does the same on demand (also when rclnodejs is present: a rebuild).
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The rclnodejs version package-lock.json pins (else package.json's range). */
export function lockedVersion(root = ROOT) {
  try {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    const v = lock.packages?.['node_modules/rclnodejs']?.version;
    if (v) return v;
  } catch {
    // no lock file: fall back to the declared range
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return pkg.optionalDependencies?.rclnodejs ?? 'latest';
}

/** The install prefix of the running Node when it holds headers of exactly this version (node-gyp's nodedir). */
export function localNodeHeaders(execPath = process.execPath, version = process.versions.node) {
  const prefix = dirname(dirname(realpathSync(execPath)));
  try {
    const h = readFileSync(join(prefix, 'include', 'node', 'node_version.h'), 'utf8');
    const part = (name) => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(h)?.[1];
    return `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}` === version ? prefix : null;
  } catch {
    return null;
  }
}

/** The fixing command, as the node's "rclnodejs is not installed" message also prints it. */
export function fixCommand(distro) {
  return `source /opt/ros/${distro || '<distro>'}/setup.bash && npm run install-rclnodejs`;
}

/**
 * What to do: null (nothing: no ROS sourced, or rclnodejs is there and this is the postinstall), or the npm
 * command and environment that build rclnodejs.
 */
export function installPlan({ env, installed, force, version, nodedir }) {
  if (!env.ROS_DISTRO) return null;
  if (installed && !force) return null;
  const buildEnv = { ...env, npm_config_yes: 'true' };
  if (!env.npm_config_nodedir && nodedir) buildEnv.npm_config_nodedir = nodedir;
  const args = ['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts', `rclnodejs@${version}`];
  return { args, env: buildEnv };
}

function main() {
  const force = process.argv.includes('--force');
  const env = process.env;
  const installed = () => existsSync(join(ROOT, 'node_modules', 'rclnodejs', 'package.json'));
  if (!env.ROS_DISTRO) {
    if (force) {
      console.error('install-rclnodejs: ROS 2 is not sourced (ROS_DISTRO is unset): source /opt/ros/<distro>/setup.bash first');
      process.exit(1);
    }
    return; // no ROS here: nothing to build, nothing to say (CI, laptops)
  }
  const plan = installPlan({ env, installed: installed(), force, version: lockedVersion(), nodedir: localNodeHeaders() });
  if (!plan) return;
  console.log(
    `install-rclnodejs: building rclnodejs for ROS 2 ${env.ROS_DISTRO} (npm_config_yes=true` +
      `${plan.env.npm_config_nodedir ? `, npm_config_nodedir=${plan.env.npm_config_nodedir}` : ''}): npm ${plan.args.join(' ')}`,
  );
  const r = spawnSync('npm', plan.args, { cwd: ROOT, env: plan.env, stdio: 'inherit' });
  if (r.status === 0 && installed()) {
    console.log('install-rclnodejs: rclnodejs is installed; `npx molmo-waypoints run --ros on ...` is the ROS 2 node');
    return;
  }
  console.error(
    [
      `install-rclnodejs: rclnodejs could not be built for ROS 2 ${env.ROS_DISTRO}; the build's output above says why`,
      `(npm drops this optional dependency when its build fails). Everything but the ROS node works without it.`,
      `After fixing that (a sourced ROS 2 with its development headers, a C++ compiler, python3), run:`,
      `  ${fixCommand(env.ROS_DISTRO)}`,
    ].join('\n'),
  );
  // The postinstall must not fail `npm ci` (the project builds and tests without ROS); on demand it does.
  process.exit(force ? 1 : 0);
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) main();
