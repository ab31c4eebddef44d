// Keyboard shortcuts, as a pure function of the key event. SHORTCUTS is the
// table the help panel shows; commandFor is what a key press means.

/** The tools, by the names their toolbar buttons carry (data-testid tool-<name>). */
export type ToolName =
  | 'select'
  | 'lasso'
  | 'hand'
  | 'pen'
  | 'highlighter'
  | 'eraser'
  | 'partial-eraser'
  | 'line'
  | 'arrow'
  | 'rect'
  | 'ellipse'
  | 'text'
  | 'laser';

export const TOOL_NAMES: readonly ToolName[] = [
  'select',
  'lasso',
  'hand',
  'pen',
  'highlighter',
  'eraser',
  'partial-eraser',
  'line',
  'arrow',
  'rect',
  'ellipse',
  'text',
  'laser',
];

/** selects reports whether tool t selects (select and lasso: a selection is kept, shown and restyled with them). */
export function selects(t: ToolName): boolean {
  return t === 'select' || t === 'lasso';
}

/** A nudge of the selection: an arrow key, -far with Shift (10× as far). */
export type Nudge = `nudge-${'left' | 'right' | 'up' | 'down'}${'' | '-far'}`;

export type Command =
  | ToolName
  | Nudge
  | 'duplicate'
  | 'front'
  | 'back'
  | 'forward'
  | 'backward'
  | 'undo'
  | 'redo'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-reset'
  | 'zoom-fit'
  | 'fill'
  | 'delete'
  | 'select-all'
  | 'escape'
  | 'help'
  | 'history';

export interface KeyLike {
  readonly key: string;
  /** The physical key (KeyboardEvent.code); optional for tests. */
  readonly code?: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

export interface Shortcut {
  /** How the keys are written in the help panel. */
  readonly keys: string;
  readonly what: string;
  readonly command?: Command;
}

/** TOOL_KEYS maps a letter (no modifier) to its tool. */
const TOOL_KEYS: Readonly<Record<string, ToolName>> = {
  v: 'select',
  h: 'hand',
  p: 'pen',
  m: 'highlighter',
  e: 'eraser',
  l: 'line',
  a: 'arrow',
  r: 'rect',
  o: 'ellipse',
  t: 'text',
  k: 'laser',
};

/** SHORTCUTS: everything the keyboard does, for the help panel. */
export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'V', what: 'Select and move (click, drag a box; Shift adds)', command: 'select' },
  { keys: 'Shift+V', what: 'Lasso: select what a free-form loop encloses (Shift adds; drag the selection to move it)', command: 'lasso' },
  { keys: 'H', what: 'Hand: pan the board', command: 'hand' },
  { keys: 'P', what: 'Pen', command: 'pen' },
  { keys: 'M', what: 'Highlighter', command: 'highlighter' },
  { keys: 'E', what: 'Eraser (whole strokes)', command: 'eraser' },
  { keys: 'Shift+E', what: 'Partial eraser (rubs out pixels)', command: 'partial-eraser' },
  { keys: 'L', what: 'Line', command: 'line' },
  { keys: 'A', what: 'Arrow', command: 'arrow' },
  { keys: 'R', what: 'Rectangle (Shift: square)', command: 'rect' },
  { keys: 'O', what: 'Ellipse (Shift: circle)', command: 'ellipse' },
  { keys: 'T', what: 'Text (Enter ends, Shift+Enter new line; click or double-click any text to type into it)', command: 'text' },
  { keys: 'K', what: 'Laser pointer: a trail the others see fade out (not drawn on the board)', command: 'laser' },
  { keys: 'F', what: 'Fill shapes on or off', command: 'fill' },
  { keys: 'Delete / Backspace', what: 'Delete the selection', command: 'delete' },
  { keys: 'Ctrl+A', what: 'Select everything', command: 'select-all' },
  { keys: 'Arrows (Shift: 10×)', what: 'Nudge the selection', command: 'nudge-right' },
  { keys: 'Ctrl+C / Ctrl+X / Ctrl+V', what: 'Copy, cut, paste (under the pointer; between boards too; a copy pastes as a picture, PNG or SVG, into other apps)' },
  { keys: 'Ctrl+V an image, drop a file, or the image button', what: 'Add an image (PNG, JPEG, GIF, WebP; SVG is refused)' },
  { keys: 'Ctrl+D, Alt+drag', what: 'Duplicate the selection (Alt+drag: and move the copy)', command: 'duplicate' },
  { keys: '] / [', what: 'Bring the selection to the front / send it to the back', command: 'front' },
  { keys: 'Ctrl+] / Ctrl+[', what: 'Bring the selection forward / send it backward one step', command: 'forward' },
  { keys: 'Style menu (select tool)', what: 'Restyle the selection: color, opacity, width, fill (F)' },
  { keys: 'Drag a corner handle (Shift: keep proportions)', what: 'Resize the selection' },
  { keys: 'Escape', what: 'Deselect, cancel, close panels', command: 'escape' },
  { keys: 'Ctrl+Z', what: 'Undo your last change', command: 'undo' },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', what: 'Redo', command: 'redo' },
  { keys: 'Space + drag, middle button, two fingers', what: 'Pan' },
  { keys: 'Ctrl + wheel, pinch', what: 'Zoom at the pointer' },
  { keys: 'Wheel (Shift: sideways)', what: 'Pan' },
  { keys: '+ / −', what: 'Zoom in / out', command: 'zoom-in' },
  { keys: '0', what: 'Zoom to 100 %', command: 'zoom-reset' },
  { keys: 'Shift+1', what: 'Fit the whole drawing into the area the panels leave free', command: 'zoom-fit' },
  { keys: 'Shift+H', what: 'History: the board at any point, timelapse, restore as a new board, export the replay', command: 'history' },
  { keys: '?', what: 'This help', command: 'help' },
];

const ARROWS: Readonly<Record<string, 'left' | 'right' | 'up' | 'down'>> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/** isNudge reports whether c is an arrow key's command (which a focused slider or field keeps for itself). */
export function isNudge(c: Command): c is Nudge {
  return c.startsWith('nudge-');
}

/** commandFor returns the command a key press means, or null. */
export function commandFor(e: KeyLike): Command | null {
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const mod = e.ctrlKey || e.metaKey;
  if (e.altKey) return null;
  const bracket = e.code === 'BracketRight' || key === ']' ? ']' : e.code === 'BracketLeft' || key === '[' ? '[' : null;
  if (bracket) return mod ? (bracket === ']' ? 'forward' : 'backward') : bracket === ']' ? 'front' : 'back';
  const arrow = ARROWS[key];
  if (arrow && !mod) return e.shiftKey ? `nudge-${arrow}-far` : `nudge-${arrow}`;
  if (mod) {
    if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (key === 'y' && !e.shiftKey) return 'redo';
    if (key === 'a' && !e.shiftKey) return 'select-all';
    if (key === 'd' && !e.shiftKey) return 'duplicate';
    return null;
  }
  if (key === '?') return 'help';
  if (e.shiftKey && (e.code === 'Digit1' || key === '!')) return 'zoom-fit';
  if (key === '+' || key === '=') return 'zoom-in';
  if (key === '-' || key === '_') return 'zoom-out';
  if (key === 'Delete' || key === 'Backspace') return 'delete';
  if (key === 'Escape') return 'escape';
  if (e.shiftKey) return key === 'e' ? 'partial-eraser' : key === 'h' ? 'history' : key === 'v' ? 'lasso' : null;
  if (key === '0') return 'zoom-reset';
  if (key === 'f') return 'fill';
  return TOOL_KEYS[key] ?? null;
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
