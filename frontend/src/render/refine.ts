// The exact picture of a big board, painted over several tasks while the
// screen shows a coarse one. A full repaint of tens of thousands of strokes
// (a late joiner's first screen, a zoom that settles) takes about a
// second of one task: the committed layer paints a coarse picture at once
// (StrokePainter.paintCoarse: a stroke() per color and width, not per
// stroke), and a Refinement paints the exact one on canvases of its own,
// in z-order, a slice of strokes per task, so that frames and input go on
// meanwhile. The layer takes its pixels once it is done, if the strokes
// and the view are still those it painted (render/layer.ts).

import type { View } from '../geometry/view';
import type { Stroke } from '../protocol/board';
import { appendedTo } from '../edit/committed_cache';
import type { LayerTargets, StrokePainter } from './paint';

/**
 * A full repaint of at least this many strokes on the screen paints a
 * coarse picture first and the exact one over the next tasks.
 */
export const COARSE_MIN = 25_000;

/** coarseMin is COARSE_MIN, or what a browser test set (window.sketchpadCoarseMin) to have a page paint exactly at once. */
export function coarseMin(): number {
  return (globalThis as { sketchpadCoarseMin?: number }).sketchpadCoarseMin ?? COARSE_MIN;
}

/** A task paints strokes for about this long (ms) before it lets the page go on: half a frame, so that a frame still fits beside it. */
const SLICE_MS = 8;

/**
 * Strokes painted between looks at the clock. A stroke whose outline is
 * not built yet (every stroke of a selection just resized or turned,
 * painted whole when it is put back) costs many times one whose outline
 * is, so the clock is looked at often enough for those.
 */
const CHUNK = 32;

export class Refinement {
  /** The canvases, made in the first task (a put-back starts one in a frame, and two screens of canvas are not free). */
  private underC: HTMLCanvasElement | null = null;
  private inkC: HTMLCanvasElement | null = null;
  private targets: LayerTargets | null = null;
  private cancelled = false;
  /** Strokes added on top since it started, painted last, one by one, as the layer paints them. */
  private readonly onTop: Stroke[] = [];
  private doneV = false;
  /** Script time spent painting, ms. */
  private spentV = 0;

  /**
   * The refinement paints strokes (those of desired that the screen
   * crosses, bottom first; a function: worked out in the first task) in
   * view on canvases of w × h device pixels, dev device pixels a board
   * unit, and calls done when it has finished.
   */
  constructor(
    private readonly painter: StrokePainter,
    private desiredV: readonly Stroke[],
    strokes: readonly Stroke[] | (() => readonly Stroke[]),
    readonly view: View,
    private readonly dpr: number,
    private readonly w: number,
    private readonly h: number,
    private readonly done: () => void,
  ) {
    void this.run(strokes);
  }

  /** The picture's canvases (once finished). */
  get under(): HTMLCanvasElement {
    return this.underC!;
  }

  get ink(): HTMLCanvasElement {
    return this.inkC!;
  }

  /** The layer's strokes this picture is of (the list it painted, and any added on top since). */
  get desired(): readonly Stroke[] {
    return this.desiredV;
  }

  /**
   * follow takes the layer's strokes as they change, with the strokes they
   * gained on top (those on the screen, onScreen), which it paints last. It
   * returns false when desired is not its list with strokes added on top:
   * the picture is no longer of the layer's strokes.
   */
  follow(desired: readonly Stroke[], onScreen: (s: Stroke) => boolean): boolean {
    if (desired === this.desiredV) return true;
    const added = appendedTo(desired, this.desiredV);
    if (!added) return false;
    this.desiredV = desired;
    for (const s of added) if (onScreen(s)) this.onTop.push(s);
    return true;
  }

  /** finished says every stroke is painted. */
  get finished(): boolean {
    return this.doneV;
  }

  /** spent is the script time the painting took so far, ms. */
  get spent(): number {
    return this.spentV;
  }

  /** finish paints the strokes added on top since it started (call it once finished, before taking the pixels). */
  finish(dev: number): void {
    const t = this.targets;
    if (!t) return;
    for (const s of this.onTop) this.painter.paintAll(t, [s], dev);
    this.onTop.length = 0;
  }

  /** copyTo puts the picture's pixels in place of t's (the under layer's too when under). */
  copyTo(t: LayerTargets, under: boolean): void {
    const pairs: Array<[CanvasRenderingContext2D, HTMLCanvasElement]> = [[t.ink, this.ink]];
    if (under) pairs.push([t.under, this.under]);
    for (const [ctx, from] of pairs) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, from.width, from.height);
      ctx.drawImage(from, 0, 0);
    }
  }

  /** cancel stops the painting (the strokes or the view changed). */
  cancel(): void {
    this.cancelled = true;
  }


  private async run(list: readonly Stroke[] | (() => readonly Stroke[])): Promise<void> {
    await nextTask();
    if (this.cancelled) return;
    const t0 = performance.now();
    const strokes = typeof list === 'function' ? list() : list;
    const v = this.view;
    const dev = v.scale * this.dpr;
    this.underC = canvas(this.w, this.h);
    this.inkC = canvas(this.w, this.h);
    const targets: LayerTargets = { under: context(this.underC), ink: context(this.inkC) };
    for (const ctx of [targets.under, targets.ink]) ctx.setTransform(dev, 0, 0, dev, v.x * this.dpr, v.y * this.dpr);
    this.targets = targets;
    this.spentV += performance.now() - t0;
    let i = 0;
    while (i < strokes.length) {
      await nextTask();
      if (this.cancelled) return;
      const t0 = performance.now();
      do {
        const j = Math.min(strokes.length, i + CHUNK);
        this.painter.paintAll(targets, strokes.slice(i, j), dev);
        i = j;
      } while (i < strokes.length && performance.now() - t0 < SLICE_MS);
      this.spentV += performance.now() - t0;
    }
    if (this.cancelled) return;
    this.doneV = true;
    this.done();
  }
}

/**
 * nextTask resolves in a new task, after whatever input and frames wait (a
 * message, not a timer: chained timers are held back 4 ms each).
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

function canvas(w: number, h: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}

function context(c: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = c.getContext('2d');
  if (!ctx) throw new Error('sketchpad: no 2d canvas context');
  return ctx;
}
