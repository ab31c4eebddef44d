// Rectangles of the committed layer (render/layer) repainted: every stroke
// that crosses one of them is painted, whole and in z-order, on a scratch
// canvas of the layer's size, and the rectangles are copied from it.
// (Painting through a clip would be cheaper, but Chromium antialiases a
// path cut by a clip differently from the same path painted whole: the
// layer would no longer be the same, pixel for pixel, as one painted from
// scratch, as on a page that just opened.)

import { union, type Rect } from '../geometry/bounds';
import type { View } from '../geometry/view';
import type { Stroke } from '../protocol/board';
import type { LayerTargets, StrokePainter } from './paint';

/** A rectangle of device pixels: x, y, width, height. */
export type DeviceRect = [number, number, number, number];

/**
 * deviceRects returns each of rs (board units) as the device pixels it
 * covers on a w × h layer painted in view v at pixel ratio k, grown to
 * whole pixels, and each of those back in board units (what crosses it is
 * repainted); rectangles off the layer are left out.
 */
export function deviceRects(rs: readonly Rect[], v: View, k: number, w: number, h: number): { dev: DeviceRect[]; grown: Rect[] } {
  const dev: DeviceRect[] = [];
  const grown: Rect[] = [];
  for (const r of rs) {
    const x0 = Math.max(0, Math.floor((r.minX * v.scale + v.x) * k) - 1);
    const y0 = Math.max(0, Math.floor((r.minY * v.scale + v.y) * k) - 1);
    const x1 = Math.min(w, Math.ceil((r.maxX * v.scale + v.x) * k) + 1);
    const y1 = Math.min(h, Math.ceil((r.maxY * v.scale + v.y) * k) + 1);
    if (x1 <= x0 || y1 <= y0) continue;
    dev.push([x0, y0, x1 - x0, y1 - y0]);
    grown.push(
      union(r, {
        minX: (x0 / k - v.x) / v.scale,
        minY: (y0 / k - v.y) / v.scale,
        maxX: (x1 / k - v.x) / v.scale,
        maxY: (y1 / k - v.y) / v.scale,
      }),
    );
  }
  return { dev, grown };
}

export class RegionPainter {
  /** The scratch canvases, of the layer's size: highlighters, and the rest. */
  private readonly under: HTMLCanvasElement;
  private readonly ink: HTMLCanvasElement;
  private readonly targets: LayerTargets;

  constructor(private readonly painter: StrokePainter) {
    this.under = document.createElement('canvas');
    this.ink = document.createElement('canvas');
    this.targets = { under: context(this.under), ink: context(this.ink) };
  }

  /** canvases are the scratch canvases, sized with the layer's. */
  get canvases(): readonly HTMLCanvasElement[] {
    return [this.under, this.ink];
  }

  /**
   * repaint repaints rectangles dev of to with strokes (those that cross
   * them, bottom first) in view v at pixel ratio k; to's under layer only
   * when it holds highlighters (underBlank false). It returns how many
   * strokes it painted.
   */
  repaint(to: LayerTargets, dev: readonly DeviceRect[], strokes: readonly Stroke[], v: View, k: number, underBlank: boolean): number {
    const st = this.targets;
    const layers = underBlank ? [st.ink] : [st.under, st.ink];
    // Only the rectangles are cleared: what the scratch holds elsewhere is
    // never copied.
    for (const ctx of layers) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      for (const [x, y, dw, dh] of dev) ctx.clearRect(x, y, dw, dh);
      ctx.save();
      ctx.setTransform(v.scale * k, 0, 0, v.scale * k, v.x * k, v.y * k);
    }
    const painted = this.painter.paintAll(st, strokes, v.scale * k);
    for (const ctx of layers) ctx.restore();
    const pairs: Array<[CanvasRenderingContext2D, HTMLCanvasElement]> = [[to.ink, this.ink]];
    if (!underBlank) pairs.push([to.under, this.under]);
    for (const [ctx, from] of pairs) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      for (const [x, y, dw, dh] of dev) {
        ctx.clearRect(x, y, dw, dh);
        ctx.drawImage(from, x, y, dw, dh, x, y, dw, dh);
      }
    }
    return painted;
  }
}

/** context returns c's 2D context (one a canvas gives each time it is asked). */
export function context(c: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = c.getContext('2d');
  if (!ctx) throw new Error('sketchpad: no 2d canvas context');
  return ctx;
}
