// The committed strokes, worked out again only when what decides them
// changed, and then only for the strokes that changed: the renderer asks
// every frame, and on a board of 100,000 strokes a walk over it costs more
// than a whole frame. Points added to an open stroke do not change them
// (open strokes are drawn on top, not committed); a stroke that ends, a
// stroke added closed, and our own strokes coming and going from the
// unconfirmed ones (drawn, then confirmed) are looked at alone and put in
// or taken out where z-order puts them. Everything else (an erase, a move,
// a clear, a new board, a pending op of ours) walks the board again.
//
// A list that only gained strokes records how (committedDelta), so that
// its users (the layer, the minimap, the content's bounds) can take the
// new strokes alone instead of comparing the whole list.

import type { Effect, Stroke } from '../protocol/board';
import { committedStrokes, isCommitted, type ShownState } from './shown';

/** CommittedDelta says how a committed list was made from the one before: base with strokes added, nothing taken out. */
export interface CommittedDelta {
  readonly base: readonly Stroke[];
  /** Where the added strokes are in the new list, ascending. */
  readonly added: readonly number[];
}

const deltas = new WeakMap<readonly Stroke[], CommittedDelta>();

/** committedDelta returns how list was made from the list before it, when it only gained strokes. */
export function committedDelta(list: readonly Stroke[]): CommittedDelta | undefined {
  return deltas.get(list);
}

/** appendedTo returns the strokes list added on top of base, or null when list is not base with strokes added on top. */
export function appendedTo(list: readonly Stroke[], base: readonly Stroke[]): readonly Stroke[] | null {
  if (list === base) return [];
  const d = deltas.get(list);
  if (!d || d.base !== base || d.added[0] !== base.length) return null;
  return list.slice(base.length);
}

export class CommittedCache {
  /** The whole board must be walked again (a change not looked at stroke by stroke). */
  private full = true;
  /** Strokes whose place in the list may have changed since the last get. */
  private touched: Stroke[] = [];
  private key: readonly unknown[] = [];
  private locals: readonly unknown[] = [];
  /** Our unconfirmed strokes' numbers at the last get. */
  private localNs = new Set<number>();
  private value: Stroke[] = [];

  /** boardChanged notes an apply (e) or, without one, a board replaced, a welcome or a reset. */
  boardChanged(e?: Effect): void {
    if (e && (e.kind === 'none' || e.kind === 'begin' || e.kind === 'points')) return;
    if (e && (e.kind === 'end' || e.kind === 'add') && !this.full) {
      this.touched.push(e.stroke);
      return;
    }
    this.full = true;
    this.touched = [];
  }

  /** get returns the committed strokes of st (the same array while nothing that decides them changed). */
  get(st: ShownState): Stroke[] {
    const p = st.pending;
    const k = [st.board, st.me, p, st.erasing, st.erasing?.size ?? 0, st.editingKey, st.solo ?? 0];
    const l = [st.locals, st.locals.length, st.localByN.size];
    const keyChanged = k.length !== this.key.length || k.some((x, i) => x !== this.key[i]);
    const localsChanged = l.some((x, i) => x !== this.locals[i]);
    this.key = k;
    this.locals = l;
    if (keyChanged || this.full) {
      this.full = false;
      this.touched = [];
      this.localNs = new Set(st.localByN.keys());
      this.value = committedStrokes(st);
      return this.value;
    }
    if (localsChanged) {
      // Our strokes that became, or stopped being, unconfirmed.
      const now = new Set(st.localByN.keys());
      for (const n of now) if (!this.localNs.has(n)) this.touchOwn(st, n);
      for (const n of this.localNs) if (!now.has(n)) this.touchOwn(st, n);
      this.localNs = now;
    }
    if (this.touched.length === 0) return this.value;
    const touched = this.touched;
    this.touched = [];
    this.value = update(st, this.value, touched);
    return this.value;
  }

  private touchOwn(st: ShownState, n: number): void {
    const s = st.me !== 0 ? st.board.stroke(st.me, n) : undefined;
    if (s) this.touched.push(s);
  }
}

/**
 * update returns list (the committed strokes, in z-order) with each of
 * touched put in or taken out as isCommitted says: list itself when none
 * moved, else a new list (with its delta when it only gained strokes).
 */
function update(st: ShownState, list: Stroke[], touched: readonly Stroke[]): Stroke[] {
  const b = st.board;
  const ins: Array<[number, Stroke]> = [];
  const del = new Set<Stroke>();
  const seen = new Set<Stroke>();
  for (const s of touched) {
    if (seen.has(s)) continue;
    seen.add(s);
    const z = b.position(s);
    if (z < 0) continue; // replaced since: its replacement was looked at (or the board walked)
    const i = lowerBound(list, z, b);
    const present = list[i] === s;
    const want = isCommitted(st, s);
    if (want && !present) ins.push([z, s]);
    else if (!want && present) del.add(s);
  }
  if (ins.length === 0 && del.size === 0) return list;
  ins.sort((x, y) => x[0] - y[0]);
  const out: Stroke[] = [];
  const added: number[] = [];
  let from = 0;
  // The list is copied once, the added strokes merged in by position.
  for (const [z, s] of ins) {
    const at = lowerBound(list, z, b);
    for (; from < at; from++) if (!del.has(list[from])) out.push(list[from]);
    added.push(out.length);
    out.push(s);
  }
  for (; from < list.length; from++) if (!del.has(list[from])) out.push(list[from]);
  if (del.size === 0) deltas.set(out, { base: list, added });
  return out;
}

/** lowerBound returns the first index of list whose stroke is at z-order position z or above. */
function lowerBound(list: readonly Stroke[], z: number, b: ShownState['board']): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (b.position(list[mid]) < z) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
