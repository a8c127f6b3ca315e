import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../src/pipeline/config.js';
import { STAGES } from '../../src/pipeline/types.js';
import { MemoryRuntime } from '../../src/ros/memory-runtime.js';
import { prepareRosNode, startRosNode } from '../../src/ros/node.js';
import { DEFAULT_MOLMO_SETTINGS, DEFAULT_NODE_SETTINGS, PARAMETERS, parameterSpecs } from '../../src/ros/parameters.js';
import { Bridge } from '../../src/pipeline/bridge.js';

const base = () => ({ bridge: defaultConfig(), molmo: { ...DEFAULT_MOLMO_SETTINGS }, node: { ...DEFAULT_NODE_SETTINGS } });

test('every parameter is declared once, with a type, a description and the default from the base config', async () => {
  const prepared = await prepareRosNode({ runtime: new MemoryRuntime() });
  const declared = (prepared.node as unknown as { parameters: Map<string, { spec: { description: string; type: string; default: unknown } }> }).parameters;
  assert.equal(declared.size, PARAMETERS.length);
  const names = PARAMETERS.map((p) => p.spec.name);
  assert.equal(new Set(names).size, names.length, 'unique names');
  for (const [name, { spec }] of declared) {
    assert.ok(spec.description.length > 20, `${name} has a description`);
    assert.match(name, /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, `${name} is a valid ROS parameter name`);
  }
  for (const s of STAGES) assert.ok(declared.has(`timeouts.${s}_ms`), `stage ${s} has a deadline parameter`);
  const d = defaultConfig();
  assert.equal(declared.get('sync.slop_ms')!.spec.default, d.sync.slopMs);
  assert.equal(declared.get('frames.target')!.spec.default, d.frames.target);
  assert.equal(declared.get('auto_dispatch')!.spec.default, false);
  assert.equal(declared.get('publish_nav_goal')!.spec.default, false);
  assert.deepEqual(prepared.settings, base(), 'no overrides: the base settings unchanged');
  prepared.close();
});

test('overrides (as from --params-file) reach the bridge config, the Molmo options and the node settings', async () => {
  const runtime = new MemoryRuntime({
    parameterOverrides: {
      'frames.target': 'tool0',
      'sync.slop_ms': 15, // an integer for a double: accepted, as YAML writes 15
      'sync.policy': 'exact',
      'depth.window_radius': 3,
      'workspace.enabled': true,
      'workspace.frame': 'base_link',
      'workspace.min': [-0.5, -0.5, 0],
      'workspace.max': [0.5, 0.5, 1],
      'timeouts.point_ms': 5000,
      'model.urls': ['http://gpu-a:8000', '', 'http://gpu-b:8000'],
      'model.family': 'molmo2',
      'model.max_side': 1024,
      'model.name': '',
      'topics.color_transport': 'compressed',
      default_mode: 'pick',
      'qos.image_depth': 1,
      'dispatch.max_age_ms': 5000,
    },
  });
  const { settings, close } = await prepareRosNode({ runtime, base: { molmo: { model: 'from-config-file' } } });
  assert.equal(settings.bridge.frames.target, 'tool0');
  assert.equal(settings.bridge.sync.slopMs, 15);
  assert.equal(settings.bridge.sync.policy, 'exact');
  assert.equal(settings.bridge.depth.windowRadius, 3);
  assert.deepEqual(settings.bridge.workspace, { frame: 'base_link', min: { x: -0.5, y: -0.5, z: 0 }, max: { x: 0.5, y: 0.5, z: 1 } });
  assert.equal(settings.bridge.timeouts.stageMs.point, 5000);
  assert.deepEqual(settings.molmo, { endpoints: ['http://gpu-a:8000', 'http://gpu-b:8000'], family: 'molmo2', balance: 'failover', maxSide: 1024, maxTokens: 1024, timeoutMs: 15000, retries: 2, concurrency: 8, detector: { minScore: 0.3, cacheDir: '' } });
  assert.equal(settings.node.colorTransport, 'compressed');
  assert.equal(settings.node.defaultMode, 'pick');
  assert.equal(settings.node.imageQueueDepth, 1);
  assert.equal(settings.bridge.dispatch.maxAgeMs, 5000);
  close();
});

