// Keyboard shortcuts: 1/2/3 pick the mode, L goes back to the live view, F fits the view; while a dispatch
// confirmation is open, Enter confirms and Esc cancels. Keys typed into a text field stay there, and a
// focused button keeps its own Enter (so Enter on "Cancel" cancels).

const TYPING = new Set(['INPUT', 'SELECT', 'TEXTAREA']);

export function installKeys(actions, target = document) {
  target.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const tag = event.target?.tagName;
    if (actions.confirmOpen()) {
      if (event.key === 'Escape') {
        event.preventDefault();
        actions.cancelConfirm();
        return;
      }
      if (event.key === 'Enter' && tag !== 'BUTTON' && !TYPING.has(tag)) {
        event.preventDefault();
        actions.confirm();
        return;
      }
    }
    if (TYPING.has(tag) || event.target?.isContentEditable) return;
    const key = event.key.toLowerCase();
    const index = ['1', '2', '3'].indexOf(key);
    if (index >= 0 && actions.modes()[index]) {
      actions.setMode(actions.modes()[index]);
    } else if (key === 'l') {
      actions.live();
    } else if (key === 'f') {
      actions.fit();
    } else {
      return;
    }
    event.preventDefault();
  });
}
