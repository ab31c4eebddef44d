// A big selection's drag rehearsed in idle time before it happens, its
// results thrown away. The page's script is compiled as it runs: V8 starts
// each function in its interpreter and compiles the ones that run often,
// so a page's first drag ran its fold, its extents and its walks of what
// is shown on code not compiled yet, and dropped frames a second drag did
// not (BENCHMARKS.md, "the first drag"). Rehearsing each kind of drag (a
// move, a resize, a turn) on the selection as it is shown, with the very
// functions a drag calls (the ops written out as they are sent, the fold,
// what is shown over the layer and in it, the selection's box, and where
// the renderer's lift finds the selection), a few steps each, compiles
// them before the press. Nothing of it is sent or kept: the ops go into an
// outbox of its own making, folded by a Folder of its own, framed by a
// ShownCache of its own. On a board of more than REHEARSE_MAX strokes each
// step is a frame's work or more (the walks are over the whole board), and
// a press would wait for one: none is rehearsed there. DOM-free: the
// render side runs the steps in idle slices (render/lift_prep).

import type { OutboxEntry } from '../net/outbox';
import { resolveSelf } from '../net/sync';
import { encodeClientMsg } from '../protocol/client';
import type { Stroke } from '../protocol/board';
import { SCALE_ONE, type Op, type StrokeId } from '../protocol/types';
import { moveOps } from './history';
import { pendingView } from './pending';
import { Folder } from './reshape';
import { scaled } from './resize_gesture';
import { rotateOps } from './rotate_gesture';
import { committedStrokes, shownItems, type ExtentOf, type OverlayItem, type ShownItem, type ShownState } from './shown';
import { ShownCache } from './shown_cache';

/** STEPS is how many ops of each kind are rehearsed: enough that a step folds over the ones before it, as a drag's do, and that each walk runs often enough to be compiled. */
export const STEPS = 10;

/** REHEARSE_MAX is the most strokes a board may have for a drag on it to be rehearsed. */
export const REHEARSE_MAX = 20_000;

/** Rehearsed ops' uids: above any the page's outbox hands out, so that no local copy's last op hides them from the fold. */
const UID_BASE = 2 ** 40;

/** Rehearsal is what a rehearsal starts from: the page's state as it is. */
export interface Rehearsal {
  readonly st: ShownState;
  /** The outbox as it is: our ops not yet applied, which the rehearsed ones follow. */
  readonly entries: readonly OutboxEntry[];
  /** The selection as shown. */
  readonly ids: readonly StrokeId[];
  /** The box the selection frames a stroke by (Editor.frameOf). */
  readonly frameOf: ExtentOf;
  /** The point the selection turns about (Arranger.pivotOf); null: none of it is shown. */
  pivotOf(ids: readonly StrokeId[]): [number, number] | null;
  /** Told what each step draws over the layer and what the layer holds, as a frame of the drag is (the renderer's lift finds the selection in them). */
  onStep(overlay: readonly OverlayItem[], committed: readonly Stroke[]): void;
}

/**
 * rehearsing rehearses a move, a resize and a turn of r's selection,
 * STEPS ops each: what shows after each step, all of it and what is
 * drawn over the layer, the committed strokes and the selection's box,
 * yielding between them. It returns how many steps it made.
 */
export function* rehearsing(r: Rehearsal): Generator<void, number> {
  if (r.st.board.strokes.length > REHEARSE_MAX) return 0;
  const pivot = r.pivotOf(r.ids);
  yield;
  if (!pivot) return 0;
  const kinds: ((i: number) => Op[])[] = [
    (i) => moveOps(r.ids, i, -i),
    // A little larger at each step, as a handle dragged outwards.
    (i) => scaled(r.ids, SCALE_ONE + i * 64, SCALE_ONE + i * 64, 0, 0),
    // A degree at each step (angles are in 1/100 degree).
    () => rotateOps(r.ids, 100, pivot),
  ];
  let uid = UID_BASE;
  let steps = 0;
  for (const ops of kinds) {
    const folder = new Folder();
    const entries = r.entries.slice();
    for (let i = 1; i <= STEPS; i++) {
      for (const op of ops(i)) {
        entries.push({ uid: ++uid, op });
        // Written out as it would be sent, and a cursor with it, as each frame of a drag sends one.
        encodeClientMsg(resolveSelf(op, r.st.me));
      }
      encodeClientMsg({ type: 'cursor', x: i, y: i });
      const st: ShownState = { ...r.st, pending: pendingView(entries), folder };
      // Each a walk over the board or the selection: pieces of their own, in idle time between frames.
      const all = shownItems(st, true);
      yield;
      const over = shownItems(st, false);
      yield;
      r.onStep(over, committedStrokes(st));
      yield;
      framed(all, r);
      steps++;
      yield;
    }
  }
  return steps;
}

/** framed works out the selection's box in items, as the selection's frame does at each step of a drag. */
function framed(items: ShownItem[], r: Rehearsal): void {
  new ShownCache().selected(r.ids, items, r.frameOf);
}
