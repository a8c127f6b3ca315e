// The console in a real browser (Chromium through playwright-core) against the real Bridge replaying the bundled
// recording: the page shows the image, a click points, the waypoint row and its 3D marker appear, and the
// operator confirms the dispatch. Saves test-artifacts/console.png (and a tablet-width one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startConsole } from '../../src/console/server.js';
import { Bridge } from '../../src/pipeline/bridge.js';
import { defaultConfig } from '../../src/pipeline/config.js';
import type { DispatchedGoal } from '../../src/pipeline/types.js';
import { McapSource } from '../../src/sources/mcap-source.js';

const CHROMIUM = '/usr/bin/chromium';
/** Generous: CI machines with 2 cores run other test files beside this one. */
const WAIT_MS = 30_000;
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (CI installs Debian's chromium): browser test not run`;
if (skip) console.log(`# browser test skipped: ${skip}`);

test('operator opens the console, clicks a pixel, sees the waypoint and its 3D marker, and confirms the dispatch; a viewer only watches', { skip, timeout: 180_000 }, async () => {
  const config = defaultConfig();
  config.frames = { target: 'map', navigation: 'map', robot: 'map' };
  // Hold a few seconds of snapshots so the frame the operator clicked on is still there when the click arrives.
  config.store.size = 60;
  const bridge = new Bridge({ pointer: null, config });
  const source = new McapSource({ path: 'demo/redwood_livingroom1.mcap', loop: true, realtime: true });
  const replay = source.start((e) => bridge.ingest(e));
  const handle = await startConsole(bridge, { port: 0, log: () => {}, previewFps: 5 });
  let browser: Browser | null = null;
  let page: Page | null = null;
  const problems: string[] = [];
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, colorScheme: 'dark' });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/WebGL|GPU|swiftshader/i.test(message.text())) problems.push(`console: ${message.text()}`);
    });
    const t0 = Date.now();
    const mark = (what: string) => process.env.CONSOLE_TEST_VERBOSE && console.log(`${what}: ${Date.now() - t0} ms`);
    await page.goto(handle.url);
    mark('loaded');

    // The live image: a frame number on the canvas and real pixels drawn into it.
    await page.waitForSelector('#live-canvas:not([data-frame-seq=""])', { timeout: WAIT_MS });
    const brightness = await page.$eval('#live-canvas', (canvas) => {
      const c = canvas as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) sum += data[i]! + data[i + 1]! + data[i + 2]!;
      return sum / (data.length / 4) / 3;
    });
    mark('image');
    assert.ok(brightness > 20, `the image is drawn (mean brightness ${brightness.toFixed(1)})`);
    assert.equal(await page.textContent('#role-badge'), 'operator');

    // Click the middle of the image in pick mode: pixel (u, v) sits at ((u + 0.5) * s, (v + 0.5) * s) on the canvas.
    await page.selectOption('#query-mode', 'pick');
    const box = (await page.locator('#live-canvas').boundingBox())!;
    const [u, v] = [330, 260];
    const scale = box.width / 640;
    const dispatched = new Promise<DispatchedGoal>((resolve) => bridge.once('dispatch', resolve));
    await page.mouse.click(box.x + (u + 0.5) * scale, box.y + (v + 0.5) * scale);

    // The waypoint row (in the map frame) and its 3D marker.
    const row = page.locator('#waypoints-body tr.waypoint-row');
    await row.first().waitFor({ timeout: WAIT_MS });
    mark('row');
    const rowText = await row.first().innerText();
    assert.match((await page.textContent('#waypoints-of')) ?? '', /· in map$/, 'the caption names the frame of every row');
    await page.waitForSelector('#scene3d[data-markers="1"]', { timeout: WAIT_MS });
    mark('marker');
    const historyStatus = await page.getAttribute('#history li.req.selected', 'data-status');
    assert.equal(historyStatus, 'ok');

    // Confirm before dispatch: the button only opens the confirmation; the goal leaves on "Confirm dispatch".
    // The confirmation reads goal, coordinates and frame first, then the goal's age, then the label on its own.
    await page.click('#waypoints-body [data-action="dispatch"]');
    await page.waitForSelector('#confirm-bar:not([hidden])', { timeout: WAIT_MS });
    assert.match((await page.textContent('#confirm-goal')) ?? '', /^Send pick \(grasp\) pose #1 at \(-?\d+\.\d{3}, -?\d+\.\d{3}, -?\d+\.\d{3}\) in map to the robot\?$/);
    assert.match((await page.textContent('#confirm-age')) ?? '', /^Finished [\d.]+ s ago \(dispatch limit 60 s\); computed on frame #\d+, captured [\d.]+ s ago\.$/);
    assert.deepEqual(
      await page.$$eval('#confirm-text > *', (nodes) => nodes.map((n) => n.id)),
      ['confirm-goal', 'confirm-age', 'confirm-label'],
    );
    mark('confirm bar');
    mkdirSync('test-artifacts', { recursive: true });
    await page.locator('.waypoints-card').screenshot({ path: 'test-artifacts/console-confirm.png' });

    // A refused dispatch (here: the bridge says the result is too old) shows the bridge's reason by the waypoints.
    const realDispatch = bridge.dispatch.bind(bridge);
    bridge.dispatch = () => {
      bridge.dispatch = realDispatch;
      throw new Error('the result is 31.0 s old; dispatch.max_age_ms is 10000');
    };
    await page.click('#confirm-yes');
    await page.waitForSelector('#dispatch-notice[data-kind="error"]:not([hidden])', { timeout: WAIT_MS });
    assert.match((await page.textContent('#dispatch-notice')) ?? '', /^Dispatch refused: the result is 31\.0 s old/);
    assert.equal(await page.locator('#waypoints-body .chip.status-ok').count(), 0);

    await page.click('#waypoints-body [data-action="dispatch"]');
    await page.waitForSelector('#confirm-bar:not([hidden])', { timeout: WAIT_MS });
    assert.equal(await page.isHidden('#dispatch-notice'), true, 'a new confirmation clears the old refusal');
    await page.click('#confirm-yes');
    const goal = await dispatched;
    mark('dispatch event');
    assert.equal(goal.mode, 'pick');
    assert.equal(goal.frameId, 'map');
    await page.waitForSelector('#waypoints-body .chip.status-ok', { timeout: WAIT_MS });
    mark('dispatched chip');
    await page.waitForSelector('#health .health-section', { timeout: WAIT_MS });
    // Let the 3D view and the health panel settle for the picture.
    await page.waitForTimeout(600);

    mark('dispatched');
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/console.png', fullPage: true });
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: 'test-artifacts/console-tablet.png', fullPage: false });
    if (process.env.CONSOLE_TEST_VERBOSE) console.log({ webgl: await page.getAttribute('#scene3d', 'data-webgl'), rowText });

    // A viewer sees the same history and the dispatched goal, but cannot point or dispatch.
    const viewer = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    viewer.on('pageerror', (error) => problems.push(`viewer page error: ${error.message}`));
    await viewer.goto(handle.viewerUrl);
    await viewer.waitForSelector('#role-badge[data-role="viewer"]', { timeout: WAIT_MS });
    await viewer.waitForSelector('#waypoints-body .chip.status-ok', { timeout: WAIT_MS });
    assert.equal(await viewer.isDisabled('#query-send'), true);
    assert.equal(await viewer.isDisabled('#query-text'), true);
    assert.equal(await viewer.$eval('#live-canvas', (c) => c.classList.contains('clickable')), false);
    await viewer.close();

    // A wrong token gets the token form, not a broken page.
    const stranger = await browser.newPage();
    await stranger.goto(`http://127.0.0.1:${handle.port}/#token=not-the-token`);
    await stranger.waitForSelector('#token-gate:not([hidden])', { timeout: WAIT_MS });
    assert.match((await stranger.textContent('#token-gate')) ?? '', /not accepted/);
    await stranger.close();

    // A console restarted with other tokens on the same port: the open page asks for a token again instead of
    // reconnecting forever (the refused upgrade only shows as a close before open).
    const first = await startConsole(bridge, { port: 0, log: () => {}, previewFps: 2 });
    let second: Awaited<ReturnType<typeof startConsole>> | null = null;
    const restarted = await browser.newPage();
    restarted.on('pageerror', (error) => problems.push(`restarted page error: ${error.message}`));
    try {
      await restarted.goto(first.url);
      await restarted.waitForSelector('#conn-state[data-state="open"]', { timeout: WAIT_MS });
      await first.close();
      second = await startConsole(bridge, { port: first.port, log: () => {}, previewFps: 2 });
      await restarted.waitForSelector('#token-gate:not([hidden])', { timeout: WAIT_MS });
      assert.match((await restarted.textContent('#token-gate')) ?? '', /no longer accepted/);
      // The new token from the form connects.
      await restarted.fill('#token-input', second.token);
      await restarted.click('#token-gate button[type="submit"]');
      await restarted.waitForSelector('#conn-state[data-state="open"]', { timeout: WAIT_MS });
    } finally {
      await restarted.close();
      await first.close();
      await second?.close();
    }
    assert.deepEqual(problems, []);
  } catch (error) {
    // Keep a picture of what the page showed when it failed.
    mkdirSync('test-artifacts', { recursive: true });
    await page?.screenshot({ path: 'test-artifacts/console-failure.png', fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await browser?.close();
    await handle.close();
    source.stop();
    await replay;
  }
});
