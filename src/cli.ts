import { pathToFileURL } from 'node:url';
import { visibleText } from './text/visible-text.js';

// The `molmo-waypoints` command line. Each command lives in src/cli/<name>.ts and exports
// `run(argv): Promise<number>` (the exit code); they are loaded lazily so `parse` never pays for sharp or ONNX.

interface CommandEntry {
  summary: string;
  load: () => Promise<{ run(argv: string[]): Promise<number> }>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  demo: { summary: 'replay the bundled RGB-D recording through the bridge and open the console', load: () => import('./cli/demo.js') },
  run: { summary: 'run the bridge from a YAML config (ROS 2 node when ROS is sourced, else a standalone source)', load: () => import('./cli/run.js') },
  play: { summary: 'publish a recording (MCAP) on ROS 2 topics, looping and restamped: a replay without rosbag2', load: () => import('./cli/play.js') },
  request: { summary: 'ask a running instance to point at something and print the result', load: () => import('./cli/request.js') },
  lift: { summary: 'back-project pixels through camera info and depth (optionally into a target frame)', load: () => import('./cli/lift.js') },
  parse: { summary: "parse a Molmo answer from stdin into pixel points", load: () => import('./cli/parse.js') },
  point: { summary: 'ask a Molmo server to point at something in one image file', load: () => import('./cli/point.js') },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: molmo-waypoints <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'molmo-waypoints <command> --help' for a command's options.`;
}

/** Exit status of every command: 0 success; 1 the work ran and failed (a request that did not end ok, a source or
 * runtime failure); 2 bad usage or configuration (flags, config keys, environment variables, unusable files). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A reader that went away (`… | head`) ends the command quietly; a command must never die with a stack trace. */
function guardProcess(name: string): void {
  const closedPipe = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(process.exitCode ?? EXIT.ok);
    throw err;
  };
  process.stdout.on('error', closedPipe);
  process.stderr.on('error', closedPipe);
  const fatal = (err: unknown) => {
    const e = err as NodeJS.ErrnoException;
    if (e?.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    process.stderr.write(`molmo-waypoints ${name}: internal error: ${visibleText(e instanceof Error ? `${e.name}: ${e.message}` : err)}\n`);
    process.exit(EXIT.failed);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    console.error(`molmo-waypoints: unknown command '${visibleText(name, 60)}'\n${usage()}`);
    return EXIT.usage;
  }
  guardProcess(name);
  const command = await entry.load();
  try {
    return await command.run(rest);
  } catch (err) {
    const e = err as Error;
    console.error(`molmo-waypoints ${name}: internal error: ${visibleText(e instanceof Error ? `${e.name}: ${e.message}` : err)}`);
    return EXIT.failed;
  }
}

// Run directly (`node --import tsx src/cli.ts …`, used by tests and development); the installed bin calls main().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
