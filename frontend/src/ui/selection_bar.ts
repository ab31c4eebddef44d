// The selection's action bar: delete, duplicate, bring to front, send to
// back and copy as buttons beside the selection, for a phone or tablet
// without a keyboard (those are keyboard shortcuts otherwise), as
// Excalidraw and tldraw show them. The page says where the selection is on
// the screen each frame (page/selection_actions); geometry/bar_place says
// where the bar goes.
//
// Paste is not here: it is wanted with nothing selected too. Reading the
// clipboard from a button needs the clipboard-read permission, which the
// page's Permissions-Policy denies (server/security_headers.go); the
// toolbar's Paste button (in its More menu on a phone) pastes what was last
// copied instead (page/clipboard_control), and Ctrl/⌘+V the clipboard.
//
// Desktop keeps the bar too, as Excalidraw does: it shows a mouse user
// what can be done with a selection, it sits clear of the handles and
// hides while anything is dragged, so it is never in a drag's way.

import type { Box } from '../geometry/free_area';
import { placeBar, type BarSize } from '../geometry/bar_place';
import { h, ICONS } from './dom';
import { isApple, keyText } from './key_caps';
import { button } from './tb_button';

/** BarAction is what a button of the bar does. */
export type BarAction = 'delete' | 'duplicate' | 'front' | 'back' | 'copy';

/** BUTTONS: the bar's buttons, in order: action, label, the shortcut's keys (as input/shortcuts writes them), icon. */
const BUTTONS: ReadonlyArray<readonly [BarAction, string, string, string]> = [
  ['duplicate', 'Duplicate', 'Ctrl+D', ICONS.duplicate],
  ['copy', 'Copy', 'Ctrl+C', ICONS.copy],
  ['front', 'Bring to front', ']', ICONS.front],
  ['back', 'Send to back', '[', ICONS.back],
  ['delete', 'Delete', 'Delete / Backspace', ICONS.trash],
];

export class SelectionBar {
  readonly el: HTMLElement;
  /** The bar's size, measured when it is first shown (null: not yet, or it may have changed while hidden). */
  private size: BarSize | null = null;

  constructor(act: (a: BarAction) => void, apple = isApple(navigator)) {
    this.el = h('div', { class: 'selection-bar', role: 'toolbar', 'aria-label': 'Selection', 'data-testid': 'selection-bar', hidden: true });
    for (const [a, label, keys, icon] of BUTTONS) {
      const b = button(`sel-${a}`, `${label} (${keyText(keys, apple)})`, icon);
      b.addEventListener('click', () => act(a));
      this.el.append(b);
    }
  }

  /** update shows the bar beside sel (a screen box) within the free area, or hides it (sel null); area is asked for only when shown. */
  update(sel: Box | null, area: () => Box): void {
    if (!sel) {
      if (!this.el.hidden) {
        this.el.hidden = true;
        // A phone turned or a coarse pointer plugged in while hidden: measured again.
        this.size = null;
      }
      return;
    }
    const free = area();
    if (this.el.hidden) this.el.hidden = false;
    this.size ??= { w: this.el.offsetWidth, h: this.el.offsetHeight };
    const at = placeBar(sel, this.size, free);
    this.el.style.transform = `translate(${Math.round(at.x)}px, ${Math.round(at.y)}px)`;
  }
}
