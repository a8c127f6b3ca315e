// What the page tells an operator, in words: a failed result as what happened and what to do, a request's
// stage as an activity, a dispatched goal's execution, and the frame counters without transport jargon. Pure
// functions (tested in Node).
import { cleanText } from './dom.js';

/** Each stage as what the bridge was doing when a request ended there. */
const STAGE_WORDS = {
  request: 'checking the request',
  snapshot: 'taking the frame',
  point: 'pointing',
  lift: 'reading the depth',
  transform: 'transforming into the target frame (TF)',
  target: 'computing the goal',
  validate: 'checking the workspace',
};

/** What the operator can do about each status (when there is something to do). */
const NEXT_STEP = {
  stale_frame: 'that frame is gone; click the live image',
  no_frame: 'no camera frame has arrived yet; check the camera inputs under Health',
  no_depth: 'no valid depth there; click a nearby textured surface',
  no_points: 'the model found nothing; rephrase or click the image',
  model_error: 'the model server failed; see Health → Model',
  model_timeout: 'the model did not answer in time; try again',
  tf_error: 'the camera is not connected to the target frame; see Health → TF',
  out_of_workspace: 'the point is outside the allowed workspace',
};

/** Splits the bridge's "stage: message" reason. */
function splitReason(reason) {
  const m = /^([a-z]+): (.*)$/s.exec(reason ?? '');
  return m && m[1] in STAGE_WORDS ? { stage: m[1], message: m[2] } : { stage: null, message: reason ?? '' };
}

/** "stage: message" as "while <activity>: message", and the detail without the bridge's internal names. */
export function reasonInWords(result) {
  const { stage, message } = splitReason(result.reason);
  const activity = stage === 'point' && result.query === null ? 'reading the click' : stage === 'point' ? 'asking the model' : STAGE_WORDS[stage];
  return activity ? `while ${activity}: ${message}` : message;
}

/** One line for a failed result where the operator acted: what happened, then what to do. */
export function failureInWords(result) {
  const status = result.status;
  if (status === 'cancelled') {
    const { stage, message } = splitReason(result.reason);
    const by = /^cancelled by (.+)$/.exec(message);
    const activity = stage === 'point' && result.query !== null ? 'asking the model' : STAGE_WORDS[stage] ?? 'running';
    return `Cancelled while ${activity}${by ? ` (by ${by[1]})` : ''}.`;
  }
  if (status === 'bad_request' && /no pointing model is configured/.test(result.reason)) {
    return 'No model answers text queries here: click the image to point, or restart with a model (MOLMO_URL=http://<gpu-box>:8000 npm start, or model.backend: detector).';
  }
  const next = NEXT_STEP[status];
  const head = next ? `${next[0].toUpperCase()}${next.slice(1)}.` : `${status.replace(/_/g, ' ')}.`;
  return `${head} (${reasonInWords(result)})`;
}

/** The page's frame counters: what arrived, and what was skipped to keep up with a slow link. */
export function framesInWords(received, skipped) {
  return `${received} received, ${skipped === 0 ? 'none skipped' : `${skipped} skipped to keep up (slow link)`}`;
}

/** The hint under the query box, from what the server said answers queries (hello's queryBackend). */
export function queryHint(queryBackend) {
  if (queryBackend) return null;
  return 'No model answers text queries on this server (model.backend: none). Click the image to point, or restart with a Molmo server (MOLMO_URL=http://<gpu-box>:8000 npm start) or with the bundled detector (model.backend: detector, or auto without a model URL).';
}

/** A dispatched goal's execution states during which the robot can still be stopped (the page's Cancel goal). */
export const GOAL_CANCELLABLE = new Set(['sending', 'active', 'canceling']);

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/**
 * A GoalExecution report (docs/console.md, `goal_execution`) as one line for the operator: `text`, and `kind`
 * ('active' while it runs, 'good' arrived, 'warn' not driven or cancelled, 'bad' Nav2 gave up) for its colour.
 * The message is the adapter's (Nav2's error_msg when it gave one): shown cleaned, never as the lead.
 */
export function goalExecutionInWords(e) {
  const message = cleanText(e.message, 200);
  const codes = [e.statusCode !== null ? `status ${e.statusCode}` : null, e.errorCode !== null ? `error code ${e.errorCode}` : null].filter(Boolean).join(', ');
  const ended = (head, kind) => ({ text: `${head}${codes ? ` (${codes})` : ''}${message ? `: ${message}` : '.'}`, kind });
  switch (e.state) {
    case 'sending':
      return { text: `Sending to ${cleanText(e.via, 128) || 'the robot'}…`, kind: 'active' };
    case 'active': {
      const feedback = [
        e.distanceRemainingM !== null ? `${e.distanceRemainingM.toFixed(1)} m left` : null,
        e.estimatedTimeRemainingS !== null ? `about ${Math.round(e.estimatedTimeRemainingS)} s to go` : null,
        e.recoveries !== null ? plural(e.recoveries, 'recovery', 'recoveries') : null,
      ].filter(Boolean);
      return { text: feedback.length ? `Driving: ${feedback.join(' · ')}` : 'Driving: accepted, no progress report yet', kind: 'active' };
    }
    case 'canceling':
      return { text: 'Stopping: cancel requested, waiting for the robot', kind: 'active' };
    case 'succeeded':
      return ended('Arrived', 'good');
    case 'canceled':
      return ended('Cancelled before arriving', 'warn');
    case 'aborted':
      return ended('The robot gave up on the goal', 'bad');
    case 'unavailable':
      return { text: `Not driven: no navigation server answers on ${cleanText(e.via, 128) || 'the goal action'}${message ? ` (${message})` : ''}`, kind: 'warn' };
    case 'rejected':
      return { text: `Not driven: the navigation server refused the goal${message ? ` (${message})` : ''}`, kind: 'warn' };
    case 'failed':
      return { text: `Not driven: sending the goal failed${message ? ` (${message})` : ''}`, kind: 'warn' };
    default:
      return { text: `Goal ${cleanText(String(e.state), 32)}${message ? `: ${message}` : ''}`, kind: 'warn' };
  }
}
