// `ros2 param set` on the running node (issue 14, item 1), through the in-memory double: dynamic parameters are
// validated like at start and take effect with the next request, result or dispatch; the others are read_only
// and refused; a refused set changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../src/pipeline/config.js';
import {
  DEFAULT_MOLMO_SETTINGS,
  DEFAULT_NODE_SETTINGS,
  PARAMETERS,
  applyParameterChanges,
  dynamicParameterNames,
  type RosSettings,
} from '../../src/ros/parameters.js';
import type { ParameterValue } from '../../src/ros/types.js';
import { startHarness, tfMsg, type Harness } from './harness.js';

async function ask(h: Harness, mode: string) {
  const goal = h.node.sendGoal('~/point_at', { query: 'the red mug', mode, target_frame: '', max_points: 0 });
  return (await goal.result) as { status: string; result_id: string; reason: string };
}

const MAP_FROM_BASE = { translation: { x: 3, y: 2, z: 0 }, rotation: { x: 0, y: 0, z: 0, w: 1 } };

test('auto_dispatch set false on a node started with it true: the next navigate result no longer goes to /goal_pose', async () => {
  const h = await startHarness({ overrides: { auto_dispatch: true, publish_nav_goal: true } });
  try {
    h.node.inject('/tf_static', tfMsg('map', 'base_link', MAP_FROM_BASE, { sec: 0, nanosec: 0 }));
    h.feedFrame();
    assert.equal((await ask(h, 'navigate')).status, 'ok');
    assert.equal(h.node.messages('/goal_pose').length, 1, 'auto_dispatch on: the goal went out');

    assert.deepEqual(h.node.setParameters({ auto_dispatch: false }), { successful: true, reason: '' });
    assert.equal(h.node.getParameter('auto_dispatch'), false);
    assert.deepEqual(h.node.parameterEvents.at(-1), { changed: [{ name: 'auto_dispatch', value: false }] });
    const r = await ask(h, 'navigate');
    assert.equal(r.status, 'ok');
    assert.equal(h.node.messages('/goal_pose').length, 1, 'no goal without a person confirming');

    h.node.setParameters({ auto_dispatch: true });
    await ask(h, 'navigate');
    assert.equal(h.node.messages('/goal_pose').length, 2, 'and on again');
    assert.ok(h.node.logs.some((l) => l.level === 'warn' && /auto_dispatch ON/.test(l.message)), 'turning it on warns');
  } finally {
    await h.close();
  }
});

test('publish_nav_goal at runtime: on makes the /goal_pose publisher at once, off stops navigate goals', async () => {
  const h = await startHarness();
  try {
    h.node.inject('/tf_static', tfMsg('map', 'base_link', MAP_FROM_BASE, { sec: 0, nanosec: 0 }));
    h.feedFrame();
    assert.equal(h.node.publisher('/goal_pose'), undefined);
    assert.equal(h.node.setParameters({ publish_nav_goal: true }).successful, true);
    assert.ok(h.node.publisher('/goal_pose'), 'made before the first goal, so Nav2 has matched by then');
    h.bridge.dispatch((await ask(h, 'navigate')).result_id, 0, 'console');
    assert.equal(h.node.messages('/goal_pose').length, 1);

    h.node.setParameters({ publish_nav_goal: false });
    h.bridge.dispatch((await ask(h, 'navigate')).result_id, 0, 'console');
    assert.equal(h.node.messages('/goal_pose').length, 1, 'off: not sent');
    assert.ok(h.node.logs.some((l) => l.level === 'warn' && /not sent: publish_nav_goal is false/.test(l.message)));
  } finally {
    await h.close();
  }
});

test('workspace.* at runtime: enabling with a box the robot point is outside of makes the next result out_of_workspace', async () => {
  const h = await startHarness();
  try {
    h.feedFrame();
    assert.equal((await ask(h, 'point')).status, 'ok');
    // Set while disabled (kept as the parameter's value), then enabled on its own: the box comes from all four.
    assert.equal(h.node.setParameters({ 'workspace.min': [1, 1, 1] }).successful, true);
    assert.equal(h.bridge.config.workspace, null, 'still disabled');
    assert.equal(h.node.setParameters({ 'workspace.max': [2, 2, 2], 'workspace.frame': 'base_link' }).successful, true);
    assert.equal(h.node.setParameters({ 'workspace.enabled': true }).successful, true);
    assert.deepEqual(h.bridge.config.workspace, { frame: 'base_link', min: { x: 1, y: 1, z: 1 }, max: { x: 2, y: 2, z: 2 } });
    const r = await ask(h, 'point');
    assert.equal(r.status, 'out_of_workspace', r.reason);

    assert.equal(h.node.setParameters({ 'workspace.min': [-2, -2, -2] }).successful, true);
    assert.equal((await ask(h, 'point')).status, 'ok', 'the widened box takes effect with the next request');
  } finally {
    await h.close();
  }
});

test('dispatch.max_age_ms at runtime: lowered, an operator dispatch of an older result is refused as stale', async () => {
  const h = await startHarness();
  try {
    h.feedFrame();
    const { result_id } = await ask(h, 'pick');
    assert.equal(h.node.setParameters({ 'dispatch.max_age_ms': 1 }).successful, true, 'an integer for a double, as `ros2 param set` sends 1');
    assert.equal(h.node.getParameter('dispatch.max_age_ms'), 1);
    await new Promise((r) => setTimeout(r, 20));
    assert.throws(() => h.bridge.dispatch(result_id, 0, 'console'), /over dispatch.max_age_ms \(1 ms\)/);
    assert.equal(h.node.messages('~/pick_pose').length, 0);
  } finally {
    await h.close();
  }
});

