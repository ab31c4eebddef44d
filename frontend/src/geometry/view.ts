// The view transform: where the board shows on the screen. A board point
// (bx, by) is at CSS pixel (bx * scale + x, by * scale + y). Today the view
// is fixed (zoom 1, board origin at the canvas's top-left corner); pan and
// zoom will change it.

import { BOARD_UNITS_PER_PX } from './outline';
import type { Rect } from './bounds';

export interface View {
  /** CSS pixels per board unit. */
  readonly scale: number;
  /** CSS pixel position of the board origin. */
  readonly x: number;
  readonly y: number;
}

/** HOME_VIEW: zoom 1 (a board unit is 1/4 CSS pixel), origin at the top-left. */
export const HOME_VIEW: View = { scale: 1 / BOARD_UNITS_PER_PX, x: 0, y: 0 };

export function toScreen(v: View, bx: number, by: number): { x: number; y: number } {
  return { x: bx * v.scale + v.x, y: by * v.scale + v.y };
}

export function toBoard(v: View, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - v.x) / v.scale, y: (sy - v.y) / v.scale };
}

/** screenRect returns the board rectangle seen in a w × h CSS pixel viewport. */
export function screenRect(v: View, w: number, h: number): Rect {
  const a = toBoard(v, 0, 0);
  const b = toBoard(v, w, h);
  return { minX: Math.min(a.x, b.x), minY: Math.min(a.y, b.y), maxX: Math.max(a.x, b.x), maxY: Math.max(a.y, b.y) };
}

/** boardLength converts a length in CSS pixels to board units. */
export function boardLength(v: View, px: number): number {
  return px / v.scale;
}
