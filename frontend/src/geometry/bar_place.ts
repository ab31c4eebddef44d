// Where the selection's action bar (ui/selection_bar) sits: beside the
// selection's box, clear of its handles, inside the part of the screen the
// toolbar and panels leave free. Pure: screen boxes in CSS pixels in, the
// bar's top-left corner out.
//
// Above the selection first (the rotate handle is there, so the bar clears
// it; below is where "who drew it" is said, ui/stroke_info), then below it,
// and when the selection fills the free area's height, inside its box just
// under its top edge's handles (covering only the middle of the drawing,
// never a handle: the side handles sit half way down, which a bar this
// short does not reach when neither side has room for it).

import type { Box } from './free_area';

/** How far the corner and edge handles reach out of the selection's box (ui/decor: a 3 px pad and half a handle). */
export const HANDLE_REACH = 9;
/** How far the rotate handle reaches above the selection's box (ui/decor: 26 px above the padded box, plus its size). */
export const ROTATE_REACH = 31;
/** The gap between the bar and what it keeps clear of. */
export const BAR_GAP = 6;

/** BarSize is the bar's size in CSS pixels. */
export interface BarSize {
  readonly w: number;
  readonly h: number;
}

/**
 * placeBar returns the top-left corner of a bar of size bar beside the
 * selection box sel, within area (both screen boxes): centered on the
 * selection across, clamped to the area; above the rotate handle if it
 * fits, else below the bottom handles, else just inside the box under its
 * top handles, clamped to the area either way.
 */
export function placeBar(sel: Box, bar: BarSize, area: Box): { x: number; y: number } {
  const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(v, Math.max(lo, hi)));
  const x = clamp((sel.left + sel.right) / 2 - bar.w / 2, area.left, area.right - bar.w);
  const above = sel.top - ROTATE_REACH - BAR_GAP - bar.h;
  if (above >= area.top && above + bar.h <= area.bottom) return { x, y: above };
  const below = sel.bottom + HANDLE_REACH + BAR_GAP;
  if (below >= area.top && below + bar.h <= area.bottom) return { x, y: below };
  return { x, y: clamp(sel.top + HANDLE_REACH + BAR_GAP, area.top, area.bottom - bar.h) };
}
