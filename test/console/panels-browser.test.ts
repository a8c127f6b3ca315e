// The image and 3D panels in a real browser (Chromium through playwright-core) against the real Bridge replaying
// the bundled recording: the first screen's startup waypoint reads on the white wall and has its camera ray (defect
// 9), TF labels are big enough; zoom and pan keep clicks on the right pixel; the depth overlay, the hover readout,
// the point cloud, rows linked to markers, the TF tree's frame picker, and an object's outline, box, points and
// uncertainty. Saves test-artifacts/panels-{1440x900,1024x768,820x1180}.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { PointResult } from '../../src/pipeline/types.js';
import { WAIT_MS, browserPerFile, demoConsole, openPage, screenshot, until } from './browser-kit.js';

const { opts, browser: sharedBrowser } = browserPerFile(240_000);

/** Canvas position (CSS px, page coordinates) of image pixel (u, v) at zoom 1. */
async function pixelPosition(page: Page, u: number, v: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('#live-canvas').boundingBox())!;
  const s = box.width / 640;
  return { x: box.x + (u + 0.5) * s, y: box.y + (v + 0.5) * s };
}

/**
 * WCAG contrast between the glyphs and the plate of the first label drawn on the canvas, measured on the canvas's
 * pixels in a strip right of the waypoint where the label is drawn (x + 16 px on): the 2nd and 98th luminance
 * percentiles, so whatever is drawn there (a plate, a halo, or nothing over the image) is what counts.
 */
const LABEL_CONTRAST = String.raw`(([x, y]) => {
  const canvas = document.getElementById('live-canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const dpr = canvas.width / canvas.getBoundingClientRect().width;
  const x0 = Math.round(x + 22 * dpr), y0 = Math.round(y - 7 * dpr), w = Math.round(70 * dpr), h = Math.round(14 * dpr);
  const data = ctx.getImageData(x0, y0, w, h).data;
  const channel = (c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  const lum = [];
  for (let i = 0; i < data.length; i += 4) lum.push(0.2126 * channel(data[i]) + 0.7152 * channel(data[i + 1]) + 0.0722 * channel(data[i + 2]));
  lum.sort((a, b) => a - b);
  const lo = lum[Math.floor(lum.length * 0.02)], hi = lum[Math.floor(lum.length * 0.98)];
  return (hi + 0.05) / (lo + 0.05);
})`;

const MEAN_RGB = String.raw`(() => {
  const c = document.getElementById('live-canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const sum = [0, 0, 0];
  for (let i = 0; i < d.length; i += 4) { sum[0] += d[i]; sum[1] += d[i + 1]; sum[2] += d[i + 2]; }
  return sum.map((s) => s / (d.length / 4));
})()`;

