import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { run, type CliIo } from '../../src/cli/parse.js';

/** Runs the command in-process with `input` on stdin; returns exit code and output. */
async function runCli(command: (argv: string[], io: CliIo) => Promise<number>, argv: string[], input = '') {
  let stdout = '';
  let stderr = '';
  const code = await command(argv, {
    stdin: (async function* () {
      if (input !== '') yield Buffer.from(input);
    })(),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

test('parse prints the contract JSON for a v1 answer on stdin', async () => {
  const r = await runCli(run, ['--family', 'molmo', '--width', '640', '--height', '480'], ' <point x="12.5" y="40.0" alt="red mug">red mug</point>');
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.stdout), {
    // u = 12.5 % · 640 − 0.5, v = 40 % · 480 − 0.5: fractions from the image's corner, integers at pixel centres.
    points: [{ u: 79.5, v: 191.5, label: 'red mug', alt: 'red mug', image: 1, id: 1 }],
    count: null,
    none: false,
    truncated: false,
  });
});

test('parse: v2 counting, none, truncated, and text without points all exit 0', async () => {
  const opts = ['--family', 'molmo2', '--width', '1000', '--height', '1000'];
  const counted = JSON.parse((await runCli(run, opts, 'There are 2 <points coords="1 1 100 200 2 300 400">cups</points>.')).stdout);
  assert.deepEqual([counted.count, counted.points.length, counted.points[1].u], [2, 2, 299.5]);
  assert.equal(JSON.parse((await runCli(run, opts, 'There are none.')).stdout).none, true);
  assert.equal(JSON.parse((await runCli(run, opts, '<points coords="1 1 100 2')).stdout).truncated, true);
  for (const text of ['', '\u0000\uFFFF<<<>>>', 'x'.repeat(10_000)]) {
    const r = await runCli(run, opts, text);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout).points, []);
  }
  assert.equal(JSON.parse((await runCli(run, [...opts, '--text', '<points coords="1 1 500 500">a</points>'])).stdout).points[0].u, 499.5);
});

test('parse: unusable flags exit 2 naming the flag', async () => {
  const cases: [string[], RegExp][] = [
    [['--width', '10', '--height', '10'], /--family is required/],
    [['--family', 'qwen', '--width', '10', '--height', '10'], /--family must be one of molmo, molmo2, qwen2\.5-vl, qwen3-vl, qwen2-vl, gemini-er, moondream, robopoint, paligemma, florence2; got 'qwen'/],
    [['--family', 'qwen2.5-vl', '--width', '10', '--height', '10', '--sent', '28'], /--sent must be <width>x<height>/],
    [['--family', 'molmo', '--width', '0', '--height', '10'], /--width must be a positive integer, got '0'/],
    [['--family', 'molmo', '--width', '10'], /--height is required/],
    [['--family', 'molmo', '--width', '10', '--height', '1.5'], /--height must be a positive integer/],
    [['--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [argv, message] of cases) {
    const r = await runCli(run, argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.stderr, message);
  }
  const help = await runCli(run, ['--help']);
  assert.deepEqual([help.code, /usage: molmo-waypoints parse/.test(help.stdout)], [0, true]);
});

test('parse through the real command line, stdin piped', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'parse', '--family', 'molmo', '--width', '200', '--height', '100'], {
    input: 'Counting the <points x1="10" y1="20" x2="50" y2="50" alt="apples">apples</points> shows a total of 2.',
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), {
    points: [
      { u: 19.5, v: 19.5, label: 'apples', alt: 'apples', image: 1, id: 1 },
      { u: 99.5, v: 49.5, label: 'apples', alt: 'apples', image: 1, id: 2 },
    ],
    count: 2,
    none: false,
    truncated: false,
  });
});
