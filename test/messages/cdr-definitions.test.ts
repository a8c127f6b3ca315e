import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MSG_DEFINITIONS,
  UnknownMessageTypeError,
  normalizeTypeName,
  parsedDefinitions,
  ros2msgSchema,
  type MessageDefinition,
} from '../../src/messages/definitions.js';
import { CdrDecodeError, decodeCdr, encodeCdr } from '../../src/messages/cdr.js';
import { plain } from '../helpers/wire.js';

const SEP = '================================================================================\n';

test('the schema text follows rosbag2: root text, then each dependency once, depth first, sorted', () => {
  const schema = ros2msgSchema('tf2_msgs/msg/TFMessage');
  assert.ok(schema.startsWith('geometry_msgs/TransformStamped[] transforms\n\n' + SEP + 'MSG: geometry_msgs/TransformStamped\n'));
  const sections = [...schema.matchAll(/^MSG: (.+)$/gm)].map((m) => m[1]);
  assert.deepEqual(sections, [
    'geometry_msgs/TransformStamped',
    'geometry_msgs/Transform',
    'geometry_msgs/Quaternion',
    'geometry_msgs/Vector3',
    'std_msgs/Header',
    'builtin_interfaces/Time',
  ]);
  // Each block is the verbatim .msg text (comments included) preceded by a blank line and the delimiter.
  assert.ok(schema.includes('\n' + SEP + 'MSG: builtin_interfaces/Time\n' + MSG_DEFINITIONS['builtin_interfaces/msg/Time']));
  assert.ok(schema.endsWith(MSG_DEFINITIONS['builtin_interfaces/msg/Time']!));
});

test('relative field types resolve in the package of the file naming them', () => {
  const sections = [...ros2msgSchema('visualization_msgs/msg/MarkerArray').matchAll(/^MSG: (.+)$/gm)].map((m) => m[1]);
  assert.ok(sections.includes('visualization_msgs/Marker'));
  assert.ok(sections.includes('visualization_msgs/UVCoordinate'));
  assert.ok(sections.includes('visualization_msgs/MeshFile'));
  assert.equal(new Set(sections).size, sections.length, 'no dependency repeated');
  const detections = [...ros2msgSchema('vision_msgs/Detection3DArray').matchAll(/^MSG: (.+)$/gm)].map((m) => m[1]);
  assert.ok(detections.includes('vision_msgs/ObjectHypothesisWithPose'));
  assert.ok(detections.includes('geometry_msgs/PoseWithCovariance'));
});

test('type names: both spellings are accepted, unknown names are refused by name', () => {
  assert.equal(normalizeTypeName('sensor_msgs/Image'), 'sensor_msgs/msg/Image');
  assert.equal(normalizeTypeName('sensor_msgs/msg/Image'), 'sensor_msgs/msg/Image');
  assert.throws(() => normalizeTypeName('sensor_msgs/msg/PointCloud2'), (e: unknown) =>
    e instanceof UnknownMessageTypeError && e.message.includes("'sensor_msgs/msg/PointCloud2'"));
  assert.throws(() => encodeCdr('nope', {}), UnknownMessageTypeError);
  // An action's parts keep their `action` segment (rosidl's NavigateToPose_Goal, _Result, _Feedback).
  assert.equal(normalizeTypeName('nav2_msgs/action/NavigateToPose_Goal'), 'nav2_msgs/action/NavigateToPose_Goal');
  assert.throws(() => normalizeTypeName('nav2_msgs/NavigateToPose_Goal'), UnknownMessageTypeError, 'no msg of that name');
});

test('CollisionObject pulls in shape_msgs, object_recognition_msgs and geometry_msgs, each once', () => {
  const sections = [...ros2msgSchema('moveit_msgs/msg/CollisionObject').matchAll(/^MSG: (.+)$/gm)].map((m) => m[1]);
  for (const dep of ['object_recognition_msgs/ObjectType', 'shape_msgs/SolidPrimitive', 'shape_msgs/Mesh', 'shape_msgs/MeshTriangle', 'shape_msgs/Plane', 'geometry_msgs/Polygon', 'geometry_msgs/Point32', 'geometry_msgs/Pose', 'std_msgs/Header']) {
    assert.ok(sections.includes(dep), dep);
  }
  assert.equal(new Set(sections).size, sections.length);
});

