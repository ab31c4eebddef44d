// The renderer owns the drawing surface, the one big <canvas> of the page.
// Each frame that something changed it brings the committed layer up to
// date, copies it to the screen (the under layer, then what is growing on
// it, then the ink layer), and paints on top what is still growing: others'
// open strokes, our unconfirmed strokes, the eraser's ring.

import type { Editor, OverlayItem } from '../edit/editor';
import { isEmpty, type Rect } from '../geometry/bounds';
import { T_HIGHLIGHTER } from '../geometry/shape';
import { HOME_VIEW, sameView, snapView, toScreen, type View } from '../geometry/view';
import { CommittedLayer } from './layer';
import { StrokePainter } from './paint';

export interface EraserRing {
  /** Center in CSS pixels. */
  readonly x: number;
  readonly y: number;
  /** Radius in CSS pixels. */
  readonly r: number;
}

/** Decor is what is drawn over the board: the selection's box, the marquee (board units). */
export interface Decor {
  readonly selection: Rect | null;
  readonly marquee: Rect | null;
}

/** A zoom on a board slow to repaint is repainted once the view has been still this long (ms). */
const SETTLE_MS = 160;

export interface RenderStats {
  /** Frames painted. */
  frames: number;
  /** How long the last frame took (ms), committed layer included. */
  lastFrameMs: number;
  /** How long the last full repaint of the committed layer took (ms). */
  lastFullRenderMs: number;
  /** Full repaints, rectangles repainted, pans done by shifting pixels. */
  fullRenders: number;
  regionRenders: number;
  shifts: number;
  /** Strokes painted into the committed layer, all told. */
  painted: number;
}

