// The TF tree as RViz's TF display lists it: every frame under its parent (static edges marked), and a frame
// picker that chooses the 3D view's display frame (RViz's "fixed frame"). Frames come from the 'tf' message.
import { cleanText, el } from './dom.js';

/**
 * Renders `frames` ([{frameId, parent, isStatic}]) as a nested list into `container` and fills `picker` (a
 * <select>) with the frames; `current` is the display frame, `choose(frameId)` is called on a pick.
 */
export function renderTfTree(container, picker, fixedFrame, frames, current, choose) {
  const children = new Map();
  const known = new Set(frames.map((f) => f.frameId));
  for (const f of frames) {
    // A frame whose parent is not connected to the fixed frame hangs at the top level.
    const parent = f.parent !== null && known.has(f.parent) ? f.parent : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(f);
  }
  const item = (f) =>
    el(
      'li',
      {},
      el(
        'button',
        { type: 'button', class: `tf-frame${f.frameId === current ? ' current' : ''}`, dataset: { frame: f.frameId }, onclick: () => choose(f.frameId), title: f.isStatic ? 'static transform' : 'moving transform' },
        cleanText(f.frameId, 128),
        f.parent !== null ? el('span', { class: 'muted' }, f.isStatic ? ' · static' : ' · moving') : el('span', { class: 'muted' }, ' · root'),
      ),
      list(f.frameId),
    );
  const list = (parent) => {
    const kids = (children.get(parent) ?? []).sort((a, b) => a.frameId.localeCompare(b.frameId));
    return kids.length ? el('ul', {}, kids.map(item)) : null;
  };
  container.replaceChildren(list(null) ?? el('p', { class: 'muted' }, 'No TF frames yet.'));
  const names = [...known].sort();
  if (picker.dataset.frames !== names.join('\n')) {
    picker.replaceChildren(...names.map((name) => el('option', { value: name }, cleanText(name, 128) + (name === fixedFrame ? ' (fixed)' : ''))));
    picker.dataset.frames = names.join('\n');
  }
  picker.value = current;
}
