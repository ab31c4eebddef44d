// Dragging the selection: the drag so far in board units, and the whole
// units of it already sent as Move ops (one undo step at the end). DOM-free.

import type { StrokeId } from '../protocol/types';

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
