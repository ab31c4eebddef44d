// The minimap's transform: a small picture of the drawing and of the part of
// it on the screen. Pure.

import { isEmpty, union, type Rect } from './bounds';
import type { View } from './view';

/**
 * minimapView returns the transform (minimap CSS pixels per board unit and
 * origin) that shows both the content bounds and the viewport, centered in
 * a w × h minimap with pad pixels around.
 */
export function minimapView(content: Rect, viewport: Rect, w: number, h: number, pad = 6): View {
  const r = isEmpty(content) ? viewport : union(content, viewport);
  const bw = Math.max(1, r.maxX - r.minX);
  const bh = Math.max(1, r.maxY - r.minY);
  const scale = Math.min((w - 2 * pad) / bw, (h - 2 * pad) / bh);
  return { scale, x: w / 2 - ((r.minX + r.maxX) / 2) * scale, y: h / 2 - ((r.minY + r.maxY) / 2) * scale };
}

/** decimation returns the point step that keeps a minimap of totalPoints points under budget segments. */
export function decimation(totalPoints: number, budget = 20000): number {
  return Math.max(1, Math.ceil(totalPoints / budget));
}
