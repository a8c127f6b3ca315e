// A recording that yields no frame on a configured topic says so within a second, naming the topic, why, and
// what the file holds — instead of replaying in silence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeCdr, encodeCdr } from '../../src/messages/cdr.js';
import type { SourceEvent } from '../../src/pipeline/types.js';
import { McapSource } from '../../src/sources/mcap-source.js';
import type { SourceWarning } from '../../src/sources/types.js';
import { readRecording, writeRecording, type Recording } from '../../scripts/make-recording-layouts.js';
import { DEMO_MCAP, withTempDir } from './helpers.js';

const COLOR = '/camera/color/image_raw/compressed';

/** The demo with each message passed through `edit` (null drops it); channels are all kept. */
async function editedDemo(out: string, edit: (topic: string, type: string, m: Recording['messages'][number]) => Recording['messages'][number] | null): Promise<void> {
  const rec = await readRecording(DEMO_MCAP);
  const channel = new Map(rec.channels.map((c) => [c.id, c]));
  const type = new Map(rec.schemas.map((s) => [s.id, s.name]));
  const messages = rec.messages.flatMap((m) => {
    const c = channel.get(m.channelId)!;
    const edited = edit(c.topic, type.get(c.schemaId)!, m);
    return edited ? [edited] : [];
  });
  await writeRecording(rec, messages, out, 'none', true);
}

function noFrameWarnings(warnings: SourceWarning[]): SourceWarning[] {
  return warnings.filter((w) => w.message.startsWith('no frame from '));
}

test('colour frames stamped sec = -1 are skipped one by one, and the topic is reported with the reason and what the file holds', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'negative.mcap');
    await editedDemo(path, (topic, type, m) => {
      if (topic !== COLOR) return m;
      const msg = decodeCdr<{ header: { stamp: { sec: number } } }>(type, m.data);
      msg.header.stamp.sec = -1;
      return { ...m, data: encodeCdr(type, msg) };
    });
    const warnings: SourceWarning[] = [];
    const events: SourceEvent[] = [];
    await new McapSource({ path, realtime: false, onWarning: (w) => warnings.push(w) }).start((e) => events.push(e));
    assert.equal(events.filter((e) => e.kind === 'color').length, 0);
    assert.equal(events.filter((e) => e.kind === 'depth').length, 5);
    const skipped = warnings.filter((w) => w.message.startsWith('skipped message'));
    assert.equal(skipped.length, 5);
    assert.match(skipped[0]!.message, /^skipped message 0 on \/camera\/color\/image_raw\/compressed at log time \d+: its stamp -1000000000 ns is negative \(before 1970\): unset or invalid$/);
    assert.match(skipped[4]!.message, /\(further skipped messages on this topic are counted in stats\(\), not reported\)$/);
    const report = noFrameWarnings(warnings);
    assert.equal(report.length, 1, JSON.stringify(warnings));
    assert.equal(report[0]!.topic, COLOR);
    assert.match(report[0]!.message, new RegExp(
      '^no frame from /camera/color/image_raw/compressed \\(color\\) in the whole recording: all 5 message\\(s\\) read on it were skipped ' +
      '\\(last: its stamp -733333334 ns is negative \\(before 1970\\): unset or invalid\\); .*negative\\.mcap holds: ' +
      '.*/camera/color/image_raw/compressed \\(sensor_msgs/msg/CompressedImage, 5 messages\\)'));
  });
});

test('a frame topic with a channel but no messages is reported when the recording ends', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'no-depth.mcap');
    await editedDemo(path, (topic, _type, m) => (topic === '/camera/aligned_depth_to_color/image_raw' ? null : m));
    const warnings: SourceWarning[] = [];
    await new McapSource({ path, realtime: false, onWarning: (w) => warnings.push(w) }).start(() => {});
    const report = noFrameWarnings(warnings);
    assert.equal(report.length, 1, JSON.stringify(warnings));
    assert.match(report[0]!.message, /^no frame from \/camera\/aligned_depth_to_color\/image_raw \(depth\) in the whole recording: the recording ended without a message on it; .* holds: .*\/camera\/aligned_depth_to_color\/image_raw \(sensor_msgs\/msg\/Image, 0 messages\)/);
  });
});

test('a real-time replay whose frames are logged years ahead says so within a second, and stop() still ends it', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'far-ahead.mcap');
    // Log times of -1 s stored as unsigned: 2^64 - 1e9 ns, about 584 years after 1970.
    await editedDemo(path, (_topic, type, m) => {
      if (type === 'tf2_msgs/msg/TFMessage') return m;
      const far = (1n << 64n) - 1_000_000_000n + (m.logTime % 1_000_000_000n);
      return { ...m, logTime: far, publishTime: far };
    });
    const warnings: { at: number; w: SourceWarning }[] = [];
    const events: SourceEvent[] = [];
    const t0 = performance.now();
    const source = new McapSource({
      path, realtime: true, onWarning: (w) => {
        warnings.push({ at: performance.now() - t0, w });
        if (w.message.startsWith('no frame from ')) setImmediate(() => source.stop());
      },
    });
    await source.start((e) => events.push(e));
    assert.ok(performance.now() - t0 < 3000, 'stop() ended the wait');
    assert.deepEqual(events.map((e) => e.kind), ['tf', 'tf', 'tf', 'tf', 'tf', 'tf'], 'only the transforms, logged at normal times, came');
    const report = noFrameWarnings(warnings.map((x) => x.w));
    assert.deepEqual(report.map((w) => w.topic), [COLOR, '/camera/aligned_depth_to_color/image_raw', '/camera/color/camera_info']);
    const at = warnings.find((x) => x.w.message.startsWith('no frame from '))!.at;
    assert.ok(at >= 950 && at < 1800, `reported after ${at.toFixed(0)} ms`);
    assert.match(report[0]!.message, /^no frame from \/camera\/color\/image_raw\/compressed \(color\) within 1 s of the start: the replay is waiting 5\d\d\.\d years for the next message \(log time 18446744072\d+ ns\), far past the previous one; /);
  });
});

test('a looping recording whose every colour message is bad reports five skips, counts the rest, and reports the topic once', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'bad-colour.mcap');
    await editedDemo(path, (topic, _type, m) => (topic === COLOR ? { ...m, data: m.data.subarray(0, 40) } : m));
    const warnings: SourceWarning[] = [];
    const source = new McapSource({ path, realtime: false, loop: true, onWarning: (w) => warnings.push(w) });
    await source.start(() => {
      if (source.stats().passes === 4) source.stop();
    });
    assert.equal(source.stats().skipped >= 20, true, `skipped ${source.stats().skipped}`);
    assert.equal(warnings.filter((w) => w.message.startsWith('skipped message')).length, 5);
    assert.equal(noFrameWarnings(warnings).length, 1);
  });
});
