// The waypoint table of the selected result, with dispatch buttons. Dispatch needs a second, explicit step:
// the operator confirms a summary of exactly what the robot will be sent.
import { clock, el, num } from './dom.js';

export function renderWaypoints(body, caption, result, dispatched, { canDispatch, askDispatch }) {
  caption.textContent = result ? `· ${result.mode}${result.query ? ` “${result.query}”` : ''}` : '';
  if (!result) {
    body.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 9 }, 'No result selected.')));
    return;
  }
  if (result.status !== 'ok' || result.waypoints.length === 0) {
    body.replaceChildren(
      el('tr', { class: 'empty' }, el('td', { colspan: 9 }, el('span', { class: `chip status status-${result.status}` }, result.status), ' ', result.reason || 'no waypoints')),
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
    return el(
      'tr',
      { class: 'waypoint-row', dataset: { index: String(index), resultId: result.id } },
      el('td', {}, String(index + 1)),
      el('td', {}, w.label || '–'),
      el('td', { class: 'num' }, num(w.point.x)),
      el('td', { class: 'num' }, num(w.point.y)),
      el('td', { class: 'num' }, num(w.point.z)),
      el('td', { class: 'mono' }, w.frameId),
      el('td', { class: 'num' }, `${num(w.depthM, 2)} m`),
      el('td', { class: `num ${w.validRatio >= 0.7 ? 'good' : w.validRatio >= 0.3 ? 'warn' : 'bad'}` }, `${Math.round(w.validRatio * 100)}%`),
      el('td', { class: 'actions' }, action),
    );
  });
  body.replaceChildren(...rows);
}

/** The confirmation text: what, where, in which frame — the operator reads this before the robot moves. */
export function describeGoal(result, index) {
  const w = result.waypoints[index];
  const p = w.pose.position;
  const what = { point: 'point goal', pick: 'pick (grasp) pose', navigate: 'navigation goal' }[result.mode] ?? result.mode;
  return `Send ${what} #${index + 1} “${w.label || result.query || 'target'}” at (${num(p.x)}, ${num(p.y)}, ${num(p.z)}) in ${w.frameId} to the robot?`;
}
