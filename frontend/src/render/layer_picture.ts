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
 * paintLayerPicture paints desired (base without some strokes) as the
 * layer would show it in view, dpr device pixels per CSS pixel, the screen
 * being the board rectangle screen, into canvases w × h device pixels (the
 * layer's): ink and under when given, else new ones. It returns null when
 * the screen holds so many strokes that the layer would paint a coarse
 * picture first (one idle task is not the place for the exact one).
 */
export function paintLayerPicture(
  painter: StrokePainter,
  desired: readonly Stroke[],
  base: readonly Stroke[],
  view: View,
  dpr: number,
  screen: Rect,
  w: number,
  h: number,
  reuse?: { readonly ink: HTMLCanvasElement; readonly under: HTMLCanvasElement },
): LayerPicture | null {
  const shown = desired.filter((s) => intersects(painter.bounds(s), screen));
  if (shown.length >= coarseMin()) return null;
  const ink = reuse?.ink ?? document.createElement('canvas');
  const under = reuse?.under ?? document.createElement('canvas');
  const t = { ink: context(ink), under: context(under) };
  for (const [c, ctx] of [[ink, t.ink], [under, t.under]] as const) {
    // Sizing a canvas clears it; one of the right size is cleared.
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    } else {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, w, h);
    }
    ctx.save();
    ctx.setTransform(view.scale * dpr, 0, 0, view.scale * dpr, view.x * dpr, view.y * dpr);
  }
  painter.paintAll(t, shown, view.scale * dpr);
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
