// The waypoint table of the selected result, with dispatch buttons. Dispatch needs a second, explicit step:
// the operator confirms a summary of exactly what the robot will be sent. Labels are model (or other
// clients') text: shown cleaned (cleanText), isolated (<bdi>), and never before the coordinates and frame.
import { cleanText, clock, el, num } from './dom.js';
import { seconds } from './freshness.js';
import { sizeText, uncertaintyText } from './uncertainty.js';
import { GOAL_CANCELLABLE, goalExecutionInWords } from './words.js';

const COLUMNS = 8;

/**
 * The table shows what the robot is sent: the pose's position and heading (for navigate the stand-off on the
 * floor, with the object it faces on a line below), so the confirmation never sends other numbers than the row.
 * `pending` ({ title, elapsedMs }) is a request of this page still running, shown while nothing is selected.
 * `executions` (resultId -> the latest GoalExecution) puts how the dispatched goal is getting on under its row,
 * with Cancel goal (`cancelGoal(resultId)`) while the robot can still be stopped.
 */
export function renderWaypoints(body, caption, result, dispatched, { canDispatch, askDispatch, pending = null, executions = new Map(), canCancelGoal = false, cancelGoal = () => {} }) {
  // Every waypoint of a result is in its target frame: the caption names it once.
  caption.textContent = result ? `· ${result.mode}${result.query ? ` “${cleanText(result.query)}”` : ''} · in ${cleanText(result.waypoints[0]?.frameId ?? result.targetFrame, 128)}` : '';
  if (!result) {
    const text = pending ? `Running: ${cleanText(pending.title)} · ${(pending.elapsedMs / 1000).toFixed(1)} s` : 'No result selected.';
    body.replaceChildren(el('tr', { class: pending ? 'empty running' : 'empty' }, el('td', { colspan: COLUMNS }, text)));
    return;
  }
  if (result.status !== 'ok' || result.waypoints.length === 0) {
    body.replaceChildren(
      el('tr', { class: 'empty' }, el('td', { colspan: COLUMNS }, el('span', { class: `chip status status-${result.status}` }, result.status), ' ', result.reason || 'no waypoints')),
    );
    return;
  }
  const rows = result.waypoints.map((w, index) => {
    const goal = dispatched.get(`${result.id}#${index}`);
    const action = goal
      ? el('span', { class: 'chip status status-ok', title: `by ${goal.by} at ${clock(goal.atMs)}` }, 'dispatched')
      : el(
          'button',
          { type: 'button', class: 'small', disabled: !canDispatch, onclick: () => askDispatch(result, index), dataset: { action: 'dispatch' } },
          'Dispatch…',
        );
    const sent = w.pose.position;
    const row = el(
      'tr',
      { class: 'waypoint-row', dataset: { index: String(index), resultId: result.id } },
      el('td', {}, String(index + 1)),
      el('td', { class: 'label-cell' }, el('bdi', {}, cleanText(w.label) || '–')),
      el('td', { class: 'num', dataset: { axis: 'x' } }, num(sent.x)),
      el('td', { class: 'num', dataset: { axis: 'y' } }, num(sent.y)),
      el('td', { class: 'num', dataset: { axis: 'z' } }, num(sent.z)),
      el('td', { class: 'num', dataset: { axis: 'yaw' } }, result.mode === 'navigate' ? `${num(yawDegrees(w.pose.orientation), 1)}°` : '–'),
      el(
        'td',
        { class: 'num', title: 'depth along the optical axis · share of valid depth pixels around the point' },
        `${num(w.depthM, 2)} m `,
        el('span', { class: w.validRatio >= 0.7 ? 'good' : w.validRatio >= 0.3 ? 'warn' : 'bad' }, `${Math.round(w.validRatio * 100)}%`),
      ),
      el('td', { class: 'actions' }, action),
    );
    // The object's size and the point's 1σ uncertainty, when known, on a line of their own (the table stays narrow).
    const extent = [sizeText(w.object) && `object ${sizeText(w.object)}`, uncertaintyText(w.covariance) && `point ${uncertaintyText(w.covariance)}`].filter(Boolean);
    const extentRow = extent.length
      ? el('tr', { class: 'object-row muted' }, el('td', {}), el('td', { colspan: COLUMNS - 1, class: 'extent', title: "the object's box · 1σ position uncertainty along the worst direction" }, extent.join(' · ')))
      : null;
    const execution = executions.get(result.id);
    const executionRow = goal && execution?.waypointIndex === index ? goalExecutionRow(execution, canCancelGoal, cancelGoal) : null;
    if (result.mode !== 'navigate') return [row, executionRow, extentRow].filter(Boolean);
    // What is sent is the stand-off; the object it faces is context, on its own line.
    const object = el(
      'tr',
      { class: 'object-row muted' },
      el('td', {}),
      el('td', { colspan: COLUMNS - 1 }, `stand-off goal on the floor, facing the object at (${num(w.point.x)}, ${num(w.point.y)}, ${num(w.point.z)})`),
    );
    return [row, executionRow, object, extentRow].filter(Boolean);
  });
  body.replaceChildren(...rows.flat());
}

