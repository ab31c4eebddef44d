// Changing what is selected without drawing: restyle it (color, opacity,
// width, fill), move it forward or back in z-order, nudge it, resize it by
// a corner handle (edit/resize_gesture). Each is one undo step of this
// person's, sent as ops anyone's strokes take (Restyle, Order, Move,
// Transform). DOM-free; the Editor owns one.
//
// What is shown changes when the room echoes the op (one round trip): our
// pending Restyle, Order and Transform ops are not laid over the board as
// pending erases and moves are (edit/pending).

import type { Board, Stroke } from '../protocol/board';
import { TOOL_ELLIPSE, TOOL_RECT, type Op, type StrokeId } from '../protocol/types';
import { moveOps, SELF, type Action } from './history';
import { orderChanges, orderOps, orderRuns, restyled, restyleOps, type StyleChange, type StyleValues } from './arrange_ops';
import { displayKey } from './pending';
import { keyOf, type ShownItem } from './shown';
import { ResizeGesture } from './resize_gesture';

export type { StyleValues } from './arrange_ops';

interface XY {
  readonly x: number;
  readonly y: number;
}

/** A resize sends Transform ops at most every this many ms while the handle moves. */
const RESIZE_EVERY_MS = 50;

/** ArrangeDeps is what the Arranger needs of the Editor. */
export interface ArrangeDeps {
  readonly readOnly: () => boolean;
  readonly selection: () => StrokeId[];
  readonly shown: () => ShownItem[];
  readonly board: () => Board;
  /** Our author id (0 before the first Welcome). */
  readonly me: () => number;
  readonly endGestures: () => void;
  readonly push: (op: Op) => number;
  readonly record: (a: Action) => void;
  readonly changed: () => void;
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
  private resizedAt = -Infinity;

  constructor(private readonly d: ArrangeDeps) {}

  /** busy is true while a handle is dragged. */
  get busy(): boolean {
    return this.resizing !== null;
  }

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
    this.d.changed();
  }

  /** resizeEnd ends the drag: the whole resize is one undo step. */
  resizeEnd(): void {
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
   * fewer, bigger steps keep the drag where the pointer says.
   */
  flush(force = false): void {
    const now = performance.now();
    if (!this.resizing || (!force && now - this.resizedAt < RESIZE_EVERY_MS)) return;
    const ops = this.resizing.step();
    if (ops.length) this.resizedAt = now;
    for (const op of ops) this.d.push(op);
  }

  /** reset forgets a drag (the board was replaced). */
  reset(): void {
    this.resizing = null;
  }

  /** centerOf is the center of the box of the points of ids as shown. */
  private centerOf(ids: readonly StrokeId[]): XY {
    const keys = new Set(ids.map(keyOf));
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const it of this.d.shown()) {
      if (!keys.has(keyOf(it.id))) continue;
      for (const p of it.stroke.points) {
        minX = Math.min(minX, p.x + it.dx);
        maxX = Math.max(maxX, p.x + it.dx);
        minY = Math.min(minY, p.y + it.dy);
        maxY = Math.max(maxY, p.y + it.dy);
      }
    }
    return minX === Infinity ? { x: 0, y: 0 } : { x: (minX + maxX) / 2, y: (minY + maxY) / 2 };
  }

  /** selectedStrokes returns the selected strokes as shown, in z-order. */
  selectedStrokes(): Stroke[] {
    const keys = new Set(this.d.selection().map(keyOf));
    return this.d.shown().filter((it) => keys.has(keyOf(it.id))).map((it) => it.stroke);
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
      if (!keys.has(keyOf(it.id))) continue;
      const s = it.stroke;
      const before: StyleValues = { color: s.color, width: s.width, filled: s.filled };
      const fillable = s.tool === TOOL_RECT || s.tool === TOOL_ELLIPSE;
      const after = restyled(before, w.parts, { color: w.color, width: w.width(s), filled: w.filled }, fillable);
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
