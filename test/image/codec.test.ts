import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { ColorImage } from '../../src/geometry/types.js';
import { colorSize, decodeColor, encodeJpeg, ImageDecodeError, scaledSize } from '../../src/image/codec.js';

const W = 5;
const H = 3;

/** The reference RGB value of pixel (x, y): distinct per pixel and per channel. */
function rgbAt(x: number, y: number): [number, number, number] {
  return [10 + x * 20 + y, 100 + y * 30 + x, 250 - x * 7 - y * 11];
}

/** A raw image of the reference pattern in `encoding` with `pad` bytes of junk at the end of each row. */
function rawImage(encoding: string, pad = 0): ColorImage & { kind: 'raw' } {
  const order: Record<string, number[]> = {
    rgb8: [0, 1, 2],
    bgr8: [2, 1, 0],
    rgba8: [0, 1, 2, -1],
    bgra8: [2, 1, 0, -1],
    mono8: [0],
    '8UC3': [2, 1, 0],
  };
  const channels = order[encoding]!;
  const step = W * channels.length + pad;
  const data = new Uint8Array(step * H).fill(0xee);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const rgb = rgbAt(x, y);
      channels.forEach((c, i) => {
        data[y * step + x * channels.length + i] = c === -1 ? 128 : encoding === 'mono8' ? rgb[1] : rgb[c]!;
      });
    }
  }
  return { kind: 'raw', encoding, width: W, height: H, step, isBigEndian: false, data };
}

function assertPattern(data: Buffer, mono = false): void {
  assert.equal(data.length, W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const rgb = rgbAt(x, y);
      const expected = mono ? [rgb[1], rgb[1], rgb[1]] : rgb;
      const i = (y * W + x) * 3;
      assert.deepEqual([data[i], data[i + 1], data[i + 2]], expected, `pixel ${x},${y}`);
    }
  }
}

for (const encoding of ['rgb8', 'bgr8', 'rgba8', 'bgra8', 'mono8', '8UC3']) {
  for (const pad of [0, 3]) {
    test(`decodeColor: ${encoding} with ${pad} bytes of row padding gives packed RGB`, async () => {
      const decoded = await decodeColor(rawImage(encoding, pad));
      assert.equal(decoded.width, W);
      assert.equal(decoded.height, H);
      assert.equal(decoded.channels, 3);
      assertPattern(decoded.data, encoding === 'mono8');
    });
  }
}

test('decodeColor: packed rgb8 is returned without copying', async () => {
  const img = rawImage('rgb8');
  const decoded = await decodeColor(img);
  assert.equal(decoded.data.buffer, img.data.buffer);
});

test('decodeColor: the last row may omit its padding', async () => {
  const img = rawImage('bgr8', 4);
  const trimmed = { ...img, data: img.data.subarray(0, img.step * (H - 1) + W * 3) };
  assertPattern((await decodeColor(trimmed)).data);
});

test('raw errors name the problem', async () => {
  const good = rawImage('rgb8');
  await assert.rejects(decodeColor({ ...good, encoding: 'yuv422' }), (e: unknown) => e instanceof ImageDecodeError && /unsupported colour encoding 'yuv422'/.test(e.message));
  await assert.rejects(decodeColor({ ...good, step: W * 3 - 1 }), (e: unknown) => e instanceof ImageDecodeError && /step 14 is smaller than width\*channels/.test(e.message));
  await assert.rejects(decodeColor({ ...good, data: good.data.subarray(0, 10) }), (e: unknown) => e instanceof ImageDecodeError && /data too short: 10 bytes/.test(e.message));
  await assert.rejects(decodeColor({ ...good, width: 0 }), (e: unknown) => e instanceof ImageDecodeError && /invalid image size/.test(e.message));
  await assert.rejects(encodeJpeg({ ...good, encoding: '16UC1' }), ImageDecodeError);
  await assert.rejects(colorSize({ ...good, step: 2 }), ImageDecodeError);
});

