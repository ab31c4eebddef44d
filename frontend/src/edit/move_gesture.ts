// Dragging the selection: the drag so far in board units, and the whole
// units of it already sent as Move ops (one undo step at the end); the
// Mover runs one such drag at a time for the Editor. DOM-free.

import type { Op, StrokeId } from '../protocol/types';
import { moveOps, type Action } from './history';

/** MoverDeps is what the Mover needs of the Editor. */
export interface MoverDeps {
  readonly readOnly: () => boolean;
  readonly selection: () => StrokeId[];
  readonly endGestures: () => void;
  readonly push: (op: Op) => number;
  readonly record: (a: Action) => void;
  readonly changed: () => void;
  /** Only the drag moved (what is shown changes when its Moves go out): render the next frame. */
  readonly dragged: () => void;
}

/** Mover drags the selection, one drag at a time. */
export class Mover {
  private g: MoveGesture | null = null;

  constructor(private readonly d: MoverDeps) {}

  /** ids names what the drag going on moves; null when none is. */
  get ids(): readonly StrokeId[] | null {
    return this.g?.ids ?? null;
  }

  /** by drags the selection by (dx, dy) board units; Move ops go out at each flush. */
  by(dx: number, dy: number): void {
    const d = this.d;
    if (d.readOnly()) return;
    if (!this.g) {
      const ids = d.selection();
      if (ids.length === 0) return;
      d.endGestures();
      this.g = new MoveGesture(ids);
    }
    this.g.by(dx, dy);
    d.dragged();
  }

  /** end ends the drag; the whole move becomes one undo step. */
  end(): void {
    const g = this.g;
    if (!g) return;
    this.flush();
    this.g = null;
    const { dx, dy } = g.sent;
    if (dx !== 0 || dy !== 0) this.d.record({ kind: 'move', strokes: g.ids, dx, dy });
    this.d.changed();
  }

  /** flush sends the whole units of the drag not sent yet; it returns whether it sent any. */
  flush(): boolean {
    const g = this.g;
    const s = g?.step();
    if (!g || !s) return false;
    for (const op of moveOps(g.ids, s.dx, s.dy)) this.d.push(op);
    return true;
  }

  /** reset forgets a drag (the board was replaced). */
  reset(): void {
    this.g = null;
  }
}

export class MoveGesture {
  private tx = 0;
  private ty = 0;
  private sentX = 0;
  private sentY = 0;

  constructor(readonly ids: readonly StrokeId[]) {}

  /** by adds (dx, dy) board units to the drag. */
  by(dx: number, dy: number): void {
    this.tx += dx;
    this.ty += dy;
  }

  /** step returns the whole units of the drag not sent yet, counted as sent now; null when there are none. */
  step(): { dx: number; dy: number } | null {
    const dx = Math.round(this.tx) - this.sentX;
    const dy = Math.round(this.ty) - this.sentY;
    if (dx === 0 && dy === 0) return null;
    this.sentX += dx;
    this.sentY += dy;
    return { dx, dy };
  }

  /** sent is how far the Move ops sent so far moved the selection. */
  get sent(): { dx: number; dy: number } {
    return { dx: this.sentX, dy: this.sentY };
  }
}
