// Where a new image goes on the board: its natural size (a CSS pixel of the
// image is a CSS pixel at 100 %), shrunk to fit within most of the view,
// centered at a point. Pure.

import { BOARD_UNITS_PER_PX } from '../geometry/outline';
import type { Rect } from '../geometry/bounds';

/** The share of the view's width and height a new image may take at most. */
const FIT = 0.6;

/** imageBox returns the box (corners, whole board units) of a w × h pixel image centered at `at`, fitted into `view`. */
export function imageBox(w: number, h: number, at: { x: number; y: number }, view: Rect): { a: { x: number; y: number }; b: { x: number; y: number } } {
  const bw = Math.max(1, w) * BOARD_UNITS_PER_PX;
  const bh = Math.max(1, h) * BOARD_UNITS_PER_PX;
  const k = Math.min(1, ((view.maxX - view.minX) * FIT) / bw, ((view.maxY - view.minY) * FIT) / bh);
  const hw = Math.max(1, Math.round((bw * k) / 2));
  const hh = Math.max(1, Math.round((bh * k) / 2));
  const cx = Math.round(at.x);
  const cy = Math.round(at.y);
  return { a: { x: cx - hw, y: cy - hh }, b: { x: cx + hw, y: cy + hh } };
}
