// The console an operator trusts (issue 12), one browser test per defect, each against a real Bridge replaying
// the bundled recording: a second click on the frozen frame 3 s later, a dead server, a restarted server, the
// navigate goal as sent, feedback while a query runs, the raw model text, request times, the two-column
// layout at 1024 px, the hint without a model, keys, focus and contrast, words instead of jargon, and the
// frame age. Screenshots at 1440×900, 1024×768 and 820×1180 go to test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startConsole } from '../../src/console/server.js';
import type { DispatchedGoal, PointResult } from '../../src/pipeline/types.js';
import { WAIT_MS, clickPixel, contrastOf, demoConsole, hangingPointer, instantPointer, browserPerFile, openPage, screenshot, until } from './browser-kit.js';

const { opts, browser: sharedBrowser } = browserPerFile();

/** The next result the bridge emits (optionally: matching). */
function nextResult(bridge: { once(e: 'result', f: (r: PointResult) => void): unknown; on(e: 'result', f: (r: PointResult) => void): unknown; off(e: 'result', f: (r: PointResult) => void): unknown }, pred: (r: PointResult) => boolean = () => true): Promise<PointResult> {
  return new Promise((resolve) => {
    const on = (r: PointResult) => {
      if (!pred(r)) return;
      bridge.off('result', on);
      resolve(r);
    };
    bridge.on('result', on);
  });
}

