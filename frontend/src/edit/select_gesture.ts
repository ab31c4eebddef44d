// The select tool's gesture: a press on a corner handle of the selection's
// box resizes it (Shift keeps its proportions), on an edge handle resizes
// it in one direction, on the rotate handle above it turns it (Shift snaps
// to 15°, edit/rotate_gesture); a press on the selection
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
  | { mode: 'resize'; corner: boolean }
  | { mode: 'rotate' }
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

  /**
   * start begins at board point b; pick is the hit radius in board units;
   * lasso: a drag on empty board draws a loop. reach, when given, is how
   * far from a handle a press still takes it (a finger's, handleReach).
   */
  start(b: XY, pick: number, shift: boolean, alt = false, lasso = false, reach?: number): void {
    const ed = this.editor;
    const box = ed.selectionBounds();
    const r = HANDLE_PICK * pick;
    const handle = ed.selection.length ? handleAt(box, b, reach === undefined ? r : handleReach(box, reach, r), ROTATE_HANDLE_PICKS * pick, r) : null;
    if (handle?.kind === 'rotate') {
      ed.arrange.rotateStart(b);
      this.g = { mode: 'rotate' };
      return;
    }
    if (handle) {
      ed.arrange.resizeStart(handle.anchor, handle.handle);
      this.g = { mode: 'resize', corner: handle.corner };
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
      // An edge handle resizes one way only: Shift keeps nothing to keep.
      this.editor.arrange.resizeTo(last, shift && g.corner);
    } else if (g?.mode === 'rotate') {
      this.editor.arrange.rotateTo(last, shift);
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
    if (g?.mode === 'resize' || g?.mode === 'rotate') this.editor.arrange.resizeEnd();
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

/**
 * The rotate handle is this many hit radii above the middle of the box's
 * top (ui/decor draws it there: 4 × 6 CSS pixels).
 */
export const ROTATE_HANDLE_PICKS = 4;

/** Handle is a handle of the selection's box: the rotate handle, or a resize handle and the point opposite it that stays. */
export type Handle = { readonly kind: 'rotate' } | { readonly kind: 'resize'; readonly handle: XY; readonly anchor: XY; readonly corner: boolean };

/**
 * handleReach is how far from a handle a press takes it, given the reach
 * wanted (a finger's 44 px target is 22 px each way) and the reach a
 * mouse gets (min): no more than a quarter of the box's shorter side, so
 * a small selection keeps a middle to drag it by, and never less than min.
 */
export function handleReach(box: Rect, want: number, min: number): number {
  return Math.max(min, Math.min(want, (Math.min(box.maxX - box.minX, box.maxY - box.minY) / 4)));
}

/**
 * handleAt returns the handle of box within r of p, or null: the rotate
 * handle (above, rotateOffset from the top's middle, taken within
 * rotateR: it sits that close to the top edge's handle), a corner (the
 * anchor the opposite corner), or the middle of an edge (the anchor the
 * middle of the opposite edge, on the same line: that way does not scale).
 */
export function handleAt(box: Rect, p: XY, r: number, rotateOffset = 0, rotateR = r): Handle | null {
  if (!(box.maxX >= box.minX)) return null;
  const cx = (box.minX + box.maxX) / 2;
  const cy = (box.minY + box.maxY) / 2;
  if (rotateOffset > 0 && Math.abs(p.x - cx) <= rotateR && Math.abs(p.y - (box.minY - rotateOffset)) <= rotateR) return { kind: 'rotate' };
  for (const [hx, ax] of [
    [box.minX, box.maxX],
    [box.maxX, box.minX],
  ]) {
    for (const [hy, ay] of [
      [box.minY, box.maxY],
      [box.maxY, box.minY],
    ]) {
      if (Math.abs(p.x - hx) <= r && Math.abs(p.y - hy) <= r) return { kind: 'resize', handle: { x: hx, y: hy }, anchor: { x: ax, y: ay }, corner: true };
    }
  }
  // Edge handles only where the box is big enough to tell them from the corners.
  if (box.maxX - box.minX > 4 * r) {
    for (const [hy, ay] of [
      [box.minY, box.maxY],
      [box.maxY, box.minY],
    ]) {
      if (Math.abs(p.x - cx) <= r && Math.abs(p.y - hy) <= r) return { kind: 'resize', handle: { x: cx, y: hy }, anchor: { x: cx, y: ay }, corner: false };
    }
  }
  if (box.maxY - box.minY > 4 * r) {
    for (const [hx, ax] of [
      [box.minX, box.maxX],
      [box.maxX, box.minX],
    ]) {
      if (Math.abs(p.x - hx) <= r && Math.abs(p.y - cy) <= r) return { kind: 'resize', handle: { x: hx, y: cy }, anchor: { x: ax, y: cy }, corner: false };
    }
  }
  return null;
}
