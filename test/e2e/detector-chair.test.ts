// End to end on a real frame with no model server: the bundled recording → the bridge with the bundled COCO
// detector → "the chair" must give a waypoint whose pixel lies on the chair and whose depth is the chair's.
//
// The chair's region in color_00000.jpg (a white-cushioned rocking chair on a chrome frame), checked by hand:
// - outline (cushions and frame, the runners included): u 335..612, v 105..385, read off the full-size image;
// - its cushions, where the depth is the chair's and no wall shows through: the backrest u 365..475, v 120..230 and
//   the seat u 405..585, v 250..280, read off a 20-px grid print of depth_00000.png (backrest 1.81–1.89 m, seat
//   1.19–1.26 m; the wall behind the chair is 1.9–2.2 m, the floor in front of it 1.2–1.8 m below v 345).
// The chair's depth range is computed below from those cushion pixels, straight from the PNG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bridge } from '../../src/pipeline/bridge.js';
import { defaultConfig } from '../../src/pipeline/config.js';
import { DetectorPointer } from '../../src/pointing/detector/detector-pointer.js';
import { McapSource } from '../../src/sources/mcap-source.js';
import { DEMO_MCAP, depthMm, frameStamp } from './helpers.js';

const OUTLINE = { u0: 335, v0: 105, u1: 612, v1: 385 };
const CUSHIONS = [
  { u0: 365, v0: 120, u1: 475, v1: 230 },
  { u0: 405, v0: 250, u1: 585, v1: 280 },
];

test('"the chair" with the bundled detector: a waypoint on the chair, at the chair\'s depth, with its box', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'mw-detector-e2e-'));
  try {
    const config = defaultConfig();
    config.frames.target = 'map';
    config.store.maxAgeMs = 600_000; // the replay ends at once
    const bridge = new Bridge({ pointer: await DetectorPointer.load({ cacheDir }), config });
    await new McapSource({ path: DEMO_MCAP, realtime: false, loop: false }).start((e) => bridge.ingest(e));

    const r = await bridge.request({ id: 'chair', query: 'the chair', mode: 'point', frameSeq: 1 });
    assert.equal(r.status, 'ok', r.reason);
    assert.equal(r.stampNs, frameStamp(0), 'frame seq 1 is color_00000');
    const w = r.waypoints[0]!;
    const { u, v } = w.pixel;
    assert.ok(u >= OUTLINE.u0 && u <= OUTLINE.u1 && v >= OUTLINE.v0 && v <= OUTLINE.v1, `pixel (${u}, ${v}) is inside the chair's outline`);
    assert.ok(Number.isInteger(u) && Number.isInteger(v), 'the anchor is a pixel of the depth image');

    const depth = await depthMm(0);
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of CUSHIONS) {
      for (let row = c.v0; row <= c.v1; row++) {
        for (let col = c.u0; col <= c.u1; col++) {
          const z = depth.at(col, row) / 1000;
          if (z > 0) [lo, hi] = [Math.min(lo, z), Math.max(hi, z)];
        }
      }
    }
    assert.ok(lo > 1.1 && hi < 1.95, `the cushions span ${lo}..${hi} m`);
    assert.ok(w.depthM >= lo && w.depthM <= hi, `waypoint depth ${w.depthM} m is the chair's (${lo}..${hi} m)`);
    const own = depth.at(u, v) / 1000;
    assert.ok(Math.abs(own - w.depthM) < 0.03, `the pixel's own depth ${own} m agrees with the waypoint's ${w.depthM} m`);

    assert.ok(w.box, 'the box travels with the point');
    assert.ok(w.box.u0 <= u && u <= w.box.u1 && w.box.v0 <= v && v <= w.box.v1, 'the anchor lies in the box');
    const pointed = r.pixels[0]!;
    assert.deepEqual({ u: pointed.u, v: pointed.v }, { u: (w.box.u0 + w.box.u1) / 2, v: (w.box.v0 + w.box.v1) / 2 }, 'result.pixels keeps the box centre');
    assert.equal(w.label, 'chair');
    assert.match(r.model, /centernet/);

    // A query no class matches: one result, no_points, the reason says what the detector knows and what else to do.
    const unknown = await bridge.request({ id: 'unknown', query: 'the screwdriver', mode: 'point', frameSeq: 1 });
    assert.equal(unknown.status, 'no_points');
    assert.match(unknown.reason, /knows only COCO's 80 classes.*chair.*MOLMO_URL/s);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
