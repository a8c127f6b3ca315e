#!/usr/bin/env node
// Runs node's test runner over every test/**/*.test.ts. Node 20's --test does not expand globs, so we list
// the files ourselves, and an empty list is a failure rather than a silent green run.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const filter = process.argv.slice(2);
let files = findTests('test').map((f) => relative('.', f)).sort();
if (filter.length > 0) files = files.filter((f) => filter.some((part) => f.includes(part)));
if (files.length === 0) {
  console.error(`run-tests: no test files matched under test/${filter.length ? ` (filter: ${filter.join(' ')})` : ''}`);
  process.exit(1);
}
// The bundled detector converts its model once into a cache: tests share a temp one, never the user's.
const cacheDir = mkdtempSync(join(tmpdir(), 'molmo-waypoints-test-cache-'));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, MOLMO_WAYPOINTS_CACHE: cacheDir },
});
rmSync(cacheDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
