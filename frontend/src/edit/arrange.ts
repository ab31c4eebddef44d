// Changing what is selected without drawing: restyle it (color, opacity,
// width, fill), move it forward or back in z-order, nudge it, resize it by
// a corner or edge handle (edit/resize_gesture), turn it by the rotate
// handle (edit/rotate_gesture). Each is one undo step of this person's,
// sent as ops anyone's strokes take (Restyle, Order, Move, Transform,
// Rotate). DOM-free; the Editor owns one.
//
// Restyle and Order show when the room echoes the op (one round trip); our
// pending Transform and Rotate ops are laid over the board at once, as
// pending erases and moves are (edit/pending, edit/reshape).

import type { Board, Stroke } from '../protocol/board';
import { PART_FILL, type Op, type StrokeId } from '../protocol/types';
import { moveOps, SELF, type Action } from './history';
import { orderChanges, orderOps, orderRuns, restyled, restyleOps, shownParts, type StyleChange, type StyleValues } from './arrange_ops';
import { displayKey } from './pending';
import { itemKey, keyOf, type ShownItem } from './shown';
import { ResizeGesture } from './resize_gesture';
import { RotateGesture } from './rotate_gesture';
import { shownMiddle } from '../geometry/turn';
import { PointBox } from '../geometry/bounds';
import { MAX_PASTE_OPS, clipText, parseClip, pasteOps, type ClipStroke } from './clipboard';
import type { LocalItem } from './local';
import { restoredItems } from './restored';

export type { StyleValues } from './arrange_ops';

interface XY {
  readonly x: number;
  readonly y: number;
}

/** A duplicate lands this far (board units: 10 CSS pixels at 100 %) right of and below its original. */
const DUPLICATE_OFFSET = 40;

/** A resize sends Transform ops at most every this many ms while the handle moves. */
const RESIZE_EVERY_MS = 50;

/** ArrangeDeps is what the Arranger needs of the Editor. */
export interface ArrangeDeps {
  readonly readOnly: () => boolean;
  readonly selection: () => StrokeId[];
  /** The selected items as shown, in z-order (the same array while nothing changed). */
  readonly selectedItems: () => readonly ShownItem[];
  readonly shown: () => ShownItem[];
  readonly board: () => Board;
  /** Our author id (0 before the first Welcome). */
  readonly me: () => number;
  readonly endGestures: () => void;
  readonly push: (op: Op) => number;
  readonly record: (a: Action) => void;
  readonly changed: () => void;
  /** Only the drag moved (what is shown changes when its ops go out): render the next frame. */
  readonly dragged: () => void;
  /** A new stroke number of ours. */
  readonly newStroke: () => number;
  readonly select: (ids: readonly StrokeId[]) => void;
  /** Shows one of our strokes until the room confirms it. */
  readonly addLocal: (l: LocalItem) => void;
}

/** StyleWanted says a restyle: the parts (PART_*), the color, fill, and each stroke's width (by its kind). */
export interface StyleWanted {
  readonly parts: number;
  readonly color: number;
  readonly filled: boolean;
  readonly width: (s: Stroke) => number;
}

export class Arranger {
  private resizing: ResizeGesture | null = null;
  private rotating: RotateGesture | null = null;
  private resizedAt = -Infinity;
  private selectedFor: readonly ShownItem[] | null = null;
  private selectedV: Stroke[] = [];
  /** The most ops a paste may send (edit/clipboard pasteOpsFor: the page sets it from the server's burst). */
  maxPasteOps = MAX_PASTE_OPS;
  /** Tells the person why a duplicate was refused (page/clipboard_control sets it). */
  refused: (message: string) => void = () => {};

  constructor(private readonly d: ArrangeDeps) {}

  /** busy is true while a handle is dragged. */
  get busy(): boolean {
    return this.resizing !== null || this.rotating !== null;
  }

  /** dragged returns the strokes a handle being dragged resizes or turns; null when none is. */
  get dragged(): readonly StrokeId[] | null {
    return (this.resizing ?? this.rotating)?.ids ?? null;
  }

  /** rotateStart starts dragging the rotate handle from board point p: the selection turns about its pivot. */
  rotateStart(p: XY): void {
    const d = this.d;
    const ids = d.selection();
    if (d.readOnly() || ids.length === 0) return;
    const pivot = this.pivotOf(ids);
    if (!pivot) return;
    d.endGestures();
    const first = this.selectedStrokes()[0];
    this.rotating = new RotateGesture(ids, pivot, p, first?.rot ?? 0);
  }

  /** rotateTo drags the rotate handle to board point p; snap (Shift) snaps to 15°. Ops go out at the next flush. */
  rotateTo(p: XY, snap: boolean): void {
    this.rotating?.to(p, snap);
    this.d.dragged();
  }

