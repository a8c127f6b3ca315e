// `run` under ROS 2, with the ROS helper's in-memory double for rclnodejs: parameters override the config file,
// the bridge and the Molmo client are built from them, camera topics feed the bridge, and close() destroys the node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeApp, startApp } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config/index.js';
import { cameraInfoToMsg, rawImageToMsg, transformsToTfMsg } from '../../src/messages/inputs.js';
import { MemoryRuntime, type MemoryNode } from '../../src/ros/memory-runtime.js';
import { startFakeMolmoServer } from '../helpers/fake-molmo-server.js';
import { CAMERA, CAMERA_IN_BASE, STAMP, cameraInfo, colorImage, depthImage } from '../pipeline/fixtures.js';

test('run with ROS: parameters win over the file, topics feed the bridge, Molmo answers, close destroys the node', async () => {
  const server = await startFakeMolmoServer({ fallback: { answer: '<point x="50" y="50" alt="mug">mug</point>' }, model: 'fake' });
  const runtime = new MemoryRuntime({ parameterOverrides: { 'frames.target': 'base_link', 'model.urls': [server.url], 'model.retries': 0 } });
  const { config } = loadConfig({ env: {}, text: 'frames: { target: map }\nros: on\nconsole: { enabled: false }', file: 'robot.yaml' });
  const app = await startApp(config, { command: 'run', json: false, out: { print: () => {}, info: () => {} }, rosRuntime: runtime });
  try {
    assert.equal(app.rosActive, true);
    assert.equal(app.bridge.config.frames.target, 'base_link', 'the ROS parameter overrides the file');
    const node = runtime.nodes[0] as MemoryNode;
    const s = (await import('../../src/ros/parameters.js')).DEFAULT_NODE_SETTINGS;
    const header = { stampNs: STAMP, frameId: CAMERA };
    node.inject('/tf_static', transformsToTfMsg([CAMERA_IN_BASE]));
    node.inject(s.cameraInfoTopic, cameraInfoToMsg(cameraInfo(), header));
    const color = colorImage();
    assert.equal(color.kind, 'raw');
    if (color.kind === 'raw') node.inject(s.colorTopic, rawImageToMsg(color, header));
    node.inject(s.depthTopic, rawImageToMsg(depthImage(() => 1500), header));
    await new Promise((r) => setTimeout(r, 10));
    const r = await app.bridge.request({ id: 'ros-1', query: 'mug', mode: 'point' });
    assert.equal(r.status, 'ok', r.reason);
    assert.equal(r.targetFrame, 'base_link');
    assert.equal(server.requests.length, 1);
  } finally {
    await app.close();
    await server.close();
  }
  assert.equal((runtime.nodes[0] as MemoryNode).destroyed, true);
});

test('the start-up banner describes the settings in effect: -p model.urls with a config that has no model says Molmo', async () => {
  const runtime = new MemoryRuntime({ parameterOverrides: { 'model.urls': ['http://gpu-box:8000'], 'model.family': 'molmo2', 'frames.target': 'tool0' } });
  const { config } = loadConfig({ env: {}, text: 'ros: on\nconsole: { enabled: false }', file: 'robot.yaml' });
  assert.equal(config.model.backend, 'detector', 'the file alone has no model server: the bundled detector');
  const app = await startApp(config, { command: 'run', json: false, out: { print: () => {}, info: () => {} }, rosRuntime: runtime });
  try {
    const lines: string[] = [];
    describeApp(app, { print: () => {}, info: (l) => lines.push(l) });
    assert.ok(lines.includes('model: Molmo at http://gpu-box:8000 (family molmo2)'), lines.join('\n'));
    assert.ok(lines.includes('waypoints in: tool0 (navigate: map)'), lines.join('\n'));
    assert.equal(app.model.backend, 'molmo');
  } finally {
    await app.close();
  }
});

test('run with ROS: model.balance and model.detector.* parameters reach the model settings the pointer is built from', async () => {
  const runtime = new MemoryRuntime({ parameterOverrides: { 'model.urls': ['http://gpu-a:8000', 'http://gpu-b:8000'], 'model.balance': 'least_loaded', 'model.detector.min_score': 0.6 } });
  const { config } = loadConfig({ env: {}, text: 'ros: on\nconsole: { enabled: false }\nmodel: { detector: { cache_dir: /tmp/mw-cache } }', file: 'robot.yaml' });
  assert.equal(config.model.balance, 'failover');
  const app = await startApp(config, { command: 'run', json: false, out: { print: () => {}, info: () => {} }, rosRuntime: runtime });
  try {
    assert.equal(app.model.balance, 'least_loaded', 'the parameter overrides the file');
    assert.deepEqual(app.model.detector, { minScore: 0.6, cacheDir: '/tmp/mw-cache' }, 'the file is the default of the one not set');
  } finally {
    await app.close();
  }
});