test('image and 3D panels: readable startup waypoint with its ray, zoom/pan, depth, readout, cloud, linked markers, TF tree, object', opts, async () => {
  const demo = await demoConsole({ tweak: (c) => (c.store.size = 60) });
  const { bridge, handle } = demo;
  const browser = sharedBrowser();
  const problems: string[] = [];
  try {
    // Like `npm start`: a first request at the image centre (a white wall in the demo) before any page is open, so
    // the page meets a result on a frame it never received.
    const startup = await bridge.request({ id: 'demo-1', pixels: [{ u: 320, v: 240, label: 'image centre' }], mode: 'point' });
    assert.equal(startup.status, 'ok', startup.reason);
    const page = await openPage(browser, handle.url, problems);
    await page.waitForSelector('#waypoints-body tr.waypoint-row', { timeout: WAIT_MS });

    // Defect 9: the label reads on the wall (WCAG AA for text, 4.5:1), the 3D view has the camera ray, TF labels
    // are at least 12 px tall on screen.
    const centre = (await page.evaluate(`(() => {
      const canvas = document.getElementById('live-canvas');
      const s = canvas.width / 640;
      return [(320 + 0.5) * s, (240 + 0.5) * s];
    })()`)) as [number, number];
    const contrast = (await page.evaluate(`${LABEL_CONTRAST}(${JSON.stringify(centre)})`)) as number;
    assert.ok(contrast >= 4.5, `the startup label's contrast on the wall is ${contrast.toFixed(2)}:1`);
    await page.waitForSelector('#scene3d[data-rays="1"]', { timeout: WAIT_MS });
    const tfPx = Number(await page.getAttribute('#scene3d', 'data-tf-label-px'));
    assert.ok(tfPx >= 12, `TF labels are ${tfPx} px tall`);

    // The decimated cloud of a recent frame, and the hover readout (pixel, depth, 3D point in map).
    await until(page, `Number(document.getElementById('scene3d').dataset.cloud) > 1000`);
    const wall = await pixelPosition(page, 320, 240);
    await page.mouse.move(wall.x, wall.y);
    await until(page, `/depth \\d/.test(document.getElementById('live-readout').textContent)`);
    assert.match((await page.textContent('#live-readout')) ?? '', /^\(320, 240\) · depth \d+\.\d{3} m( at \(\d+, \d+\))? · map \(-?\d+\.\d{3}, -?\d+\.\d{3}, -?\d+\.\d{3}\)/);

    // Depth overlay: D toggles it, and it changes what the canvas shows.
    const before = (await page.evaluate(MEAN_RGB)) as number[];
    await page.locator('#live-canvas').focus();
    await page.keyboard.press('d');
    await page.waitForSelector('#live-canvas[data-depth-overlay="on"]');
    await page.waitForSelector('#live-canvas:not([data-depth-seq=""])', { timeout: WAIT_MS });
    const after = (await page.evaluate(MEAN_RGB)) as number[];
    assert.ok(after.some((c, i) => Math.abs(c - before[i]!) > 5), `the overlay changes the picture (${before.map(Math.round)} -> ${after.map(Math.round)})`);
    assert.equal(await page.getAttribute('#depth-toggle', 'aria-pressed'), 'true');
    await page.screenshot({ path: 'test-artifacts/panels-depth.png' });
    await page.keyboard.press('d');

    // Zoom about the cursor keeps the pixel under it; a click there then points at that same pixel.
    // Whole CSS pixels: mouse events carry integer coordinates, so the expected pixel is computed from those.
    const near = await pixelPosition(page, 470, 250);
    const target = { x: Math.round(near.x), y: Math.round(near.y) };
    const canvasBox = (await page.locator('#live-canvas').boundingBox())!;
    const expected = { u: ((target.x - canvasBox.x) * 640) / canvasBox.width - 0.5, v: ((target.y - canvasBox.y) * 640) / canvasBox.width - 0.5 };
    await page.mouse.move(target.x, target.y);
    await page.mouse.wheel(0, -600);
    await until(page, `Number(document.getElementById('live-canvas').dataset.zoom) > 2`);
    const results: PointResult[] = [];
    bridge.on('result', (r: PointResult) => results.push(r));
    await page.mouse.click(target.x, target.y);
    await until(page, `document.querySelectorAll('#history li.req').length >= 2`);
    const clicked = await new Promise<PointResult>((resolve) => (results.length ? resolve(results[0]!) : bridge.once('result', resolve)));
    const px = clicked.pixels[0]!;
    // The page sends pixels to 0.1 px.
    assert.ok(Math.abs(px.u - expected.u) <= 0.06 && Math.abs(px.v - expected.v) <= 0.06, `zoomed click at (${px.u}, ${px.v}), expected (${expected.u.toFixed(2)}, ${expected.v.toFixed(2)})`);
    // A drag pans (the view moves with the pointer) and is not a click.
    const zoomBefore = await page.getAttribute('#live-canvas', 'data-zoom');
    await page.mouse.move(target.x + 40, target.y + 30);
    await page.mouse.down();
    await page.mouse.move(target.x + 10, target.y + 10, { steps: 5 });
    await page.mouse.move(target.x, target.y, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(300);
    assert.equal(results.length, 1, 'a drag sends no point request');
    assert.equal(await page.getAttribute('#live-canvas', 'data-zoom'), zoomBefore);
    await page.mouse.move(target.x, target.y);
    await until(page, `/^\\(\\d+, \\d+\\)/.test(document.getElementById('live-readout').textContent)`);
    const [, ru, rv] = /^\((\d+), (\d+)\)/.exec((await page.textContent('#live-readout'))!)!.map(Number);
    assert.ok(ru! > 472 && rv! > 251, `after panning by (-40, -30) px the pixel under the pointer is (${ru}, ${rv}), right of and below (470, 250)`);
    // Keys: - zooms out, 0 fits; pinch (two touch pointers moving apart) zooms in again.
    await page.locator('#live-canvas').focus();
    await page.keyboard.press('0');
    await page.waitForSelector('#live-canvas[data-zoom="1.000"]');
    await page.evaluate(`(() => {
      const c = document.getElementById('live-canvas');
      const r = c.getBoundingClientRect();
      const at = (id, dx, type) => c.dispatchEvent(new PointerEvent(type, { pointerId: id, pointerType: 'touch', isPrimary: id === 11, bubbles: true, clientX: r.left + r.width / 2 + dx, clientY: r.top + r.height / 2 }));
      at(11, -20, 'pointerdown'); at(12, 20, 'pointerdown');
      at(12, 60, 'pointermove'); at(11, -60, 'pointermove');
      at(11, -60, 'pointerup'); at(12, 60, 'pointerup');
    })()`);
    const pinched = Number(await page.getAttribute('#live-canvas', 'data-zoom'));
    assert.ok(pinched > 2.5, `pinching 40 -> 120 px zooms about 3x (zoom ${pinched})`);
    await page.keyboard.press('f');
    await page.waitForSelector('#live-canvas[data-zoom="1.000"]');

    // Rows linked to markers: hovering the row highlights its 3D marker and its ring.
    await page.waitForSelector('#scene3d[data-markers="1"]', { timeout: WAIT_MS });
    await page.hover('#waypoints-body tr.waypoint-row');
    await page.waitForSelector('#scene3d[data-highlight="0"]');
    assert.equal(await page.locator('#waypoints-body tr.waypoint-row.linked').count(), 1);

    // The TF tree lists the camera under its parent; picking a frame re-bases the 3D view on it.
    await page.click('.tf-panel summary');
    const cameraFrame = bridge.latestFrame()!.frameId;
    const frameButton = page.locator(`#tf-tree button[data-frame="${cameraFrame}"]`);
    await frameButton.waitFor({ timeout: WAIT_MS });
    await frameButton.click();
    await page.waitForSelector(`#scene3d[data-display-frame="${cameraFrame}"]`);
    assert.equal(await page.inputValue('#scene-display'), cameraFrame);
    await page.selectOption('#scene-display', 'map');
    await page.waitForSelector('#scene3d[data-display-frame="map"]');

    // An object (issue 11's geometry, hand-built here): mask outline on the image, box, points and the 1σ
    // ellipsoid in 3D, size and ± in the table.
    const base = clicked.status === 'ok' ? clicked : startup;
    const w = base.waypoints[0]!;
    const withObject: PointResult = {
      ...base,
      id: 'object-1',
      waypoints: [
        {
          ...w,
          object: {
            centroid: w.point,
            box: { center: { position: w.point, orientation: { x: 0, y: 0, z: 0, w: 1 } }, size: { x: 0.42, y: 0.3, z: 0.75 } },
            pointCount: 900,
            validShare: 0.9,
            maskBox: { u0: w.pixel.u - 40, v0: w.pixel.v - 30, u1: w.pixel.u + 40, v1: w.pixel.v + 30 },
            outline: [
              { u: w.pixel.u - 40, v: w.pixel.v - 30 },
              { u: w.pixel.u + 40, v: w.pixel.v - 30 },
              { u: w.pixel.u + 40, v: w.pixel.v + 30 },
              { u: w.pixel.u - 40, v: w.pixel.v + 30 },
            ],
            samplePoints: [w.point, { ...w.point, z: w.point.z + 0.1 }, { ...w.point, x: w.point.x + 0.1 }],
          },
          // An ellipsoid tilted in x-y: 1σ of about 20.5, 11 and 5 mm.
          covariance: [0.00025 * 1.25, 0.00015 * 1, 0, 0.00015, 0.00025 * 0.85, 0, 0, 0, 0.000025],
        },
      ],
    };
    bridge.emit('result', withObject);
    await page.waitForSelector('#scene3d[data-objects="1"][data-ellipsoids="1"]', { timeout: WAIT_MS });
    const extent = (await page.textContent('#waypoints-body td.extent')) ?? '';
    assert.match(extent, /^object 420×300×750 mm · point ± \d+ mm$/);
    const sigma = Number(/± (\d+) mm/.exec(extent)![1]);
    // Largest eigenvalue of [[3.125e-4, 1.5e-4], [1.5e-4, 2.125e-4]]: 2.625e-4 + sqrt(5e-5² + 1.5e-4²) → 20.5 mm.
    assert.equal(sigma, Math.round(Math.sqrt(2.625e-4 + Math.hypot(5e-5, 1.5e-4)) * 1000));
    // A pixel on the outline's top edge (v - 30), straight above the point.
    const outlineColour = (await page.evaluate(`(([u, v]) => {
      const canvas = document.getElementById('live-canvas');
      const s = canvas.width / 640;
      const d = canvas.getContext('2d').getImageData(Math.round((u + 0.5) * s), Math.round((v - 30 + 0.5) * s), 1, 1).data;
      return [d[0], d[1], d[2]];
    })(${JSON.stringify([w.pixel.u, w.pixel.v])})`)) as number[];
    assert.ok(outlineColour[2]! > 200 && outlineColour[0]! < 140, `the outline's top edge is drawn (rgb ${outlineColour})`);

    // Navigate: the 3D view draws the pose that is sent (the stand-off) with the yaw the table shows.
    await page.selectOption('#query-mode', 'navigate');
    const floor = await pixelPosition(page, 320, 430);
    await page.mouse.click(floor.x, floor.y);
    const yawCell = page.locator('#waypoints-body tr.waypoint-row td[data-axis="yaw"]');
    await until(page, `/°$/.test(document.querySelector('#waypoints-body tr.waypoint-row td[data-axis="yaw"]')?.textContent ?? '')`);
    const tableYaw = ((await yawCell.textContent()) ?? '').replace('°', '');
    await page.waitForSelector(`#scene3d[data-sent-yaw="${tableYaw}"]`, { timeout: WAIT_MS });

    // Screenshots at the three sizes the issue names.
    for (const [width, height] of [[1440, 900], [1024, 768], [820, 1180]] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(500);
      await screenshot(page, `panels-${width}x${height}`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await demo.close();
  }
});
