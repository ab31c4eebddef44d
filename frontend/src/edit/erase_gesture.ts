// The stroke eraser: its gesture (what it has touched on its way, hidden
// at once, one undo step at the end, and what of that is not sent yet), and
// the Eraser that runs one gesture at a time for the Editor, sending the
// Erase ops. DOM-free.

import type { EraserPath, XY } from '../geometry/hit';
import type { Op, StrokeId } from '../protocol/types';
import { visibilityOps, type Action } from './history';
import { keyOf } from './shown';

/** EraserDeps is what the Eraser needs of the Editor. */
export interface EraserDeps {
  readonly readOnly: () => boolean;
  readonly endGestures: () => void;
  /** The shown strokes a path touches (Editor.hitTest). */
  readonly touches: (path: EraserPath) => StrokeId[];
  readonly push: (op: Op) => number;
  readonly record: (a: Action) => void;
  readonly changed: () => void;
}

/** Eraser runs the stroke eraser's gestures, one at a time. */
export class Eraser {
  private g: EraseGesture | null = null;
  /** When an Erase was last sent (performance.now()), across gestures. */
  private erasedAt = -Infinity;

  constructor(private readonly d: EraserDeps) {}

  /** active is true during a gesture. */
  get active(): boolean {
    return this.g !== null;
  }

  /** keys names what the gesture going on has touched (hidden at once); undefined when none is. */
  get keys(): ReadonlySet<string> | undefined {
    return this.g?.keys;
  }

  /** start starts a gesture at s with the given radius (board units). */
  start(s: XY, radius: number): void {
    if (this.d.readOnly()) return;
    this.d.endGestures();
    this.g = new EraseGesture(radius);
    this.move([s]);
  }

  /** move erases every shown stroke the eraser touches on its way through samples. */
  move(samples: readonly XY[]): void {
    if (this.g?.through(samples, this.d.touches)) this.d.changed();
  }

  /** end ends the gesture; what it erased becomes one undo step. */
  end(): void {
    const g = this.g;
    if (!g) return;
    this.flush();
    this.g = null;
    if (g.ids.length) this.d.record({ kind: 'erase', strokes: g.ids });
  }

  /** cancel ends the gesture and restores what it erased, leaving no undo step. */
  cancel(): void {
    const g = this.g;
    if (!g) return;
    this.flush();
    this.g = null;
    for (const op of visibilityOps('restore', g.ids)) this.d.push(op);
    this.d.changed();
  }

  /** flush sends the strokes the eraser touched since the last time (EraseGesture.takeDue); unforced, at most every ERASE_EVERY_MS. */
  flush(force = true): void {
    const now = performance.now();
    const ids = this.g?.takeDue(force, now, this.erasedAt);
    if (!ids) return;
    this.erasedAt = now;
    for (const op of visibilityOps('erase', ids)) this.d.push(op);
  }

  /** reset forgets a gesture (the board was replaced). */
  reset(): void {
    this.g = null;
  }
}

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
