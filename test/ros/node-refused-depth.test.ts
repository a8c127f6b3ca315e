// Issue 14, item 5: a depth image labelled rgb8 (16UC1 bytes, so its step does not fit rgb8) is dropped by the
// subscription with a warning; the request's result must name that refusal, not "is the camera still publishing?".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { W, cameraInfoMsg, colorMsg, depthMsg, startHarness } from './harness.js';

const mislabelled = (stamp?: { sec: number; nanosec: number }) => ({ ...depthMsg(stamp), encoding: 'rgb8' });

test('depth labelled rgb8 from the start: no_frame names the refused depth input and why', async () => {
  const h = await startHarness();
  try {
    const s = h.settings.node;
    for (let i = 0; i < 3; i++) {
      h.node.inject(s.cameraInfoTopic, cameraInfoMsg());
      h.node.inject(s.colorTopic, colorMsg());
      h.node.inject(s.depthTopic, mislabelled());
    }
    const warnings = h.node.logs.filter((l) => l.level === 'warn' && l.message.includes(s.depthTopic));
    assert.equal(warnings.length, 1, 'the warning is throttled');
    const r = await h.bridge.request({ id: 'r1', query: 'the red mug', mode: 'point' });
    assert.equal(r.status, 'no_frame');
    assert.match(r.reason, /depth input refused \(3 messages, the last: \/camera\/aligned_depth_to_color\/image_raw: /);
    assert.ok(r.reason.includes(`is less than width*3 = ${W * 3} for rgb8`), r.reason);
  } finally {
    await h.close();
  }
});

test('depth turning bad after good frames: stale_frame names the refusal since the newest frame', async () => {
  const h = await startHarness({ overrides: { 'store.max_age_ms': 1 } });
  try {
    h.feedFrame();
    await new Promise((r) => setTimeout(r, 15));
    const first = await h.bridge.request({ id: 'r1', query: 'the red mug', mode: 'point' });
    assert.equal(first.status, 'stale_frame');
    assert.match(first.reason, /is the camera still publishing\?$/, 'nothing refused: the old question stands');

    h.node.inject(h.settings.node.depthTopic, mislabelled({ sec: 1_712_345_679, nanosec: 0 }));
    const r = await h.bridge.request({ id: 'r2', query: 'the red mug', mode: 'point' });
    assert.equal(r.status, 'stale_frame');
    assert.match(r.reason, /over the 1 ms limit: depth input refused \(1 message, the last: \/camera\/aligned_depth_to_color\/image_raw: sensor_msgs\/Image/);
    assert.doesNotMatch(r.reason, /still publishing/);
  } finally {
    await h.close();
  }
});