test('the base config (file / flags) provides the defaults that parameters override', async () => {
  const bridge = defaultConfig();
  bridge.frames.navigation = 'odom';
  bridge.sync.slopMs = 33;
  const { settings, close } = await prepareRosNode({
    runtime: new MemoryRuntime({ parameterOverrides: { 'sync.slop_ms': 10 } }),
    base: { bridge, molmo: { endpoints: ['http://x'], family: 'molmo2' }, node: { depthTopic: '/d' } },
  });
  assert.equal(settings.bridge.frames.navigation, 'odom');
  assert.equal(settings.bridge.sync.slopMs, 10);
  assert.deepEqual(settings.molmo.endpoints, ['http://x']);
  assert.equal(settings.molmo.family, 'molmo2');
  assert.equal(settings.node.depthTopic, '/d');
  assert.equal(bridge.sync.slopMs, 33, 'the base object is not modified');
  close();
});

test('overrides for parameters the node does not have are reported by name', async () => {
  const runtime = new MemoryRuntime({ parameterOverrides: { 'sync.slopp_ms': 3, target_frame: 'tool0', use_sim_time: true } });
  const { node, close } = await prepareRosNode({ runtime });
  const warning = (node as unknown as { logs: { level: string; message: string }[] }).logs.find((l) => l.level === 'warn');
  assert.equal(warning?.message, 'ignored parameters this node does not have: sync.slopp_ms, target_frame (docs/ros.md lists them)');
  close();
});

test('bad parameter values are refused with the parameter named', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ 'sync.policy': 'fuzzy' }, /parameter 'sync.policy' must be one of exact, approximate, got "fuzzy"/],
    [{ 'sync.slop_ms': 'twenty' }, /parameter 'sync.slop_ms' must be a double, got "twenty"/],
    [{ 'depth.min_valid_ratio': 1.5 }, /parameter 'depth.min_valid_ratio' must be a number in \[0, 1\]/],
    [{ 'store.size': 2.5 }, /parameter 'store.size' must be an integer/],
    [{ 'workspace.enabled': true, 'workspace.min': [0, 0] }, /parameter 'workspace.min' must be \[x, y, z\]/],
    [{ 'workspace.enabled': true, 'workspace.min': [1, 0, 0], 'workspace.max': [0, 1, 1] }, /'workspace.min' must not exceed workspace.max/],
    [{ 'depth.min_m': 2, 'depth.max_m': 1 }, /'depth.max_m' \(1\) must be greater than depth.min_m \(2\)/],
    [{ nav_goal_stamp: 'later' }, /one of zero, now, capture/],
    [{ 'model.urls': 'http://one' }, /parameter 'model.urls' must be a string array/],
  ];
  for (const [overrides, message] of cases) {
    await assert.rejects(prepareRosNode({ runtime: new MemoryRuntime({ parameterOverrides: overrides }) }), message, JSON.stringify(overrides));
  }
});

test('parameterSpecs lists the declarations with their defaults (what docs/ros.md documents)', () => {
  const specs = parameterSpecs(base());
  assert.equal(specs.length, PARAMETERS.length);
  const slop = specs.find((s) => s.name === 'sync.slop_ms')!;
  assert.deepEqual([slop.type, slop.default], ['double', 20]);
  assert.deepEqual(specs.find((s) => s.name === 'model.urls')!.default, []);
  assert.equal(specs.find((s) => s.name === 'workspace.enabled')!.default, false);
});

test('startRosNode on a running bridge: parameters default to its config; differing overrides are reported, not applied', async () => {
  const config = defaultConfig();
  config.frames.target = 'table';
  const bridge = new Bridge({ pointer: null, config });
  const runtime = new MemoryRuntime({ parameterOverrides: { 'sync.slop_ms': 5, 'depth.window_radius': 4, 'model.family': 'molmo2', 'topics.depth': '/d' } });
  const handle = await startRosNode(bridge, { runtime });
  try {
    const node = runtime.nodes[0]!;
    assert.equal(node.parameters.get('frames.target')!.spec.default, 'table');
    const warning = node.logs.find((l) => l.level === 'warn' && l.message.includes('not applied'));
    assert.ok(warning);
    assert.match(warning.message, /^parameters sync\.slop_ms, depth\.window_radius, model\.family differ/);
    assert.equal(bridge.config.sync.slopMs, 20, 'the running bridge is untouched');
  } finally {
    handle.close();
  }
});
