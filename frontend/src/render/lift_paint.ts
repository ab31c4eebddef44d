// Painting a lifted selection's picture (render/lift): where on the
// bitmap the strokes near the screen go, and the painting itself, at once
// or over several tasks. A drag that pauses has its picture painted again
// exactly where the strokes are; for a thousand strokes that is many
// frames' work, and under load a frame that comes late finds the drag
// "paused" while the pointer still moves. Painted in one frame, that frame
// would be the drag's longest by far; painted in slices between frames (as
// the layer's exact picture is, render/refine), the frames go on showing
// the picture they have, and the first frame after the last slice swaps
// the new one in.

import { intersects, type Rect } from '../geometry/bounds';
import type { View } from '../geometry/view';
import type { Stroke } from '../protocol/board';
import { TOOL_HIGHLIGHTER } from '../protocol/types';
import type { Pose } from './lift_map';
import type { StrokePainter } from './paint';
import { SLICE_MS } from './idle_slices';
import { nextTask } from './refine';

/** The bitmap covers the strokes this far (in screens) beyond each edge of the screen, and at most this many device pixels a side. */
const MARGIN_SCREENS = 1;
const MAX_SIDE = 4096;
/** A picture painted in slices paints this many strokes between looks at the clock. */
export const PIECE = 16;

/** LiftItem is a lifted stroke as shown: drawn shifted by (dx, dy) (our pending moves). */
export interface LiftItem {
  readonly stroke: Stroke;
  readonly dx: number;
  readonly dy: number;
}

/** Layout is where a picture's strokes go: those near the screen in painting order, and the bitmap's corner (device pixels of view) and size. */
export interface Layout {
  readonly order: readonly LiftItem[];
  readonly ox: number;
  readonly oy: number;
  readonly w: number;
  readonly h: number;
}

/** layoutOf lays out a picture of items in view at dpr, over what of them is near screen. */
export function layoutOf(painter: StrokePainter, items: readonly LiftItem[], view: View, dpr: number, screen: Rect): Layout {
  const w = screen.maxX - screen.minX;
  const h = screen.maxY - screen.minY;
  const near: Rect = { minX: screen.minX - w * MARGIN_SCREENS, minY: screen.minY - h * MARGIN_SCREENS, maxX: screen.maxX + w * MARGIN_SCREENS, maxY: screen.maxY + h * MARGIN_SCREENS };
  let box: Rect | null = null;
  const under: LiftItem[] = [];
  const over: LiftItem[] = [];
  for (const it of items) {
    const b = painter.bounds(it.stroke);
    const r = { minX: b.minX + it.dx, minY: b.minY + it.dy, maxX: b.maxX + it.dx, maxY: b.maxY + it.dy };
    if (!intersects(r, near)) continue;
    // Highlighters first: on the board they are under every other stroke.
    (it.stroke.tool === TOOL_HIGHLIGHTER ? under : over).push(it);
    box = box
      ? { minX: Math.min(box.minX, r.minX), minY: Math.min(box.minY, r.minY), maxX: Math.max(box.maxX, r.maxX), maxY: Math.max(box.maxY, r.maxY) }
      : r;
  }
  if (!box) return { order: [], ox: 0, oy: 0, w: 1, h: 1 };
  const k = view.scale * dpr;
  const x0 = Math.floor(Math.max(box.minX, near.minX) * k + view.x * dpr) - 1;
  const y0 = Math.floor(Math.max(box.minY, near.minY) * k + view.y * dpr) - 1;
  const x1 = Math.ceil(Math.min(box.maxX, near.maxX) * k + view.x * dpr) + 1;
  const y1 = Math.ceil(Math.min(box.maxY, near.maxY) * k + view.y * dpr) + 1;
  return { order: under.concat(over), ox: x0, oy: y0, w: Math.max(1, Math.min(MAX_SIDE, x1 - x0)), h: Math.max(1, Math.min(MAX_SIDE, y1 - y0)) };
}

/** sizeFor gives canvas the layout's size and clears it. */
export function sizeFor(canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D, l: Layout): void {
  canvas.width = l.w;
  canvas.height = l.h;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, l.w, l.h);
}

/** paintItems paints the layout's strokes from..to into ctx (the bitmap of l in view at dpr). */
export function paintItems(painter: StrokePainter, ctx: CanvasRenderingContext2D, l: Layout, from: number, to: number, view: View, dpr: number): void {
  const k = view.scale * dpr;
  for (let i = from; i < to; i++) {
    const it = l.order[i];
    ctx.setTransform(k, 0, 0, k, (it.dx * view.scale + view.x) * dpr - l.ox, (it.dy * view.scale + view.y) * dpr - l.oy);
    painter.paint(ctx, it.stroke, true);
  }
}

/**
 * SlicedPicture paints a lift's picture of items (at pose, in view) on a
 * canvas of its own over the next tasks, and asks for a frame (done) once
 * it has finished; the lift takes it then (Lift.draw).
 */
export class SlicedPicture {
  readonly canvas: HTMLCanvasElement;
  readonly ctx: CanvasRenderingContext2D;
  readonly layout: Layout;
  private cancelled = false;
  private doneV = false;

  constructor(
    private readonly painter: StrokePainter,
    readonly items: readonly LiftItem[],
    readonly pose: Pose,
    readonly view: View,
    private readonly dpr: number,
    screen: Rect,
    private readonly done: () => void,
  ) {
    this.canvas = document.createElement('canvas');
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('sketchpad: no 2d canvas context');
    this.ctx = ctx;
    this.layout = layoutOf(painter, items, view, dpr, screen);
    sizeFor(this.canvas, ctx, this.layout);
    void this.run(ctx);
  }

  /** finished says every stroke is painted. */
  get finished(): boolean {
    return this.doneV;
  }

  /** cancel stops the painting; its canvas's memory goes back. */
  cancel(): void {
    this.cancelled = true;
    this.canvas.width = 1;
    this.canvas.height = 1;
  }

  private async run(ctx: CanvasRenderingContext2D): Promise<void> {
    const n = this.layout.order.length;
    let i = 0;
    while (i < n) {
      await nextTask();
      if (this.cancelled) return;
      const t0 = performance.now();
      do {
        const j = Math.min(n, i + PIECE);
        paintItems(this.painter, ctx, this.layout, i, j, this.view, this.dpr);
        i = j;
      } while (i < n && performance.now() - t0 < SLICE_MS);
    }
    if (this.cancelled) return;
    this.doneV = true;
    this.done();
  }
}
