import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { run } from '../../src/cli/point.js';
import { startFakeMolmoServer } from '../helpers/fake-molmo-server.js';
import type { CliIo } from '../../src/cli/parse.js';

/** Runs the command in-process with an empty stdin; returns exit code and output. */
async function runCli(command: (argv: string[], io: CliIo) => Promise<number>, argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await command(argv, {
    stdin: (async function* () {})(),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

async function withImage(fn: (path: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'point-cli-'));
  try {
    const path = join(dir, 'frame.png');
    writeFileSync(path, await sharp({ create: { width: 400, height: 200, channels: 3, background: '#808080' } }).png().toBuffer());
    await fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('point: one image, one query -> points on the file\'s pixel grid, raw text and model', async () => {
  const answer = '<points coords="1 1 250 500" alt="mug">mug</points>';
  const server = await startFakeMolmoServer({ replies: [{ answer, model: 'allenai/Molmo2-8B' }] });
  try {
    await withImage(async (image) => {
      const r = await runCli(run, ['--image', image, '--query', 'red mug', '--url', server.url, '--max-side', '200', '--api-key', 'k']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      // 250‰ × 500‰ of the 400×200 file (not of the 200×100 upload): u = 0.25·400 − 0.5, v = 0.5·200 − 0.5.
      assert.deepEqual(out.points, [{ u: 99.5, v: 99.5, label: 'mug', alt: 'mug', image: 1, id: 1 }]);
      assert.deepEqual([out.model, out.rawText, out.width, out.height, out.none, out.truncated], ['allenai/Molmo2-8B', answer, 400, 200, false, false]);
      assert.deepEqual(Object.keys(out.timings).sort(), ['encode', 'parse', 'queue', 'request', 'total']);
      for (const ms of Object.values(out.timings) as number[]) assert.ok(ms >= 0 && Math.abs(ms * 10 - Math.round(ms * 10)) < 1e-6, `timing ${ms} is rounded to 0.1 ms`);
      const req = server.requests[0]!;
      assert.equal(req.prompt, 'Point to the red mug.');
      assert.equal(req.headers.authorization, 'Bearer k');
      assert.equal((req.body as { model: string }).model, 'fake-molmo', 'discovered from /v1/models');
      const sent = await sharp(req.image!).metadata();
      assert.deepEqual([sent.format, sent.width, sent.height], ['jpeg', 200, 100]);
    });
  } finally {
    await server.close();
  }
});

test('point: the wrong family gives no points and a hint; a v1 prompt with --family molmo', async () => {
  const server = await startFakeMolmoServer({ fallback: { answer: '<point x="50" y="50" alt="mug">mug</point>' } });
  try {
    await withImage(async (image) => {
      const wrong = await runCli(run, ['--image', image, '--query', 'mug', '--url', server.url, '--model', 'm']);
      assert.equal(wrong.code, 0);
      assert.deepEqual(JSON.parse(wrong.stdout).points, []);
      assert.match(wrong.stderr, /no points in the molmo2 grammar, but family molmo would have found 1 point: try --family molmo\n/);
      const right = await runCli(run, ['--image', image, '--query', 'mug', '--url', server.url, '--model', 'm', '--family', 'molmo']);
      assert.deepEqual(JSON.parse(right.stdout).points.map((p: { u: number; v: number }) => [p.u, p.v]), [[199.5, 99.5]]);
      assert.equal(server.requests[1]!.prompt, 'pointing: Point to the mug');
    });
  } finally {
    await server.close();
  }
});

test('point: a failing server exits 1 with the error kind; bad flags and files exit 2', async () => {
  const server = await startFakeMolmoServer({ fallback: { status: 503 } });
  try {
    await withImage(async (image) => {
      const notImage = `${image}.txt`;
      writeFileSync(notImage, 'not an image');
      const failed = await runCli(run, ['--image', image, '--query', 'mug', '--url', server.url, '--model', 'm', '--retries', '0']);
      assert.equal(failed.code, 1);
      assert.match(failed.stderr, /^point: http_status: .*HTTP 503/);
      const cases: [string[], RegExp][] = [
        [['--query', 'mug', '--url', server.url], /--image is required/],
        [['--image', image, '--url', server.url], /--query is required/],
        [['--image', image, '--query', 'mug'], /--url is required/],
        [['--image', image, '--query', 'mug', '--url', 'nope'], /'nope' is not a valid URL/],
        [['--image', image, '--query', 'mug', '--url', server.url, '--max-side', 'big'], /--max-side must be a positive integer/],
        [['--image', `${image}.missing`, '--query', 'mug', '--url', server.url], /cannot read image .*ENOENT/],
        [['--image', notImage, '--query', 'mug', '--url', server.url], /undecodable compressed data .*not JPEG or PNG/],
      ];
      for (const [argv, message] of cases) {
        const r = await runCli(run, argv);
        assert.equal(r.code, 2, argv.join(' '));
        assert.match(r.stderr, message);
      }
      assert.equal(server.requests.length, 1, 'only the first run reached the server');
    });
  } finally {
    await server.close();
  }
});
