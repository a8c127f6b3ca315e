import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DepthEncodingError, DepthImage } from '../../src/geometry/depth-image.js';
import type { RawImage } from '../../src/geometry/types.js';
import { mulberry32 } from '../helpers/prng.js';

/** A 16-bit image with `pad` spare bytes per row, in the given byte order. */
function u16Image(width: number, height: number, mm: number[], bigEndian: boolean, pad = 0, encoding = '16UC1'): RawImage {
  const step = width * 2 + pad;
  const data = new Uint8Array(step * height).fill(0xee); // padding bytes must never be read
  const view = new DataView(data.buffer);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) view.setUint16(r * step + c * 2, mm[r * width + c]!, !bigEndian);
  return { encoding, width, height, step, isBigEndian: bigEndian, data };
}

function f32Image(width: number, height: number, m: number[], bigEndian: boolean, pad = 0): RawImage {
  const step = width * 4 + pad;
  const data = new Uint8Array(step * height).fill(0x7f);
  const view = new DataView(data.buffer);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) view.setFloat32(r * step + c * 4, m[r * width + c]!, !bigEndian);
  return { encoding: '32FC1', width, height, step, isBigEndian: bigEndian, data };
}

test('16UC1 and mono16: millimetres, 0 invalid, either byte order, row padding honoured', () => {
  for (const encoding of ['16UC1', 'mono16']) {
    for (const bigEndian of [false, true]) {
      const img = DepthImage.fromImage(u16Image(3, 2, [1000, 0, 65535, 1, 2500, 300], bigEndian, 6, encoding));
      assert.equal(img.at(0, 0), 1);
      assert.ok(Number.isNaN(img.at(1, 0)));
      assert.equal(img.at(2, 0), 65.535);
      assert.equal(img.at(0, 1), 0.001);
      assert.equal(img.at(1, 1), 2.5);
      assert.equal(img.at(2, 1), 0.3);
      assert.ok(Number.isNaN(img.at(3, 0)) && Number.isNaN(img.at(0, 2)) && Number.isNaN(img.at(-1, 0)));
    }
  }
});

test('32FC1: metres; NaN, ±Inf, zero and negative are invalid; either byte order', () => {
  for (const bigEndian of [false, true]) {
    const img = DepthImage.fromImage(f32Image(3, 2, [1.25, NaN, Infinity, -Infinity, -0.5, 0], bigEndian, 4));
    assert.equal(img.at(0, 0), 1.25);
    for (const [c, r] of [[1, 0], [2, 0], [0, 1], [1, 1], [2, 1]] as const) assert.ok(Number.isNaN(img.at(c, r)), `${c},${r}`);
  }
});

test('a view over a subarray reads from its own byte offset', () => {
  const inner = u16Image(2, 1, [1234, 4321], false);
  const big = new Uint8Array(inner.data.length + 10);
  big.set(inner.data, 10);
  const img = DepthImage.fromImage({ ...inner, data: big.subarray(10) });
  assert.equal(img.at(0, 0), 1.234);
  assert.equal(img.at(1, 0), 4.321);
});

test('unsupported encodings and inconsistent sizes are refused with a message naming the problem', () => {
  const base = u16Image(4, 4, new Array(16).fill(1000), false);
  for (const encoding of ['rgb8', '8UC1', '32FC3', '16SC1']) {
    assert.throws(() => DepthImage.fromImage({ ...base, encoding }), (e: unknown) => e instanceof DepthEncodingError && e.message.includes(`'${encoding}'`));
  }
  assert.throws(() => DepthImage.fromImage({ ...base, step: 6 }), /step 6/);
  assert.throws(() => DepthImage.fromImage({ ...base, data: base.data.subarray(0, 20) }), /has 20 bytes/);
  assert.throws(() => DepthImage.fromImage({ ...base, width: 0 }), DepthEncodingError);
  assert.throws(() => DepthImage.fromImage({ ...f32Image(2, 2, [1, 1, 1, 1], false), step: 4 }), /step 4/);
});

/** A wall at `wall` metres with a vertical bar `barWidth` px wide at `bar` metres through column `barCol`. */
function wallWithBar(width: number, height: number, wall: number, bar: number, barCol: number, barWidth: number): Float32Array {
  const m = new Float32Array(width * height).fill(wall);
  for (let r = 0; r < height; r++) for (let c = barCol; c < barCol + barWidth; c++) m[r * width + c] = bar;
  return m;
}

test('a thin object in front of a far wall takes the object depth, not the window median', () => {
  const w = 40, h = 30;
  const img = DepthImage.fromMetres(w, h, wallWithBar(w, h, 2.5, 0.8, 19, 3));
  const s = img.sample(20, 15, 5)!;
  assert.equal(s.depthM, Math.fround(0.8));
  assert.equal(s.support, 33);
  assert.equal(s.validRatio, 1);
  assert.equal(s.spreadM, 0);
  // The test means something: a plain median of the window is the wall.
  const win: number[] = [];
  for (let r = 10; r <= 20; r++) for (let c = 15; c <= 25; c++) win.push(img.at(c, r));
  win.sort((a, b) => a - b);
  assert.equal(win[60], 2.5);
});

