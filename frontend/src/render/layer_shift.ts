// A pan of the committed layer (render/layer.ts): the pixels already
// painted are drawn shifted, and only the strips that came into view are
// painted again.

import type { Rect } from '../geometry/bounds';
import { toBoard, type View } from '../geometry/view';

/**
 * drawShifted draws each canvas shifted by (dx, dy) device pixels into the
 * context paired with it (a spare buffer of the same w×h size, cleared
 * first): one copy of the pixels per layer.
 */
export function drawShifted(copies: ReadonlyArray<readonly [HTMLCanvasElement, CanvasRenderingContext2D]>, dx: number, dy: number, w: number, h: number): void {
  for (const [from, to] of copies) {
    to.setTransform(1, 0, 0, 1, 0, 0);
    to.clearRect(0, 0, w, h);
    to.drawImage(from, dx, dy);
  }
}

/**
 * panStrips returns, in board coordinates, the strips a shift of (dx, dy)
 * device pixels left empty in a w×h device-pixel layer now painted in view
 * v (k device pixels per CSS pixel).
 */
export function panStrips(v: View, k: number, dx: number, dy: number, w: number, h: number): Rect[] {
  const out: Rect[] = [];
  const strip = (x0: number, y0: number, x1: number, y1: number): void => {
    const a = toBoard(v, x0 / k, y0 / k);
    const b = toBoard(v, x1 / k, y1 / k);
    out.push({ minX: a.x, minY: a.y, maxX: b.x, maxY: b.y });
  };
  if (dx > 0) strip(0, 0, dx, h);
  else if (dx < 0) strip(w + dx, 0, w, h);
  if (dy > 0) strip(0, 0, w, dy);
  else if (dy < 0) strip(0, h + dy, w, h);
  return out;
}
