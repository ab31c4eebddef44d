// Keyboard shortcuts on the whole page, except while typing in a text field.

import { commandFor, isTextEntry, type Command } from './shortcuts';

/** attachKeyboard calls run for every shortcut; it returns a function that stops listening. */
export function attachKeyboard(target: Window, run: (c: Command) => void): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || e.isComposing || isTextEntry(e.target)) return;
    const c = commandFor(e);
    if (!c) return;
    e.preventDefault();
    run(c);
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
