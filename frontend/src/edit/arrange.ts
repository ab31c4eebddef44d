// Changing what is selected without drawing: restyle it (color, opacity,
// width, fill), move it forward or back in z-order, nudge it. Each is one
// undo step of this person's, sent as ops anyone's strokes take (Restyle,
// Order, Move). DOM-free; the Editor owns one.
//
// What is shown changes when the room echoes the op (one round trip): our
// pending Restyle and Order ops are not laid over the board as pending
// erases and moves are (edit/pending).

import type { Board, Stroke } from '../protocol/board';
import { TOOL_ELLIPSE, TOOL_RECT, type Op, type StrokeId } from '../protocol/types';
import { moveOps, SELF, type Action } from './history';
import { orderChanges, orderOps, orderRuns, restyled, restyleOps, type StyleChange, type StyleValues } from './arrange_ops';
import { displayKey } from './pending';
import { keyOf, type ShownItem } from './shown';

export type { StyleValues } from './arrange_ops';

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
  constructor(private readonly d: ArrangeDeps) {}

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
