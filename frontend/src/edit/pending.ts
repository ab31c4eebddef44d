// What our unacknowledged ops do to the board we show: an erase shows at
// once, not when the server echoes it. Pure: computed from the outbox.

import type { OutboxEntry } from '../net/outbox';
import { SELF } from './history';

export interface PendingView {
  /** Stroke key ("author:stroke", own strokes with author SELF) -> hidden. */
  readonly hidden: ReadonlyMap<string, boolean>;
  /** uid of the last pending Clear, 0 when none: strokes begun before it are gone. */
  readonly clearUid: number;
}

export const NO_PENDING: PendingView = { hidden: new Map(), clearUid: 0 };

/** pendingView folds the pending Erase, Restore and Clear ops, head first. */
export function pendingView(entries: readonly OutboxEntry[]): PendingView {
  let hidden: Map<string, boolean> | null = null;
  let clearUid = 0;
  for (const e of entries) {
    const op = e.op;
    if (op.type === 'erase' || op.type === 'restore') {
      hidden ??= new Map();
      for (const id of op.strokes) hidden.set(id.author + ':' + id.stroke, op.type === 'erase');
    } else if (op.type === 'clear') {
      clearUid = e.uid;
      hidden = null; // the clear removes every stroke named so far
    }
  }
  return hidden || clearUid ? { hidden: hidden ?? new Map(), clearUid } : NO_PENDING;
}

/** displayKey is the key of stroke (author, n) in a PendingView, given our author id. */
export function displayKey(author: number, stroke: number, me: number): string {
  return (author === me && me !== 0 ? SELF : author) + ':' + stroke;
}
