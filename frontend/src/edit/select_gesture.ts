// The select tool's gesture: a press on a corner handle of the selection's
// box resizes it (Shift keeps its proportions); a press on the selection
// (or on a stroke) drags it (with Alt: drags a copy of it); Shift+click adds or removes a stroke; a press
// on empty board draws a marquee that selects what it touches (Shift: in
// addition), or with the lasso tool a free-form loop that selects what it
// encloses when released (edit/lasso has the rule).

import type { Rect } from '../geometry/bounds';
import { corners } from '../geometry/shape';
import type { StrokeId } from '../protocol/types';
import type { Editor } from './editor';
import { LASSO_MIN_STEP, strokesInLoop } from './lasso';

interface XY {
  readonly x: number;
  readonly y: number;
}

type Gesture =
  | { mode: 'move'; last: XY }
  | { mode: 'resize' }
  | { mode: 'marquee'; start: XY; base: StrokeId[]; rect: Rect | null }
  | { mode: 'lasso'; base: StrokeId[]; loop: XY[] }
  | null;

export class SelectGesture {
  private g: Gesture = null;

  constructor(private readonly editor: Editor) {}

  /** marquee is the marquee's board rectangle while one is drawn, else null. */
  get marquee(): Rect | null {
    return this.g?.mode === 'marquee' ? this.g.rect : null;
  }

  /** lasso is the loop's board points while one is drawn, else null. */
  get lasso(): readonly XY[] | null {
    return this.g?.mode === 'lasso' ? this.g.loop : null;
  }

  /** start begins at board point b; pick is the hit radius in board units; lasso: a drag on empty board draws a loop. */
  start(b: XY, pick: number, shift: boolean, alt = false, lasso = false): void {
    const ed = this.editor;
    const box = ed.selectionBounds();
    const corner = ed.selection.length ? handleAt(box, b, HANDLE_PICK * pick) : null;
    if (corner) {
      ed.arrange.resizeStart(corner.anchor, corner.handle);
      this.g = { mode: 'resize' };
      return;
    }
    const hit = ed.strokeAt(b, pick);
    if (!shift && (!hit || ed.isSelected(hit)) && b.x >= box.minX && b.x <= box.maxX && b.y >= box.minY && b.y <= box.maxY) {
      // Inside the selection's box: drag the selection (Alt: a copy of it, made where it is).
      if (alt) ed.arrange.duplicate(0);
      this.g = { mode: 'move', last: b };
    } else if (hit) {
      if (shift) {
        const sel = ed.selection;
        ed.select(ed.isSelected(hit) ? sel.filter((id) => id.author !== hit.author || id.stroke !== hit.stroke) : [...sel, hit]);
        this.g = null;
      } else {
        if (!ed.isSelected(hit)) ed.select([hit]);
        if (alt) ed.arrange.duplicate(0);
        this.g = { mode: 'move', last: b };
      }
    } else {
      const base = shift ? ed.selection : [];
      if (!shift) ed.select([]);
      this.g = lasso ? { mode: 'lasso', base, loop: [b] } : { mode: 'marquee', start: b, base, rect: null };
    }
  }

  /** move goes on to board point last (through trail, the points before it, for a loop); shift keeps a resize's proportions. */
  move(last: XY, shift = false, trail: readonly XY[] = [last]): void {
    const g = this.g;
    if (g?.mode === 'resize') {
      this.editor.arrange.resizeTo(last, shift);
    } else if (g?.mode === 'move') {
      this.editor.moveBy(last.x - g.last.x, last.y - g.last.y);
      g.last = last;
    } else if (g?.mode === 'marquee') {
      g.rect = corners(g.start, last);
      this.editor.select([...g.base, ...this.editor.strokesIn(g.rect)]);
    } else if (g?.mode === 'lasso') {
      for (const p of trail) {
        const q = g.loop[g.loop.length - 1];
        if (Math.hypot(p.x - q.x, p.y - q.y) >= LASSO_MIN_STEP) g.loop.push({ x: p.x, y: p.y });
      }
    }
  }

  /** end ends the gesture; a loop selects what it encloses (only now: testing every stroke against a long loop at each move costs too much on a big board). */
  end(): void {
    const g = this.g;
    if (g?.mode === 'lasso') this.editor.select([...g.base, ...strokesInLoop(this.editor.shown(), g.loop, this.editor.extentOf)]);
    if (g?.mode === 'resize') this.editor.arrange.resizeEnd();
    this.g = null;
  }

  /** cancel ends the gesture without a loop's selection (the pointer was taken away, e.g. by a pinch). */
  cancel(): void {
    if (this.g?.mode === 'lasso') this.g = null;
    this.end();
  }
}

/** A handle is picked within this many hit radii of its corner. */
const HANDLE_PICK = 2;

/** handleAt returns the corner of box within r of p (the handle) and the corner opposite it (the anchor), or null. */
export function handleAt(box: Rect, p: XY, r: number): { handle: XY; anchor: XY } | null {
  if (!(box.maxX >= box.minX)) return null;
  for (const [hx, ax] of [
    [box.minX, box.maxX],
    [box.maxX, box.minX],
  ]) {
    for (const [hy, ay] of [
      [box.minY, box.maxY],
      [box.maxY, box.minY],
    ]) {
      if (Math.abs(p.x - hx) <= r && Math.abs(p.y - hy) <= r) return { handle: { x: hx, y: hy }, anchor: { x: ax, y: ay } };
    }
  }
  return null;
}
