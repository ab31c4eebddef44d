// Keyboard shortcuts on the whole page, except while typing in a text field.
// Space held down (outside buttons and fields) makes a drag pan.

import { commandFor, isNudge, isTextEntry, type Command } from './shortcuts';

/** attachKeyboard calls run for every shortcut and space(held) when space goes down or up. */
export function attachKeyboard(target: Window, run: (c: Command) => void, space: (held: boolean) => void): () => void {
  let spaceHeld = false;
  const onKey = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || e.isComposing || isTextEntry(e.target)) return;
    if (e.key === ' ' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      if (e.target instanceof HTMLButtonElement) return; // space presses a focused button
      e.preventDefault();
      if (!spaceHeld) {
        spaceHeld = true;
        space(true);
      }
      return;
    }
    const c = commandFor(e);
    // Arrow keys move a focused slider (opacity) or a menu's focus.
    if (!c || (isNudge(c) && e.target instanceof HTMLElement && e.target.closest('input, select, [role="menu"], .pop') !== null)) return;
    e.preventDefault();
    run(c);
  };
  const onUp = (e: KeyboardEvent): void => {
    if (e.key === ' ' && spaceHeld) {
      spaceHeld = false;
      space(false);
    }
  };
  const onBlur = (): void => {
    if (spaceHeld) {
      spaceHeld = false;
      space(false);
    }
  };
  target.addEventListener('keydown', onKey);
  target.addEventListener('keyup', onUp);
  target.addEventListener('blur', onBlur);
  return () => {
    target.removeEventListener('keydown', onKey);
    target.removeEventListener('keyup', onUp);
    target.removeEventListener('blur', onBlur);
  };
}