async function withPage<T>(demo: Awaited<ReturnType<typeof demoConsole>>, body: (page: Page, problems: string[]) => Promise<T>, viewport?: { width: number; height: number }, scheme?: 'dark' | 'light'): Promise<T> {
  const problems: string[] = [];
  let page: Page | null = null;
  try {
    page = await openPage(sharedBrowser(), demo.handle.url, problems, viewport, scheme);
    const out = await body(page, problems);
    assert.deepEqual(problems, [], 'the page logged no errors');
    return out;
  } catch (error) {
    await page?.screenshot({ path: `test-artifacts/trust-failure-${Date.now()}.png`, fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await page?.close();
    await demo.close();
  }
}

test('1: a second click on the frozen frame 3 s later lifts on that frame; a failure never replaces the good waypoint', opts, async () => {
  // The default store (10 snapshots ≈ 0.67 s at 15 Hz): only the console's hold keeps the frame.
  const demo = await demoConsole();
  await withPage(demo, async (page) => {
    const first = nextResult(demo.bridge);
    await clickPixel(page, 330, 260);
    const r1 = await first;
    assert.equal(r1.status, 'ok', r1.reason);
    await page.waitForSelector('#waypoints-body tr.waypoint-row', { timeout: WAIT_MS });
    assert.equal(await page.getAttribute('#view-mode', 'data-mode'), 'frozen');
    await page.waitForTimeout(3000);
    const second = nextResult(demo.bridge);
    await clickPixel(page, 300, 250);
    const r2 = await second;
    assert.equal(r2.status, 'ok', `the second click: ${r2.reason}`);
    assert.equal(r2.frameSeq, r1.frameSeq, 'lifted on the frame on screen');
    await page.waitForSelector(`#history li.req.selected[data-id="${r2.id}"][data-status="ok"]`, { timeout: WAIT_MS });
    assert.match((await page.textContent('#history li.req.selected')) ?? '', /operator click/, "the clicks' model in words");

    // A failing click (a target frame TF does not know) stays in the history, is said over the image, and the
    // good waypoint stays in the table.
    await page.fill('#query-frame', 'no_such_frame');
    const failing = nextResult(demo.bridge);
    await clickPixel(page, 310, 250);
    assert.equal((await failing).status, 'tf_error');
    await page.waitForSelector('#live-notice:not([hidden])', { timeout: WAIT_MS });
    assert.match((await page.textContent('#live-notice')) ?? '', /^The camera is not connected to the target frame; see Health → TF\. \(while transforming/);
    assert.equal(await page.getAttribute('#waypoints-body tr.waypoint-row', 'data-result-id'), r2.id, 'the good result stays selected');
    assert.equal(await page.locator('#history li.req[data-status="tf_error"]').count(), 1);
  });
});

test('2: killing the server greys the image, marks health stale and disables Point and Dispatch within 5 s', opts, async () => {
  const demo = await demoConsole({ pointer: instantPointer() });
  await withPage(demo, async (page) => {
    await clickPixel(page, 330, 260);
    await page.waitForSelector('#waypoints-body [data-action="dispatch"]:not([disabled])', { timeout: WAIT_MS });
    await page.waitForSelector('#health .health-section', { timeout: WAIT_MS });
    assert.equal(await page.isEnabled('#query-send'), true);
    const killed = Date.now();
    await demo.close();
    await page.waitForSelector('#live-wrap[data-conn="offline"]', { timeout: 5000 });
    await until(page, `document.querySelector('#query-send').disabled`, 5000);
    assert.ok(Date.now() - killed < 5000, `${Date.now() - killed} ms`);
    assert.equal(await page.isDisabled('#waypoints-body [data-action="dispatch"]'), true);
    assert.equal(await page.textContent('#view-mode'), 'disconnected');
    assert.equal(await page.getAttribute('#health', 'data-stale'), 'true');
    await until(page, `/^Disconnected, last frame [\\d.]+ s old\\. Reconnecting…$/.test(document.querySelector('#live-status').textContent)`, 5000);
    const filter = await page.evaluate(`getComputedStyle(document.querySelector('#live-canvas')).filter`);
    assert.match(String(filter), /grayscale\(1\)/);
  });
});

test('3: a restarted server (same port, same token) clears the history and the dispatch marks', opts, async () => {
  const demo = await demoConsole();
  const { port, token, viewerToken } = demo.handle;
  let second: Awaited<ReturnType<typeof startConsole>> | null = null;
  const problems: string[] = [];
  const page = await openPage(sharedBrowser(), demo.handle.url, problems);
  try {
    await demo.bridge.request({ id: 'demo-1', pixels: [{ u: 330, v: 260 }], mode: 'point' });
    demo.bridge.dispatch('demo-1', 0, 'test');
    await page.waitForSelector('#waypoints-body .chip.status-ok', { timeout: WAIT_MS });
    await demo.close();
    await page.waitForSelector('#live-wrap[data-conn="offline"]', { timeout: WAIT_MS });
    // A new run: another bridge, the same tokens, and again a 'demo-1'.
    const next = await demoConsole({ console: { port, token, viewerToken } });
    second = next.handle;
    try {
      await page.waitForSelector('#live-wrap[data-conn="open"]', { timeout: WAIT_MS });
      await next.bridge.request({ id: 'demo-1', pixels: [{ u: 300, v: 250 }], mode: 'point' });
      await page.waitForSelector('#waypoints-body tr.waypoint-row', { timeout: WAIT_MS });
      assert.equal(await page.locator('#history li.req').count(), 1, "only the new run's request");
      assert.equal(await page.locator('#waypoints-body .chip.status-ok').count(), 0, 'the new demo-1 is not dispatched');
      assert.equal(await page.isEnabled('#waypoints-body [data-action="dispatch"]'), true);
      assert.match((await page.textContent('#notice')) ?? '', /server was restarted/);
    } finally {
      await next.close();
    }
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await demo.close();
  }
});

test('4: navigate: the row shows the stand-off that is sent and its yaw, and the confirmation sends the same', opts, async () => {
  const demo = await demoConsole();
  await withPage(demo, async (page) => {
    await page.selectOption('#query-mode', 'navigate');
    const result = nextResult(demo.bridge);
    await clickPixel(page, 330, 260);
    const r = await result;
    assert.equal(r.status, 'ok', r.reason);
    const { position: p, orientation: q } = r.waypoints[0]!.pose;
    const o = r.waypoints[0]!.point;
    assert.ok(Math.hypot(p.x - o.x, p.y - o.y) > 0.3, 'the stand-off is not the object');
    const row = page.locator('#waypoints-body tr.waypoint-row').first();
    await row.waitFor({ timeout: WAIT_MS });
    const cell = (axis: string) => row.locator(`td[data-axis="${axis}"]`).textContent();
    assert.equal(await cell('x'), p.x.toFixed(3));
    assert.equal(await cell('y'), p.y.toFixed(3));
    assert.equal(await cell('z'), p.z.toFixed(3));
    const yaw = (Math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z)) * 180) / Math.PI;
    assert.equal(await cell('yaw'), `${yaw.toFixed(1)}°`);
    assert.match((await page.textContent('#waypoints-body tr.object-row')) ?? '', new RegExp(`facing the object at \\(${o.x.toFixed(3)}, ${o.y.toFixed(3)}, ${o.z.toFixed(3)}\\)`));
    await page.click('#waypoints-body [data-action="dispatch"]');
    assert.equal(
      await page.textContent('#confirm-goal'),
      `Send navigation goal #1 at (${p.x.toFixed(3)}, ${p.y.toFixed(3)}, ${p.z.toFixed(3)}), heading ${yaw.toFixed(1)}° in map to the robot?`,
    );
  });
});

test('5 and 12: a running query shows a spinner, its time and Cancel on Point and on the image; the cancel is said in words', opts, async () => {
  const demo = await demoConsole({ pointer: hangingPointer() });
  await withPage(demo, async (page) => {
    await page.fill('#query-text', 'the chair');
    await page.click('#query-send');
    await until(page, `/^Cancel · \\d+\\.\\d s$/.test(document.querySelector('#query-send').textContent.trim())`, WAIT_MS);
    await page.waitForSelector('#live-busy:not([hidden])', { timeout: WAIT_MS });
    assert.match((await page.textContent('#live-busy')) ?? '', /Asking the model: the chair · \d+\.\d s/);
    assert.match((await page.textContent('#waypoints-body')) ?? '', /^Running: “the chair” · \d+\.\d s$/);
    await page.waitForTimeout(1200);
    assert.match((await page.textContent('#query-send')) ?? '', /Cancel · [1-9]\.\d s/, 'the time counts on');
    const cancelled = nextResult(demo.bridge);
    await page.click('#query-send');
    const r = await cancelled;
    assert.equal(r.status, 'cancelled');
    await until(page, `document.querySelector('#query-send').textContent.trim() === 'Point'`, WAIT_MS);
    assert.equal(await page.isHidden('#live-busy'), true);
    assert.match((await page.textContent('#notice')) ?? '', /^Cancelled while asking the model \(by the operator \(console client \d+\)\)\.$/);
  });
});

test('6: the model text opens and stays open while the page redraws', opts, async () => {
  const demo = await demoConsole({ pointer: instantPointer() });
  await withPage(demo, async (page) => {
    await page.fill('#query-text', 'the chair');
    await page.click('#query-send');
    const raw = page.locator('#history li.req[data-status="ok"] details.raw').first();
    await raw.waitFor({ timeout: WAIT_MS });
    await raw.locator('summary').click();
    assert.equal(await raw.evaluate((d) => (d as unknown as { open: boolean }).open), true);
    // Another request redraws the history (accepted, progress, result).
    const next = nextResult(demo.bridge);
    await clickPixel(page, 300, 250);
    await next;
    await page.waitForSelector('#history li.req:nth-child(2)', { timeout: WAIT_MS });
    await page.waitForTimeout(300);
    assert.equal(await page.locator('#history details.raw[open]').count(), 1, 'still open after the redraw');
    assert.match((await page.textContent('#history details.raw[open] pre')) ?? '', /<point x="51.6"/);
  });
});

test('7: history times are when the request ran, not when the page loaded', opts, async () => {
  const demo = await demoConsole();
  try {
    await new Promise((r) => setTimeout(r, 800));
    const ranAt = Date.now();
    await demo.bridge.request({ id: 'before-load', pixels: [{ u: 330, v: 260 }], mode: 'point' });
    await new Promise((r) => setTimeout(r, 2100));
    const problems: string[] = [];
    const page = await openPage(sharedBrowser(), demo.handle.url, problems);
    try {
      await page.waitForSelector('#history li.req[data-id="before-load"]', { timeout: WAIT_MS });
      // The server notes the time when the request event fires, within a few ms of ranAt.
      const [expected, expectedLate, loadClock] = await page.evaluate(
        (ms) => [ms, ms + 20, Date.now()].map((t) => new Date(t).toLocaleTimeString([], { hour12: false })),
        ranAt,
      );
      const meta = (await page.textContent('#history li.req[data-id="before-load"] .req-meta')) ?? '';
      assert.ok(meta.includes(expected!) || meta.includes(expectedLate!), `'${meta}' shows the request time ${expected}`);
      assert.ok(!meta.includes(loadClock!), `'${meta}' does not show the load time ${loadClock}`);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  } finally {
    await demo.close();
  }
});

test('8: two columns at 1024×768 with Dispatch on the first screen; one column at 820 px; screenshots', opts, async () => {
  const demo = await demoConsole();
  await withPage(
    demo,
    async (page) => {
      await clickPixel(page, 330, 260);
      await page.waitForSelector('#waypoints-body [data-action="dispatch"]', { timeout: WAIT_MS });
      await page.waitForSelector('#health .health-section', { timeout: WAIT_MS });
      await page.waitForTimeout(400);
      await screenshot(page, 'console-1440x900');
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.waitForTimeout(400);
      const live = (await page.locator('.live-card').boundingBox())!;
      const way = (await page.locator('.waypoints-card').boundingBox())!;
      assert.ok(way.x > live.x + live.width - 1, 'the waypoints sit beside the image');
      const dispatch = (await page.locator('#waypoints-body [data-action="dispatch"]').boundingBox())!;
      assert.ok(dispatch.y + dispatch.height <= 768, `Dispatch ends at ${dispatch.y + dispatch.height} px, within the first screen`);
      assert.ok(dispatch.x + dispatch.width <= 1024, 'and not scrolled off to the right');
      await screenshot(page, 'console-1024x768');
      await page.setViewportSize({ width: 820, height: 1180 });
      await page.waitForTimeout(400);
      const liveNarrow = (await page.locator('.live-card').boundingBox())!;
      const wayNarrow = (await page.locator('.waypoints-card').boundingBox())!;
      assert.ok(wayNarrow.y > liveNarrow.y + liveNarrow.height - 1, 'one column on a tablet');
      await screenshot(page, 'console-820x1180');
      // Panels collapse to their heading.
      await page.click('.health-card button.collapse');
      assert.equal(await page.isHidden('#health'), true);
    },
    { width: 1440, height: 900 },
  );
});

test('10: without a model the query box is off and says how to get one', opts, async () => {
  const demo = await demoConsole();
  await withPage(demo, async (page) => {
    await page.waitForSelector('#query-hint:not([hidden])', { timeout: WAIT_MS });
    assert.match((await page.textContent('#query-hint')) ?? '', /MOLMO_URL=http:\/\/<gpu-box>:8000 npm start/);
    assert.equal(await page.isDisabled('#query-text'), true);
    assert.equal(await page.isDisabled('#query-send'), true);
    assert.equal(await page.isEnabled('#query-mode'), true, 'clicks still work in every mode');
  });
});

test('11: keys, focus and contrast: 1/2/3, L; the confirmation takes focus, Esc closes it, Enter confirms; AA contrast in both themes; 44 px targets', opts, async () => {
  for (const scheme of ['dark', 'light'] as const) {
    const demo = await demoConsole();
    await withPage(
      demo,
      async (page) => {
        for (const [key, mode] of [['3', 'navigate'], ['1', 'point'], ['2', 'pick']] as const) {
          await page.keyboard.press(key);
          assert.equal(await page.inputValue('#query-mode'), mode, `key ${key}`);
        }
        await clickPixel(page, 330, 260);
        await page.waitForSelector('#waypoints-body [data-action="dispatch"]', { timeout: WAIT_MS });
        assert.equal(await page.getAttribute('#view-mode', 'data-mode'), 'frozen');
        await page.keyboard.press('l');
        assert.equal(await page.getAttribute('#view-mode', 'data-mode'), 'live');
        // The image and the history rows take focus.
        await page.focus('#live-canvas');
        assert.equal(await page.evaluate('document.activeElement.id'), 'live-canvas');
        await page.focus('#history li.req');
        await page.keyboard.press('Enter');
        assert.equal(await page.getAttribute('#history li.req', 'aria-selected'), 'true');

        await page.click('#waypoints-body [data-action="dispatch"]');
        await page.waitForSelector('#confirm-bar:not([hidden])', { timeout: WAIT_MS });
        assert.equal(await page.evaluate('document.activeElement.id'), 'confirm-bar', 'the dialog has focus');
        await page.keyboard.press('Escape');
        assert.equal(await page.isHidden('#confirm-bar'), true, 'Esc closes it');
        await page.click('#waypoints-body [data-action="dispatch"]');
        await page.waitForSelector('#confirm-bar:not([hidden])', { timeout: WAIT_MS });
        const dispatched = new Promise<DispatchedGoal>((resolve) => demo.bridge.once('dispatch', resolve));
        await page.keyboard.press('Enter');
        assert.equal((await dispatched).mode, 'pick', 'Enter confirms');
        await page.waitForSelector('#dispatch-notice:not([hidden])', { timeout: WAIT_MS });
        await page.waitForSelector('#health .health-section', { timeout: WAIT_MS });

        // WCAG AA (4.5:1) for the named elements, from computed styles.
        await page.keyboard.press('l');
        await page.waitForSelector('#view-mode[data-mode="live"]', { timeout: WAIT_MS });
        const named: [string, string][] = [
          ['#role-badge', 'operator pill'],
          ['#view-mode', 'live chip'],
          ['#dispatch-notice', 'warning (no robot received the goal)'],
          ['#query-hint', 'warning (no model)'],
          ['#conn-state', 'connection pill'],
          ['#waypoints-body .chip.status-ok', 'dispatched chip'],
          ['#history .chip.status-ok', 'status chip'],
          ['.live-foot', 'muted text'],
        ];
        for (const [selector, what] of named) {
          const ratio = await contrastOf(page, selector);
          assert.ok(ratio >= 4.5, `${scheme}: ${what} (${selector}) contrast ${ratio.toFixed(2)}:1 < 4.5:1`);
        }
        for (const selector of ['#query-send', '#resume-live', '#scene-fit', '#query-mode']) {
          const box = await page.locator(selector).boundingBox();
          if (box) assert.ok(box.height >= 44, `${selector} is ${box.height} px tall`);
        }
        if (scheme === 'light') await screenshot(page, 'console-light-1440x900');
      },
      undefined,
      scheme,
    );
  }
});

test('11: Dispatch and the confirm buttons are at least 44 px tall and readable', opts, async () => {
  const demo = await demoConsole();
  await withPage(demo, async (page) => {
    await clickPixel(page, 330, 260);
    const dispatch = page.locator('#waypoints-body [data-action="dispatch"]');
    await dispatch.waitFor({ timeout: WAIT_MS });
    assert.ok((await dispatch.boundingBox())!.height >= 44, 'Dispatch ≥ 44 px');
    await dispatch.click();
    for (const selector of ['#confirm-yes', '#confirm-no']) {
      assert.ok((await page.locator(selector).boundingBox())!.height >= 44, `${selector} ≥ 44 px`);
      assert.ok((await contrastOf(page, selector)) >= 4.5, `${selector} contrast`);
    }
  });
});

test('12 and 13: the dispatch says no robot received it with ROS off; the chip stops saying live when frames stop, and the badge shows the age', opts, async () => {
  const demo = await demoConsole();
  await withPage(demo, async (page) => {
    await page.waitForSelector('#frame-age:not([hidden])', { timeout: WAIT_MS });
    assert.match((await page.textContent('#frame-age')) ?? '', /^frame \d+\.\d s old( · link \d+ ms)?$/);
    await page.waitForSelector('#view-mode[data-mode="live"]', { timeout: WAIT_MS });
    await clickPixel(page, 330, 260);
    await page.click('#waypoints-body [data-action="dispatch"]');
    await page.click('#confirm-yes');
    await page.waitForSelector('#dispatch-notice:not([hidden])', { timeout: WAIT_MS });
    assert.match((await page.textContent('#dispatch-notice')) ?? '', /No robot received it: this console runs without ROS/);
    await page.waitForSelector('#health .health-section', { timeout: WAIT_MS });
    assert.match((await page.textContent('#health')) ?? '', /\d+ received, none skipped/);
    assert.doesNotMatch((await page.textContent('#health')) ?? '', /dropped \(slow link\)/);
    await page.keyboard.press('l');
    // The camera stops: the page is connected but what it shows gets old.
    demo.source.stop();
    await page.waitForSelector('#view-mode[data-mode="behind"]', { timeout: 6000 });
    assert.match((await page.textContent('#view-mode')) ?? '', /^behind \d+\.\d s$/);
    assert.equal(await page.getAttribute('#frame-age', 'data-stale'), 'true');
  });
});
