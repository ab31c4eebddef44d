// Undo and redo of this person's own actions. Pure: every function returns
// a new History and the op to send; none changes its input.
//
//	action         undo sends          redo sends
//	draw stroke n  Erase (me, n)       Restore (me, n)
//	erase S        Restore S           Erase S
//
// Own strokes are named with author SELF (0): the author id is not known
// before the first Welcome, and the op is encoded with the real one.

import { MAX_STROKES_PER_OP, type Op, type StrokeId } from '../protocol/types';

/** SELF stands for this client's author id in stroke names. */
export const SELF = 0;

export type Action =
  | { readonly kind: 'stroke'; readonly stroke: number }
  | { readonly kind: 'erase'; readonly strokes: readonly StrokeId[] };

export interface History {
  readonly done: readonly Action[];
  readonly undone: readonly Action[];
}

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

/** undo returns the history after undoing the last action and the ops that do it. */
export function undo(h: History): { history: History; ops: Op[] } {
  const a = h.done[h.done.length - 1];
  if (!a) return { history: h, ops: [] };
  return {
    history: { done: h.done.slice(0, -1), undone: [...h.undone, a] },
    ops: a.kind === 'stroke' ? visibilityOps('erase', [{ author: SELF, stroke: a.stroke }]) : visibilityOps('restore', a.strokes),
  };
}

/** redo returns the history after redoing the last undone action and the ops that do it. */
export function redo(h: History): { history: History; ops: Op[] } {
  const a = h.undone[h.undone.length - 1];
  if (!a) return { history: h, ops: [] };
  return {
    history: { done: [...h.done, a], undone: h.undone.slice(0, -1) },
    ops: a.kind === 'stroke' ? visibilityOps('restore', [{ author: SELF, stroke: a.stroke }]) : visibilityOps('erase', a.strokes),
  };
}

/** visibilityOps builds Erase or Restore ops for ids, split at the protocol's limit. */
export function visibilityOps(type: 'erase' | 'restore', ids: readonly StrokeId[]): Op[] {
  const ops: Op[] = [];
  for (let i = 0; i < ids.length; i += MAX_STROKES_PER_OP) {
    ops.push({ type, strokes: ids.slice(i, i + MAX_STROKES_PER_OP) });
  }
  return ops;
}