  /** rotateEnd ends the turn: the whole of it is one undo step. */
  rotateEnd(): void {
    const g = this.rotating;
    if (!g) return;
    this.flush(true);
    this.rotating = null;
    if (g.turned !== 0) this.d.record({ kind: 'rotate', strokes: g.ids, angle: g.turned });
    this.d.changed();
  }

  /**
   * pivotOf is the point ids turn about as shown, or null when none of them
   * is shown: the mean of the middles people see, rounded down. A text's
   * middle is the middle of its (turned) box, not the top-left corner that
   * is its center in the protocol: a Rotate turns each stroke about its
   * protocol center and carries that center around the pivot, which is the
   * same as turning the whole stroke about the pivot, so a lone text turns
   * about its middle as a lone rect does. These middles all turn about the
   * pivot too, so their mean stays where it was (up to rounding) and an
   * undo finds it where a Move someone made since has carried it
   * (PROTOCOL.md, Rotate).
   */
  readonly pivotOf = (ids: readonly StrokeId[]): [number, number] | null => {
    const keys = new Set(ids.map(keyOf));
    let sx = 0;
    let sy = 0;
    let n = 0;
    for (const it of this.d.shown()) {
      if (!keys.has(itemKey(it))) continue;
      const [x, y] = shownMiddle(it.stroke);
      sx += x + it.dx;
      sy += y + it.dy;
      n++;
    }
    if (n === 0) return null;
    return [Math.floor(sx / n), Math.floor(sy / n)];
  };

  /** resizeStart starts dragging the selection's corner handle from board point handle; anchor is the opposite corner. */
  resizeStart(anchor: XY, handle: XY): void {
    const d = this.d;
    const ids = d.selection();
    if (d.readOnly() || ids.length === 0) return;
    d.endGestures();
    this.resizing = new ResizeGesture(ids, anchor, handle, (part) => this.centerOf(part));
  }

  /** resizeTo drags the handle to board point p; keep (Shift) keeps the proportions. Ops go out at the next flush. */
  resizeTo(p: XY, keep: boolean): void {
    this.resizing?.to(p, keep);
    this.d.dragged();
  }

  /** resizeEnd ends the drag (of any handle, the rotate handle's too): the whole resize is one undo step. */
  resizeEnd(): void {
    this.rotateEnd();
    const g = this.resizing;
    if (!g) return;
    this.flush(true);
    this.resizing = null;
    const done = g.done();
    if (done) this.d.record({ kind: 'ops', ...done });
    this.d.changed();
  }

  /**
   * flush sends the drag's ops since the last time, at most every
   * RESIZE_EVERY_MS unless forced: each op rounds the points it moves, and
   * the roundings add up (to what an undo cannot take back exactly), so
   * fewer, bigger steps keep the drag where the pointer says. It returns
   * whether it sent any.
   */
  flush(force = false): boolean {
    const now = performance.now();
    const g = this.resizing ?? this.rotating;
    if (!g || (!force && now - this.resizedAt < RESIZE_EVERY_MS)) return false;
    const ops = g.step();
    if (ops.length) this.resizedAt = now;
    for (const op of ops) this.d.push(op);
    return ops.length > 0;
  }

  /** reset forgets a drag (the board was replaced). */
  reset(): void {
    this.resizing = null;
    this.rotating = null;
  }

  /** centerOf is the center of the box of the points of ids (the selection or a part of it) as shown. */
  private centerOf(ids: readonly StrokeId[]): XY {
    return this.boxOf(ids) ?? { x: 0, y: 0 };
  }

  /** boxOf is the center of the box of the points of ids (the selection or a part of it) as shown, or null when none is shown. */
  private boxOf(ids: readonly StrokeId[]): XY | null {
    // The selection's items, worked out already (they frame it): a part
    // as big is all of it, with no name made or looked up.
    const items = this.d.selectedItems();
    const keys = ids.length === items.length ? null : new Set(ids.map(keyOf));
    const box = new PointBox();
    for (const it of items) if (!keys || keys.has(itemKey(it))) box.add(it.stroke.points, it.dx, it.dy);
    return box.empty ? null : { x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2 };
  }

  /** selectedStrokes returns the selected strokes as shown, in z-order (the same array while nothing changed: asked every frame). */
  selectedStrokes(): Stroke[] {
    const items = this.d.selectedItems();
    if (this.selectedFor !== items) {
      this.selectedFor = items;
      this.selectedV = items.map((it) => it.stroke);
    }
    return this.selectedV;
  }

