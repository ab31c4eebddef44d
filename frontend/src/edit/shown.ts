// What is shown: the room's board with our unconfirmed work laid over it,
// and the questions asked of it (what a click, an eraser or a marquee
// touches; where the selection is). Pure: the Editor hands in a ShownState
// and a cached extentOf; inputs are never changed.

import type { Board, Stroke } from '../protocol/board';
import type { StrokeId } from '../protocol/types';
import type { Rect } from '../geometry/bounds';
import { hitStroke, strokeInRect, type EraserPath, type XY } from '../geometry/hit';
import { keptExtent } from '../geometry/kept_extent';
import { TOOL_TEXT } from '../protocol/types';
import { SELF } from './history';
import type { LocalItem } from './local';
import { displayKey, offsetAfter, type PendingView } from './pending';
import { fold, type Folder, type Folding } from './reshape';

/** Paintable is what a renderer draws: a stroke as the board has it, or our local copy. */
export type Paintable = Stroke;

export interface OverlayItem {
  readonly stroke: Paintable;
  /** The stroke has ended (perfect-freehand's `last`). */
  readonly complete: boolean;
  /** Drawn moved by (dx, dy): our pending moves. */
  readonly dx: number;
  readonly dy: number;
}

/** ShownItem is a stroke as shown, in z-order. */
export interface ShownItem extends OverlayItem {
  /** Its name, own strokes with author SELF. */
  readonly id: StrokeId;
  /** Still being drawn by us (not hit by our own eraser or selection). */
  readonly growing: boolean;
  /** keyOf(id), when it was worked out already (see itemKey). */
  readonly key?: string;
}

/** ShownState is what decides what is shown. */
export interface ShownState {
  readonly board: Board;
  /** Our author id (0 before the first Welcome). */
  readonly me: number;
  /** What our ops not yet applied do to the view. */
  readonly pending: PendingView;
  /** Our strokes not yet confirmed, in the order drawn. */
  readonly locals: readonly LocalItem[];
  readonly localByN: ReadonlyMap<number, LocalItem>;
  /** The stroke or shape being drawn, if any. */
  readonly growing: LocalItem | undefined;
  /** What the stroke eraser has touched in its gesture so far (hidden at once). */
  readonly erasing: ReadonlySet<string> | undefined;
  /** Our text being edited in place (hidden: the field shows it), or null. */
  readonly editingKey: string | null;
  /** Show only this author's work (the people list's toggle); 0: everyone's. */
  readonly solo?: number;
  /** Folds our pending reshapes, keeping each op's result (edit/reshape); absent: one shared by all. */
  readonly folder?: Folder;
}

/** ExtentOf returns what painting a stroke may touch. */
export type ExtentOf = (s: Stroke) => Rect;

/**
 * extentCache returns an ExtentOf that keeps each answer (geometry/shape
 * strokeExtent) per stroke object and point count, on the stroke
 * (geometry/kept_extent, as the painter keeps them): not in a WeakMap,
 * whose entries for the thousand strokes a resize makes at each step the
 * garbage collector walks as ephemerons.
 */
export function extentCache(): ExtentOf {
  return keptExtent;
}

export const keyOf = (id: StrokeId): string => id.author + ':' + id.stroke;

/** BoardNames makes the board names ("author:stroke", ours under our author id) of a list of names, once per list. */
export class BoardNames {
  private last: { readonly ids: readonly StrokeId[]; readonly me: number; readonly keys: readonly string[] } | null = null;

  of(ids: readonly StrokeId[], me: number): readonly string[] {
    const l = this.last;
    if (l && l.ids === ids && l.me === me) return l.keys;
    const keys = ids.map((id) => (id.author === SELF ? me : id.author) + ':' + id.stroke);
    this.last = { ids, me, keys };
    return keys;
  }
}

/** itemKey is keyOf(it.id), made once per item: a big selection's thousand names are asked for at every change. */
export const itemKey = (it: ShownItem): string => it.key ?? keyOf(it.id);

const ZERO = { dx: 0, dy: 0 };

/** committedStrokes returns the closed, shown strokes of the board that are where the board has them, in z-order. */
export function committedStrokes(st: ShownState): Stroke[] {
  const out: Stroke[] = [];
  for (const s of st.board.strokes) if (isCommitted(st, s)) out.push(s);
  return out;
}

/** isCommitted reports whether board stroke s is one of committedStrokes(st). */
export function isCommitted(st: ShownState, s: Stroke): boolean {
  const b = st.board;
  if (b.isOpen(s) || ownedLocally(st, s) || !boardVisible(st, s)) return false;
  return !(st.pending.moved.size > 0 && st.pending.moved.has(displayKey(s.author, s.stroke, st.me)));
}

/**
 * shownItems returns every shown stroke in z-order (the board's, then ours
 * not yet confirmed), with the offset our pending moves give it. all=false
 * keeps only what the committed layer does not draw.
 */
