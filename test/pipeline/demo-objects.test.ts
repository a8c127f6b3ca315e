// The object segment on real RGB-D: the bundled demo recording (Redwood living room, test/fixtures/README.md).
// Floor clicks used to come back with a 1 m "object" (the floor grown to segment.max_size_m); the bare-surface
// rule (docs/geometry.md, segment rule 5) gives none there, and the furniture keeps its boxes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bridge } from '../../src/pipeline/bridge.js';
import { defaultConfig } from '../../src/pipeline/config.js';
import { McapSource } from '../../src/sources/mcap-source.js';
import { DEMO_MCAP } from '../sources/helpers.js';

const CAMERA = 'camera_color_optical_frame';

test('demo recording: floor clicks grow no object, the chair and the sofa do', async () => {
  const config = defaultConfig();
  config.frames = { target: CAMERA, navigation: CAMERA, robot: CAMERA };
  const bridge = new Bridge({ pointer: null, config });
  const source = new McapSource({ path: DEMO_MCAP, realtime: false });
  let colour = 0;
  await new Promise<void>((resolve) => {
    void source.start((e) => {
      bridge.ingest(e);
      if (e.kind === 'color' && ++colour === 4) resolve();
    });
  });
  source.stop();
  const click = async (u: number, v: number) => {
    const r = await bridge.request({ id: `click-${u}-${v}`, pixels: [{ u, v }], mode: 'point' });
    assert.equal(r.status, 'ok', r.reason);
    return r.waypoints[0]!.object;
  };
  for (const [u, v] of [[320, 450], [550, 440]] as const) assert.equal(await click(u, v), null, `floor at (${u}, ${v})`);
  for (const [what, u, v, minM, maxM] of [['chair', 470, 250, 0.3, 0.8], ['sofa', 100, 400, 0.4, 1.0]] as const) {
    const object = await click(u, v);
    assert.ok(object, `${what}: an object`);
    const size = object.box.size;
    const longest = Math.max(size.x, size.y, size.z);
    assert.ok(longest >= minM && longest <= maxM, `${what}: ${JSON.stringify(size)}`);
  }
});
