// Undo and redo of this person's own actions. Pure: every function returns
// a new History and the ops to send; none changes its input.
//
//	action                   undo sends                     redo sends
//	draw stroke n            Erase (me, n)                  Restore (me, n)
//	  (pen, highlighter, partial eraser, shape, text)
//	erase S                  Restore S                      Erase S
//	move S by (dx, dy)       Move S by (-dx, -dy)           Move S by (dx, dy)
//	edit text n: a -> b      Text n = a                     Text n = b
//	clear (sweep n)          Unsweep (me, n)                Clear n
//	remove author (sweep n)  Unsweep (me, n)                Remove n author since
//	restyle S, order S       see edit/arrange_ops
//	resize S                 the inverse Transforms         the Transforms (edit/resize_gesture)
//	turn S by a              Rotate S by −a                 Rotate S by a
//	                         (both about S's pivot as it is then: edit/rotate_gesture)
//
// A clear and a moderator's removal are sweeps (PROTOCOL.md "Sweeps"):
// named by a number from our stroke numbering, they hide strokes and the
// Unsweep that names them shows exactly those strokes again, whoever drew
// in between. A redo sweeps again under the same name.
// Each op names the strokes it acts on, so undo stays right when others
// draw, erase or move in between: a move is undone by the opposite delta,
// not by putting strokes back where they were, and a text edit is undone at
// the text's current place (someone may have moved it since).
//
// Own strokes are named with author SELF (0): the author id is not known
// before the first Welcome, and the op is encoded with the real one.

import { MAX_STROKES_PER_OP, type Op, type StrokeId } from '../protocol/types';
import { orderOps, restyleOps, undoOrderOps, type OrderRun, type StyleChange } from './arrange_ops';
import { rotateOps } from './rotate_gesture';

/** SELF stands for this client's author id in stroke names. */
export const SELF = 0;

/** TextState is what a text edit changes. */
export interface TextState {
  readonly color: number;
  readonly size: number;
  readonly text: string;
}

export type Action =
  | { readonly kind: 'stroke'; readonly stroke: number }
  | { readonly kind: 'erase'; readonly strokes: readonly StrokeId[] }
  | { readonly kind: 'move'; readonly strokes: readonly StrokeId[]; readonly dx: number; readonly dy: number }
  | { readonly kind: 'text'; readonly stroke: number; readonly before: TextState; readonly after: TextState }
  | { readonly kind: 'clear'; readonly n: number }
  | { readonly kind: 'remove'; readonly n: number; readonly author: number; readonly since: number }
  | { readonly kind: 'restyle'; readonly parts: number; readonly changes: readonly StyleChange[] }
  /** strokes in z-order; runs: where they were. */
  | { readonly kind: 'order'; readonly strokes: readonly StrokeId[]; readonly where: number; readonly runs: readonly OrderRun[] }
  /** A turn by angle (1/100 degree) about the strokes' pivot. */
  | { readonly kind: 'rotate'; readonly strokes: readonly StrokeId[]; readonly angle: number }
  /** An action whose ops both ways were made when it was done. */
  | { readonly kind: 'ops'; readonly redo: readonly Op[]; readonly undo: readonly Op[] };

export interface History {
  readonly done: readonly Action[];
  readonly undone: readonly Action[];
}

/** Locate returns where our text n is now (its top-left), or null when it is gone. */
export type Locate = (stroke: number) => { readonly x: number; readonly y: number } | null;

/** PivotOf returns the pivot strokes turn about as they are now (the mean of their middles, edit/arrange pivotOf), or null when none is shown. */
export type PivotOf = (ids: readonly StrokeId[]) => [number, number] | null;

/** How many actions undo reaches back. */
export const HISTORY_LIMIT = 500;

export const EMPTY_HISTORY: History = { done: [], undone: [] };

/** record adds an action; it drops what could be redone. */
export function record(h: History, a: Action): History {
  const done = h.done.length >= HISTORY_LIMIT ? h.done.slice(1 - HISTORY_LIMIT) : h.done.slice();
  done.push(a);
  return { done, undone: [] };
}

export function canUndo(h: History): boolean {
  return h.done.length > 0;
}

export function canRedo(h: History): boolean {
  return h.undone.length > 0;
}

const nowhere: Locate = () => null;
const noPivot: PivotOf = () => null;

/** undo returns the history after undoing the last action and the ops that do it. */
export function undo(h: History, locate: Locate = nowhere, pivot: PivotOf = noPivot): { history: History; ops: Op[] } {
  const a = h.done[h.done.length - 1];
  if (!a) return { history: h, ops: [] };
  return { history: { done: h.done.slice(0, -1), undone: [...h.undone, a] }, ops: opsFor(a, false, locate, pivot) };
}

/** redo returns the history after redoing the last undone action and the ops that do it. */
export function redo(h: History, locate: Locate = nowhere, pivot: PivotOf = noPivot): { history: History; ops: Op[] } {
  const a = h.undone[h.undone.length - 1];
  if (!a) return { history: h, ops: [] };
  return { history: { done: [...h.done, a], undone: h.undone.slice(0, -1) }, ops: opsFor(a, true, locate, pivot) };
}

function opsFor(a: Action, forward: boolean, locate: Locate, pivot: PivotOf): Op[] {
  switch (a.kind) {
    case 'stroke':
      return visibilityOps(forward ? 'restore' : 'erase', [{ author: SELF, stroke: a.stroke }]);
    case 'erase':
      return visibilityOps(forward ? 'erase' : 'restore', a.strokes);
    case 'move':
      return moveOps(a.strokes, forward ? a.dx : -a.dx, forward ? a.dy : -a.dy);
    case 'clear':
      return [forward ? { type: 'clear', n: a.n } : { type: 'unsweep', by: SELF, n: a.n }];
    case 'remove':
      return [forward ? { type: 'remove', n: a.n, author: a.author, since: a.since } : { type: 'unsweep', by: SELF, n: a.n }];
    case 'text': {
      const at = locate(a.stroke);
      if (!at) return [];
      const t = forward ? a.after : a.before;
      return [{ type: 'text', stroke: a.stroke, color: t.color, size: t.size, x: at.x, y: at.y, text: t.text }];
    }
    case 'restyle':
      return restyleOps(a.parts, a.changes.map((c) => ({ id: c.id, v: forward ? c.after : c.before })));
    case 'order':
      return forward ? orderOps(a.strokes, a.where) : undoOrderOps(a.runs);
    case 'rotate': {
      const p = pivot(a.strokes);
      return p ? rotateOps(a.strokes, forward ? a.angle : -a.angle, p) : [];
    }
    case 'ops':
      return (forward ? a.redo : a.undo).slice();
  }
}

/** visibilityOps builds Erase or Restore ops for ids, split at the protocol's limit. */
export function visibilityOps(type: 'erase' | 'restore', ids: readonly StrokeId[]): Op[] {
  const ops: Op[] = [];
  for (let i = 0; i < ids.length; i += MAX_STROKES_PER_OP) {
    ops.push({ type, strokes: ids.slice(i, i + MAX_STROKES_PER_OP) });
  }
  return ops;
}

/** moveOps builds Move ops for ids, split at the protocol's limit; none for a zero move. */
export function moveOps(ids: readonly StrokeId[], dx: number, dy: number): Op[] {
  if (dx === 0 && dy === 0) return [];
  const ops: Op[] = [];
  for (let i = 0; i < ids.length; i += MAX_STROKES_PER_OP) {
    ops.push({ type: 'move', strokes: ids.slice(i, i + MAX_STROKES_PER_OP), dx, dy });
  }
  return ops;
}
