// The committed layer as it will be once a big selection is lifted off it,
// painted ahead (render/lift_prep) into canvases of its own, as a full
// repaint of the layer paints it: every stroke that crosses the screen, in
// z-order, with the same transform and the same calls, so the pixels are
// the same. The layer takes it in a swap (CommittedLayer.adopt) when the
// drag starts, instead of repainting then.

import { intersects, type Rect } from '../geometry/bounds';
import type { View } from '../geometry/view';
import type { Stroke } from '../protocol/board';
import { TOOL_HIGHLIGHTER } from '../protocol/types';
import type { StrokePainter } from './paint';
import { coarseMin } from './refine';

/** Strokes painted between looks at the clock. */
const PIECE = 64;

/**
 * LayerPicture is desired, which is base without some strokes, painted in
 * view into ink and under. CommittedLayer.adopt swaps canvases with it.
 */
export interface LayerPicture {
  ink: HTMLCanvasElement;
  under: HTMLCanvasElement;
  readonly desired: readonly Stroke[];
  readonly base: readonly Stroke[];
  readonly view: View;
  /** No highlighter painted on under; nothing painted at all. */
  readonly underBlank: boolean;
  readonly blank: boolean;
}

/**
 * paintingLayerPicture paints desired (base without some strokes) as the
 * layer would show it in view, dpr device pixels per CSS pixel, the screen
 * being the board rectangle screen, into new canvases w × h device pixels
 * (the layer's), PIECE strokes at a time, yielding between them (painted
 * ahead in idle slices). It returns the picture, or null when the screen
 * holds so many strokes that the layer would paint a coarse picture first.
 */
export function* paintingLayerPicture(
  painter: StrokePainter,
  desired: readonly Stroke[],
  base: readonly Stroke[],
  view: View,
  dpr: number,
  screen: Rect,
  w: number,
  h: number,
): Generator<void, LayerPicture | null> {
  const shown = desired.filter((s) => intersects(painter.bounds(s), screen));
  if (shown.length >= coarseMin()) return null;
  yield;
  const ink = document.createElement('canvas');
  const under = document.createElement('canvas');
  const t = { ink: context(ink), under: context(under) };
  const dev = view.scale * dpr;
  let done = false;
  try {
    for (const [c, ctx] of [[ink, t.ink], [under, t.under]] as const) {
      c.width = w;
      c.height = h;
      ctx.save();
      ctx.setTransform(dev, 0, 0, dev, view.x * dpr, view.y * dpr);
      // A canvas the size of the screen is a piece of its own.
      yield;
    }
    // Each piece's paintAll sets the styles it uses (as the refinement's slices do): the pixels are one call's.
    for (let i = 0; i < shown.length; i += PIECE) {
      painter.paintAll(t, shown.slice(i, i + PIECE), dev);
      yield;
    }
    done = true;
  } finally {
    // Stopped half way: the canvases' memory back.
    if (!done) release({ ink, under });
  }
  t.ink.restore();
  t.under.restore();
  return { ink, under, desired, base, view, underBlank: !shown.some((s) => s.tool === TOOL_HIGHLIGHTER), blank: shown.length === 0 };
}

/** release gives back the memory of a picture's canvases. */
export function release(p: { readonly ink: HTMLCanvasElement; readonly under: HTMLCanvasElement }): void {
  for (const c of [p.ink, p.under]) {
    c.width = 1;
    c.height = 1;
  }
}

function context(c: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = c.getContext('2d');
  if (!ctx) throw new Error('sketchpad: no 2d canvas context');
  return ctx;
}
