// What a big selection's picture painted ahead (render/lift_prep) shows,
// and when two are the same: a picture is taken by a drag only for exactly
// what is shown when the drag starts. Pure, DOM-free.

import { sameView, type View } from '../geometry/view';
import type { Stroke } from '../protocol/board';
import type { OverlayItem } from '../edit/shown';

/** Basis is what a picture painted ahead shows: it is taken only for the same. */
export interface Basis {
  /** The selection's names ("author:stroke"), as a drag of it names them. */
  readonly keys: readonly string[];
  readonly committed: readonly Stroke[];
  readonly overlay: readonly OverlayItem[];
  readonly view: View;
  readonly dpr: number;
  /** The screen in CSS pixels. */
  readonly w: number;
  readonly h: number;
  /** Bumped by whatever repaints everything (theme, an image or a font arrived). */
  readonly gen: number;
}

/** sameBasis reports whether a picture painted for a shows exactly what b would. */
export function sameBasis(a: Basis, b: Basis): boolean {
  return (
    a.committed === b.committed &&
    sameScreen(a, b) &&
    sameList(a.keys, b.keys, (x, y) => x === y) &&
    // Made anew at every change the Editor announces: the same strokes where they were are the same overlay.
    sameList(a.overlay, b.overlay, (x, y) => x.stroke === y.stroke && x.dx === y.dx && x.dy === y.dy && x.complete === y.complete)
  );
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => same(x, b[i])));
}

/** sameScreen reports whether a and b are painted for the same screen: view, size, device pixels, and nothing since that repaints everything. */
export function sameScreen(a: Basis, b: Basis): boolean {
  return a.gen === b.gen && a.dpr === b.dpr && a.w === b.w && a.h === b.h && sameView(a.view, b.view);
}
