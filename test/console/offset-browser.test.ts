// The page's "above m" box: a click in point or pick mode asks for a free-space target that far above the
// object (the request's offsetAboveM); in navigate mode the box is off. Against a real Bridge replaying the demo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PointRequest, PointResult } from '../../src/pipeline/types.js';
import { WAIT_MS, clickPixel, demoConsole, browserPerFile, openPage } from './browser-kit.js';

const { opts, browser: sharedBrowser } = browserPerFile();

test('"above m" makes a click a free-space target above the object; navigate turns it off', opts, async () => {
  const demo = await demoConsole();
  const problems: string[] = [];
  const page = await openPage(sharedBrowser(), demo.handle.url, problems);
  try {
    const requests: PointRequest[] = [];
    demo.bridge.on('request', (r: PointRequest) => requests.push(r));
    const result = new Promise<PointResult>((resolve) => demo.bridge.once('result', resolve));
    await page.selectOption('#query-mode', 'pick');
    await page.fill('#query-above', '0.3');
    await clickPixel(page, 330, 260);
    const r = await result;
    assert.equal(r.status, 'ok', r.reason);
    assert.equal(requests.at(-1)?.offsetAboveM, 0.3);
    assert.equal(r.waypoints[0]!.targetKind, 'free_space');
    await page.selectOption('#query-mode', 'navigate');
    assert.equal(await page.isDisabled('#query-above'), true, 'navigate goals lie on the floor');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await demo.close();
  }
});
