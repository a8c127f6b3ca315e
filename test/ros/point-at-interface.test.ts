// The PointAt action and service files of interfaces/molmo_waypoints_interfaces against the objects the node
// builds: each section is parsed as ROS 2 message text and our objects are CDR-encoded with it, so a renamed,
// missing or mistyped field in either place fails here (rclnodejs would throw or drop it on a robot).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from '@foxglove/rosmsg';
import { MessageReader, MessageWriter } from '@foxglove/rosmsg2-serialization';
import { ros2msgSchema } from '../../src/messages/definitions.js';
import { pointAtResult, requestFromGoal, type PointAtFeedback, type PointAtGoal } from '../../src/ros/requests.js';
import { failedResult, okResult } from './sample-results.js';

const DIR = new URL('../../interfaces/molmo_waypoints_interfaces/', import.meta.url);
const SEP = '================================================================================\n';

function sections(file: string): string[] {
  return readFileSync(fileURLToPath(new URL(file, DIR)), 'utf8').split(/^---$/m).map((s) => s.trim() + '\n');
}

/** A section as a full schema: its text plus the geometry_msgs types it uses (with their own dependencies). */
function codec(text: string) {
  const deps = ['geometry_msgs/PoseStamped', 'geometry_msgs/Point'].filter((d) => text.includes(d));
  const schema = text + deps.map((d) => `\n${SEP}MSG: ${d}\n${ros2msgSchema(d)}`).join('');
  const defs = parse(schema, { ros2: true });
  return { writer: new MessageWriter(defs), reader: new MessageReader(defs), fields: defs[0]!.definitions.filter((f) => !f.isConstant).map((f) => f.name) };
}

function roundTrip(text: string, obj: object): void {
  const { writer, reader, fields } = codec(text);
  assert.deepEqual(Object.keys(obj).sort(), [...fields].sort(), 'exactly the fields of the interface file');
  assert.deepEqual(reader.readMessage(writer.writeMessage(obj)), obj);
}

test('PointAt.action: goal, result and feedback match what the node reads and writes', () => {
  const [goalText, resultText, feedbackText] = sections('action/PointAt.action');
  assert.ok(goalText && resultText && feedbackText, 'three sections');
  const goal: PointAtGoal = { query: 'the red mug', mode: 'pick', target_frame: 'base_link', max_points: 3 };
  roundTrip(goalText, goal);
  assert.deepEqual(requestFromGoal('id', goal, 'point'), { id: 'id', query: 'the red mug', mode: 'pick', targetFrame: 'base_link', maxPoints: 3 });
  assert.deepEqual(requestFromGoal('id', { query: 'x', mode: '', target_frame: '', max_points: 0 }, 'navigate'), { id: 'id', query: 'x', mode: 'navigate' });
  roundTrip(resultText, pointAtResult(okResult()));
  roundTrip(resultText, pointAtResult(failedResult()));
  const feedback: PointAtFeedback = { stage: 'lift' };
  roundTrip(feedbackText, feedback);
});

test('PointAt.srv: request and response are the goal and the result', () => {
  const [request, response] = sections('srv/PointAt.srv');
  const [goal, result] = sections('action/PointAt.action');
  const fields = (t: string) => codec(t).fields;
  assert.deepEqual(fields(request!), fields(goal!));
  assert.deepEqual(fields(response!), fields(result!));
  roundTrip(response!, pointAtResult(okResult()));
});

test('the PointAt result lists waypoints best first with their pixels and labels', () => {
  const r = okResult();
  r.waypoints.reverse();
  const out = pointAtResult(r);
  assert.deepEqual(out.labels, ['red mug', 'mug 1']);
  assert.deepEqual(out.pixels, [{ x: 320, y: 240.5, z: 0 }, { x: 330, y: 240.5, z: 0 }]);
  assert.deepEqual(out.poses.map((p) => p.header.frame_id), ['base_link', 'base_link']);
  assert.equal(out.result_id, 'req-1');
});

test('the interface package builds the action and the service with rosidl', () => {
  const cmake = readFileSync(fileURLToPath(new URL('CMakeLists.txt', DIR)), 'utf8');
  assert.match(cmake, /rosidl_generate_interfaces\(\$\{PROJECT_NAME\}\s+"action\/PointAt.action"\s+"srv\/PointAt.srv"/);
  const xml = readFileSync(fileURLToPath(new URL('package.xml', DIR)), 'utf8');
  assert.match(xml, /<name>molmo_waypoints_interfaces<\/name>/);
  assert.match(xml, /<member_of_group>rosidl_interface_packages<\/member_of_group>/);
  for (const dep of ['geometry_msgs', 'action_msgs']) assert.ok(xml.includes(`<depend>${dep}</depend>`), dep);
});
