// Painting one stroke: its perfect-freehand outline as a filled path. The
// outline and its Path2D are cached per stroke and recomputed only when the
// stroke grew or ended.

import { strokeBounds, type Rect } from '../geometry/bounds';
import { strokeOutline } from '../geometry/outline';
import type { Paintable } from '../edit/editor';
import { cssColor } from './color';

interface Cached {
  n: number;
  complete: boolean;
  path: Path2D;
  bounds: Rect;
  fill: string;
}

/** outlinePath turns an outline polygon into a smooth closed path (midpoint quadratics). */
export function outlinePath(outline: readonly number[][]): Path2D {
  const path = new Path2D();
  const n = outline.length;
  if (n === 0) return path;
  if (n < 3) {
    path.moveTo(outline[0][0], outline[0][1]);
    for (const p of outline) path.lineTo(p[0], p[1]);
    path.closePath();
    return path;
  }
  const mid = (i: number, j: number, k: 0 | 1): number => (outline[i][k] + outline[j][k]) / 2;
  path.moveTo(mid(0, 1, 0), mid(0, 1, 1));
  for (let i = 1; i <= n; i++) {
    const a = i % n;
    const b = (i + 1) % n;
    path.quadraticCurveTo(outline[a][0], outline[a][1], mid(a, b, 0), mid(a, b, 1));
  }
  path.closePath();
  return path;
}

/** LayerTargets are the committed layer's two canvases: highlighters go under, the rest on the ink. */
export interface LayerTargets {
  readonly under: CanvasRenderingContext2D;
  readonly ink: CanvasRenderingContext2D;
}

export class StrokePainter {
  private readonly cache = new WeakMap<Paintable, Cached>();

  private entry(s: Paintable, complete: boolean): Cached {
    let c = this.cache.get(s);
    if (!c || c.n !== s.points.length || c.complete !== complete) {
      c = {
        n: s.points.length,
        complete,
        path: outlinePath(strokeOutline(s, complete)),
        bounds: strokeBounds(s.points, s.width),
        fill: c?.fill ?? cssColor(s.color),
      };
      this.cache.set(s, c);
    }
    return c;
  }

  /** bounds returns what painting s may touch, in board units. */
  bounds(s: Paintable): Rect {
    const c = this.cache.get(s);
    if (c && c.n === s.points.length) return c.bounds;
    return strokeBounds(s.points, s.width);
  }

  /** paintInto paints a committed stroke into the layer it belongs to. */
  paintInto(t: LayerTargets, s: Paintable): void {
    this.paint(t.ink, s, true);
  }

  /** paint fills s into ctx, whose transform maps board units to device pixels. */
  paint(ctx: CanvasRenderingContext2D, s: Paintable, complete: boolean): void {
    const c = this.entry(s, complete);
    ctx.fillStyle = c.fill;
    ctx.fill(c.path, 'nonzero');
  }
}
