// The renderer owns the drawing surface, the one big <canvas> of the page.
// Each frame that something changed it brings the committed layer up to
// date, copies it to the screen (the under layer, then what is growing on
// it, then the ink layer), and paints on top what is still growing: others'
// open strokes, our unconfirmed strokes, what our pending moves moved. The
// canvas holds nothing else (the eraser's ring and the selection are
// elements over it: ui/decor).

import { ImageCache } from './images';
import type { Editor, OverlayItem } from '../edit/editor';
import { TOOL_HIGHLIGHTER } from '../protocol/types';
import { HOME_VIEW, sameView, snapView, type View } from '../geometry/view';
import { CommittedLayer } from './layer';
import { StrokePainter } from './paint';

/** RenderSource is what a renderer draws: the page's editor, or a board of the past (history/). */
export type RenderSource = Pick<Editor, 'committed' | 'overlay'>;

/** A zoom on a board slow to repaint is repainted once the view has been still this long (ms). */
const SETTLE_MS = 160;

export interface RenderStats {
  /** Frames painted. */
  frames: number;
  /** How long the last frame took (ms), committed layer included. */
  lastFrameMs: number;
  /** How long bringing the committed layer up to date took in the last frame (ms, the script's part: outlines, paint calls). */
  lastSyncMs: number;
  /** How long the last full repaint of the committed layer took (ms). */
  lastFullRenderMs: number;
  /** Full repaints, rectangles repainted, pans done by shifting pixels. */
  fullRenders: number;
  regionRenders: number;
  shifts: number;
  /** Strokes painted into the committed layer, all told. */
  painted: number;
  /**
   * How long the last snapshot took from its frame's arrival (decoding
   * included) to the end of the first frame that showed it (ms); 0 before one.
   */
  openMs: number;
  /** When that first frame ended, in ms since the page's navigation started (performance.now()); 0 before one. */
  shownAt: number;
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
  private frames = 0;
  private lastFrameMs = 0;
  private lastSyncMs = 0;
  private openMs = 0;
  private shownAt = 0;
  private lastCommitted: readonly unknown[] = [];
  private committedAt = 0;
  private openedAt = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly editor: RenderSource,
    /** Asks for a frame (the settle after a zoom). */
    private readonly requestFrame: () => void,
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

  stats(): RenderStats {
    const s = this.layer.stats;
    return {
      frames: this.frames,
      lastFrameMs: this.lastFrameMs,
      lastSyncMs: this.lastSyncMs,
      lastFullRenderMs: s.lastFullMs,
      fullRenders: s.full,
      regionRenders: s.regions,
      shifts: s.shifts,
      painted: s.painted,
      openMs: this.openMs,
      shownAt: this.shownAt,
    };
  }

  /** setDark says whether the dark theme shows the board (highlighters are painted for its filter). */
  setDark(dark: boolean): void {
    if (this.painter.dark === dark) return;
    this.painter.dark = dark;
    this.layer.invalidate();
    this.requestFrame();
  }

  /** useImages tells the painter where the board's images are fetched (render/images.ts); each repaints the board when it arrives. */
  useImages(urlOf: (hash: string) => string): void {
    this.painter.images = new ImageCache(urlOf, () => this.repaint());
  }

  /** repaint paints everything again (the text font arrived, an image arrived). */
  repaint(): void {
    this.layer.invalidate();
    this.requestFrame();
  }

  /** snapshotArrived says a snapshot's frame arrived at t (performance.now()): the next frame measures openMs. */
  snapshotArrived(t: number): void {
    this.openedAt = t;
    this.layer.invalidate();
  }

  /** frame paints the screen. */
  frame(): void {
    const t0 = performance.now();
    const v = this.viewV;
    const settled = t0 - this.viewChangedAt >= SETTLE_MS;
    const committed = this.editor.committed();
    if (committed !== this.lastCommitted) {
      this.lastCommitted = committed;
      this.committedAt = t0;
    }
    // Strokes drawn through a scale of their originals (a big selection
    // being resized) get their own paths once the board has been still.
    if (this.painter.approximate > 0) {
      if (t0 - this.committedAt >= SETTLE_MS) {
        this.painter.exactify();
        this.layer.invalidate();
      } else this.settleLater();
    }
    this.layer.sync(committed, v, settled);
    this.lastSyncMs = performance.now() - t0;
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
    for (const item of overlay) if (item.stroke.tool === TOOL_HIGHLIGHTER) this.paintMoved(ctx, item);
    if (stale) {
      const f = v.scale / r.scale;
      ctx.setTransform(f, 0, 0, f, (v.x - r.x * f) * k, (v.y - r.y * f) * k);
    } else ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.layer.ink, 0, 0);
    for (const item of overlay) if (item.stroke.tool !== TOOL_HIGHLIGHTER) this.paintMoved(ctx, item);
    this.frames++;
    const t1 = performance.now();
    this.lastFrameMs = t1 - t0;
    if (this.openedAt) {
      this.openMs = t1 - this.openedAt;
      this.shownAt = t1;
      this.openedAt = 0;
    }
  }

  /** paintMoved paints an overlay item at its offset. */
  private paintMoved(ctx: CanvasRenderingContext2D, item: OverlayItem): void {
    const v = this.viewV;
    const k = this.dpr;
    ctx.setTransform(v.scale * k, 0, 0, v.scale * k, (v.x + item.dx * v.scale) * k, (v.y + item.dy * v.scale) * k);
    this.painter.paint(ctx, item.stroke, item.complete);
  }

  private settleLater(): void {
    if (this.settleTimer !== null) return;
    this.settleTimer = window.setTimeout(() => {
      this.settleTimer = null;
      this.requestFrame();
    }, SETTLE_MS + 10);
  }
}
