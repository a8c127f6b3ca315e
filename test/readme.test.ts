// README.md is the newcomer's contract: its commands must exist and its tables must cover what the code declares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { COMMANDS } from '../src/cli.js';
import { PARAMETERS } from '../src/ros/parameters.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const ciScript = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};

test('the quick start gives the set-up-and-run command and the test command, and CI runs the latter', () => {
  assert.match(readme, /^npm ci && npm start\b/m);
  assert.match(readme, /^npm test\b/m);
  assert.match(ciScript, /^npm test$/m);
  assert.match(packageJson.scripts.start ?? '', /molmo-waypoints\.js demo$/);
});

test('the command table lists every CLI command', () => {
  for (const name of Object.keys(COMMANDS)) {
    assert.ok(readme.includes(`| \`molmo-waypoints ${name}`), `README's command table lacks '${name}'`);
  }
});

test('the ROS section lists every declared parameter and every output topic', () => {
  for (const { spec } of PARAMETERS) assert.ok(readme.includes(`| \`${spec.name}\` |`), `README lacks parameter ${spec.name}`);
  for (const topic of ['~/waypoints', '~/point', '~/markers', '~/detections', '~/result', '~/goal_point', '~/pick_pose', '/goal_pose', '/diagnostics']) {
    assert.ok(readme.includes(`\`${topic}\``), `README lacks topic ${topic}`);
  }
});
