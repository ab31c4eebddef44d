// The committed layer: the board's closed, shown strokes painted once onto a
// canvas that is never attached to the document, and copied to the screen
// each frame. sync() compares what should be there with what is:
//
//   new strokes above everything painted   painted on top, nothing else
//   a stroke gone (erased, cleared)        its rectangle repainted
//   a new stroke below painted ones        its rectangle repainted
//   many changes, a snapshot, a resize     everything repainted
//
// A rectangle is repainted by clearing it and painting, clipped to it, every
// stroke that crosses it, in z-order.

import { area, intersects, isEmpty, union, type Rect } from '../geometry/bounds';
import { screenRect, type View } from '../geometry/view';
import type { Stroke } from '../protocol/board';
import type { StrokePainter } from './paint';

/** More dirty rectangles than this, or more than half the screen: repaint all. */
const MAX_REGIONS = 32;

export interface LayerStats {
  full: number;
  regions: number;
  painted: number;
}

export class CommittedLayer {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  /** Strokes on the layer, with the rectangle each may cover. */
  private drawn = new Map<Stroke, Rect>();
  private valid = false;
  private view: View;
  private cssW = 0;
  private cssH = 0;
  private dpr = 1;
  readonly stats: LayerStats = { full: 0, regions: 0, painted: 0 };

  constructor(private readonly painter: StrokePainter, view: View) {
    this.canvas = document.createElement('canvas');
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('sketchpad: no 2d canvas context');
    this.ctx = ctx;
    this.view = view;
  }

  /** resize sets the layer's size; it is repainted at the next sync. */
  resize(cssW: number, cssH: number, dpr: number): void {
    this.cssW = cssW;
    this.cssH = cssH;
    this.dpr = dpr;
    this.canvas.width = Math.max(1, Math.round(cssW * dpr));
    this.canvas.height = Math.max(1, Math.round(cssH * dpr));
    this.valid = false;
  }

  /** setView changes the view; the layer is repainted at the next sync. */
  setView(v: View): void {
    this.view = v;
    this.valid = false;
  }

  /** invalidate asks for a full repaint at the next sync. */
  invalidate(): void {
    this.valid = false;
  }

  /** sync makes the layer show exactly desired (closed, shown strokes in z-order). */
  sync(desired: readonly Stroke[]): void {
    if (!this.valid) return this.repaintAll(desired);
    const want = new Set(desired);
    const dirty: Rect[] = [];
    for (const [s, r] of this.drawn) {
      if (!want.has(s)) {
        dirty.push(r);
        this.drawn.delete(s);
      }
    }
    let top = -1; // index in desired of the highest stroke already painted
    for (let i = desired.length - 1; i >= 0; i--) {
      if (this.drawn.has(desired[i])) {
        top = i;
        break;
      }
    }
    for (let i = 0; i < top; i++) {
      const s = desired[i];
      if (!this.drawn.has(s)) dirty.push(this.painter.bounds(s));
    }
    const screen = screenRect(this.view, this.cssW, this.cssH);
    const visible = dirty.filter((r) => !isEmpty(r) && intersects(r, screen));
    if (visible.length > MAX_REGIONS || visible.reduce((a, r) => a + area(clip(r, screen)), 0) > area(screen) / 2) {
      return this.repaintAll(desired);
    }
    for (const r of visible) this.repaintRegion(r, desired, top);
    for (let i = 0; i <= top; i++) {
      const s = desired[i];
      if (!this.drawn.has(s)) this.drawn.set(s, this.painter.bounds(s));
    }
    this.begin();
    for (let i = top + 1; i < desired.length; i++) {
      const s = desired[i];
      const r = this.painter.bounds(s);
      if (intersects(r, screen)) this.paint(s);
      this.drawn.set(s, r);
    }
    this.ctx.restore();
  }

  private begin(): void {
    const v = this.view;
    const k = this.dpr;
    this.ctx.save();
    this.ctx.setTransform(v.scale * k, 0, 0, v.scale * k, v.x * k, v.y * k);
  }

  private paint(s: Stroke): void {
    this.painter.paint(this.ctx, s, true);
    this.stats.painted++;
  }

  private repaintAll(desired: readonly Stroke[]): void {
    this.stats.full++;
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.drawn = new Map();
    const screen = screenRect(this.view, this.cssW, this.cssH);
    this.begin();
    for (const s of desired) {
      const r = this.painter.bounds(s);
      if (intersects(r, screen)) this.paint(s);
      this.drawn.set(s, r);
    }
    ctx.restore();
    this.valid = true;
  }

  /** repaintRegion clears r and repaints the strokes up to desired[top] that cross it. */
  private repaintRegion(r: Rect, desired: readonly Stroke[], top: number): void {
    this.stats.regions++;
    const ctx = this.ctx;
    const v = this.view;
    const k = this.dpr;
    // The rectangle in device pixels, grown to whole pixels.
    const x0 = Math.floor((r.minX * v.scale + v.x) * k) - 1;
    const y0 = Math.floor((r.minY * v.scale + v.y) * k) - 1;
    const x1 = Math.ceil((r.maxX * v.scale + v.x) * k) + 1;
    const y1 = Math.ceil((r.maxY * v.scale + v.y) * k) + 1;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.beginPath();
    ctx.rect(x0, y0, x1 - x0, y1 - y0);
    ctx.clip();
    ctx.clearRect(x0, y0, x1 - x0, y1 - y0);
    ctx.setTransform(v.scale * k, 0, 0, v.scale * k, v.x * k, v.y * k);
    // The rectangle in board units, grown like the device one.
    const grown = union(r, {
      minX: (x0 / k - v.x) / v.scale,
      minY: (y0 / k - v.y) / v.scale,
      maxX: (x1 / k - v.x) / v.scale,
      maxY: (y1 / k - v.y) / v.scale,
    });
    for (let i = 0; i <= top && i < desired.length; i++) {
      const s = desired[i];
      if (intersects(this.painter.bounds(s), grown)) this.paint(s);
    }
    ctx.restore();
  }
}

function clip(r: Rect, to: Rect): Rect {
  return {
    minX: Math.max(r.minX, to.minX),
    minY: Math.max(r.minY, to.minY),
    maxX: Math.min(r.maxX, to.maxX),
    maxY: Math.min(r.maxY, to.maxY),
  };
}
