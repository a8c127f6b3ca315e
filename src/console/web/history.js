// The request history: every request the bridge handled (from this page, other consoles, ROS or the CLI),
// newest first, with its status, reason, per-stage timings and the raw model text. Rows take keyboard focus
// (Enter or Space selects); an opened "model text" stays open when the list is drawn again. Each row's time is
// when the request was submitted (the server's clock), not when this page learnt of it.
import { clock, el, ms } from './dom.js';
import { goalExecutionInWords, reasonInWords } from './words.js';

const STAGES = ['snapshot', 'point', 'lift', 'transform', 'target', 'validate'];

/** `executions` (resultId -> the latest GoalExecution) adds how a dispatched goal is getting on to its row. */
export function renderHistory(list, entries, selectedId, { select, cancel, canCancel, openRaw, toggleRaw, executions = new Map() }) {
  const focusedId = list.contains(document.activeElement) ? document.activeElement.closest('li.req')?.dataset.id : null;
  const items = entries.map((entry) => {
    const result = entry.result;
    const status = result ? result.status : 'pending';
    const title = entry.query ?? (result?.query ? result.query : pixelsTitle(result) ?? entry.title ?? entry.id);
    const head = el(
      'div',
      { class: 'req-head' },
      el('span', { class: `chip status status-${status}` }, status),
      el('span', { class: 'req-title' }, title),
      el('span', { class: 'req-meta muted' }, [entry.mode ?? result?.mode, entry.atMs ? clock(entry.atMs) : null, result ? ms(result.timings.total) : null].filter(Boolean).join(' · ')),
      !result && canCancel
        ? el('button', { type: 'button', class: 'ghost small', onclick: (e) => (e.stopPropagation(), cancel(entry.id)) }, 'Cancel')
        : null,
    );
    const reason = result && result.reason ? el('div', { class: result.status === 'ok' ? 'req-reason note' : 'req-reason' }, reasonInWords(result)) : null;
    const extra = result
      ? el(
          'div',
          { class: 'req-extra muted' },
          `${result.waypoints.length} waypoint${result.waypoints.length === 1 ? '' : 's'} in ${result.targetFrame}`,
          result.frameSeq !== null ? ` · frame #${result.frameSeq}` : '',
          result.model ? ` · ${result.model}` : '',
          result.tfFallback ? ' · TF fallback (latest transform)' : '',
        )
      : null;
    const execution = executions.get(entry.id);
    const words = execution ? goalExecutionInWords(execution) : null;
    const goal = words ? el('div', { class: `req-goal ${words.kind}`, dataset: { state: execution.state } }, `Goal #${execution.waypointIndex + 1}: ${words.text}`) : null;
    let raw = null;
    if (result && result.rawText) {
      raw = el('details', { class: 'raw', open: openRaw.has(entry.id) }, el('summary', {}, 'model text'), el('pre', {}, result.rawText));
      raw.addEventListener('toggle', () => toggleRaw(entry.id, raw.open));
      // Opening the text is not a selection (which would draw the list again under the pointer).
      raw.addEventListener('click', (e) => e.stopPropagation());
    }
    return el(
      'li',
      {
        class: `req${entry.id === selectedId ? ' selected' : ''}`,
        dataset: { id: entry.id, status },
        tabindex: '0',
        'aria-selected': entry.id === selectedId ? 'true' : 'false',
        onclick: () => select(entry.id),
        onkeydown: (e) => {
          if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) {
            e.preventDefault();
            select(entry.id);
          }
        },
      },
      head,
      stageBar(entry, result),
      reason,
      extra,
      goal,
      raw,
    );
  });
  list.replaceChildren(...items);
  if (focusedId) list.querySelector(`li.req[data-id="${CSS.escape(focusedId)}"]`)?.focus();
}

function pixelsTitle(result) {
  if (!result || result.pixels.length === 0) return null;
  const p = result.pixels[0];
  return `click (${p.u.toFixed(1)}, ${p.v.toFixed(1)})${result.pixels.length > 1 ? ` +${result.pixels.length - 1}` : ''}`;
}

/** One segment per stage: width from the result's timings, or the live state from progress events. */
function stageBar(entry, result) {
  const total = result ? Math.max(result.timings.total, 1e-3) : null;
  const segments = STAGES.map((stage) => {
    const t = result?.timings[stage];
    const state = entry.stages[stage];
    const cls = t !== undefined ? 'done' : state === 'start' ? 'active' : state === 'done' ? 'done' : 'idle';
    const seg = el('span', { class: `seg seg-${stage} ${cls}`, title: `${stage}: ${t !== undefined ? ms(t) : state ?? 'not run'}` });
    // Relative widths once the timings are known; equal slots while in flight. CSSOM, not inline markup (CSP).
    seg.style.flexGrow = total && t !== undefined ? String(Math.max(t / total, 0.02)) : '1';
    return seg;
  });
  const legend = result
    ? el(
        'div',
        { class: 'stage-legend muted' },
        STAGES.filter((s) => result.timings[s] !== undefined).map((s) => el('span', {}, `${s} ${ms(result.timings[s])}`)),
      )
    : el('div', { class: 'stage-legend muted' }, el('span', {}, STAGES.find((s) => entry.stages[s] === 'start') ?? 'queued'), '…');
  return el('div', { class: 'stages' }, el('div', { class: 'stage-bar' }, segments), legend);
}
