// Fuzzing the command line and the config loader with random and mutated inputs (seeded, bounded in count and
// time). Whatever comes in: the exit code is one of the documented ones (0 ok, 1 failed, 2 usage/configuration),
// stderr is at most one line of visible text, and nothing hangs. Most cases run in this process (cheap); a few run
// as real processes, where a stack trace or an unhandled rejection would show.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { mulberry32, pick, randInt } from '../helpers/prng.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mw-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SEED = 20261202;
/** Visible text only: no C0/C1 control characters, no escape sequences. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const NASTY = ['', ' ', '-1', '0', '1e-320', '1e309', 'NaN', 'Infinity', '0x10', '1,2,3', ',', '1;2', '\u001b[31m', 'a\nb', '\u202e', 'x'.repeat(5000), '../../etc/passwd', '/dev/zero', '{', '[]', '%s%n', '💥'];

function mutate(rand: () => number, text: string): string {
  const ops = randInt(rand, 1, 4);
  let s = text;
  for (let i = 0; i < ops; i++) {
    const at = randInt(rand, 0, s.length);
    switch (randInt(rand, 0, 4)) {
      case 0: s = s.slice(0, at) + pick(rand, NASTY) + s.slice(at); break; // insert junk
      case 1: s = s.slice(0, at) + s.slice(at + randInt(rand, 1, 40)); break; // delete a run
      case 2: s = s.slice(0, at) + pick(rand, [':', '- ', '&a ', '*a', '!!binary ', '"', "'", '\t', '  ', '\n']) + s.slice(at); break; // YAML syntax
      case 3: { const lines = s.split('\n'); const j = randInt(rand, 0, lines.length - 1); lines.splice(j, 0, lines[randInt(rand, 0, lines.length - 1)]!); s = lines.join('\n'); break; } // duplicate a line
      default: s = s.slice(0, at) + String.fromCharCode(randInt(rand, 0, 0x2000)) + s.slice(at); // a random character
    }
  }
  return s;
}

test('config loader: 300 mutated configs load or fail with one ConfigError line naming the file', () => {
  const rand = mulberry32(SEED);
  const example = readFileSync(join(root, 'examples', 'config.yaml'), 'utf8');
  const started = performance.now();
  let failures = 0;
  for (let i = 0; i < 300 && performance.now() - started < 20_000; i++) {
    const text = mutate(rand, example);
    try {
      loadConfig({ text, file: join(root, 'examples', 'config.yaml'), env: {} });
    } catch (err) {
      failures++;
      assert.ok(err instanceof ConfigError, `case ${i} (seed ${SEED}) threw ${(err as Error)?.name}: ${(err as Error)?.message}\n${JSON.stringify(text)}`);
      assert.match(err.message, /^config\.yaml: /, `case ${i}: the message names the file`);
      assert.ok(!err.message.includes('\n'), `case ${i}: one line: ${JSON.stringify(err.message)}`);
    }
  }
  assert.ok(failures > 30, `the mutations broke some configs (${failures})`);
});

interface Captured {
  code: number;
  stderr: string;
}

/** Runs a command's `run` in this process with console and process streams captured. */
async function inProcess(fn: () => Promise<number>): Promise<Captured> {
  let stderr = '';
  const saved = { log: console.log, error: console.error, out: process.stdout.write, err: process.stderr.write };
  console.log = () => {};
  console.error = (...parts: unknown[]) => void (stderr += `${parts.join(' ')}\n`);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    return { code: await fn(), stderr };
  } finally {
    Object.assign(console, { log: saved.log, error: saved.error });
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
}

function checkOutcome(what: string, r: Captured): void {
  assert.ok([0, 1, 2].includes(r.code), `${what}: exit ${r.code}`);
  const text = r.stderr.replace(/\n$/, '');
  assert.ok(!text.includes('\n'), `${what}: stderr is one line: ${JSON.stringify(r.stderr.slice(0, 400))}`);
  assert.ok(!CONTROL.test(text), `${what}: stderr is visible text: ${JSON.stringify(r.stderr.slice(0, 400))}`);
}

const FLAGS: Record<string, string[]> = {
  lift: ['--camera-info', '--depth', '--depth-scale', '--depth-m', '--pixel', '--window', '--calibration', '--target-frame', '--camera-frame', '--rectified', '--bogus'],
  parse: ['--family', '--width', '--height', '--text', '--bogus'],
  request: ['--query', '--pixel', '--mode', '--target-frame', '--max-points', '--frame-seq', '--timeout-ms', '--url', '--token', '--bogus'],
};

