// The picture a late joiner sees while a big board is being built: the
// snapshot's sketch (protocol/snapshot_sketch.ts) painted straight from its
// flat arrays, as the committed layer's coarse picture paints (one path and
// one stroke() per color and width, a point kept only every couple of
// device pixels): highlighters first, under the ink, then the rest. The
// renderer's first frame of the board paints over it.

import type { SnapshotSketch } from '../protocol/snapshot_sketch';
import { TOOL_HIGHLIGHTER, TOOL_PEN } from '../protocol/types';
import type { View } from '../geometry/view';

/** A point is kept only this far (device pixels) from the last one kept, as in the coarse picture. */
const STEP_PX = 2;

/**
 * paintSketch paints sk into ctx (w × h CSS pixels, dpr device pixels
 * each) through view v; css gives a stroke's color for its tool.
 */
export function paintSketch(ctx: CanvasRenderingContext2D, sk: SnapshotSketch, v: View, dpr: number, w: number, h: number, css: (tool: number, color: number) => string): void {
  const dev = v.scale * dpr;
  const step = STEP_PX / dev;
  // What the screen shows, in board units.
  const x0 = -v.x / v.scale;
  const y0 = -v.y / v.scale;
  const x1 = x0 + w / v.scale;
  const y1 = y0 + h / v.scale;
  // Two layers (highlighters, the rest); in each, a path per color and width.
  const layers = [new Map<string, Path2D>(), new Map<string, Path2D>()];
  const { xy, start, tool, color, width } = sk;
  for (let i = 0; i < sk.n; i++) {
    const a = start[i];
    const b = start[i + 1];
    const wd = width[i];
    let sx0 = Infinity;
    let sy0 = Infinity;
    let sx1 = -Infinity;
    let sy1 = -Infinity;
    for (let j = a; j < b; j++) {
      const x = xy[2 * j];
      const y = xy[2 * j + 1];
      if (x < sx0) sx0 = x;
      if (x > sx1) sx1 = x;
      if (y < sy0) sy0 = y;
      if (y > sy1) sy1 = y;
    }
    if (sx1 + wd < x0 || sx0 - wd > x1 || sy1 + wd < y0 || sy0 - wd > y1) continue;
    const layer = layers[tool[i] === TOOL_HIGHLIGHTER ? 0 : 1];
    const key = tool[i] + ' ' + color[i] + ' ' + wd;
    let path = layer.get(key);
    if (!path) layer.set(key, (path = new Path2D()));
    let lx = xy[2 * a];
    let ly = xy[2 * a + 1];
    path.moveTo(lx, ly);
    for (let j = a + 1; j < b - 1; j++) {
      const x = xy[2 * j];
      const y = xy[2 * j + 1];
      if (x - lx >= step || lx - x >= step || y - ly >= step || ly - y >= step) {
        path.lineTo(x, y);
        lx = x;
        ly = y;
      }
    }
    path.lineTo(xy[2 * (b - 1)], xy[2 * (b - 1) + 1]);
  }
  ctx.save();
  ctx.setTransform(dev, 0, 0, dev, v.x * dpr, v.y * dpr);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const layer of layers) {
    for (const [key, path] of layer) {
      const [t, c, wd] = key.split(' ').map(Number);
      ctx.strokeStyle = css(t, c);
      // A pen's outline is narrower than its width (the coarse picture's measure); a highlighter's and a line's are the width.
      ctx.lineWidth = t === TOOL_PEN ? wd * 0.75 : wd;
      ctx.stroke(path);
    }
  }
  ctx.restore();
}