  /**
   * restyle gives the selection the parts of the style w names; strokes
   * it would not change are left out. It returns false when nothing
   * changed (no op, no undo step).
   */
  restyle(w: StyleWanted): boolean {
    const d = this.d;
    if (d.readOnly()) return false;
    const keys = new Set(d.selection().map(keyOf));
    const changes: StyleChange[] = [];
    for (const it of d.shown()) {
      if (!keys.has(itemKey(it))) continue;
      const s = it.stroke;
      const before: StyleValues = { color: s.color, width: s.width, filled: s.filled };
      // Only what shows: an image's color and width, or a partial eraser's color, would change nothing anyone sees.
      const parts = w.parts & shownParts(s.tool);
      const after = restyled(before, parts, { color: w.color, width: w.width(s), filled: w.filled }, (parts & PART_FILL) !== 0);
      if (after.color !== before.color || after.width !== before.width || after.filled !== before.filled) {
        changes.push({ id: it.id, before, after });
      }
    }
    if (changes.length === 0) return false;
    d.endGestures();
    for (const op of restyleOps(w.parts, changes.map((c) => ({ id: c.id, v: c.after })))) d.push(op);
    d.record({ kind: 'restyle', parts: w.parts, changes });
    d.changed();
    return true;
  }

  /**
   * order moves the selection in z-order (WHERE_FRONT, _BACK, _FORWARD,
   * _BACKWARD). Only strokes the room has are moved. It returns false when
   * the order would not change.
   */
  order(where: number): boolean {
    const d = this.d;
    if (d.readOnly()) return false;
    const me = d.me();
    const named = new Set(d.selection().map(keyOf));
    const z: StrokeId[] = [];
    const hidden = new Set<string>();
    for (const s of d.board().strokes) {
      const id = { author: s.author === me && me !== 0 ? SELF : s.author, stroke: s.stroke };
      z.push(id);
      if (s.hidden) hidden.add(displayKey(s.author, s.stroke, me));
    }
    if (!orderChanges(z, hidden, named, where)) return false;
    d.endGestures();
    const ids = z.filter((id) => named.has(keyOf(id)));
    for (const op of orderOps(ids, where)) d.push(op);
    d.record({ kind: 'order', strokes: ids, where, runs: orderRuns(z, named) });
    d.changed();
    return true;
  }

  /** copyText is the clipboard text of the selection (edit/clipboard), or null when nothing is selected. */
  copyText(): string | null {
    const keys = new Set(this.d.selection().map(keyOf));
    if (keys.size === 0) return null;
    return clipText(this.d.shown().filter((it) => keys.has(itemKey(it))));
  }

  /**
   * paste draws what clipboard text holds, centered at board point at, as
   * strokes of ours (one undo step) and selects them. It returns how many
   * strokes it drew, or a message saying why it drew none; null when the
   * text is not Sketchpad's.
   */
  paste(text: string, at: XY): number | string | null {
    const clip = parseClip(text, this.maxPasteOps);
    if (clip === null || typeof clip === 'string') return clip;
    return this.pasteClip(clip, at);
  }

  /** pasteClip draws strokes parseClip read (within maxPasteOps), as paste does; it returns how many. */
  pasteClip(clip: readonly ClipStroke[], at: XY): number {
    const d = this.d;
    if (d.readOnly() || clip.length === 0) return 0;
    d.endGestures();
    const { ops, strokes } = pasteOps(clip, at, d.newStroke);
    const uids = ops.map((op) => d.push(op));
    // Shown at once, as what we draw is (edit/restored builds the items).
    for (const l of restoredItems(ops, uids).items) d.addLocal(l);
    const ids = strokes.map((n) => ({ author: SELF, stroke: n }));
    d.record({ kind: 'ops', redo: [{ type: 'restore', strokes: ids }], undo: [{ type: 'erase', strokes: ids }] });
    d.select(ids);
    d.changed();
    return strokes.length;
  }

  /** duplicate pastes a copy of the selection offset (board units) below and to the right of it, and selects the copy. */
  duplicate(offset = DUPLICATE_OFFSET): number {
    const text = this.copyText();
    const box = this.boxOf(this.d.selection());
    if (!text || !box) return 0;
    const r = this.paste(text, { x: box.x + offset, y: box.y + offset });
    if (typeof r === 'string') this.refused(r.replace(/^Pasting/, 'Duplicating'));
    return typeof r === 'number' ? r : 0;
  }

  /** nudge moves the selection by (dx, dy) board units: one Move, one undo step. */
  nudge(dx: number, dy: number): boolean {
    const d = this.d;
    const ids = d.selection();
    if (d.readOnly() || ids.length === 0) return false;
    d.endGestures();
    for (const op of moveOps(ids, dx, dy)) d.push(op);
    d.record({ kind: 'move', strokes: ids, dx, dy });
    d.changed();
    return true;
  }
}
