// The help panel's contents (ui/help.ts): every keyboard shortcut and
// every control of the page, as tables. Loaded when the panel first opens.

import type { Shortcut } from '../input/shortcuts';
import { h } from './dom';
import { isApple, keyParts } from './key_caps';

/** Control is a control of the page and what it does, for the help panel. */
export interface Control {
  readonly name: string;
  readonly what: string;
}

/** CONTROLS: the page's controls, in the order they sit on the screen. */
export const CONTROLS: readonly Control[] = [
  { name: 'Tools', what: 'Select, lasso (a free-form loop: selects what it encloses when released), hand, pen, highlighter, eraser, partial eraser, line, arrow, rectangle, ellipse, text, laser pointer: the buttons at the left of the toolbar' },
  { name: 'Text (T)', what: 'Click to type; Enter ends, Shift+Enter a new line. Click any text (or double-click it with Select) to type into it: the others see it as you type, and see “NAME is editing” on it (one person at a time: when two open it at once, the one who joined first keeps it). Drag the field’s corner to set the width its lines wrap to. Undo takes back your own edit' },
  { name: 'Laser pointer (K)', what: 'Drag to point: everyone sees a trail in your color fade out over about a second; it draws nothing and is not kept, in history or exports' },
  { name: 'More (⋯)', what: 'What does not fit in the toolbar on this screen: more tools, then paste (after a copy), theme, help, history, clear and share. A click on the board closes an open menu and draws nothing' },
  { name: 'Undo, redo', what: 'Take back or redo your own last change, a clear included' },
  { name: 'Clear', what: 'Clear the board for everyone, after a confirm. Everyone is told who cleared it, with an Undo for anyone who can draw; the board before it stays in history' },
  { name: 'History (the clock)', what: 'The board at any point of its life on a slider, versions marked (blue: checkpoints, red: before a clear or a removal; hover for time and authors); it grows as people draw, and at its end shows their new strokes; play replays it stroke by stroke at a chosen speed; restore as a new board (a copy with a new link; this board stays as it is); export the replay as an animated SVG; Back to live or Escape leaves' },
  { name: 'Selection handles', what: 'With something selected: drag a corner to resize (Shift keeps the proportions), the middle of an edge to make it wider or taller only, the round handle above it to turn it (Shift: in steps of 15°); everyone sees it as you drag, and each is one undo step' },
  { name: 'Selection bar', what: 'With something selected (select or lasso tool): buttons above it (below it near the top of the screen) to duplicate, copy, bring to front, send to back and delete, as the shortcuts do, for a touch screen without a keyboard; it follows the selection and hides while you drag' },
  { name: 'Paste (the clipboard)', what: 'After a copy (the bar’s Copy, Ctrl/⌘+C or X), here or in another open tab of this site: a Paste button in the toolbar (in More on a small screen) pastes that copy in the middle of the view, selected, with nothing selected too: for a touch screen without Ctrl/⌘+V (a button may not read the clipboard itself). Ctrl/⌘+V pastes what the clipboard holds' },
  { name: 'Who drew what', what: 'With the select, lasso or hand tool, point at a stroke to see who drew it and when; a selected stroke says it below the selection' },
  { name: 'Share', what: 'The edit link, the view link, the moderator link, and export as PNG (1×, 2× or 3×) or SVG, the whole board or what you see, named after the board and the date' },
  { name: 'Help, theme', what: 'This help; light or dark (the dark theme inverts the board, keeps highlighters light; exports stay as on white)' },
  { name: 'Style (the dot)', what: "The current tool's color, opacity, width and, for shapes, fill; only what applies to the tool" },
  { name: 'People (top right)', what: 'Who is on the board (viewers marked “viewing”), and your name; the dot beside it picks your color; click someone to follow them (your screen shows what theirs shows, fitted to yours; Escape, Stop or a pan or zoom of yours ends it); “Only” shows their work alone (again: everyone’s); the button folds the panel (remembered)' },
  { name: 'Moderators', what: 'A moderator link (in Share) can also “Remove” one person’s work: everything, or only the last 10 minutes’ or hour’s (each says how many strokes), in one step that the moderator can undo; everyone is told' },
  { name: 'Map (bottom right)', what: 'The minimap (click to go there) and the zoom bar: zoom out, the zoom (click: 100 %), zoom in, fit; the map button folds them (remembered)' },
  { name: 'Status (bottom left)', what: "Live, connecting or offline, and what is wrong and when the page tries again (Reconnect now tries at once). Offline you keep drawing: nothing is lost, it is sent when the connection is back, even after a reload; a board opened here before opens from its link without a network. If this browser cannot keep unsent work, the page says “Not saved on this device” and asks before the tab closes" },
  { name: 'Landing, Back to content', what: 'A first visit to a board shows its whole drawing, in the area the panels leave free; a return visit shows the view this browser last had on the board (it remembers your last 50 boards). Back to content shows when no drawing is in view: brings the whole drawing back' },
  { name: 'Big boards', what: 'With 25,000 strokes or more on the screen, the first picture (and the one after a zoom) is quick and coarse, each color drawn together; the exact one replaces it within a second or two, and you can pan and draw meanwhile' },
];

/**
 * helpTables is the panel's tables: the shortcuts, then the controls under
 * their heading. On a Mac, iPhone or iPad the shortcuts say ⌘ where they
 * are written with Ctrl: the keyboard takes either (input/shortcuts).
 */
export function helpTables(shortcuts: readonly Shortcut[], controls: readonly Control[], apple = isApple(navigator)): HTMLElement[] {
  const rows = shortcuts.map((s) => h('tr', {}, h('th', { scope: 'row' }, ...keys(s.keys, apple)), h('td', {}, s.what)));
  return [
    h('table', {}, h('tbody', {}, ...rows)),
    h('h2', { class: 'help-sub' }, 'Controls'),
    h('table', {}, h('tbody', {}, ...controls.map((c) => h('tr', {}, h('th', { scope: 'row' }, c.name), h('td', {}, c.what))))),
  ];
}

function keys(text: string, apple: boolean): Array<Node | string> {
  return keyParts(text, apple).map((p) => (typeof p === 'string' ? p : h('kbd', {}, p.kbd)));
}