function randomArgv(rand: () => number, command: string, files: string[]): string[] {
  const argv: string[] = [];
  const n = randInt(rand, 0, 7);
  for (let i = 0; i < n; i++) {
    argv.push(pick(rand, FLAGS[command]!));
    if (rand() < 0.85) argv.push(rand() < 0.4 ? pick(rand, files) : rand() < 0.5 ? `${randInt(rand, -5, 700)},${randInt(rand, -5, 500)}` : pick(rand, NASTY));
  }
  return argv;
}

test('lift, parse and request: 240 random command lines end in a documented exit code and one visible stderr line', async () => {
  const rand = mulberry32(SEED + 1);
  const camera = join(root, 'calibration', 'camera_color.yaml');
  const junk = join(dir, 'junk.yaml');
  writeFileSync(junk, mutate(rand, readFileSync(camera, 'utf8')));
  const files = [camera, junk, join(root, 'calibration', 'handeye_eye_on_base.calib'), join(root, 'demo', 'redwood_livingroom1', 'depth_00000.png'), join(dir, 'missing.png'), dir];
  const lift = await import('../../src/cli/lift.js');
  const parse = await import('../../src/cli/parse.js');
  const request = await import('../../src/cli/request.js');
  const quietIo = (stdin: string) => ({ stdin: (async function* () { yield stdin; })(), stdout: { write: () => true }, stderr: { write: (s: string) => process.stderr.write(s) } });
  const started = performance.now();
  for (let i = 0; i < 240 && performance.now() - started < 30_000; i++) {
    const command = pick(rand, ['lift', 'parse', 'request'] as const);
    const argv = randomArgv(rand, command, files);
    // request: nothing listens on 127.0.0.1:9 (discard), so a well-formed one is a connection error.
    if (command === 'request' && rand() < 0.5) argv.push('--url', 'http://127.0.0.1:9', '--token', 'fuzz-token-0123456789');
    const answer = mutate(rand, '<point x="10.5" y="20">mug</point> <points coords="1 1 200 300 2 400 500">a</points>');
    const r = await inProcess(() => (command === 'lift' ? lift.run(argv) : command === 'parse' ? parse.run(argv, quietIo(answer)) : request.run(argv)));
    checkOutcome(`case ${i} (seed ${SEED + 1}): ${command} ${JSON.stringify(argv).slice(0, 300)}`, r);
  }
});

function cli(args: string[], env: Record<string, string> = {}): Promise<Captured & { signal: string | null }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 15_000 }, (err, _stdout, stderr) => {
      const e = err as (Error & { code?: number | string; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, signal: e?.signal ?? null, stderr });
    });
  });
}

test('run and demo as real processes: 8 mutated configs and environments exit 2 (or run) in one line, no trace, no hang', async () => {
  const rand = mulberry32(SEED + 2);
  const example = readFileSync(join(root, 'examples', 'config.yaml'), 'utf8');
  const cases: { args: string[]; env: Record<string, string> }[] = [];
  for (let i = 0; i < 4; i++) {
    const path = join(root, 'examples', `.fuzz-${process.pid}-${i}.yaml`); // next to the example: its relative paths hold
    writeFileSync(path, `${mutate(rand, example)}\nconsole: { enabled: false }\nrecording: { enabled: false }\nros: off\n`);
    cases.push({ args: ['run', '--config', path, '--set', 'source.mcap.loop=false', '--set', 'source.mcap.realtime=false'], env: {} });
  }
  const envKeys = ['MOLMO_URL', 'MOLMO_FAMILY', 'MOLMO_WAYPOINTS_TOKEN', 'MOLMO_WAYPOINTS_CONSOLE_HOST', 'MOLMO_WAYPOINTS_RECORDING', 'MOLMO_TIMEOUT_MS'];
  for (let i = 0; i < 4; i++) cases.push({ args: ['demo', '--once', '--no-record', '--pixel', '320,240'], env: { [pick(rand, envKeys)]: pick(rand, NASTY.filter((x) => x.trim() !== '')) } });
  try {
    for (const [i, c] of cases.entries()) {
      const r = await cli(c.args, c.env);
      const what = `case ${i} (seed ${SEED + 2}): ${c.args.join(' ')} ${JSON.stringify(c.env)}`;
      assert.equal(r.signal, null, `${what}: hung`);
      assert.ok([0, 1, 2].includes(r.code), `${what}: exit ${r.code}: ${r.stderr.slice(0, 400)}`);
      assert.doesNotMatch(r.stderr, /\n\s+at |node:internal|Error: .*\n.*\^/, `${what}: no stack trace`);
      assert.ok(!CONTROL.test(r.stderr.replace(/\n/g, '')), `${what}: visible text`);
      if (r.code === 2) assert.equal(r.stderr.trimEnd().split('\n').length, 1, `${what}: a configuration error is one line: ${r.stderr}`);
    }
  } finally {
    for (let i = 0; i < 4; i++) rmSync(join(root, 'examples', `.fuzz-${process.pid}-${i}.yaml`), { force: true });
  }
});
