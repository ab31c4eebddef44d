// The selection: the strokes picked (own ones with author SELF), kept as
// picked and read as shown. A stroke picked and then erased, undone or
// swept drops out of it; edit/shown_cache works that out once per change
// of the selection or of what is shown, not at each question.

import type { Rect } from '../geometry/bounds';
import type { Stroke } from '../protocol/board';
import type { StrokeId } from '../protocol/types';
import { BoardNames, keyOf, type ShownItem } from './shown';
import type { Selected, ShownCache } from './shown_cache';

export interface SelectionDeps {
  readonly cache: ShownCache;
  /** Every shown stroke in z-order (Editor.shown). */
  shown(): ShownItem[];
  /** The box the selection frames a stroke by. */
  frameOf(s: Stroke): Rect;
  /** Our author id (0 before the room gave one). */
  me(): number;
}

export class Selection {
  /** As picked, each name once. */
  private picked: StrokeId[] = [];
  private readonly names = new BoardNames();

  constructor(private readonly d: SelectionDeps) {}

  /** now is the selection as shown: its names still shown, its items, its box. */
  now(): Selected {
    return this.d.cache.selected(this.picked, this.d.shown(), this.d.frameOf);
  }

  /** ids returns the selected strokes still shown (a copy), and forgets the others. */
  ids(): StrokeId[] {
    const live = this.now().ids;
    if (live !== this.picked) this.picked = live.slice();
    return live.slice();
  }

  /** set picks ids (a name given twice counts once). */
  set(ids: readonly StrokeId[]): void {
    const seen = new Set<string>();
    this.picked = ids.filter((id) => !seen.has(keyOf(id)) && (seen.add(keyOf(id)), true));
  }

  clear(): void {
    this.picked = [];
  }

  has(id: StrokeId): boolean {
    const k = keyOf(id);
    return this.picked.some((s) => keyOf(s) === k);
  }

  /** keys names the selection as shown as board names ("author:stroke"; one array while it is the same); null: fewer than atLeast. */
  keys(atLeast: number): readonly string[] | null {
    // No walk over the board for a selection too small to ask about.
    if (this.picked.length < Math.max(1, atLeast)) return null;
    const ids = this.now().ids;
    return ids.length < atLeast ? null : this.names.of(ids, this.d.me());
  }
}
