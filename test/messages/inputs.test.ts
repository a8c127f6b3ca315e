// Input conversions over real CDR bytes: each message is encoded from the official definitions, decoded back
// (as a rosbag2 replay or the wire would give it) and mapped onto our types, then the reverse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCdr, encodeCdr } from '../../src/messages/cdr.js';
import {
  MessageShapeError,
  cameraInfoEventFromMsg,
  cameraInfoFromMsg,
  cameraInfoToMsg,
  colorEventFromCompressedMsg,
  colorEventFromImageMsg,
  compressedImageFromMsg,
  compressedImageToMsg,
  depthEventFromMsg,
  headerFromMsg,
  headerToMsg,
  rawImageFromMsg,
  rawImageToMsg,
  stampToMsg,
  tfEventFromMsg,
  transformsFromTfMsg,
  transformsToTfMsg,
  type ImageMsg,
} from '../../src/messages/inputs.js';
import type { CameraInfo, TransformStamped } from '../../src/geometry/types.js';

// sec near 2^31 and the largest nanosec: beyond 2^53 ns, so a double would lose the last digits.
const LATE = { sec: 2 ** 31 - 1, nanosec: 999_999_999 };
const LATE_NS = 2_147_483_647_999_999_999n;

function viaCdr<T>(type: string, msg: unknown): T {
  return decodeCdr<T>(type, encodeCdr(type, msg));
}

function shapeError(field: string, ...fragments: string[]) {
  return (e: unknown) =>
    e instanceof MessageShapeError && e.field === field && fragments.every((f) => e.message.includes(f));
}

test('64-bit stamps map to bigint nanoseconds exactly, both ways', () => {
  const h = headerFromMsg(viaCdr('std_msgs/msg/Header', { stamp: LATE, frame_id: 'camera_color_optical_frame' }));
  assert.equal(h.stampNs, LATE_NS);
  assert.notEqual(BigInt(Number(LATE_NS)), LATE_NS, 'a double could not have carried this stamp');
  assert.deepEqual(headerToMsg(h), { stamp: LATE, frame_id: 'camera_color_optical_frame' });
  assert.equal(headerFromMsg({ stamp: { sec: -1, nanosec: 5 }, frame_id: '' }).stampNs, -999_999_995n);
  assert.throws(() => stampToMsg(2n ** 31n * 1_000_000_000n), shapeError('stamp.sec', 'int32'));
  assert.throws(() => headerFromMsg({ stamp: { sec: 1, nanosec: 1e9 }, frame_id: 'a' }), shapeError('header.stamp.nanosec'));
  assert.throws(() => headerFromMsg({ stamp: { sec: 1.5, nanosec: 0 }, frame_id: 'a' }), shapeError('header.stamp.sec'));
  assert.throws(() => headerFromMsg({ stamp: { sec: 1, nanosec: 0 } }), shapeError('header.frame_id', 'string'));
});

test('rgb8 Image with row padding keeps step and every byte, including the padding', () => {
  const width = 3;
  const height = 2;
  const step = 12; // 9 bytes of pixels + 3 bytes of padding per row
  const data = Uint8Array.from({ length: step * height }, (_, i) => (i * 37 + 11) & 0xff);
  const wire: ImageMsg = {
    header: { stamp: LATE, frame_id: 'cam' },
    height, width, encoding: 'rgb8', is_bigendian: 0, step, data,
  };
  const decoded = viaCdr<ImageMsg>('sensor_msgs/msg/Image', wire);
  const img = rawImageFromMsg(decoded);
  assert.deepEqual(
    { ...img, data: [...img.data] },
    { encoding: 'rgb8', width, height, step, isBigEndian: false, data: [...data] },
  );
  const ev = colorEventFromImageMsg(decoded);
  assert.equal(ev.kind, 'color');
  assert.ok(ev.kind === 'color' && ev.image.kind === 'raw' && ev.image.step === 12);
  assert.deepEqual(ev.kind === 'color' && ev.header, { stampNs: LATE_NS, frameId: 'cam' });
  const back = viaCdr<ImageMsg>('sensor_msgs/msg/Image', rawImageToMsg(img, { stampNs: LATE_NS, frameId: 'cam' }));
  assert.deepEqual({ ...back, data: [...back.data] }, { ...wire, data: [...data] });
});

