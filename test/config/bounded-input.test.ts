// Configuration and calibration files are read with bounds (src/text/yaml-input.ts): a huge or hostile file ends
// in one specific error, never a hang. Real files on disk.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, ftruncateSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCameraInfo } from '../../src/calibration/index.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { parseBoundedYaml, YamlInputError } from '../../src/text/yaml-input.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-bounded-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A sparse file of `bytes` (nothing is written): only its size matters to the limit. */
function bigFile(name: string, bytes: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return path;
}

const manyKeys = (n: number, indent = '') => Array.from({ length: n }, (_, i) => `${indent}k${i}: ${i}`).join('\n');

test('a config of 100k keys under a section, or of 100 MB, is refused with the limit it broke', () => {
  const keys = file('keys.yaml', `model:\n${manyKeys(12_000, '  ')}\n`);
  assert.throws(() => loadConfig({ file: keys, env: {} }), (e: Error) => e instanceof ConfigError && /keys\.yaml: the config file has more than 10000 mapping entries/.test(e.message));
  const huge = bigFile('huge.yaml', 100 * 1024 * 1024);
  assert.throws(() => loadConfig({ file: huge, env: {} }), (e: Error) => e instanceof ConfigError && /huge\.yaml: the config file is 100\.0 MiB, over the 256 KiB limit/.test(e.message));
  const tooMany = `model:\n${manyKeys(100_000, '  ')}\n`;
  assert.throws(() => loadConfig({ text: tooMany, env: {} }), /over the 256 KiB limit|more than 10000 mapping entries/);
});

test('a camera info of 60k top-level keys or 100 MB: one CalibrationFileError naming the limit', () => {
  const keys = file('keys-camera.yaml', `${manyKeys(60_000)}\n`);
  assert.throws(() => loadCameraInfo(keys), /keys-camera\.yaml: is \d+ KiB, over the 256 KiB limit/);
  const fewer = file('fewer-camera.yaml', `${manyKeys(12_000)}\n`);
  assert.throws(() => loadCameraInfo(fewer), /fewer-camera\.yaml: has more than 10000 mapping entries/);
  assert.throws(() => loadCameraInfo(bigFile('huge-camera.yaml', 100 * 1024 * 1024)), /huge-camera\.yaml: is 100\.0 MiB, over the 256 KiB limit/);
});

test('duplicate keys and alias bombs are refused; a directory is not a file', () => {
  assert.throws(() => parseBoundedYaml('a: 1\nb: 2\na: 3\n'), (e: Error) => e instanceof YamlInputError && /has the key 'a' twice in one mapping \(line 3\)/.test(e.message));
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
  assert.throws(() => loadConfig({ text: bomb, env: {} }), (e: Error) => e instanceof ConfigError && /refused: Excessive alias count/.test(e.message));
  assert.throws(() => loadCameraInfo(dir), /is not a regular file/);
});
