// The request history: every request the bridge handled (from this page, other consoles, ROS or the CLI),
// newest first, with its status, reason, per-stage timings and the raw model text.
import { clock, el, ms } from './dom.js';

const STAGES = ['snapshot', 'point', 'lift', 'transform', 'target', 'validate'];

export function renderHistory(list, entries, selectedId, { select, cancel, canCancel }) {
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
    const reason = result && result.reason ? el('div', { class: 'req-reason' }, result.reason) : null;
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
    const raw = result && result.rawText ? el('details', { class: 'raw' }, el('summary', {}, 'model text'), el('pre', {}, result.rawText)) : null;
    return el(
      'li',
      {
        class: `req${entry.id === selectedId ? ' selected' : ''}`,
        dataset: { id: entry.id, status },
        onclick: () => select(entry.id),
      },
      head,
      stageBar(entry, result),
      reason,
      extra,
      raw,
    );
  });
  list.replaceChildren(...items);
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
