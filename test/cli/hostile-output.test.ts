// Strings from outside — a model server's error body, an environment variable — never reach the terminal raw:
// every command prints them as one line of visible text (src/text/visible-text.ts). Real processes, real servers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

const ESCAPE = '\u001b[31mOWNED\u001b[0m\r\n\u001b]0;title\u0007second line';
/** What no stderr may contain: ESC, CSI, BEL, CR, or any other C0/C1 control except the newline ending a line. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end(`internal error ${ESCAPE}\n<html>\n</html>`);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const modelUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const dir = mkdtempSync(join(tmpdir(), 'mw-hostile-'));
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

function assertClean(stderr: string, what: string): void {
  assert.ok(!RAW_CONTROL.test(stderr), `${what}: raw control characters reached the terminal: ${JSON.stringify(stderr)}`);
  assert.doesNotMatch(stderr, /\n {4}at /, `${what}: no stack trace`);
}

test('point: a 500 whose body carries escape sequences and newlines is reported in one visible line', async () => {
  const image = join(dir, 'frame.png');
  writeFileSync(image, await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } }).png().toBuffer());
  const r = await cli(['point', '--image', image, '--query', 'mug', '--url', modelUrl, '--model', 'm', '--retries', '0']);
  assert.equal(r.code, 1, r.stderr);
  assertClean(r.stderr, 'point');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /HTTP 500.*internal error OWNED second line/);
});

test('demo --once: the model error in the result line is visible text too', async () => {
  const r = await cli(['demo', '--once', '--no-record', '--query', 'the chair', '--molmo-url', modelUrl, '--set', 'model.retries=0', '--set', 'model.name=m']);
  assert.equal(r.code, 1, r.stderr);
  assertClean(r.stderr + r.stdout, 'demo');
  assert.match(r.stdout, /model_error.*internal error OWNED second line/);
});

test('an environment value with a newline and an escape (MOLMO_URL) is named, not echoed raw', async () => {
  const r = await cli(['demo', '--once', '--no-record'], { MOLMO_URL: 'http://gpu-box:8000\n\u001b[31m' });
  assert.equal(r.code, 2, r.stderr);
  assertClean(r.stderr, 'MOLMO_URL');
  assert.match(r.stderr, /MOLMO_URL/);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
});

test('run: topic, schema and chunk compression names from a hostile MCAP are printed as visible text', async () => {
  const { writeRawMcap } = await import('../sources/helpers.js');
  const mcap = join(dir, 'hostile.mcap');
  await writeRawMcap(mcap, [{ topic: '/camera\u001b[2J\u001b]0;pwned\u0007/x', type: 'std_msgs/msg/String', logTime: 1n, data: new Uint8Array([0, 1, 0, 0, 1, 0, 0, 0, 0]) }], {
    chunkCompression: '\u001b[31mzstd\r\nFAKE LOG LINE',
  });
  const config = join(dir, 'hostile.yaml');
  writeFileSync(config, `source: { type: mcap, mcap: { path: ${mcap}, loop: false } }\nconsole: { enabled: false }\nrecording: { enabled: false }\nros: off\n`);
  const r = await cli(['run', '--config', config]);
  assertClean(r.stderr + r.stdout, 'run');
  assert.doesNotMatch(r.stderr, /^FAKE LOG LINE/m, 'no forged line');
  assert.match(r.stderr, /it has: \/camera\/x \(std_msgs\/msg\/String/, 'the topic is still named, as visible text');
});