test('a bounded sequence (SolidPrimitive.dimensions, float64[<=3]) is written as a plain sequence', () => {
  const bytes = encodeCdr('shape_msgs/msg/SolidPrimitive', { type: 1, dimensions: [0.1, 0.2, 0.3], polygon: { points: [] } });
  const view = new DataView(bytes.buffer, bytes.byteOffset + 4, bytes.byteLength - 4);
  assert.equal(bytes.byteLength, 4 + 36);
  assert.equal(view.getUint8(0), 1, 'type BOX');
  assert.equal(view.getUint32(4, true), 3, 'length, aligned to 4');
  assert.deepEqual([view.getFloat64(8, true), view.getFloat64(16, true), view.getFloat64(24, true)], [0.1, 0.2, 0.3]);
  assert.equal(view.getUint32(32, true), 0, 'no polygon points');
});

test('CDR bytes match the wire format written out by hand', () => {
  // Encapsulation header CDR_LE (00 01 00 00), uint32 length including the NUL, the bytes, the NUL.
  assert.deepEqual([...encodeCdr('std_msgs/msg/String', { data: 'hi' })], [0, 1, 0, 0, 3, 0, 0, 0, 0x68, 0x69, 0]);
  const header = encodeCdr('std_msgs/msg/Header', { stamp: { sec: 1, nanosec: 2 }, frame_id: 'a' });
  assert.deepEqual([...header], [0, 1, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0x61, 0]);
  assert.deepEqual(decodeCdr('std_msgs/msg/Header', header), { stamp: { sec: 1, nanosec: 2 }, frame_id: 'a' });
});

// A populated value for every field of a definition, so every type we carry is proven to round-trip.
function sample(defs: MessageDefinition[], def: MessageDefinition, seed: { n: number }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of def.definitions) {
    if (f.isConstant) continue;
    const one = (): unknown => {
      seed.n += 1;
      if (f.isComplex) {
        const sub = defs.find((d) => d.name === f.type);
        assert.ok(sub, `definition for ${f.type}`);
        return sample(defs, sub, seed);
      }
      switch (f.type) {
        case 'string': return `s${seed.n}`;
        case 'bool': return seed.n % 2 === 0;
        case 'float32': return seed.n + 0.5;
        case 'float64': return seed.n + 0.25;
        case 'time': case 'duration': return { sec: seed.n, nanosec: 999_999_999 };
        default: return seed.n % 100;
      }
    };
    if (!f.isArray) out[f.name] = one();
    else if (f.type === 'uint8' || f.type === 'int8') out[f.name] = Uint8Array.from([1, 2, 3, seed.n % 250]);
    else out[f.name] = Array.from({ length: f.arrayLength ?? 2 }, one);
  }
  return out;
}

test('every carried type parses and round-trips a fully populated message', () => {
  for (const type of Object.keys(MSG_DEFINITIONS)) {
    const defs = parsedDefinitions(type);
    const msg = sample(defs, defs[0]!, { n: 0 });
    const back = decodeCdr(type, encodeCdr(type, msg));
    assert.deepEqual(plain(back), plain(msg), type);
  }
});

test('truncated bytes give a CdrDecodeError naming the type', () => {
  const bytes = encodeCdr('sensor_msgs/msg/Image', {
    header: { stamp: { sec: 5, nanosec: 6 }, frame_id: 'cam' },
    height: 2, width: 2, encoding: 'mono8', is_bigendian: 0, step: 2, data: Uint8Array.from([1, 2, 3, 4]),
  });
  // A view cut short inside a larger buffer: the bytes after it exist, so only the length check catches it.
  assert.throws(() => decodeCdr('sensor_msgs/msg/Image', bytes.subarray(0, bytes.length - 3)), (e: unknown) =>
    e instanceof CdrDecodeError && e.message.includes('sensor_msgs/msg/Image') && e.message.includes('truncated: needs 52 bytes, has 49'));
  assert.throws(() => decodeCdr('sensor_msgs/msg/Image', new Uint8Array(2)), CdrDecodeError);
});

test('non-ASCII strings are written as their UTF-8 bytes and round-trip whole', () => {
  const text = 'café 640×480 — «mug» 杯子';
  const bytes = encodeCdr('std_msgs/msg/String', { data: text });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8Length = new TextEncoder().encode(text).length;
  assert.equal(view.getUint32(4, true), utf8Length + 1, 'length prefix counts UTF-8 bytes plus the NUL');
  assert.equal(bytes.byteLength, 8 + utf8Length + 1);
  assert.equal(bytes[bytes.byteLength - 1], 0);
  assert.deepEqual(decodeCdr('std_msgs/msg/String', bytes), { data: text });
  const status = { level: 0, name: 'modèle', message: 'ok ✓', hardware_id: 'ñ', values: [{ key: 'ü', value: '→' }] };
  assert.deepEqual(decodeCdr('diagnostic_msgs/msg/DiagnosticStatus', encodeCdr('diagnostic_msgs/msg/DiagnosticStatus', status)), status);
});