test('big-endian 16UC1 depth arrives with its byte order flag and bytes untouched', () => {
  const width = 4;
  const height = 2;
  const mm = [0, 1, 255, 256, 1000, 4095, 65534, 65535];
  const data = new Uint8Array(width * height * 2);
  const view = new DataView(data.buffer);
  mm.forEach((v, i) => view.setUint16(i * 2, v, false));
  const decoded = viaCdr<ImageMsg>('sensor_msgs/msg/Image', {
    header: { stamp: { sec: 1_767_225_600, nanosec: 66_666_667 }, frame_id: 'depth' },
    height, width, encoding: '16UC1', is_bigendian: 1, step: width * 2, data,
  });
  const ev = depthEventFromMsg(decoded);
  assert.ok(ev.kind === 'depth');
  assert.equal(ev.image.isBigEndian, true);
  assert.equal(ev.header.stampNs, 1_767_225_600_066_666_667n);
  const got = new DataView(ev.image.data.buffer, ev.image.data.byteOffset, ev.image.data.byteLength);
  assert.deepEqual(mm.map((_, i) => got.getUint16(i * 2, false)), mm);
});

test('32FC1 depth keeps float bits, NaN and infinities included', () => {
  const values = [0.5, 1.25, Number.NaN, Number.POSITIVE_INFINITY, -0, 3.4e38];
  const data = new Uint8Array(values.length * 4);
  const dv = new DataView(data.buffer);
  values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
  const img = rawImageFromMsg(viaCdr('sensor_msgs/msg/Image', {
    header: { stamp: { sec: 3, nanosec: 4 }, frame_id: 'd' },
    height: 2, width: 3, encoding: '32FC1', is_bigendian: 0, step: 12, data,
  }));
  const got = new DataView(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  values.forEach((v, i) => assert.ok(Object.is(got.getFloat32(i * 4, true), Math.fround(v)), `value ${i}`));
  assert.deepEqual([img.encoding, img.step, img.isBigEndian], ['32FC1', 12, false]);
});

test('CompressedImage keeps format and bytes, both ways', () => {
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
  const wire = { header: { stamp: LATE, frame_id: 'cam' }, format: 'rgb8; jpeg compressed bgr8', data: jpeg };
  const decoded = viaCdr<typeof wire>('sensor_msgs/msg/CompressedImage', wire);
  const img = compressedImageFromMsg(decoded);
  assert.deepEqual({ ...img, data: [...img.data] }, { format: 'rgb8; jpeg compressed bgr8', data: [...jpeg] });
  const ev = colorEventFromCompressedMsg(decoded);
  assert.ok(ev.kind === 'color' && ev.image.kind === 'compressed' && ev.header.stampNs === LATE_NS);
  const back = viaCdr<typeof wire>('sensor_msgs/msg/CompressedImage', compressedImageToMsg(img, { stampNs: LATE_NS, frameId: 'cam' }));
  assert.deepEqual({ ...back, data: [...back.data] }, { ...wire, data: [...jpeg] });
  assert.throws(() => compressedImageFromMsg({ ...wire, data: new Uint8Array(0) }), shapeError('data', 'empty'));
});

test('CameraInfo maps every field exactly, both ways', () => {
  const info: CameraInfo = {
    width: 1280, height: 720, distortionModel: 'rational_polynomial',
    d: [0.1, -0.2, 0.001, -0.002, 0.05, 0.3, -0.01, 0.002],
    k: [910.5, 0, 640.25, 0, 911.75, 359.5, 0, 0, 1],
    r: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    p: [905.1, 0, 641.3, 0, 0, 906.2, 358.9, 0, 0, 0, 1, 0],
    binningX: 2, binningY: 1,
    roi: { xOffset: 10, yOffset: 20, width: 300, height: 200, doRectify: true },
  };
  const wire = cameraInfoToMsg(info, { stampNs: LATE_NS, frameId: 'camera_color_optical_frame' });
  const decoded = viaCdr('sensor_msgs/msg/CameraInfo', wire);
  assert.deepEqual(cameraInfoFromMsg(decoded), info);
  const ev = cameraInfoEventFromMsg(decoded);
  assert.ok(ev.kind === 'camera_info');
  assert.deepEqual(ev.header, { stampNs: LATE_NS, frameId: 'camera_color_optical_frame' });
  assert.ok(Array.isArray(ev.info.k), 'Float64Array from CDR becomes a plain number[]');
  assert.throws(() => cameraInfoFromMsg({ ...wire, k: [1, 2, 3] }), shapeError('k', '9 entries', 'got 3'));
  assert.throws(() => cameraInfoFromMsg({ ...wire, p: Array.from(wire.p).fill(Number.NaN) }), shapeError('p[0]', 'finite'));
  assert.throws(() => cameraInfoFromMsg({ ...wire, roi: undefined }), shapeError('roi', 'object'));
});

test('TFMessage maps every transform with its own stamp and frames, both ways', () => {
  const transforms: TransformStamped[] = [
    {
      frameId: 'map', childFrameId: 'redwood_world', stampNs: 0n,
      transform: { translation: { x: 0, y: 0, z: 0 }, rotation: { x: Math.SQRT1_2, y: 0, z: 0, w: Math.SQRT1_2 } },
    },
    {
      frameId: 'redwood_world', childFrameId: 'camera_color_optical_frame', stampNs: LATE_NS,
      transform: { translation: { x: -0.31, y: 0.573, z: 2.126 }, rotation: { x: 0.1, y: -0.7, z: 0.05, w: 0.7 } },
    },
  ];
  const decoded = viaCdr('tf2_msgs/msg/TFMessage', transformsToTfMsg(transforms));
  assert.deepEqual(transformsFromTfMsg(decoded), transforms);
  assert.deepEqual(tfEventFromMsg(decoded, true), { kind: 'tf', transforms, isStatic: true });
  const bad = transformsToTfMsg(transforms);
  bad.transforms[1]!.child_frame_id = '';
  assert.throws(() => transformsFromTfMsg(bad), shapeError('transforms[1].child_frame_id', 'empty'));
  bad.transforms[1]!.child_frame_id = 'x';
  bad.transforms[1]!.transform.rotation.w = Number.POSITIVE_INFINITY;
  assert.throws(() => transformsFromTfMsg(bad), shapeError('transforms[1].transform.rotation.w', 'finite'));
  assert.throws(() => transformsFromTfMsg({}), shapeError('transforms', 'array'));
});

test('Image shape errors name the field and the numbers', () => {
  const ok: ImageMsg = {
    header: { stamp: { sec: 1, nanosec: 0 }, frame_id: 'cam' },
    height: 2, width: 3, encoding: 'rgb8', is_bigendian: 0, step: 9, data: new Uint8Array(18),
  };
  assert.throws(() => rawImageFromMsg({ ...ok, data: new Uint8Array(17) }), shapeError('data', '17 bytes', 'step*height = 9*2 = 18'));
  assert.throws(() => rawImageFromMsg({ ...ok, step: 8 }), shapeError('step', 'width*3 = 9', 'rgb8'));
  assert.throws(() => rawImageFromMsg({ ...ok, width: -1 }), shapeError('width'));
  assert.throws(() => rawImageFromMsg({ ...ok, encoding: '' }), shapeError('encoding', 'empty'));
  assert.throws(() => rawImageFromMsg({ ...ok, is_bigendian: 2 }), shapeError('is_bigendian'));
  assert.throws(() => rawImageFromMsg({ ...ok, data: 'abc' }), shapeError('data', 'Uint8Array'));
  assert.throws(() => rawImageFromMsg({ ...ok, encoding: '16UC1', step: 5 }), shapeError('step', 'width*2 = 6'));
  // Bindings that hand uint8[] over as a plain array or is_bigendian as a boolean are accepted.
  const fromArray = rawImageFromMsg({ ...ok, data: Array.from({ length: 18 }, (_, i) => i), is_bigendian: true });
  assert.equal(fromArray.data[17], 17);
  assert.equal(fromArray.isBigEndian, true);
  assert.throws(() => rawImageFromMsg({ ...ok, data: [...new Array(17).fill(0), 256] }), shapeError('data[17]', 'byte'));
  // An encoding we do not know is passed on (the consumer refuses it with its own status) if data is long enough.
  assert.equal(rawImageFromMsg({ ...ok, encoding: 'nv21', step: 3 }).encoding, 'nv21');
});
