import { pathToFileURL } from 'node:url';

// The `molmo-waypoints` command line. Each command lives in src/cli/<name>.ts and exports
// `run(argv): Promise<number>` (the exit code); they are loaded lazily so `parse` never pays for sharp or ONNX.

interface CommandEntry {
  summary: string;
  load: () => Promise<{ run(argv: string[]): Promise<number> }>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  demo: { summary: 'replay the bundled RGB-D recording through the bridge and open the console', load: () => import('./cli/demo.js') },
  run: { summary: 'run the bridge from a YAML config (ROS 2 node when ROS is sourced, else a standalone source)', load: () => import('./cli/run.js') },
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

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`molmo-waypoints: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
  return command.run(rest);
}

// Run directly (`node --import tsx src/cli.ts …`, used by tests and development); the installed bin calls main().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
