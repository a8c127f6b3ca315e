// The ROS parameters of round 2's configuration keys (depth noise, object segment, uncertainty, the pick point and
// the offset above it, model balancing, the bundled detector), through the in-memory double: declared with the
// config's value as default, the dynamic ones changing the next result, the others refused as read only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../src/pipeline/config.js';
import type { PointResult } from '../../src/pipeline/types.js';
import { MemoryRuntime } from '../../src/ros/memory-runtime.js';
import { prepareRosNode } from '../../src/ros/node.js';
import { dynamicParameterNames } from '../../src/ros/parameters.js';
import { startHarness, type Harness } from './harness.js';

const DYNAMIC = [
  'depth.noise_base_m',
  'depth.noise_per_m2',
  'segment.enabled',
  'segment.max_size_m',
  'uncertainty.pointing_px',
  'uncertainty.pointing_px_click',
  'uncertainty.calibration_m',
  'uncertainty.calibration_rad',
  'targets.pick_point',
  'targets.offset_above_m',
];
const READ_ONLY = ['model.balance', 'model.detector.min_score', 'model.detector.cache_dir'];

/** A point request through the node's action; resolves with the bridge's result for it. */
async function point(h: Harness, mode = 'point'): Promise<PointResult> {
  const result = h.nextResult();
  const goal = h.node.sendGoal('~/point_at', { query: 'the red mug', mode, target_frame: '', max_points: 0 });
  const r = (await goal.result) as { status: string; reason: string };
  assert.equal(r.status, 'ok', r.reason);
  return result;
}

test('round 2 parameters are declared with the config file\'s values as defaults, dynamic or read only as they are read', async () => {
  const bridge = defaultConfig();
  bridge.depth.noise = { baseM: 0.001, perM2: 0.0014 };
  bridge.segment = { enabled: false, maxSizeM: 0.3 };
  bridge.uncertainty = { pointingPx: 5, clickPx: 1, calibrationM: 0.004, calibrationRad: 0.01 };
  bridge.targets.pickPoint = 'top';
  bridge.targets.offsetAboveM = 0.05;
  const { node, settings, close } = await prepareRosNode({
    runtime: new MemoryRuntime(),
    base: { bridge, molmo: { endpoints: [], family: 'molmo', balance: 'least_loaded', detector: { minScore: 0.45, cacheDir: '/var/cache/mw' } } },
  });
  try {
    const declared = (node as unknown as { parameters: Map<string, { spec: { default: unknown; readOnly: boolean; type: string } }> }).parameters;
    const expected: Record<string, [string, unknown]> = {
      'depth.noise_base_m': ['double', 0.001],
      'depth.noise_per_m2': ['double', 0.0014],
      'segment.enabled': ['bool', false],
      'segment.max_size_m': ['double', 0.3],
      'uncertainty.pointing_px': ['double', 5],
      'uncertainty.pointing_px_click': ['double', 1],
      'uncertainty.calibration_m': ['double', 0.004],
      'uncertainty.calibration_rad': ['double', 0.01],
      'targets.pick_point': ['string', 'top'],
      'targets.offset_above_m': ['double', 0.05],
      'model.balance': ['string', 'least_loaded'],
      'model.detector.min_score': ['double', 0.45],
      'model.detector.cache_dir': ['string', '/var/cache/mw'],
    };
    for (const [name, [type, def]] of Object.entries(expected)) {
      const d = declared.get(name);
      assert.ok(d, `${name} is declared`);
      assert.deepEqual([d.spec.type, d.spec.default], [type, def], name);
      assert.equal(d.spec.readOnly, READ_ONLY.includes(name), `${name} read only`);
    }
    assert.deepEqual(settings.bridge, bridge, 'no overrides: the config file\'s bridge settings unchanged');
    const dynamic = new Set(dynamicParameterNames());
    for (const name of DYNAMIC) assert.ok(dynamic.has(name), name);
  } finally {
    close();
  }
});

test('overrides of round 2 parameters (as from --params-file) reach the bridge config and the model settings', async () => {
  const runtime = new MemoryRuntime({
    parameterOverrides: {
      'depth.noise_base_m': 0.002,
      'segment.max_size_m': 1,
      'uncertainty.pointing_px_click': 3,
      'targets.pick_point': 'centroid',
      'model.balance': 'least_loaded',
      'model.detector.min_score': 0.6,
    },
  });
  const { settings, close } = await prepareRosNode({ runtime });
  try {
    assert.deepEqual(settings.bridge.depth.noise, { baseM: 0.002, perM2: 0.0025 });
    assert.equal(settings.bridge.segment.maxSizeM, 1);
    assert.equal(settings.bridge.uncertainty.clickPx, 3);
    assert.equal(settings.bridge.targets.pickPoint, 'centroid');
    assert.equal(settings.molmo.balance, 'least_loaded');
    assert.deepEqual(settings.molmo.detector, { minScore: 0.6, cacheDir: '' });
  } finally {
    close();
  }
});

