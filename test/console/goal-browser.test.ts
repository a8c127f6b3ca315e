// The page shows a dispatched goal's execution (the bridge's 'goal_execution' reports, as the ROS node's Nav2
// client makes them) on the goal's row and in the history, in words, and its Cancel goal sends a cancel of the
// result id, which the server hands to the bridge's goal canceller. Against a real Bridge replaying the demo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GoalExecution } from '../../src/pipeline/types.js';
import { WAIT_MS, demoConsole, browserPerFile, openPage, screenshot } from './browser-kit.js';

const { opts, browser: sharedBrowser } = browserPerFile();

const REPORT: Omit<GoalExecution, 'atMs'> = {
  resultId: 'demo-1', waypointIndex: 0, via: '/navigate_to_pose', state: 'sending', distanceRemainingM: null, recoveries: null,
  navigationTimeS: null, estimatedTimeRemainingS: null, statusCode: null, errorCode: null, message: 'sending to /navigate_to_pose',
};

test('a dispatched goal shows its state, feedback and end in words; Cancel goal cancels it by its result id', opts, async () => {
  const demo = await demoConsole();
  const problems: string[] = [];
  const page = await openPage(sharedBrowser(), demo.handle.url, problems);
  const goalRow = '#waypoints-body tr.goal-row';
  try {
    const r = await demo.bridge.request({ id: 'demo-1', pixels: [{ u: 330, v: 260 }], mode: 'point' });
    assert.equal(r.status, 'ok', r.reason);
    demo.bridge.dispatch('demo-1', 0, 'test');
    await page.waitForSelector('#waypoints-body .chip.status-ok', { timeout: WAIT_MS });
    assert.equal(await page.locator(goalRow).count(), 0, 'no report yet: no execution row');

    demo.bridge.reportGoalExecution(REPORT);
    await page.waitForSelector(`${goalRow}[data-state="sending"]`, { timeout: WAIT_MS });
    assert.match((await page.textContent(goalRow)) ?? '', /Sending to \/navigate_to_pose…/);
    demo.bridge.reportGoalExecution({ ...REPORT, state: 'active', distanceRemainingM: 2.5, recoveries: 1, navigationTimeS: 3.5, estimatedTimeRemainingS: 7, message: 'accepted' });
    await page.waitForSelector(`${goalRow}[data-state="active"]`, { timeout: WAIT_MS });
    assert.equal((await page.textContent(`${goalRow} .goal-state`))?.trim(), 'Driving: 2.5 m left · about 7 s to go · 1 recovery');
    assert.match((await page.textContent('#history li.req[data-id="demo-1"] .req-goal')) ?? '', /^Goal #1: Driving: 2\.5 m left/, 'the history row says it too');
    await screenshot(page, 'goal-active');

    const cancelled: string[] = [];
    demo.bridge.setGoalCanceller((id) => (cancelled.push(id), true));
    await page.click(`${goalRow} [data-action="cancel-goal"]`);
    const deadline = Date.now() + WAIT_MS;
    while (cancelled.length === 0 && Date.now() < deadline) await page.waitForTimeout(50);
    assert.deepEqual(cancelled, ['demo-1'], "the page's cancel reached the goal canceller with the result id");

    demo.bridge.reportGoalExecution({ ...REPORT, state: 'canceling', message: 'cancel requested from /navigate_to_pose' });
    await page.waitForSelector(`${goalRow}[data-state="canceling"] [data-action="cancel-goal"]`, { timeout: WAIT_MS });
    demo.bridge.reportGoalExecution({ ...REPORT, state: 'aborted', statusCode: 6, errorCode: 105, message: 'Failed to make progress' });
    await page.waitForSelector(`${goalRow}[data-state="aborted"]`, { timeout: WAIT_MS });
    assert.equal(
      (await page.textContent(`${goalRow} .goal-state`))?.trim(),
      'The robot gave up on the goal (status 6, error code 105): Failed to make progress',
    );
    assert.equal(await page.getAttribute(`${goalRow} .goal-state`, 'class'), 'goal-state bad');
    assert.equal(await page.locator(`${goalRow} [data-action="cancel-goal"]`).count(), 0, 'an ended goal has nothing to cancel');

    demo.bridge.reportGoalExecution({ ...REPORT, state: 'unavailable', message: 'no action server on /navigate_to_pose after 2 s' });
    await page.waitForSelector(`${goalRow}[data-state="unavailable"]`, { timeout: WAIT_MS });
    assert.match((await page.textContent(`${goalRow} .goal-state`)) ?? '', /^Not driven: no navigation server answers on \/navigate_to_pose/);
    assert.equal(await page.getAttribute(`${goalRow} .goal-state`, 'class'), 'goal-state warn');
    assert.deepEqual(problems, [], 'the page logged no errors');
  } catch (error) {
    await page.screenshot({ path: `test-artifacts/goal-failure-${Date.now()}.png`, fullPage: true }).catch(() => {});
    throw error;
  } finally {
    demo.bridge.setGoalCanceller(null);
    await page.close();
    await demo.close();
  }
});
