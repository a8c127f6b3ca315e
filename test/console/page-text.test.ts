// The page's text helpers run in Node as well (they touch no DOM): the dispatch confirmation puts the goal,
// coordinates and frame first and the (cleaned) label apart; labels are cleaned exactly like the pointing
// layer cleans them; the age of a goal comes from capture stamps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanLabel } from '../../src/pointing/label-text.js';
import type { GoalExecution } from '../../src/pipeline/types.js';

type Result = { mode: string; query: string | null; stampNs: string | null; frameSeq: number | null; waypoints: { label: string; frameId: string; pose: { position: { x: number; y: number; z: number } } }[] };
const { cleanText } = (await import(new URL('../../src/console/web/dom.js', import.meta.url).href)) as { cleanText: (value: unknown, max?: number) => string };
const { describeGoal, goalAge } = (await import(new URL('../../src/console/web/waypoints.js', import.meta.url).href)) as {
  describeGoal: (result: Result, index: number) => { goal: string; label: string };
  goalAge: (
    result: Result,
    latest: { stampNs: string; receivedAtMs: number } | null,
    finishedAtMs: number | undefined,
    nowMs: number,
    maxAgeMs?: number | null,
  ) => { text: string; overLimit: boolean };
};

const SPOOF = 'mug\u201D at (0.412, -0.100, 0.050) in base_link to the robot?\n\u202E' + ' '.repeat(300) + '\u201Cx';

function result(label: string): Result {
  return {
    mode: 'pick',
    query: 'mug',
    stampNs: '1700000000000000000',
    frameSeq: 42,
    waypoints: [{ label, frameId: 'base_link', pose: { position: { x: 1.9, y: 0.7, z: -0.3 } } }],
  };
}

test('the page cleans labels exactly like the pointing layer', () => {
  const samples = [SPOOF, 'red\t\n mug\u0007\u0085', '\u2066cup\u2069 \u200Fleft\u202D', '\u{1F375}'.repeat(80), 'tasse \u00E0 caf\u00E9', '', '   '];
  for (const s of samples) assert.equal(cleanText(s), cleanLabel(s), JSON.stringify(s));
  assert.equal(cleanText(undefined), '');
});

test('the confirmation puts the goal, its real coordinates and frame first, and the cleaned label apart', () => {
  const { goal, label } = describeGoal(result(SPOOF), 0);
  assert.equal(goal, 'Send pick (grasp) pose #1 at (1.900, 0.700, -0.300) in base_link to the robot?');
  assert.equal(label, cleanLabel(SPOOF));
  assert.doesNotMatch(label, /[\n\u202E]| {2}/);
  assert.equal(describeGoal(result(''), 0).label, 'mug', 'no label: the query');
});

test('a goal\'s age: since it finished (what the dispatch limit counts), and since its frame was captured', () => {
  const r = result('mug');
  const latest = { stampNs: '1700000003500000000', receivedAtMs: 10_000 };
  // Capture stamp 3.5 s behind the latest frame, which arrived 0.7 s ago; the result finished 1.7 s ago.
  assert.deepEqual(goalAge(r, latest, 9_000, 10_700, 60_000), {
    text: 'Finished 1.7 s ago (dispatch limit 60 s); computed on frame #42, captured 4.2 s ago.',
    overLimit: false,
  });
  assert.deepEqual(goalAge(r, latest, 9_000, 100_000, 60_000), {
    text: 'Finished 91 s ago (dispatch limit 60 s); computed on frame #42, captured 94 s ago.',
    overLimit: true,
  });
  // A result from the history sent on connect (finish time unknown): the capture age only, no limit check.
  assert.deepEqual(goalAge(r, latest, undefined, 10_700, 60_000), { text: 'Computed on frame #42, captured 4.2 s ago.', overLimit: false });
  // No frame yet, or stamps from a restarted replay (latest before the result's): the finish time only.
  assert.equal(goalAge(r, null, 9_000, 21_500).text, 'Finished 13 s ago.');
  assert.equal(goalAge(r, { stampNs: '5', receivedAtMs: 0 }, 9_000, 9_300).text, 'Finished 0.3 s ago.');
  assert.equal(goalAge({ ...r, stampNs: null }, latest, undefined, 0).text, 'Age unknown.');
});

const words = (await import(new URL('../../src/console/web/words.js', import.meta.url).href)) as {
  failureInWords: (r: { status: string; reason: string; query: string | null }) => string;
  framesInWords: (received: number, skipped: number) => string;
  queryHint: (backend: string | null) => string | null;
  goalExecutionInWords: (e: Omit<GoalExecution, 'atMs'>) => { text: string; kind: string };
  GOAL_CANCELLABLE: Set<string>;
};
const fresh = (await import(new URL('../../src/console/web/freshness.js', import.meta.url).href)) as {
  Freshness: new () => { onPong(t: number, s: number, now: number): void; onFrame(seq: number, at: number, now: number): void; frameAgeMs(now: number): number | null; link: { rttMs: number; offsetMs: number } | null };
  viewState: (s: { connected: boolean; frameAgeMs: number | null; frozenSeq: number | null }) => { text: string; kind: string };
};