test('targets.offset_above_m set at runtime lifts the next waypoint along +Z and makes it free space', async () => {
  const h = await startHarness();
  try {
    h.feedFrame();
    const before = (await point(h)).waypoints[0]!;
    assert.equal(before.targetKind, 'surface');
    assert.deepEqual(h.node.setParameters({ 'targets.offset_above_m': 0.25 }), { successful: true, reason: '' });
    const after = (await point(h)).waypoints[0]!;
    assert.equal(after.targetKind, 'free_space');
    assert.ok(Math.abs(after.point.z - (before.point.z + 0.25)) < 1e-9, `z ${before.point.z} -> ${after.point.z}`);
    assert.ok(Math.abs(after.point.x - before.point.x) < 1e-9 && Math.abs(after.point.y - before.point.y) < 1e-9);
  } finally {
    await h.close();
  }
});

test('segment.enabled set false at runtime: the next waypoint has no object', async () => {
  const h = await startHarness();
  try {
    h.feedFrame();
    assert.equal((await point(h)).waypoints[0]!.object, null, 'the bare floor is no object');
    h.feedFrameWithObject();
    assert.notEqual((await point(h)).waypoints[0]!.object, null, 'the block on it is');
    assert.equal(h.node.setParameters({ 'segment.enabled': false }).successful, true);
    assert.equal((await point(h)).waypoints[0]!.object, null);
  } finally {
    await h.close();
  }
});

test('targets.pick_point and segment.max_size_m set at runtime: the next waypoint is the centroid of a smaller object', async () => {
  const h = await startHarness();
  try {
    h.feedFrameWithObject();
    const surface = (await point(h)).waypoints[0]!;
    assert.deepEqual(h.node.setParameters({ 'targets.pick_point': 'centroid' }).successful, true);
    const centroid = (await point(h)).waypoints[0]!;
    const c = centroid.object!.centroid;
    assert.ok(Math.hypot(centroid.point.x - c.x, centroid.point.y - c.y, centroid.point.z - c.z) < 1e-9, 'the waypoint is the object\'s centroid');
    assert.ok(Math.hypot(surface.point.x - c.x, surface.point.y - c.y) > 1e-3, "which is not the pointed surface point (the block is off the image centre)");
    assert.equal(h.node.setParameters({ 'segment.max_size_m': 0.2 }).successful, true);
    const small = (await point(h)).waypoints[0]!;
    assert.ok(small.object!.pointCount < centroid.object!.pointCount, `${centroid.object!.pointCount} -> ${small.object!.pointCount} pixels`);
  } finally {
    await h.close();
  }
});

test('uncertainty.pointing_px_click set at runtime changes the covariance of an explicit pixel, not of a model point', async () => {
  const h = await startHarness();
  try {
    h.feedFrame();
    const trace = (r: PointResult) => { const c = r.waypoints[0]!.covariance!; return c[0]! + c[4]! + c[8]!; };
    const click = () => h.bridge.request({ id: `click-${Math.random()}`, mode: 'point', pixels: [{ u: 20, v: 20 }] });
    const [clickBefore, modelBefore] = [trace(await click()), trace(await point(h))];
    assert.equal(h.node.setParameters({ 'uncertainty.pointing_px_click': 20 }).successful, true);
    assert.ok(trace(await click()) > clickBefore);
    assert.equal(trace(await point(h)), modelBefore, 'the model\'s points keep uncertainty.pointing_px');
  } finally {
    await h.close();
  }
});

test('uncertainty and depth noise set at runtime change the next waypoint\'s covariance', async () => {
  const h = await startHarness();
  try {
    h.feedFrame();
    const trace = (c: number[] | null) => c![0]! + c![4]! + c![8]!;
    let last = trace((await point(h)).waypoints[0]!.covariance);
    for (const change of [{ 'uncertainty.pointing_px': 30 }, { 'uncertainty.calibration_m': 0.02 }, { 'uncertainty.calibration_rad': 0.02 }, { 'depth.noise_base_m': 0.05 }, { 'depth.noise_per_m2': 0.05 }]) {
      assert.equal(h.node.setParameters(change).successful, true, JSON.stringify(change));
      const now = trace((await point(h)).waypoints[0]!.covariance);
      assert.ok(now > last, `${JSON.stringify(change)} grows the covariance: ${last} -> ${now}`);
      last = now;
    }
  } finally {
    await h.close();
  }
});

test('round 2 parameters refused at runtime say why and change nothing', async () => {
  const h = await startHarness();
  try {
    const before = structuredClone(h.bridge.config);
    const cases: [Record<string, unknown>, string][] = [
      [{ 'targets.pick_point': 'middle' }, `parameter 'targets.pick_point' must be one of surface, centroid, top, got "middle"`],
      [{ 'segment.max_size_m': 0 }, `parameter 'segment.max_size_m' must be a number in [0.001, ∞], got 0`],
      [{ 'uncertainty.calibration_m': -1 }, `parameter 'uncertainty.calibration_m' must be a number in [0, ∞], got -1`],
      [{ 'depth.noise_per_m2': 'high' }, `parameter 'depth.noise_per_m2' must be a double, got "high"`],
      [{ 'model.balance': 'least_loaded' }, 'Parameter model.balance is readonly'],
      [{ 'model.detector.min_score': 0.5 }, 'Parameter model.detector.min_score is readonly'],
    ];
    for (const [values, reason] of cases) assert.deepEqual(h.node.setParameters(values), { successful: false, reason }, JSON.stringify(values));
    assert.deepEqual(h.bridge.config, before);
    assert.equal(h.node.getParameter('targets.pick_point'), 'surface');
  } finally {
    await h.close();
  }
});