test('speckles and flying pixels in front of a surface do not win', () => {
  const w = 21, h = 21;
  const rand = mulberry32(3);
  const m = new Float32Array(w * h).map(() => 1.5 + (rand() - 0.5) * 0.01);
  m[5 * w + 5] = 0.2; // one speckle
  m[12 * w + 8] = 0.9; // flying pixels between something and the wall
  m[12 * w + 9] = 1.1;
  m[13 * w + 9] = 1.25;
  const s = DepthImage.fromMetres(w, h, m).sample(10, 10, 6)!;
  assert.ok(Math.abs(s.depthM - 1.5) < 0.005, `${s.depthM}`);
  assert.ok(s.spreadM > 0 && s.spreadM < 0.01);
});

test('validRatio counts the in-image window; invalid pixels are skipped, never averaged as zeros', () => {
  const w = 10, h = 10;
  const mm = new Array(w * h).fill(2000);
  for (let i = 0; i < w * h; i += 2) mm[i] = 0; // even columns have no data
  const img = DepthImage.fromImage(u16Image(w, h, mm, false));
  const s = img.sample(0, 0, 2)!; // window clipped to 3×3 at the corner
  assert.equal(s.depthM, 2);
  assert.equal(s.validRatio, 3 / 9); // only column 1 of columns 0..2
  const none = DepthImage.fromImage(u16Image(4, 4, new Array(16).fill(0), false));
  assert.equal(none.sample(1, 1, 1), null);
  assert.equal(img.sample(-20, -20, 2), null);
  assert.equal(img.sample(NaN, 1, 2), null);
  assert.throws(() => img.sample(1, 1, -1), RangeError);
  assert.throws(() => img.sample(1, 1, 1.5), RangeError);
});

test('the window centre is the nearest pixel centre (integers are centres)', () => {
  const m = new Float32Array(4).fill(1);
  m[1] = 2; // pixel (1, 0)
  const img = DepthImage.fromMetres(4, 1, m);
  assert.equal(img.sample(0.49, 0, 0)!.depthM, 1);
  assert.equal(img.sample(0.51, 0, 0)!.depthM, 2);
  assert.equal(img.sample(1.49, 0.3, 0)!.depthM, 2);
});

test('a sloped surface stays one cluster and gives its median', () => {
  const w = 31, h = 31;
  const m = new Float32Array(w * h);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) m[r * w + c] = 1 + 0.01 * c; // 1 cm per pixel
  const s = DepthImage.fromMetres(w, h, m).sample(15, 15, 10)!;
  assert.equal(s.support, 21 * 21);
  assert.ok(Math.abs(s.depthM - 1.15) < 1e-6);
  assert.ok(Math.abs(s.spreadM - 0.1) < 1e-6);
});

test('when no cluster has enough support the largest (then nearest) one is used', () => {
  // 9 pixels, 3 clusters of 3 pixels each except one of 4: with minClusterFraction 0.5 none qualifies.
  const m = new Float32Array([1, 1, 1, 2, 2, 2, 2, 3, 3]);
  const s = DepthImage.fromMetres(9, 1, m).sample(4, 0, 4, { minClusterFraction: 0.5 })!;
  assert.equal(s.depthM, 2);
  assert.equal(s.support, 4);
});

test('16-bit depth in other units (unitsPerMetre), refused for 32FC1', () => {
  const img = DepthImage.fromImage(u16Image(2, 1, [12000, 5], false), { unitsPerMetre: 5000 });
  assert.equal(img.at(0, 0), 2.4);
  assert.equal(img.at(1, 0), 0.001);
  assert.throws(() => DepthImage.fromImage(u16Image(1, 1, [1], false), { unitsPerMetre: 0 }), DepthEncodingError);
  assert.throws(() => DepthImage.fromImage(f32Image(1, 1, [1], false), { unitsPerMetre: 1 }), /32FC1/);
});

test("a 1-px cable at the pointed pixel keeps its depth at any radius (the centre's own cluster is chosen)", () => {
  const w = 100, h = 100;
  const m = new Float32Array(w * h).fill(2.0);
  for (let r = 0; r < h; r++) m[r * w + 50] = 1.0;
  const img = DepthImage.fromMetres(w, h, m);
  // 2r+1 cable pixels in a (2r+1)² window: 7/49 and 9/81 are under the 15 % support of the plain foreground rule.
  for (const radius of [2, 3, 4, 6]) {
    const s = img.sample(50, 50, radius)!;
    assert.equal(s.depthM, 1.0, `radius ${radius}`);
    assert.equal(s.support, 2 * radius + 1, `radius ${radius}`);
  }
});

test('a wall pixel beside a nearer object takes the wall depth, not the object in the window', () => {
  const w = 100, h = 100;
  const m = new Float32Array(w * h).fill(2.0);
  for (let r = 0; r < h; r++) for (let c = 51; c < 60; c++) m[r * w + c] = 1.0;
  const img = DepthImage.fromMetres(w, h, m);
  assert.equal(img.sample(49, 50, 2)!.depthM, 2.0, 'the pointed pixel is on the wall');
  assert.equal(img.sample(49, 50, 2)!.support, 20);
  // Without a valid centre the plain rule applies: the nearest well-supported cluster.
  const holed = new Float32Array(m);
  holed[50 * w + 49] = NaN;
  assert.equal(DepthImage.fromMetres(w, h, holed).sample(49, 50, 2)!.depthM, 1.0);
  // A centre on an isolated speckle (under min(support, 2r+1) pixels) does not win either.
  const speckle = new Float32Array(w * h).fill(1.5);
  speckle[50 * w + 50] = 0.4;
  assert.equal(DepthImage.fromMetres(w, h, speckle).sample(50, 50, 3)!.depthM, 1.5);
});