async function compressed(format: string, kind: 'jpeg' | 'png', width = W, height = H): Promise<ColorImage> {
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set(rgbAt(x % W, y % H), (y * width + x) * 3);
  const img = sharp(rgb, { raw: { width, height, channels: 3 } });
  const data = kind === 'png' ? await img.png().toBuffer() : await img.jpeg({ quality: 100 }).toBuffer();
  return { kind: 'compressed', format, data: new Uint8Array(data) };
}

test('decodeColor: compressed PNG under image_transport format strings decodes losslessly', async () => {
  for (const format of ['png', 'bgr8; png compressed bgr8', 'rgb8; png compressed rgb8', '']) {
    const decoded = await decodeColor(await compressed(format, 'png'));
    assert.equal(decoded.width, W);
    assertPattern(decoded.data);
  }
});

test('decodeColor: compressed JPEG decodes close to the original', async () => {
  for (const format of ['jpeg', 'rgb8; jpeg compressed bgr8']) {
    const decoded = await decodeColor(await compressed(format, 'jpeg', 64, 48));
    assert.equal(decoded.width, 64);
    assert.equal(decoded.height, 48);
    // Smooth pattern at quality 100: every channel within a few levels.
    const [r, g, b] = rgbAt(2, 1);
    const i = (1 * 64 + 2) * 3;
    assert.ok(Math.abs(decoded.data[i]! - r) < 12 && Math.abs(decoded.data[i + 1]! - g) < 12 && Math.abs(decoded.data[i + 2]! - b) < 12);
  }
});

test('decodeColor: grey and RGBA PNGs come out as 3-channel RGB', async () => {
  const grey = await sharp(Buffer.alloc(12, 77), { raw: { width: 4, height: 3, channels: 1 } }).png().toBuffer();
  const g = await decodeColor({ kind: 'compressed', format: 'png', data: grey });
  assert.equal(g.data.length, 36);
  assert.ok(g.data.every((v) => v === 77));
  const rgba = await sharp(Buffer.alloc(48, 200), { raw: { width: 4, height: 3, channels: 4 } }).png().toBuffer();
  assert.equal((await decodeColor({ kind: 'compressed', format: 'png', data: rgba })).data.length, 36);
});

test('compressed errors name the problem', async () => {
  const png = (await compressed('png', 'png')) as { data: Uint8Array };
  const bad = (data: Uint8Array, format = 'jpeg'): ColorImage => ({ kind: 'compressed', format, data });
  await assert.rejects(decodeColor(bad(new Uint8Array())), /has no data/);
  await assert.rejects(decodeColor(bad(Buffer.from('not an image at all'))), (e: unknown) => e instanceof ImageDecodeError && /undecodable compressed data \(format 'jpeg'\): not JPEG or PNG/.test(e.message));
  await assert.rejects(decodeColor(bad(png.data.subarray(0, 40), 'png')), (e: unknown) => e instanceof ImageDecodeError && /undecodable compressed data/.test(e.message));
  await assert.rejects(decodeColor(bad(png.data, '16UC1; compressedDepth png')), /depth format, not a colour image/);
  await assert.rejects(colorSize(bad(Buffer.from([0xff, 0xd8, 0xff, 0, 1, 2]))), ImageDecodeError);
});

test('colorSize reads the size without decoding', async () => {
  assert.deepEqual(await colorSize(rawImage('bgra8', 2)), { width: W, height: H });
  assert.deepEqual(await colorSize(await compressed('jpeg', 'jpeg', 40, 30)), { width: 40, height: 30 });
});

test('encodeJpeg: full size from raw encodings, a real JPEG of the same size', async () => {
  for (const encoding of ['rgb8', 'bgr8', 'mono8', 'bgra8']) {
    const out = await encodeJpeg(rawImage(encoding, 1));
    const meta = await sharp(out.jpeg).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.equal(meta.channels, 3);
    assert.deepEqual([meta.width, meta.height, out.width, out.height, out.sentWidth, out.sentHeight], [W, H, W, H, W, H]);
  }
});