test('failures in words: what happened, what to do, then the reason with its stage as an activity', () => {
  assert.equal(
    words.failureInWords({ status: 'cancelled', reason: 'point: cancelled by the operator (console client 3)', query: 'mug' }),
    'Cancelled while asking the model (by the operator (console client 3)).',
  );
  assert.equal(
    words.failureInWords({ status: 'stale_frame', reason: 'snapshot: frame #3231 is no longer held (the store keeps #3325..#3334)', query: null }),
    'That frame is gone; click the live image. (while taking the frame: frame #3231 is no longer held (the store keeps #3325..#3334))',
  );
  assert.match(words.failureInWords({ status: 'bad_request', reason: 'request: no pointing model is configured (model.backend: none): send pixels instead of a query', query: 'x' }), /MOLMO_URL=/);
  assert.equal(words.failureInWords({ status: 'internal_error', reason: 'odd', query: null }), 'internal error. (odd)');
  assert.equal(words.framesInWords(120, 0), '120 received, none skipped');
  assert.equal(words.framesInWords(120, 3), '120 received, 3 skipped to keep up (slow link)');
  assert.equal(words.queryHint('molmo'), null);
  assert.match(words.queryHint(null)!, /MOLMO_URL=http:\/\/<gpu-box>:8000 npm start/);
});

test("a frame's age is measured on the server's clock (offset from the shortest ping round trip) and counts on", () => {
  const f = new fresh.Freshness();
  assert.equal(f.frameAgeMs(0), null);
  // The server's clock is 5000 ms ahead; the second ping had the shorter round trip (and wins).
  f.onPong(1000, 6000 + 40, 1080);
  f.onPong(2000, 7000 + 5, 2010);
  assert.deepEqual(f.link, { rttMs: 10, offsetMs: 5000 });
  // Completed on the server at 7500 (its clock) = 2500 here; arrived here at 2700; now 3000: 500 ms old.
  f.onFrame(7, 7500, 2700);
  assert.equal(f.frameAgeMs(3000), 500);
  assert.equal(f.frameAgeMs(5000), 2500, 'no new frame: the age counts on');
  assert.deepEqual(fresh.viewState({ connected: true, frameAgeMs: 500, frozenSeq: null }), { text: 'live', kind: 'live' });
  assert.deepEqual(fresh.viewState({ connected: true, frameAgeMs: 2500, frozenSeq: null }), { text: 'behind 2.5 s', kind: 'behind' });
  assert.deepEqual(fresh.viewState({ connected: true, frameAgeMs: 2500, frozenSeq: 7 }), { text: 'frame #7 (frozen)', kind: 'frozen' });
  assert.deepEqual(fresh.viewState({ connected: false, frameAgeMs: 100, frozenSeq: 7 }), { text: 'disconnected', kind: 'offline' });
});

test("a dispatched goal's execution in words: running with its feedback, the end with Nav2's codes, not driven as a warning", () => {
  const base: Omit<GoalExecution, 'atMs'> = {
    resultId: 'r', waypointIndex: 0, via: '/navigate_to_pose', state: 'active', distanceRemainingM: null, recoveries: null,
    navigationTimeS: null, estimatedTimeRemainingS: null, statusCode: null, errorCode: null, message: 'accepted by /navigate_to_pose',
  };
  const say = (e: Partial<GoalExecution>) => words.goalExecutionInWords({ ...base, ...e });
  assert.deepEqual(say({}), { text: 'Driving: accepted, no progress report yet', kind: 'active' });
  assert.equal(say({ distanceRemainingM: 0.04, recoveries: 2, estimatedTimeRemainingS: 0.4 }).text, 'Driving: 0.0 m left · about 0 s to go · 2 recoveries');
  assert.deepEqual(say({ state: 'succeeded', statusCode: 4, errorCode: 0, message: '' }), { text: 'Arrived (status 4, error code 0).', kind: 'good' });
  assert.deepEqual(say({ state: 'canceled', statusCode: 5, message: 'canceled by the console' }), { text: 'Cancelled before arriving (status 5): canceled by the console', kind: 'warn' });
  assert.deepEqual(say({ state: 'rejected', message: 'goal rejected\u202e by /navigate_to_pose' }), { text: 'Not driven: the navigation server refused the goal (goal rejected by /navigate_to_pose)', kind: 'warn' });
  assert.equal(say({ state: 'failed', message: 'send failed: timeout' }).kind, 'warn');
  assert.deepEqual([...words.GOAL_CANCELLABLE].sort(), ['active', 'canceling', 'sending']);
});