test('refused sets say why and change nothing: bad values, wrong types, read-only parameters, broken cross-checks', async () => {
  const h = await startHarness();
  try {
    const before = structuredClone(h.bridge.config);
    const cases: [Record<string, unknown>, string][] = [
      [{ 'targets.selection': 'bogus' }, `parameter 'targets.selection' must be one of first, closest, best_depth, got "bogus"`],
      [{ 'targets.max_points': -5 }, `parameter 'targets.max_points' must be a number in [1, ∞], got -5`],
      [{ 'depth.max_m': 'far' }, `parameter 'depth.max_m' must be a double, got "far"`],
      [{ 'depth.min_m': 20 }, `parameter 'depth.max_m' (10) must be greater than depth.min_m (20)`],
      [{ 'workspace.enabled': true, 'workspace.min': [3, 0, 0] }, `parameter 'workspace.min' must not exceed workspace.max on any axis (min {"x":3,"y":0,"z":0}, max {"x":1,"y":1,"z":1})`],
      [{ 'workspace.max': [1, 1] }, `parameter 'workspace.max' must be [x, y, z], got [1,1]`],
      [{ 'auto_dispatch': true, 'targets.max_points': 0 }, `parameter 'targets.max_points' must be a number in [1, ∞], got 0`],
      [{ 'sync.slop_ms': 5 }, 'Parameter sync.slop_ms is readonly'],
      [{ 'model.urls': ['http://other:8000'] }, 'Parameter model.urls is readonly'],
      [{ 'no.such_parameter': 1 }, 'Parameter no.such_parameter has not been declared'],
    ];
    for (const [values, reason] of cases) {
      assert.deepEqual(h.node.setParameters(values), { successful: false, reason }, JSON.stringify(values));
    }
    assert.deepEqual(h.bridge.config, before, 'the running config is untouched');
    assert.equal(h.settings.node.autoDispatch, false, 'all or nothing: auto_dispatch of the refused batch did not stick');
    assert.equal(h.node.getParameter('targets.selection'), 'first');
    assert.equal(h.node.parameterEvents.length, 0, 'no parameter event for a refused set');
    assert.ok(h.node.logs.some((l) => l.level === 'warn' && l.message.startsWith(`refused targets.selection = "bogus": parameter 'targets.selection' must be one of`)));
  } finally {
    await h.close();
  }
});

test('declared read_only exactly when not dynamic; the dynamic list is what docs/ros.md documents', async () => {
  const h = await startHarness();
  try {
    const dynamic = new Set(dynamicParameterNames());
    for (const [name, { spec }] of h.node.parameters) assert.equal(spec.readOnly, !dynamic.has(name), name);
    for (const name of ['auto_dispatch', 'publish_nav_goal', 'dispatch.max_age_ms', 'workspace.enabled', 'workspace.frame', 'workspace.min', 'workspace.max']) {
      assert.ok(dynamic.has(name), `${name} is safety-relevant: it must change at runtime`);
    }
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/ros.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('**Dynamic parameters.**'), doc.indexOf('\n\n', doc.indexOf('**Dynamic parameters.**')));
    const listed = new Set([...section.matchAll(/`([a-z_.*]+)`/g)].map((m) => m[1]!));
    for (const name of dynamic) {
      const group = `${name.split('.')[0]}.*`;
      const wholeGroup = PARAMETERS.filter((d) => d.spec.name.startsWith(`${name.split('.')[0]}.`)).every((d) => dynamic.has(d.spec.name));
      assert.ok(listed.has(name) || (wholeGroup && listed.has(group)), `docs/ros.md lists ${name} as dynamic`);
    }
  } finally {
    await h.close();
  }
});

/** A different valid value of the parameter's type (enums from their constraints). */
function another(spec: (typeof PARAMETERS)[number]['spec'], v: ParameterValue): ParameterValue {
  const options = /^one of: (.*)$/.exec(spec.constraints ?? '')?.[1]?.split(', ');
  if (options) return options.find((o) => o !== v)!;
  switch (spec.type) {
    case 'bool':
      return !v;
    case 'integer':
      return (v as number) + 1;
    case 'double':
      return v === 0 ? 1 : (v as number) / 2;
    case 'string':
      return `${String(v)}_other`;
    case 'double_array':
      return (v as number[]).map((x) => x * 2);
    case 'string_array':
      return [...(v as string[]), 'http://other:8000'];
  }
}

test('every dynamic parameter changed through applyParameterChanges reaches the running settings', () => {
  const bridge = defaultConfig();
  bridge.workspace = { frame: '', min: { x: -1, y: -1, z: -1 }, max: { x: 1, y: 1, z: 1 } };
  const liveSettings: RosSettings = { bridge, molmo: { ...DEFAULT_MOLMO_SETTINGS }, node: { ...DEFAULT_NODE_SETTINGS } };
  const values = new Map(PARAMETERS.map((d) => [d.spec.name, d.get(liveSettings)]));
  // workspace.enabled last: the box's other parameters show in the settings only while it is enabled.
  const order = [...PARAMETERS].sort((a, b) => Number(a.spec.name === 'workspace.enabled') - Number(b.spec.name === 'workspace.enabled'));
  for (const d of order) {
    const name = d.spec.name;
    const value = another(d.spec, values.get(name)!);
    const reason = applyParameterChanges(liveSettings, (n) => values.get(n)!, new Map([[name, value]]));
    if (d.spec.readOnly) {
      assert.match(reason ?? '', /is read at start \(read only\): restart the node/, name);
      continue;
    }
    assert.equal(reason, null, name);
    assert.deepEqual(d.get(liveSettings), value, `${name} took effect`);
    values.set(name, value);
  }
  assert.equal(bridge, liveSettings.bridge, 'changed in place: the running bridge holds this object');
});