test('encodeJpeg: bgr8 colours arrive as RGB in the JPEG', async () => {
  const width = 16;
  const height = 16;
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data[i + 2] = 255; // pure red in BGR order
  const out = await encodeJpeg({ kind: 'raw', encoding: 'bgr8', width, height, step: width * 3, isBigEndian: false, data });
  const { data: rgb } = await sharp(out.jpeg).raw().toBuffer({ resolveWithObject: true });
  assert.ok(rgb[0]! > 240 && rgb[1]! < 20 && rgb[2]! < 20, `got ${rgb[0]},${rgb[1]},${rgb[2]}`);
});

test('encodeJpeg: maxSide downscales keeping the aspect ratio and reports both sizes', async () => {
  const width = 1280;
  const height = 720;
  const img: ColorImage = { kind: 'raw', encoding: 'rgb8', width, height, step: width * 3, isBigEndian: false, data: new Uint8Array(width * height * 3) };
  const out = await encodeJpeg(img, { maxSide: 640 });
  assert.deepEqual([out.width, out.height, out.sentWidth, out.sentHeight], [1280, 720, 640, 360]);
  const meta = await sharp(out.jpeg).metadata();
  assert.deepEqual([meta.width, meta.height], [640, 360]);
  const same = await encodeJpeg(img, { maxSide: 2000 });
  assert.deepEqual([same.sentWidth, same.sentHeight], [1280, 720]);
  const png = await encodeJpeg(await compressed('png', 'png', 300, 100), { maxSide: 150 });
  assert.deepEqual([png.sentWidth, png.sentHeight, (await sharp(png.jpeg).metadata()).format], [150, 50, 'jpeg']);
});

test("encodeJpeg: resizeKernel 'linear' (the console preview's) is still anti-aliased; lanczos3 stays the default", async () => {
  // One-pixel black/white columns at 0.75×: point sampling keeps full-contrast stripes (stdev ~127); both filters
  // average them towards grey, lanczos3 more closely than linear.
  const width = 400;
  const height = 300;
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.fill(i % 2 ? 255 : 0, i * 3, i * 3 + 3);
  const img: ColorImage = { kind: 'raw', encoding: 'rgb8', width, height, step: width * 3, isBigEndian: false, data };
  const stdev = async (jpeg: Buffer) => (await sharp(jpeg).stats()).channels[0]!.stdev;
  const byDefault = await encodeJpeg(img, { maxSide: 300, quality: 95 });
  const lanczos = await encodeJpeg(img, { maxSide: 300, quality: 95, resizeKernel: 'lanczos3' });
  const linear = await encodeJpeg(img, { maxSide: 300, quality: 95, resizeKernel: 'linear' });
  assert.deepEqual([linear.sentWidth, linear.sentHeight], [300, 225]);
  assert.ok(byDefault.jpeg.equals(lanczos.jpeg), 'lanczos3 is the default');
  const [l3, lin] = [await stdev(lanczos.jpeg), await stdev(linear.jpeg)];
  assert.ok(l3 < 20, `lanczos3 stdev ${l3}`);
  assert.ok(lin > l3 && lin < 45, `linear stdev ${lin}: a different filter, still far from point sampling's ~127`);
});

test('encodeJpeg: a JPEG that needs no resizing is sent byte for byte', async () => {
  const img = (await compressed('rgb8; jpeg compressed bgr8', 'jpeg', 40, 30)) as ColorImage & { kind: 'compressed' };
  const out = await encodeJpeg(img, { maxSide: 40, quality: 50 });
  assert.ok(Buffer.from(img.data).equals(out.jpeg));
  const smaller = await encodeJpeg(img, { maxSide: 20 });
  assert.deepEqual([smaller.sentWidth, smaller.sentHeight, smaller.width], [20, 15, 40]);
});

test('encodeJpeg rejects bad options', async () => {
  await assert.rejects(encodeJpeg(rawImage('rgb8'), { maxSide: 0 }), RangeError);
  await assert.rejects(encodeJpeg(rawImage('rgb8'), { quality: 101 }), RangeError);
});

test('scaledSize never upscales and never reaches zero', () => {
  assert.deepEqual(scaledSize(1280, 720, 512), { width: 512, height: 288 });
  assert.deepEqual(scaledSize(100, 1, 10), { width: 10, height: 1 });
  assert.deepEqual(scaledSize(100, 50, undefined), { width: 100, height: 50 });
});
