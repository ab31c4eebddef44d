// The stroke eraser's gesture: what it has touched on its way (hidden at
// once, one undo step at the end) and what of that is not sent yet. DOM-free;
// the Editor asks what a path touches and sends the Erase ops.

import type { EraserPath, XY } from '../geometry/hit';
import type { StrokeId } from '../protocol/types';
import { keyOf } from './shown';

export class EraseGesture {
  /** What it has touched, by key (shown hidden at once). */
  readonly keys = new Set<string>();
  /** What it has touched, in order. */
  readonly ids: StrokeId[] = [];
  private unsent: StrokeId[] = [];
  private last: XY | null = null;

  constructor(private readonly radius: number) {}

  /** through follows the eraser through samples; touches says what a path touches. It reports whether anything new was touched. */
  through(samples: readonly XY[], touches: (path: EraserPath) => StrokeId[]): boolean {
    let hit = false;
    for (const s of samples) {
      const path: EraserPath = { from: this.last ?? s, to: s, radius: this.radius };
      this.last = s;
      for (const id of touches(path)) {
        const key = keyOf(id);
        if (this.keys.has(key)) continue;
        this.keys.add(key);
        this.ids.push(id);
        this.unsent.push(id);
        hit = true;
      }
    }
    return hit;
  }

  /** hasUnsent: something was touched since takeUnsent last ran. */
  get hasUnsent(): boolean {
    return this.unsent.length > 0;
  }

  /** takeUnsent returns what was touched since it last ran. */
  takeUnsent(): StrokeId[] {
    const ids = this.unsent;
    this.unsent = [];
    return ids;
  }

  /**
   * takeDue returns what was touched and not sent yet, at most every
   * ERASE_EVERY_MS unless forced (the room limits erase ops per second;
   * what we erased is hidden here at once anyway); null: nothing is due.
   * lastAt is when the Editor last sent an Erase, as it keeps it across
   * gestures.
   */
  takeDue(force: boolean, now: number, lastAt: number): StrokeId[] | null {
    if (!this.hasUnsent || (!force && now - lastAt < ERASE_EVERY_MS)) return null;
    return this.takeUnsent();
  }
}

/** The stroke eraser sends at most one Erase op per this many ms while it moves. */
export const ERASE_EVERY_MS = 100;
