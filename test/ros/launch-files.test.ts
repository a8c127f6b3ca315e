// launch/, urdf/ and the smoke script cannot run without ROS here; these checks keep them consistent with the node
// (parameter names and types), with calibration/ (frame names, the optical frame rotation) and with each other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { loadHandEye } from '../../src/calibration/hand-eye.js';
import { loadStaticTransforms } from '../../src/calibration/static-transforms.js';
import { compose, quaternionFromRpy } from '../../src/geometry/transform.js';
import type { Transform } from '../../src/geometry/types.js';
import { MemoryRuntime } from '../../src/ros/memory-runtime.js';
import { prepareRosNode } from '../../src/ros/node.js';
import { PARAMETERS } from '../../src/ros/parameters.js';

const file = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const read = (p: string) => readFileSync(file(p), 'utf8');
const DECLARED = new Map(PARAMETERS.map((d) => [d.spec.name, d.spec]));

function flatten(o: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, name));
    else out[name] = v;
  }
  return out;
}

test('the params YAML sets declared parameters only, with values the node accepts', async () => {
  const text = read('launch/molmo_waypoints.params.yaml');
  const doc = parseYaml(text) as Record<string, { ros__parameters: Record<string, unknown> }>;
  assert.deepEqual(Object.keys(doc), ['/**'], 'applies to the node whatever its name or namespace');
  const params = flatten(doc['/**']!.ros__parameters);
  for (const name of Object.keys(params)) assert.ok(DECLARED.has(name), `${name} is a declared parameter`);
  const missing = [...DECLARED.keys()].filter((n) => !(n in params) && !n.startsWith('model.'));
  assert.deepEqual(missing, [], 'every parameter but the model ones (left to the config file and MOLMO_*) is listed');
  // rcl reads `20` as an integer and refuses mixed arrays: doubles are written with a decimal point.
  for (const [name, spec] of DECLARED) {
    if (!(name in params)) continue;
    const key = name.split('.').at(-1)!;
    const line = text.split('\n').find((l) => l.trimStart().startsWith(`${key}:`) && !l.trimStart().startsWith('#'));
    if (spec.type === 'double') assert.match(line ?? '', new RegExp(`${key}: -?\\d+\\.\\d+`), `${name} written as a double`);
    if (spec.type === 'double_array') assert.match(line ?? '', new RegExp(`${key}: \\[-?\\d+\\.\\d+(, -?\\d+\\.\\d+)*\\]`), `${name} written as doubles`);
  }
  const { settings, close } = await prepareRosNode({ runtime: new MemoryRuntime({ parameterOverrides: params }) });
  assert.equal(settings.node.autoDispatch, false, 'the example keeps auto_dispatch off');
  assert.equal(settings.node.publishNavGoal, false);
  assert.equal(settings.node.queryTopic, '~/point_at');
  close();
});

test('launch/demo.params.yaml on top of the main params file makes the node subscribe to the demo recording', async () => {
  const { DEFAULT_MCAP_TOPICS } = await import('../../src/sources/mcap-source.js');
  const main = flatten((parseYaml(read('launch/molmo_waypoints.params.yaml')) as Record<string, { ros__parameters: Record<string, unknown> }>)['/**']!.ros__parameters);
  const doc = parseYaml(read('launch/demo.params.yaml')) as Record<string, { ros__parameters: Record<string, unknown> }>;
  assert.deepEqual(Object.keys(doc), ['/**']);
  const demo = flatten(doc['/**']!.ros__parameters);
  for (const name of Object.keys(demo)) assert.ok(DECLARED.has(name), `${name} is a declared parameter`);
  // rcl applies --params-file files in order, the later one winning.
  const { settings, close } = await prepareRosNode({ runtime: new MemoryRuntime({ parameterOverrides: { ...main, ...demo } }) });
  assert.equal(`${settings.node.colorTopic}/compressed`, DEFAULT_MCAP_TOPICS.color, 'the recording holds compressed colour');
  assert.equal(settings.node.depthTopic, DEFAULT_MCAP_TOPICS.depth);
  assert.equal(settings.node.cameraInfoTopic, DEFAULT_MCAP_TOPICS.cameraInfo);
  assert.equal(settings.bridge.frames.target, 'map');
  close();
  assert.match(read('scripts/ros-smoke.sh'), /--params-file launch\/demo\.params\.yaml/, 'the smoke test uses it');
});