export function shownItems(st: ShownState, all: boolean): ShownItem[] {
  const b = st.board;
  const me = st.me;
  const out: ShownItem[] = [];
  const moved = st.pending.moved.size > 0;
  // Without pending moves the committed layer draws every closed stroke:
  // only the open ones are left, found without a walk over the board.
  for (const s of all || moved ? b.strokes : b.openStrokes()) {
    if (ownedLocally(st, s) || !boardVisible(st, s)) continue;
    const id = { author: s.author === me && me !== 0 ? SELF : s.author, stroke: s.stroke };
    const open = b.isOpen(s);
    const key = moved ? keyOf(id) : '';
    const o = moved ? offsetAfter(st.pending, key) : ZERO;
    if (!all && !open && o.dx === 0 && o.dy === 0 && !(moved && st.pending.moved.has(key))) continue;
    out.push(moved ? { id, stroke: s, complete: !open, dx: o.dx, dy: o.dy, growing: false, key } : { id, stroke: s, complete: !open, dx: o.dx, dy: o.dy, growing: false });
  }
  for (const l of st.locals) {
    if (!localVisible(st, l)) continue;
    const id = { author: SELF, stroke: l.stroke };
    const o = moved ? offsetAfter(st.pending, keyOf(id), l.lastUid) : ZERO;
    const growing = l === st.growing;
    out.push({ id, stroke: l.shown, complete: !(growing && l.pts !== null), dx: o.dx, dy: o.dy, growing });
  }
  return st.pending.reshaped.size ? reshapedItems(st, out) : out;
}

/** reshapedItems lays our pending resizes and turns over the items they name (edit/reshape); their moves are in it. */
function reshapedItems(st: ShownState, items: ShownItem[]): ShownItem[] {
  const at: number[] = [];
  const folding: Folding[] = [];
  items.forEach((it, i) => {
    const key = itemKey(it);
    if (!st.pending.reshaped.has(key)) return;
    at.push(i);
    folding.push({ key, stroke: it.stroke, after: it.id.author === SELF ? (st.localByN.get(it.id.stroke)?.lastUid ?? 0) : 0 });
  });
  if (at.length === 0) return items;
  const folded = st.folder ? st.folder.fold(folding, st.pending.reshapes) : fold(folding, st.pending.reshapes);
  const out = items.slice();
  at.forEach((i, j) => {
    out[i] = { ...out[i], stroke: folded[j], dx: 0, dy: 0 };
  });
  return out;
}

/** hitTest returns the names of the items the eraser path touches (partial-eraser strokes never). */
export function hitTest(items: readonly ShownItem[], path: EraserPath, extentOf: ExtentOf): StrokeId[] {
  const out: StrokeId[] = [];
  for (const it of items) {
    if (it.growing) continue;
    if (hitStroke(it.stroke, path, extentOf(it.stroke), it.dx, it.dy)) out.push(it.id);
  }
  return out;
}

/** strokeAt returns the topmost item at p (within radius), or null. */
export function strokeAt(items: readonly ShownItem[], p: XY, radius: number, extentOf: ExtentOf): StrokeId | null {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i];
    if (it.growing) continue;
    if (hitStroke(it.stroke, { from: p, to: p, radius }, extentOf(it.stroke), it.dx, it.dy)) return it.id;
  }
  return null;
}

/** strokesIn returns the items a marquee r touches, in z-order. */
export function strokesIn(items: readonly ShownItem[], r: Rect, extentOf: ExtentOf): StrokeId[] {
  const out: StrokeId[] = [];
  for (const it of items) {
    if (!it.growing && strokeInRect(it.stroke, r, extentOf(it.stroke), it.dx, it.dy)) out.push(it.id);
  }
  return out;
}

/** ownTextAt returns the number of our topmost text at p, or 0. */
export function ownTextAt(items: readonly ShownItem[], p: XY, radius: number, extentOf: ExtentOf): number {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i];
    if (it.stroke.tool !== TOOL_TEXT || it.id.author !== SELF) continue;
    if (hitStroke(it.stroke, { from: p, to: p, radius }, extentOf(it.stroke), it.dx, it.dy)) return it.id.stroke;
  }
  return 0;
}

function ownedLocally(st: ShownState, s: Stroke): boolean {
  return st.me !== 0 && s.author === st.me && st.localByN.has(s.stroke);
}

function boardVisible(st: ShownState, s: Stroke): boolean {
  if (st.pending.clearUid) return false;
  if (st.solo && s.author !== st.solo) return false;
  if (s.sweptN !== 0 && !st.pending.unswept.has(displayKey(s.sweptBy, s.sweptN, st.me))) return false;
  if (st.pending.removed.length && s.sweptN === 0 && st.pending.removed.some((r) => r.author === s.author && s.seq > r.since)) return false;
  // No name to look up (the common case, on every stroke of a big board): no string made.
  if (!st.erasing?.size && st.editingKey === null && st.pending.hidden.size === 0) return !s.hidden;
  const key = displayKey(s.author, s.stroke, st.me);
  if (st.erasing?.has(key) || key === st.editingKey) return false;
  return !(st.pending.hidden.get(key) ?? s.hidden);
}

function localVisible(st: ShownState, l: LocalItem): boolean {
  if (st.solo && st.solo !== st.me) return false;
  if (st.pending.clearUid && l.firstUid !== 0 && l.firstUid < st.pending.clearUid) return false;
  const key = SELF + ':' + l.stroke;
  if (st.erasing?.has(key) || key === st.editingKey) return false;
  return !(st.pending.hidden.get(key) ?? false);
}