/** The dispatched goal's latest execution report under its row, and Cancel goal while it can still be stopped. */
function goalExecutionRow(execution, canCancel, cancelGoal) {
  const { text, kind } = goalExecutionInWords(execution);
  const cancel = GOAL_CANCELLABLE.has(execution.state)
    ? el('button', { type: 'button', class: 'small danger', disabled: !canCancel, onclick: () => cancelGoal(execution.resultId), dataset: { action: 'cancel-goal' } }, 'Cancel goal')
    : null;
  return el(
    'tr',
    { class: 'goal-row', dataset: { state: execution.state, kind } },
    el('td', {}),
    el('td', { colspan: COLUMNS - 2, class: `goal-state ${kind}`, title: `reported by ${cleanText(execution.via, 128)} at ${clock(execution.atMs)}` }, text),
    el('td', { class: 'actions' }, cancel),
  );
}

/** Heading about z of an orientation quaternion, degrees in (-180, 180] (the page's copy of geometry's yaw). */
export function yawDegrees(q) {
  return (Math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z)) * 180) / Math.PI;
}

const GOAL_NAMES = { point: 'point goal', pick: 'pick (grasp) pose', navigate: 'navigation goal' };

/**
 * The confirmation, most important first: what is sent, where, in which frame; then the label (model text,
 * cleaned and cut to one short line) on its own, so no label can pose as the coordinates.
 */
export function describeGoal(result, index) {
  const w = result.waypoints[index];
  const p = w.pose.position;
  const what = GOAL_NAMES[result.mode] ?? cleanText(String(result.mode), 32);
  const heading = result.mode === 'navigate' ? `, heading ${num(yawDegrees(w.pose.orientation), 1)}°` : '';
  return {
    goal: `Send ${what} #${index + 1} at (${num(p.x)}, ${num(p.y)}, ${num(p.z)})${heading} in ${cleanText(w.frameId, 128)} to the robot?`,
    label: cleanText(w.label) || cleanText(result.query ?? '') || 'target',
  };
}

/**
 * How old the goal is. `finishedAtMs` (page clock; known for results that arrived while the page was open) is
 * what the bridge's dispatch age limit (`maxAgeMs`, or null) counts; the capture stamp is compared with the
 * latest frame's (both on the camera's clock, so a replay or a clock offset between machines does not matter)
 * plus the time since that frame arrived. `latest` = { stampNs, receivedAtMs } or null.
 * Returns { text, overLimit }.
 */
export function goalAge(result, latest, finishedAtMs, nowMs, maxAgeMs = null) {
  const parts = [];
  let overLimit = false;
  if (typeof finishedAtMs === 'number') {
    const age = nowMs - finishedAtMs;
    overLimit = typeof maxAgeMs === 'number' && age > maxAgeMs;
    parts.push(`Finished ${seconds(age)} ago${typeof maxAgeMs === 'number' ? ` (dispatch limit ${seconds(maxAgeMs)})` : ''}`);
  }
  if (typeof result.stampNs === 'string' && /^-?\d+$/.test(result.stampNs) && latest && /^-?\d+$/.test(latest.stampNs)) {
    const behindMs = Number(BigInt(latest.stampNs) - BigInt(result.stampNs)) / 1e6;
    if (behindMs >= 0) {
      const frame = result.frameSeq !== null && result.frameSeq !== undefined ? `frame #${result.frameSeq}` : 'its frame';
      parts.push(`computed on ${frame}, captured ${seconds(behindMs + Math.max(0, nowMs - latest.receivedAtMs))} ago`);
    }
  }
  if (parts.length === 0) return { text: 'Age unknown.', overLimit };
  const text = parts.join('; ');
  return { text: `${text[0].toUpperCase()}${text.slice(1)}.`, overLimit };
}

/** Fills the confirmation box: the goal line, its age line, and the label last in an element that truncates. */
export function renderConfirm(box, result, index, age) {
  const { goal, label } = describeGoal(result, index);
  box.replaceChildren(
    el('div', { class: 'confirm-goal', id: 'confirm-goal' }, goal),
    el('div', { class: 'confirm-age muted', id: 'confirm-age', dataset: { over: String(age.overLimit) } }, age.text),
    el('div', { class: 'confirm-label', id: 'confirm-label' }, el('span', { class: 'muted' }, 'label '), el('bdi', { class: 'confirm-label-text', title: label }, label)),
  );
}
