import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS, usage } from '../../src/cli.js';

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { encoding: 'utf8' });
}

test('usage lists every command', () => {
  const text = usage();
  for (const name of Object.keys(COMMANDS)) assert.match(text, new RegExp(`^  ${name} `, 'm'));
});

test('an unknown command exits 2 and names it', () => {
  const result = cli('teleport');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown command 'teleport'/);
});

test('--help exits 0 with the usage', () => {
  const result = cli('--help');
  assert.equal(result.status, 0);
  assert.match(result.stdout, /usage: molmo-waypoints <command>/);
});

/** Runs `molmo-waypoints <args>` with stdout into a reader that takes `bytes` and closes (like `| head -c`). */
function intoClosingReader(args: string[], stdin: string, bytes: number): Promise<{ status: number | null; stderr: string; got: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let got = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      got += chunk.length;
      if (got >= bytes) child.stdout.destroy(); // the reader goes away, as head does
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stderr, got }));
    child.stdin.end(stdin);
  });
}

test('lift and parse into a reader that closes early (| head -c 100) exit 0 quietly, no EPIPE trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-epipe-'));
  try {
    const info = join(dir, 'camera.yaml');
    writeFileSync(info, 'image_width: 640\nimage_height: 480\ndistortion_model: plumb_bob\ncamera_matrix: {rows: 3, cols: 3, data: [500, 0, 319.5, 0, 500, 239.5, 0, 0, 1]}\ndistortion_coefficients: {rows: 1, cols: 5, data: [0, 0, 0, 0, 0]}\n');
    const pixels = Array.from({ length: 400 }, (_, i) => ['--pixel', `${i},10`]).flat();
    const lift = await intoClosingReader(['lift', '--camera-info', info, '--depth-m', '1', ...pixels], '', 100);
    const answer = '<point x="10" y="20">mug</point> '.repeat(20_000);
    const parse = await intoClosingReader(['parse', '--family', 'molmo', '--width', '640', '--height', '480'], answer, 100);
    for (const [name, r] of Object.entries({ lift, parse })) {
      assert.ok(r.got >= 100, `${name} wrote output`);
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
      assert.equal(r.stderr, '', `${name} printed nothing on stderr`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a name of Object.prototype ('constructor') is an unknown command, not a crash", () => {
  const result = cli('constructor');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown command 'constructor'/);
});
