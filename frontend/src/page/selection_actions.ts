// The selection's action bar (ui/selection_bar) on the page: shown with the
// select or lasso tool while something is selected and nothing is being
// dragged or typed, on a page that may change the board; its buttons do what the
// keyboard's commands do (page/key_commands), and its copy goes through the
// browser's copy event (page/clipboard_control), as Ctrl/⌘+C does.

import type { Editor } from '../edit/editor';
import { freeArea, type Box } from '../geometry/free_area';
import { isEmpty } from '../geometry/bounds';
import { toScreen, type View } from '../geometry/view';
import { selects } from '../input/shortcuts';
import { WHERE_BACK, WHERE_FRONT } from '../protocol/types';
import { SelectionBar, type BarAction } from '../ui/selection_bar';
import type { Tool } from '../ui/toolbar';

/** The panels the bar keeps clear of (page/layout): the toolbar's row, the people panel, the status, the corner's map and zoom, the follow pill, back to content. */
const PANELS = '.top, .people, .status-bar, .corner, .follow-pill, .back-to-content';

export interface SelectionActionsDeps {
  readonly editor: Editor;
  /** The decorations' element (ui/decor): the bar goes just after it, under the toolbar and its menus. */
  readonly decor: HTMLElement;
  readonly tool: () => Tool;
  readonly view: () => View;
  /** A marquee or a lasso is being drawn, or a text typed into: the bar waits. */
  readonly busy: () => boolean;
  readonly readOnly: () => boolean;
  /** Says something to the person. */
  readonly tell: (message: string) => void;
}

/** selectionActions puts the bar after the decorations; frame places (or hides) it, once per animation frame. */
export function selectionActions(d: SelectionActionsDeps): { frame(): void } {
  const { editor } = d;
  const act = (a: BarAction): void => {
    if (d.readOnly() || !selects(d.tool())) return;
    if (a === 'delete') editor.deleteSelection();
    else if (a === 'duplicate') editor.arrange.duplicate();
    else if (a === 'front' || a === 'back') editor.arrange.order(a === 'front' ? WHERE_FRONT : WHERE_BACK);
    // The browser's copy event, in this click's user activation: the clipboard's data without a permission.
    else if (document.execCommand('copy')) d.tell('Copied.');
    else d.tell('This browser did not let the page copy: press Ctrl+C.');
  };
  const bar = new SelectionBar(act);
  d.decor.after(bar.el);
  const ui = d.decor.parentElement ?? document.body;
  const area = (): Box => {
    const boxes = [...ui.querySelectorAll(PANELS)].map((el) => el.getBoundingClientRect());
    return freeArea(innerWidth, innerHeight, boxes, 8);
  };
  return {
    frame() {
      const shown = selects(d.tool()) && !d.readOnly() && editor.selection.length > 0 && !editor.busy && !d.busy();
      const r = shown ? editor.selectionBounds() : null;
      if (!r || isEmpty(r)) {
        bar.update(null, area);
        return;
      }
      const a = toScreen(d.view(), r.minX, r.minY);
      const b = toScreen(d.view(), r.maxX, r.maxY);
      bar.update({ left: a.x, top: a.y, right: b.x, bottom: b.y }, area);
    },
  };
}
