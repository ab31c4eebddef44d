// The z-order an Order op makes (PROTOCOL.md "Order"), as a pure function
// of the strokes in z-order and the set the op names: linear in the
// strokes. The Go twin is canvas/arrange.go's Board.order.

import { WHERE_BACK, WHERE_BACKWARD, WHERE_FORWARD, WHERE_FRONT } from './types';

/** Orderable is what reorder reads of a stroke. */
export interface Orderable {
  readonly hidden: boolean;
}

/**
 * reorder returns strokes (bottom first) with the named ones moved where
 * says; anchor (WHERE_ABOVE) is the stroke they go right above, null for
 * the bottom. The caller has checked the anchor exists and is not named.
 */
export function reorder<T extends Orderable>(strokes: readonly T[], named: ReadonlySet<T>, where: number, anchor: T | null): T[] {
  const out: T[] = [];
  const moved: T[] = [];
  switch (where) {
    case WHERE_FRONT:
    case WHERE_BACK: {
      const rest: T[] = [];
      for (const s of strokes) (named.has(s) ? moved : rest).push(s);
      return where === WHERE_FRONT ? [...rest, ...moved] : [...moved, ...rest];
    }
    case WHERE_FORWARD:
    case WHERE_BACKWARD: {
      // Forward: bottom up, a named stroke is carried up until a shown
      // stroke that is not named has passed beneath it. Backward: the
      // same top down, built reversed.
      const n = strokes.length;
      for (let k = 0; k < n; k++) {
        const s = strokes[where === WHERE_FORWARD ? k : n - 1 - k];
        if (named.has(s)) {
          moved.push(s);
          continue;
        }
        out.push(s);
        if (!s.hidden && moved.length) out.push(...moved.splice(0));
      }
      out.push(...moved);
      return where === WHERE_FORWARD ? out : out.reverse();
    }
    default: {
      for (const s of strokes) if (named.has(s)) moved.push(s);
      if (anchor === null) out.push(...moved);
      for (const s of strokes) {
        if (named.has(s)) continue;
        out.push(s);
        if (s === anchor) out.push(...moved);
      }
      return out;
    }
  }
}
