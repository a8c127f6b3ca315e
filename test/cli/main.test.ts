import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
