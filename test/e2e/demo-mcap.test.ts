// End to end over the bundled rosbag2 MCAP with a real HTTP Molmo double: the MCAP source feeds the bridge, the
// Molmo client asks the fake server, and the waypoint must match an independent computation from the recording's
// own files (depth PNG, intrinsics JSON, trajectory.log) within 1 mm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { Bridge } from '../../src/pipeline/bridge.js';
import { defaultConfig } from '../../src/pipeline/config.js';
import { MolmoPointer } from '../../src/pointing/molmo-client.js';
import { McapSource } from '../../src/sources/mcap-source.js';
import { startFakeMolmoServer } from '../helpers/fake-molmo-server.js';
import { DEMO_MCAP, apply, depthMm, frameStamp, intrinsics, mul, recordedStatic, trajectory } from './helpers.js';

test('a scripted Molmo answer becomes the waypoint computed independently from the recording, within 1 mm', async () => {
  // Molmo v1 points in percent of the image sent, measured from its corner: (73.4 %, 52.1 %) of 640×480 is
  // (469.76, 250.08) from the corner = pixel (469.26, 249.58) with integers at pixel centres.
  const server = await startFakeMolmoServer({ fallback: { answer: ' <point x="73.4" y="52.1" alt="chair">chair</point>' }, model: 'Molmo-7B-D-0924' });
  try {
    const config = defaultConfig();
    config.frames.target = 'map';
    config.depth.windowRadius = 0; // the pixel's own depth, so the independent maths needs no window statistics
    config.depth.minValidRatio = 0;
    config.store.maxAgeMs = 600_000; // the replay ends at once; no staleness however slow the machine is
    const bridge = new Bridge({ pointer: new MolmoPointer({ endpoints: [server.url], family: 'molmo', retries: 0 }), config });
    await new McapSource({ path: DEMO_MCAP, realtime: false, loop: false }).start((e) => bridge.ingest(e));
    assert.equal(bridge.health().inputs.synced.count, 5);

    const { fx, fy, cx, cy } = intrinsics();
    const poses = trajectory();
    const statics = await recordedStatic(DEMO_MCAP);
    const mapFromWorld = statics.find((s) => s.parent === 'map' && s.child === 'redwood_world')!.m;
    const u = 0.734 * 640 - 0.5;
    const v = 0.521 * 480 - 0.5;
    /** Independent: pinhole back-projection with the pixel's own depth, then world <- camera (trajectory.log) and
     * map <- world (the recording's /tf_static), as plain 4×4 matrices. */
    const independent = async (i: number, pu: number, pv: number) => {
      const z = (await depthMm(i)).at(Math.round(pu), Math.round(pv)) / 1000;
      assert.ok(z > 0);
      return apply(mul(mapFromWorld, poses[i]!), { x: ((pu - cx) / fx) * z, y: ((pv - cy) / fy) * z, z });
    };

    for (let seq = 1; seq <= 5; seq++) {
      const r = await bridge.request({ id: `chair-${seq}`, query: 'chair', mode: 'point', frameSeq: seq });
      assert.equal(r.status, 'ok', r.reason);
      const i = [0, 1, 2, 3, 4].find((k) => frameStamp(k) === r.stampNs);
      assert.notEqual(i, undefined, `stamp ${r.stampNs} is one of the recording's frames`);
      const expected = await independent(i!, u, v);
      const w = r.waypoints[0]!;
      const err = Math.hypot(w.point.x - expected.x, w.point.y - expected.y, w.point.z - expected.z);
      assert.ok(err < 0.001, `frame ${i}: ${JSON.stringify(w.point)} vs ${JSON.stringify(expected)} (${(err * 1000).toFixed(3)} mm)`);
      // 1 mm tells pixels apart: the point one pixel over, or half a pixel (x·W without the − 0.5), is further.
      for (const [du, dv] of [[1, 0], [0, 1], [0.5, 0.5]] as const) {
        const off = await independent(i!, u + du, v + dv);
        const miss = Math.hypot(w.point.x - off.x, w.point.y - off.y, w.point.z - off.z);
        assert.ok(miss > 0.001, `frame ${i}: shifting the pixel by (${du}, ${dv}) moves it only ${(miss * 1000).toFixed(3)} mm`);
      }
      assert.equal(w.frameId, 'map');
      assert.equal(w.label, 'chair');
      assert.equal(r.model, 'Molmo-7B-D-0924');
      assert.match(r.rawText, /<point x="73\.4"/);
    }
    // The client sent the recording's JPEG (640×480) with a prompt naming the query.
    const sent = server.requests[0]!;
    assert.match(sent.prompt ?? '', /chair/);
    const meta = await sharp(sent.image!).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 640, 480]);
  } finally {
    await server.close();
  }
});
