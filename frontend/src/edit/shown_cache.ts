// What is shown, worked out once per change instead of each time it is
// asked: a frame asks several times (the overlay, the selection's frame,
// names and style for the toolbar and the who-drew label), and on a board
// of thousands of strokes each answer is a walk over all of them. The
// Editor says when anything that decides it changed (every change it
// announces, as the renderer is told); the parts of the ShownState are
// compared too, so a state handed in anew is never answered from before.

import type { StrokeId } from '../protocol/types';
import { EMPTY_RECT, type Rect } from '../geometry/bounds';
import { itemKey, keyOf, shownItems, type ExtentOf, type ShownItem, type ShownState } from './shown';

interface Memo {
  readonly key: readonly unknown[];
  readonly items: ShownItem[];
}

/** Selected is the selection as shown: its names still shown (in the order selected), its items (in z-order), its box. */
export interface Selected {
  readonly ids: readonly StrokeId[];
  readonly items: readonly ShownItem[];
  readonly bounds: Rect;
}

const NONE: Selected = { ids: [], items: [], bounds: EMPTY_RECT };

export class ShownCache {
  /** Bumped by every change the Editor announces. */
  private gen = 0;
  private all: Memo | null = null;
  private over: Memo | null = null;
  private sel: { of: readonly StrokeId[]; keys: ReadonlySet<string>; shown: ShownItem[]; v: Selected } | null = null;

  /** changed says something that decides what is shown may have changed. */
  changed(): void {
    this.gen++;
  }

  /** items returns shownItems(st, all), the same array while nothing changed. */
  items(st: ShownState, all: boolean): ShownItem[] {
    const key = [this.gen, st.board, st.me, st.pending, st.locals, st.locals.length, st.localByN.size, st.growing, st.erasing, st.erasing?.size ?? 0, st.editingKey, st.solo ?? 0];
    const m = all ? this.all : this.over;
    if (m && m.key.length === key.length && key.every((x, i) => x === m.key[i])) return m.items;
    const v = { key, items: shownItems(st, all) };
    if (all) this.all = v;
    else this.over = v;
    return v.items;
  }

  /**
   * selected returns what of selected (names, own ones with author SELF)
   * shown holds, the same object while neither changed. Texts are framed
   * by their measured box (frame), others by their extent.
   */
  selected(selected: readonly StrokeId[], shown: ShownItem[], frame: ExtentOf): Selected {
    if (selected.length === 0) return NONE;
    const c = this.sel;
    if (c && c.of === selected && c.shown === shown) return c.v;
    const keys = c?.of === selected ? c.keys : new Set(selected.map(keyOf));
    const items: ShownItem[] = [];
    // The box in four numbers, not a rectangle per item: asked after every step of a big selection's resize.
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const it of shown) {
      if (!keys.has(itemKey(it))) continue;
      items.push(it);
      const e = frame(it.stroke);
      minX = Math.min(minX, e.minX + it.dx);
      minY = Math.min(minY, e.minY + it.dy);
      maxX = Math.max(maxX, e.maxX + it.dx);
      maxY = Math.max(maxY, e.maxY + it.dy);
    }
    const bounds = items.length === 0 ? EMPTY_RECT : { minX, minY, maxX, maxY };
    let ids = selected;
    if (items.length !== keys.size) {
      const here = new Set(items.map(itemKey));
      ids = selected.filter((id) => here.has(keyOf(id)));
    }
    const v = { ids, items, bounds };
    this.sel = { of: selected, keys, shown, v };
    return v;
  }
}
