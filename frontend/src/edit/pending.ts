// What our unacknowledged ops do to the board we show: an erase, a move, a
// resize or a turn shows at once, not when the server echoes it. Pure:
// computed from the outbox. (Our own new or edited shapes and texts are
// shown from the Editor's local copies instead.)

import type { OutboxEntry } from '../net/outbox';
import type { MoveOp, RotateOp, StrokeId, TransformOp } from '../protocol/types';
import { SELF } from './history';

/** Reshape is a pending op that changes where strokes' points are: folded over them in order (edit/reshape). */
export interface Reshape {
  readonly uid: number;
  readonly op: MoveOp | TransformOp | RotateOp;
}

/** PendingMove is one pending Move of a stroke: the op's outbox uid and its delta. */
export interface PendingMove {
  readonly uid: number;
  readonly dx: number;
  readonly dy: number;
}

export interface PendingView {
  /** Stroke key ("author:stroke", own strokes with author SELF) -> hidden. */
  readonly hidden: ReadonlyMap<string, boolean>;
  /** uid of the last pending Clear, 0 when none (or undone since): strokes begun before it are hidden. */
  readonly clearUid: number;
  /** Sweeps ("by:n", ours with by SELF) a pending Unsweep shows again. */
  readonly unswept: ReadonlySet<string>;
  /** Pending removals: an author's strokes put on the board after seq since are hidden. */
  readonly removed: readonly { readonly author: number; readonly since: number }[];
  /** Stroke key -> its pending moves, oldest first (every key a pending Transform or Rotate names is here too). */
  readonly moved: ReadonlyMap<string, readonly PendingMove[]>;
  /** The pending Moves, Transforms and Rotates in order, when any Transform or Rotate is pending; else none. */
  readonly reshapes: readonly Reshape[];
  /** The keys a pending Transform or Rotate names: shown with every reshape folded over them (edit/reshape). */
  readonly reshaped: ReadonlySet<string>;
}

export const NO_PENDING: PendingView = { hidden: new Map(), clearUid: 0, unswept: new Set(), removed: [], moved: new Map(), reshapes: [], reshaped: new Set() };

const keysOf = new WeakMap<readonly StrokeId[], readonly string[]>();

/**
 * strokeKeys returns the keys ("author:stroke") of the strokes an op
 * names, worked out once per op: the outbox is folded again at every op
 * sent or acknowledged, and a resize's ops each name a thousand strokes.
 */
export function strokeKeys(strokes: readonly StrokeId[]): readonly string[] {
  let k = keysOf.get(strokes);
  if (!k) {
    k = strokes.map((id) => id.author + ':' + id.stroke);
    keysOf.set(strokes, k);
  }
  return k;
}

/** A stroke only reshaped (no pending Move): never pushed to. */
const NO_MOVES: PendingMove[] = [];

/** pendingView folds the pending Erase, Restore, Move and Clear ops, head first. */
export function pendingView(entries: readonly OutboxEntry[]): PendingView {
  let hidden: Map<string, boolean> | null = null;
  let moved: Map<string, PendingMove[]> | null = null;
  let clearUid = 0;
  let clearN = 0;
  let unswept: Set<string> | null = null;
  let removed: { author: number; since: number }[] | null = null;
  const reshapes: Reshape[] = [];
  let reshaped: Set<string> | null = null;
  for (const e of entries) {
    const op = e.op;
    if (op.type === 'move' || op.type === 'transform' || op.type === 'rotate') reshapes.push({ uid: e.uid, op });
    if (op.type === 'transform' || op.type === 'rotate') {
      moved ??= new Map();
      reshaped ??= new Set();
      for (const key of strokeKeys(op.strokes)) {
        reshaped.add(key);
        // One shared empty list, not one per stroke: worked out again at every op a big selection's drag sends and gets back.
        if (!moved.has(key)) moved.set(key, NO_MOVES);
      }
    }
    if (op.type === 'erase' || op.type === 'restore') {
      hidden ??= new Map();
      for (const id of op.strokes) hidden.set(id.author + ':' + id.stroke, op.type === 'erase');
    } else if (op.type === 'move') {
      moved ??= new Map();
      for (const key of strokeKeys(op.strokes)) {
        const list = moved.get(key);
        const m = { uid: e.uid, dx: op.dx, dy: op.dy };
        if (list && list !== NO_MOVES) list.push(m);
        else moved.set(key, [m]);
      }
    } else if (op.type === 'clear') {
      clearUid = e.uid;
      clearN = op.n;
      unswept = null; // swept again
    } else if (op.type === 'unsweep') {
      if (op.by === SELF && op.n === clearN) clearUid = 0; // our own clear, undone before the room had it
      else (unswept ??= new Set()).add(op.by + ':' + op.n);
    } else if (op.type === 'remove') {
      (removed ??= []).push({ author: op.author, since: op.since });
    }
  }
  return hidden || moved || clearUid || unswept || removed
    ? {
        hidden: hidden ?? new Map(),
        clearUid,
        unswept: unswept ?? new Set(),
        removed: removed ?? [],
        moved: moved ?? new Map(),
        reshapes: reshaped ? reshapes : [],
        reshaped: reshaped ?? new Set(),
      }
    : NO_PENDING;
}

/**
 * offsetAfter sums the pending moves of key with uid above after (0: all of
 * them): how far the stroke is shown from where the board (or our local
 * copy made at op `after`) has it.
 */
export function offsetAfter(v: PendingView, key: string, after = 0): { dx: number; dy: number } {
  const list = v.moved.get(key);
  let dx = 0;
  let dy = 0;
  if (list) {
    for (const m of list) {
      if (m.uid > after) {
        dx += m.dx;
        dy += m.dy;
      }
    }
  }
  return { dx, dy };
}

/** displayKey is the key of stroke (author, n) in a PendingView, given our author id. */
export function displayKey(author: number, stroke: number, me: number): string {
  return (author === me && me !== 0 ? SELF : author) + ':' + stroke;
}