export class Renderer {
  private readonly ctx: CanvasRenderingContext2D;
  readonly painter = new StrokePainter();
  readonly layer: CommittedLayer;
  private viewV: View = HOME_VIEW;
  private viewChangedAt = 0;
  private settleTimer: number | null = null;
  private dpr = 1;
  private cssW = 0;
  private cssH = 0;
  private ring: EraserRing | null = null;
  private frames = 0;
  private lastFrameMs = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly editor: Editor,
    /** Asks for a frame (the settle after a zoom). */
    private readonly requestFrame: () => void,
    private readonly decor: () => Decor = () => ({ selection: null, marquee: null }),
  ) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('sketchpad: no 2d canvas context');
    this.ctx = ctx;
    this.layer = new CommittedLayer(this.painter, this.viewV);
  }

  get view(): View {
    return this.viewV;
  }

  /** width and height of the surface in CSS pixels. */
  get width(): number {
    return this.cssW;
  }

  get height(): number {
    return this.cssH;
  }

  /** setView changes the view (its origin snapped to whole device pixels); it returns the view set. */
  setView(v: View): View {
    const s = snapView(v, this.dpr);
    if (!sameView(s, this.viewV)) {
      this.viewV = s;
      this.viewChangedAt = performance.now();
    }
    return this.viewV;
  }

  /** resize matches the canvas to its CSS size and the device pixel ratio. */
  resize(): void {
    const dpr = Math.max(1, Math.min(4, window.devicePixelRatio || 1));
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    if (w === this.cssW && h === this.cssH && dpr === this.dpr) return;
    this.cssW = w;
    this.cssH = h;
    this.dpr = dpr;
    this.canvas.width = Math.max(1, Math.round(w * dpr));
    this.canvas.height = Math.max(1, Math.round(h * dpr));
    this.layer.resize(w, h, dpr);
    this.viewV = snapView(this.viewV, dpr);
  }

  /** setRing shows (or hides, with null) the eraser's ring. */
  setRing(r: EraserRing | null): void {
    this.ring = r;
  }

  stats(): RenderStats {
    const s = this.layer.stats;
    return {
      frames: this.frames,
      lastFrameMs: this.lastFrameMs,
      lastFullRenderMs: s.lastFullMs,
      fullRenders: s.full,
      regionRenders: s.regions,
      shifts: s.shifts,
      painted: s.painted,
    };
  }

  /** frame paints the screen. */
  frame(): void {
    const t0 = performance.now();
    const v = this.viewV;
    const settled = t0 - this.viewChangedAt >= SETTLE_MS;
    this.layer.sync(this.editor.committed(), v, settled);
    const ctx = this.ctx;
    const k = this.dpr;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const overlay = this.editor.overlay();
    const r = this.layer.rendered;
    const stale = !sameView(r, v);
    if (stale) {
      // A zoom waiting to settle: the old pixels, scaled.
      const f = v.scale / r.scale;
      ctx.setTransform(f, 0, 0, f, (v.x - r.x * f) * k, (v.y - r.y * f) * k);
      this.settleLater();
    }
    ctx.drawImage(this.layer.under, 0, 0);
    // Growing highlighters go with the committed ones, under the ink.
    for (const item of overlay) if (item.stroke.tool === T_HIGHLIGHTER) this.paintMoved(ctx, item);
    if (stale) {
      const f = v.scale / r.scale;
      ctx.setTransform(f, 0, 0, f, (v.x - r.x * f) * k, (v.y - r.y * f) * k);
    } else ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.layer.ink, 0, 0);
    for (const item of overlay) if (item.stroke.tool !== T_HIGHLIGHTER) this.paintMoved(ctx, item);
    this.paintDecor(ctx);
    const ring = this.ring;
    if (ring) {
      ctx.setTransform(k, 0, 0, k, 0, 0);
      ctx.beginPath();
      ctx.arc(ring.x, ring.y, ring.r, 0, Math.PI * 2);
      ctx.lineWidth = 1;
      ctx.strokeStyle = 'rgba(0,0,0,0.55)';
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(ring.x, ring.y, ring.r + 1, 0, Math.PI * 2);
      ctx.strokeStyle = 'rgba(255,255,255,0.8)';
      ctx.stroke();
    }
    this.frames++;
    this.lastFrameMs = performance.now() - t0;
  }

  /** paintMoved paints an overlay item at its offset. */
  private paintMoved(ctx: CanvasRenderingContext2D, item: OverlayItem): void {
    const v = this.viewV;
    const k = this.dpr;
    ctx.setTransform(v.scale * k, 0, 0, v.scale * k, (v.x + item.dx * v.scale) * k, (v.y + item.dy * v.scale) * k);
    this.painter.paint(ctx, item.stroke, item.complete);
  }

  private paintDecor(ctx: CanvasRenderingContext2D): void {
    const d = this.decor();
    if (!d.selection && !d.marquee) return;
    const k = this.dpr;
    ctx.setTransform(k, 0, 0, k, 0, 0);
    const box = (r: Rect, pad: number): [number, number, number, number] => {
      const a = toScreen(this.viewV, r.minX, r.minY);
      const b = toScreen(this.viewV, r.maxX, r.maxY);
      return [Math.round(a.x - pad) + 0.5, Math.round(a.y - pad) + 0.5, Math.round(b.x - a.x + 2 * pad), Math.round(b.y - a.y + 2 * pad)];
    };
    ctx.lineWidth = 1;
    if (d.selection && !isEmpty(d.selection)) {
      ctx.setLineDash([5, 4]);
      ctx.strokeStyle = 'rgba(25, 113, 194, 0.95)';
      ctx.strokeRect(...box(d.selection, 2));
      ctx.setLineDash([]);
    }
    if (d.marquee && !isEmpty(d.marquee)) {
      const b = box(d.marquee, 0);
      ctx.fillStyle = 'rgba(25, 113, 194, 0.08)';
      ctx.fillRect(...b);
      ctx.strokeStyle = 'rgba(25, 113, 194, 0.8)';
      ctx.strokeRect(...b);
    }
  }

  private settleLater(): void {
    if (this.settleTimer !== null) return;
    this.settleTimer = window.setTimeout(() => {
      this.settleTimer = null;
      this.requestFrame();
    }, SETTLE_MS + 10);
  }
}
