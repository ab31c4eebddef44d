// Turning the selection by its rotate handle (PROTOCOL.md "Rotate"): the
// strokes turn about the mean of their middles as drawn (geometry/turn
// shownMiddle: a text's is its box's), which a turn leaves in place, so
// the undo (the turn back about the pivot as it is then) keeps whatever
// others moved in between. While the
// handle is dragged, each flush sends the Rotate from where the last one
// left the strokes to where the pointer says, so everyone sees the turn
// live; at the end the whole turn is one undo step. Shift snaps the turn
// so that the first selected stroke ends at a multiple of 15°. DOM-free.

import { FULL_TURN, MAX_STROKES_PER_OP, type Op, type StrokeId } from '../protocol/types';

interface XY {
  readonly x: number;
  readonly y: number;
}

/** SNAP is the step Shift snaps a turn to: 15° in 1/100 degree. */
export const SNAP = 1500;

/** half returns a turn a (1/100 degree) as the same turn within (−180°, 180°]. */
export function half(a: number): number {
  let n = a % FULL_TURN;
  if (n > FULL_TURN / 2) n -= FULL_TURN;
  if (n <= -FULL_TURN / 2) n += FULL_TURN;
  return n + 0;
}

/** rotateOps builds the Rotate ops that turn ids by angle about pivot, split at the protocol's limit; none for no turn. */
export function rotateOps(ids: readonly StrokeId[], angle: number, pivot: readonly [number, number]): Op[] {
  const a = half(angle);
  if (a === 0) return [];
  const ops: Op[] = [];
  for (let i = 0; i < ids.length; i += MAX_STROKES_PER_OP) {
    ops.push({ type: 'rotate', strokes: ids.slice(i, i + MAX_STROKES_PER_OP), angle: a, px: pivot[0], py: pivot[1] });
  }
  return ops;
}

export class RotateGesture {
  /** The turn the ops sent so far add up to, and the one the pointer says. */
  private applied = 0;
  private want = 0;
  private readonly from: number;

  /** ids turn about pivot; the handle is pressed at start; rot0 is the first stroke's rotation (for Shift's snap). */
  constructor(
    readonly ids: readonly StrokeId[],
    readonly pivot: readonly [number, number],
    start: XY,
    private readonly rot0: number,
  ) {
    this.from = Math.atan2(start.y - pivot[1], start.x - pivot[0]);
  }

  /** to sets where the handle is dragged to; snap (Shift) turns by a step that leaves the first stroke at a multiple of 15°. */
  to(p: XY, snap: boolean): void {
    const now = Math.atan2(p.y - this.pivot[1], p.x - this.pivot[0]);
    let a = Math.round(((now - this.from) * (FULL_TURN / 2)) / Math.PI);
    if (snap) a = Math.round((this.rot0 + a) / SNAP) * SNAP - this.rot0;
    this.want = half(a);
  }

  /** step returns the ops that turn the strokes from where the last ones left them to where the handle is; none when there. */
  step(): Op[] {
    const d = half(this.want - this.applied);
    if (d === 0) return [];
    this.applied = half(this.applied + d);
    return rotateOps(this.ids, d, this.pivot);
  }

  /** turned is the whole turn sent, in 1/100 degree (0: none). */
  get turned(): number {
    return this.applied;
  }
}
