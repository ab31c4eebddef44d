// The renderer owns the one <canvas> of the page. Each frame that something
// changed it brings the committed layer up to date, copies it to the
// screen, and paints on top what is still growing: others' open strokes,
// our unconfirmed strokes, the eraser's ring.

import type { Editor } from '../edit/editor';
import { HOME_VIEW, type View } from '../geometry/view';
import { CommittedLayer } from './layer';
import { StrokePainter } from './paint';

export interface EraserRing {
  /** Center in CSS pixels. */
  readonly x: number;
  readonly y: number;
  /** Radius in CSS pixels. */
  readonly r: number;
}

export class Renderer {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly painter = new StrokePainter();
  readonly layer: CommittedLayer;
  private viewV: View = HOME_VIEW;
  private dpr = 1;
  private cssW = 0;
  private cssH = 0;
  private ring: EraserRing | null = null;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly editor: Editor) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('sketchpad: no 2d canvas context');
    this.ctx = ctx;
    this.layer = new CommittedLayer(this.painter, this.viewV);
  }

  get view(): View {
    return this.viewV;
  }

  setView(v: View): void {
    this.viewV = v;
    this.layer.setView(v);
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
  }

  /** setRing shows (or hides, with null) the eraser's ring. */
  setRing(r: EraserRing | null): void {
    this.ring = r;
  }

  /** frame paints the screen. */
  frame(): void {
    this.layer.sync(this.editor.committed());
    const ctx = this.ctx;
    const k = this.dpr;
    const v = this.viewV;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.drawImage(this.layer.canvas, 0, 0);
    ctx.setTransform(v.scale * k, 0, 0, v.scale * k, v.x * k, v.y * k);
    for (const item of this.editor.overlay()) this.painter.paint(ctx, item.stroke, item.complete);
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
  }
}
