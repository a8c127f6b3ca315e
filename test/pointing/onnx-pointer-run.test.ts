// An onnxruntime failure inside point() (session.run rejecting: out of memory, a kernel error, a shape the graph
// refuses at run time) must reach the pipeline as a typed PointingError, like every other Pointer failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ColorImage } from '../../src/geometry/types.js';
import { OnnxPointer } from '../../src/pointing/onnx-pointer.js';
import { PointingError } from '../../src/pointing/types.js';

const image: ColorImage = { kind: 'raw', encoding: 'rgb8', width: 8, height: 8, step: 24, isBigEndian: false, data: new Uint8Array(192) };

test('a failing session.run is a PointingError bad_response naming the model and the runtime message', async () => {
  const pointer = await OnnxPointer.load('test/fixtures/onnx/points.onnx');
  assert.equal((await pointer.point(image, 'x')).points.length > 0, true, 'the model runs as loaded');
  // Stand in for a runtime failure: the session's own run() rejects as onnxruntime-node does.
  const session = (pointer as unknown as { session: { run: (...args: unknown[]) => Promise<unknown> } }).session;
  session.run = async () => {
    throw new Error('Non-zero status code returned while running Conv node. Status Message: bad allocation');
  };
  await assert.rejects(
    pointer.point(image, 'x'),
    (e: unknown) => e instanceof PointingError && e.kind === 'bad_response' && /^test-points: inference failed: .*bad allocation$/.test(e.message),
  );
  session.run = () => {
    throw new TypeError('synchronous failure');
  };
  await assert.rejects(pointer.point(image, 'x'), (e: unknown) => e instanceof PointingError && /inference failed: TypeError: synchronous failure/.test(e.message));
});
