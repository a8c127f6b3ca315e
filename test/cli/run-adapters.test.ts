// startAdapters (run and demo): the console gets the config's preview settings, and both its URLs come back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAdapters, type Output } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config/index.js';
import { makeBridge, pushFrame, TestClient } from '../console/harness.js';

const quiet: Output = { print: () => {}, info: () => {} };

/** Starts a console from `yaml`, watches one noisy 320×240 frame as a viewer; returns hello and the frame. */
async function watchOneFrame(yaml: string) {
  const { config } = loadConfig({ env: {}, text: yaml, file: 'robot.yaml' });
  const bridge = makeBridge();
  const adapters = await startAdapters(bridge, config, null, quiet);
  let client: TestClient | null = null;
  try {
    const { consoleUrl, viewerUrl } = adapters;
    assert.ok(consoleUrl && viewerUrl);
    const token = (url: string) => /#token=([^&\s]+)$/.exec(url)![1]!;
    assert.equal(viewerUrl.split('#')[0], consoleUrl.split('#')[0]);
    assert.notEqual(token(viewerUrl), token(consoleUrl));
    client = await TestClient.connect(Number(new URL(viewerUrl).port), token(viewerUrl));
    const hello = await client.next('hello');
    pushFrame(bridge, { index: 0, width: 320, height: 240, noise: true });
    await client.waitFrames(1);
    return { hello, frame: client.frames[0]! };
  } finally {
    client?.close();
    for (const close of adapters.closers) await close();
  }
}

test('the console gets console.preview_* from the config, and run prints a watch-only viewer URL', async () => {
  const low = await watchOneFrame('console: { port: 0, preview_fps: 4, preview_max_side: 160, preview_quality: 20 }');
  assert.equal(low.hello.role, 'viewer');
  assert.equal(low.hello.config.previewFps, 4);
  assert.equal(low.hello.config.previewMaxSide, 160);
  assert.deepEqual([low.frame.header.sentWidth, low.frame.header.sentHeight], [160, 120]);

  const high = await watchOneFrame('console: { port: 0, preview_max_side: 160, preview_quality: 95 }');
  assert.equal(high.hello.config.previewFps, 10, 'the default rate');
  // The same noisy pixels at quality 95 need several times the bytes they need at 20.
  assert.ok(high.frame.bytes > 2 * low.frame.bytes, `q95 ${high.frame.bytes} B vs q20 ${low.frame.bytes} B`);
});
