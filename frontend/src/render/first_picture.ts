// The picture a late joiner sees while a big board is being built: the
// snapshot's sketch (protocol/snapshot_sketch.ts) painted straight from its
// flat arrays, as the committed layer's coarse picture paints (one path and
// one stroke() per color and width, a point kept only every couple of
// device pixels), highlighters on an under canvas, the rest on an ink
// canvas, as the committed layer keeps them. The screen shows them; the
// layer's first full repaint of the board takes them as its coarse
// picture when they are still of that board and view (render/layer), and
// paints the exact one over later tasks as after any coarse picture.

import type { SnapshotSketch } from '../protocol/snapshot_sketch';
import { TOOL_HIGHLIGHTER, TOOL_PEN } from '../protocol/types';
import { sameView, type View } from '../geometry/view';
import type { Stroke } from '../protocol/board';

/** FirstPicture is a sketch painted before its board was built, offered to the layer. */
export interface FirstPicture {
  /** The highlighters (null: none), and everything else, in device pixels. */
  readonly under: HTMLCanvasElement | null;
  readonly ink: HTMLCanvasElement;
  readonly view: View;
  /** Whether the layer's strokes (closed, shown, in z-order) are those the picture shows: the board as it came, nothing applied since. */
  readonly shows: (desired: readonly Stroke[]) => boolean;
}

/** copyFirstPicture copies p into a layer's cleared canvases t if it is of desired in view, at their size; it reports whether it did. */
export function copyFirstPicture(p: FirstPicture, t: { readonly under: CanvasRenderingContext2D; readonly ink: CanvasRenderingContext2D }, desired: readonly Stroke[], view: View): boolean {
  const fits = p.ink.width === t.ink.canvas.width && p.ink.height === t.ink.canvas.height;
  if (!fits || !sameView(p.view, view) || !p.shows(desired)) return false;
  t.ink.setTransform(1, 0, 0, 1, 0, 0);
  t.ink.drawImage(p.ink, 0, 0);
  if (p.under) {
    t.under.setTransform(1, 0, 0, 1, 0, 0);
    t.under.drawImage(p.under, 0, 0);
  }
  return true;
}

/** A point is kept only this far (device pixels) from the last one kept, as in the coarse picture. */
const STEP_PX = 2;

/**
 * paintSketch paints sk through view v on canvases of w × h CSS pixels,
 * dpr device pixels each: the highlighters into under, the rest into ink;
 * css gives a stroke's color for its tool. It reports whether it painted
 * a highlighter.
 */
export function paintSketch(under: CanvasRenderingContext2D, ink: CanvasRenderingContext2D, sk: SnapshotSketch, v: View, dpr: number, w: number, h: number, css: (tool: number, color: number) => string): boolean {
  const dev = v.scale * dpr;
  const step = STEP_PX / dev;
  // What the screen shows, in board units.
  const x0 = -v.x / v.scale;
  const y0 = -v.y / v.scale;
  const x1 = x0 + w / v.scale;
  const y1 = y0 + h / v.scale;
  // Two layers (highlighters, the rest); in each, a path per color, and per tool and width.
  const layers = [new Map<number, Map<number, Path2D>>(), new Map<number, Map<number, Path2D>>()];
  const { xy, start, tool, color, width } = sk;
  let thin: Thin | null = null;
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
    // A pen or a line thinner than a device pixel: its pixels set straight (a call into a path per point costs more than the rest of the picture).
    const line = (tool[i] === TOOL_PEN ? wd * 0.75 : wd) * dev;
    if (line < THIN_PX && tool[i] !== TOOL_HIGHLIGHTER) {
      thin ??= new Thin(ink.canvas.width, ink.canvas.height);
      thin.polyline(xy, a, b, dev, v.x * dpr, v.y * dpr, abgr(color[i], line));
      continue;
    }
    const layer = layers[tool[i] === TOOL_HIGHLIGHTER ? 0 : 1];
    let byKind = layer.get(color[i]);
    if (!byKind) layer.set(color[i], (byKind = new Map()));
    const kind = wd * 16 + tool[i];
    let path = byKind.get(kind);
    if (!path) byKind.set(kind, (path = new Path2D()));
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
  if (thin) ink.putImageData(thin.img, 0, 0);
  layers.forEach((layer, i) => {
    const ctx = i === 0 ? under : ink;
    ctx.save();
    ctx.setTransform(dev, 0, 0, dev, v.x * dpr, v.y * dpr);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    for (const [c, byKind] of layer) {
      for (const [kind, path] of byKind) {
        const t = kind % 16;
        const wd = (kind - t) / 16;
        ctx.strokeStyle = css(t, c);
        // A pen's outline is narrower than its width (the coarse picture's measure); a highlighter's and a line's are the width.
        ctx.lineWidth = t === TOOL_PEN ? wd * 0.75 : wd;
        ctx.stroke(path);
      }
    }
    ctx.restore();
  });
  return layers[0].size > 0;
}

/** A stroke thinner than this many device pixels has its pixels set, not a path stroked. */
const THIN_PX = 1;

/** abgr is RGBA color c as an ImageData pixel (little-endian: A, B, G, R from the top byte), its alpha scaled by a line's coverage. */
function abgr(c: number, coverage: number): number {
  const a = Math.round((c & 0xff) * Math.max(0.4, Math.min(1, coverage)));
  return ((a << 24) | (((c >>> 8) & 0xff) << 16) | (((c >>> 16) & 0xff) << 8) | ((c >>> 24) & 0xff)) >>> 0;
}

/** Thin is an ImageData the thin strokes' pixels are set in, each stroke over the ones before it. */
class Thin {
  readonly img: ImageData;
  private readonly px: Uint32Array;
  /** Pixels it may still set, all strokes together: a board of long segments across the screen costs no more than a few screens' worth. */
  private budget: number;

  constructor(
    private readonly w: number,
    private readonly h: number,
  ) {
    this.img = new ImageData(w, h);
    this.px = new Uint32Array(this.img.data.buffer);
    this.budget = 8 * w * h;
  }

  /** polyline sets the pixels along points a..b-1 of xy (board units; device pixel = board × k + (ox, oy)). */
  polyline(xy: Int32Array, a: number, b: number, k: number, ox: number, oy: number, pixel: number): void {
    let px = xy[2 * a] * k + ox;
    let py = xy[2 * a + 1] * k + oy;
    this.set(px, py, pixel);
    for (let j = a + 1; j < b; j++) {
      const x = xy[2 * j] * k + ox;
      const y = xy[2 * j + 1] * k + oy;
      // A segment wholly off one side of the screen sets nothing.
      const off = (x < 0 && px < 0) || (y < 0 && py < 0) || (x >= this.w && px >= this.w) || (y >= this.h && py >= this.h);
      const n = off ? 0 : Math.min(this.budget, Math.ceil(Math.max(Math.abs(x - px), Math.abs(y - py))));
      this.budget -= n;
      for (let t = 1; t <= n; t++) this.set(px + ((x - px) * t) / n, py + ((y - py) * t) / n, pixel);
      px = x;
      py = y;
    }
  }

  private set(x: number, y: number, pixel: number): void {
    const ix = Math.floor(x);
    const iy = Math.floor(y);
    if (ix < 0 || iy < 0 || ix >= this.w || iy >= this.h) return;
    this.px[iy * this.w + ix] = pixel;
  }
}