test('the launch file passes declared parameters and starts `run --ros on` without a replay source', () => {
  const text = read('launch/molmo_waypoints.launch.py');
  const names = [...text.matchAll(/f?["']([a-z_]+(?:\.[a-z_]+)+|[a-z_]+):=/g)].map((m) => m[1]!);
  assert.ok(names.length >= 8, names.join(', '));
  for (const n of names) assert.ok(DECLARED.has(n), `-p ${n}:= is a declared parameter`);
  assert.match(text, /\['run', '--config', arg\['config'\], '--ros', 'on', '--set', 'source\.type=none'\]/);
  assert.match(text, /'--ros-args', '--params-file'/);
  for (const a of ['camera_namespace', 'target_frame', 'molmo_url']) assert.ok(text.includes(`('${a}',`), `launch argument ${a}`);
  assert.match(text, /urdf', 'table_arm\.urdf'/);
  assert.match(text, /urdf', 'd435_camera\.urdf'/);
  assert.match(text, /'static_transform_publisher'/);
  for (const flag of ['--x', '--y', '--z', '--qx', '--qy', '--qz', '--qw', '--frame-id', '--child-frame-id']) assert.ok(text.includes(`'${flag}'`), flag);
});

interface Joint {
  parent: string;
  child: string;
  transform: Transform;
}

/** Fixed joints of a plain URDF (the files are ours: one attribute order, no xacro). */
function joints(urdf: string): Joint[] {
  return [...urdf.matchAll(/<joint name="[^"]+" type="fixed">\s*<parent link="([^"]+)"\/>\s*<child link="([^"]+)"\/>\s*<origin xyz="([^"]+)" rpy="([^"]+)"\/>/g)].map((m) => {
    const [x, y, z] = m[3]!.split(/\s+/).map(Number) as [number, number, number];
    const [r, p, yaw] = m[4]!.split(/\s+/).map(Number) as [number, number, number];
    return { parent: m[1]!, child: m[2]!, transform: { translation: { x, y, z }, rotation: quaternionFromRpy(r, p, yaw) } };
  });
}

function links(urdf: string): string[] {
  return [...urdf.matchAll(/<link name="([^"]+)"/g)].map((m) => m[1]!);
}

test('URDF: two trees, one parent per frame, roots base_link and camera_link', () => {
  for (const [path, root, count] of [['urdf/table_arm.urdf', 'base_link', 3], ['urdf/d435_camera.urdf', 'camera_link', 5]] as const) {
    const urdf = read(path);
    const js = joints(urdf);
    const ls = links(urdf);
    assert.equal(ls.length, count, path);
    assert.equal(js.length, urdf.match(/<joint /g)!.length, `${path}: every joint parsed`);
    const children = js.map((j) => j.child);
    assert.equal(new Set(children).size, children.length, `${path}: one parent per link`);
    assert.deepEqual(ls.filter((l) => !children.includes(l)), [root], `${path}: a single root`);
  }
});

test('URDF: the optical frames follow REP 103 and agree with calibration/static_transforms.yaml', () => {
  const js = joints(read('urdf/d435_camera.urdf'));
  const byChild = new Map(js.map((j) => [j.child, j]));
  const chain = (frame: string): Transform => {
    const j = byChild.get(frame);
    return j ? compose(chain(j.parent), j.transform) : { translation: { x: 0, y: 0, z: 0 }, rotation: { x: 0, y: 0, z: 0, w: 1 } };
  };
  const optical = chain('camera_color_optical_frame');
  // Optical z (forward) is the body x axis, optical x (right) is body -y, optical y (down) is body -z.
  assert.deepEqual(Object.values(optical.rotation).map((v) => Math.round(v * 1e9) / 1e9), [-0.5, 0.5, -0.5, 0.5]);
  const fromFile = loadStaticTransforms(file('calibration/static_transforms.yaml')).find((t) => t.childFrameId === 'camera_color_optical_frame')!;
  assert.equal(fromFile.frameId, 'camera_link');
  const d = (a: number, b: number) => Math.abs(a - b) < 1e-9;
  assert.ok(d(optical.translation.x, fromFile.transform.translation.x) && d(optical.translation.y, fromFile.transform.translation.y) && d(optical.translation.z, fromFile.transform.translation.z));
  const q = fromFile.transform.rotation;
  assert.ok(Math.abs(q.x * optical.rotation.x + q.y * optical.rotation.y + q.z * optical.rotation.z + q.w * optical.rotation.w) > 1 - 1e-9, 'same rotation');
});

test('the example hand-eye calibration connects the robot tree to the camera tree', () => {
  const calib = loadHandEye(file('calibration/handeye_eye_on_base.calib'));
  assert.ok(links(read('urdf/table_arm.urdf')).includes(calib.parentFrame), `${calib.parentFrame} in table_arm.urdf`);
  assert.ok(links(read('urdf/d435_camera.urdf')).includes(calib.childFrame), `${calib.childFrame} in d435_camera.urdf`);
  assert.ok(!links(read('urdf/table_arm.urdf')).includes('camera_link'), 'no nominal camera mount competing with the calibration');
});

test('the smoke script builds the interfaces, plays the demo, queries and checks the waypoint with timeouts', () => {
  const text = read('scripts/ros-smoke.sh');
  for (const step of ['colcon', '--base-paths interfaces', 'generate-ros-messages', 'DEMO=demo/redwood_livingroom1.mcap', 'ros2 bag play "$DEMO" --loop', 'src/cli.ts play "$DEMO"', 'ros2 topic echo --once /molmo_waypoints/waypoints', 'ros2 topic pub --once /molmo_waypoints/point_at', 'timeout "$TIMEOUT_S"', 'frame_id: map']) {
    assert.ok(text.includes(step), step);
  }
});

test('docs/ros.md documents every parameter and every output topic', () => {
  const doc = read('docs/ros.md');
  for (const name of DECLARED.keys()) assert.ok(doc.includes(`| \`${name}\` |`), `${name} in the parameter table`);
  for (const topic of ['~/waypoints', '~/point', '~/markers', '~/detections', '~/result', '~/goal_point', '~/pick_pose', '~/pre_grasp_pose', '/goal_pose', '/diagnostics', '/tf_static', '~/target_pose_cov', '~/collision_objects', '/collision_object', 'navigate_to_pose']) {
    assert.ok(doc.includes(`\`${topic}\``), topic);
  }
});

test("README's ROS topic and parameter tables are docs/ros.md's, row for row", () => {
  const readme = read('README.md');
  const doc = read('docs/ros.md');
  /** The table whose header row starts with `header`: its lines up to the first line that is not a row. */
  const table = (text: string, header: string) => {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.startsWith(header));
    assert.ok(start >= 0, `a table starting '${header}'`);
    const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
    return lines.slice(start, end < 0 ? undefined : end);
  };
  for (const header of ['| direction | topic |', '| parameter | type | default |']) {
    assert.deepEqual(table(readme, header), table(doc, header), header);
  }
});
