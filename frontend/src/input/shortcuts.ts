// Keyboard shortcuts, as a pure function of the key event.
//
//	P               pen
//	E               eraser
//	Ctrl/Cmd+Z      undo
//	Ctrl/Cmd+Shift+Z, Ctrl/Cmd+Y   redo

export type Command = 'pen' | 'eraser' | 'undo' | 'redo';

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** commandFor returns the command a key press means, or null. */
export function commandFor(e: KeyLike): Command | null {
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const mod = e.ctrlKey || e.metaKey;
  if (e.altKey) return null;
  if (mod) {
    if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (key === 'y' && !e.shiftKey) return 'redo';
    return null;
  }
  if (e.shiftKey) return null;
  if (key === 'p') return 'pen';
  if (key === 'e') return 'eraser';
  return null;
}

/** isTextEntry reports whether a key press belongs to a text field rather than to us. */
export function isTextEntry(target: unknown): boolean {
  if (typeof target !== 'object' || target === null || typeof (target as { tagName?: unknown }).tagName !== 'string') return false;
  const el = target as { tagName: string; isContentEditable?: boolean; type?: string };
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  return !['button', 'checkbox', 'radio', 'range', 'color', 'submit'].includes((el.type ?? '').toLowerCase());
}
