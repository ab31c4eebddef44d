// The committed layer: the board's closed, shown strokes painted once onto
// two canvases that are never attached to the document (highlighters on
// the under layer, everything else on the ink layer), and copied to the
// screen each frame. sync() compares what should be there with what is:
//
//   new strokes above everything painted   painted on top, nothing else
//   a stroke gone (erased, moved, cleared) its rectangle repainted
//   a new stroke below painted ones        its rectangle repainted
//   a pan                                  the pixels shifted, the strips
//                                          that came into view repainted
//   a zoom                                 everything repainted; on a big
//                                          board only once the zoom settles
//                                          (meanwhile the renderer scales
//                                          the old pixels)
//   many changes, a snapshot, a resize     everything repainted (on a big
//                                          board a coarse picture first,
//                                          the exact one over later tasks)
//
// Which strokes a rectangle, a strip or the screen crosses comes from a
// spatial index (geometry/grid_index) kept in step with the strokes, so a
// pan's frame costs what came into view, not the board's size; and a frame
// whose strokes and view did not change costs nothing.
//
// Rectangles are repainted on a scratch canvas and copied from it
// (render/layer_regions says why not through a clip); a pan's pixels are
// moved by render/layer_shift.

import { area, clip, intersects, isEmpty, type Rect } from '../geometry/bounds';
import { GridIndex } from '../geometry/grid_index';
import { sameView, screenRect, type View } from '../geometry/view';
import type { Stroke } from '../protocol/board';
import { appendedTo } from '../edit/committed_cache';
import { TOOL_ERASER, TOOL_HIGHLIGHTER } from '../protocol/types';
import type { LayerTargets, StrokePainter } from './paint';
import type { LayerPicture } from './layer_picture';
import { context, deviceRects, RegionPainter } from './layer_regions';
import { drawShifted, panStrips } from './layer_shift';
import { coarseMin, Refinement } from './refine';
import { copyFirstPicture, type FirstPicture } from './first_picture';

/** More dirty rectangles than this, or more than half the screen: repaint all. */
const MAX_REGIONS = 32;
/** A board whose full repaint takes less than this (ms) is repainted at every zoom step. */
const FAST_FULL_MS = 12;

export interface LayerStats {
  /** Full repaints, rectangles repainted, pans done by shifting, strokes painted. */
  full: number;
  regions: number;
  shifts: number;
  painted: number;
  /** How long the last full repaint took, in ms (a coarse one: the coarse picture). */
  lastFullMs: number;
  /** Full repaints that painted a coarse picture first, and when (performance.now()) an exact one last replaced it. */
  coarse: number;
  refinedAt: number;
  /** The script time the last exact picture took, painted over several tasks, ms. */
  refinedMs: number;
  /** Whole pictures painted over later tasks (paintWhole) and taken. */
  wholes: number;
}

export class CommittedLayer {
  private underC: HTMLCanvasElement;
  private inkC: HTMLCanvasElement;
  /** The other buffer of each: a pan draws the pixels into it, shifted, and the two swap. */
  private spareUnder: HTMLCanvasElement;
  private spareInk: HTMLCanvasElement;
  private targets: LayerTargets;
  private readonly regions: RegionPainter;
  /** Strokes on the layer, with the rectangle each may cover. */
  private drawn = new Map<Stroke, Rect>();
  /** The strokes of the last sync, and the index of where each is. */
  private indexed: readonly Stroke[] = [];
  /** Strokes the last full repaint painted. */
  private lastFullPainted = 0;
  private readonly index: GridIndex<Stroke>;
  private valid = false;
  /**
   * The layer's canvases hold no pixels (none painted since they were
   * sized, or a full repaint painted nothing): an empty board's first
   * frames clear and copy nothing, which on a phone is most of their cost.
   */
  private blankV = true;
  /**
   * No highlighter has been painted on the under layer since it was last
   * cleared: a pan leaves it alone, a repaint skips it, and the screen does
   * not copy it (a board without highlighters copies one layer, not two).
   */
  private underBlank = true;
  /** The view the layer's pixels are painted in. */
  private renderedV: View;
  private cssW = 0;
  private cssH = 0;
  private dpr = 1;
  readonly stats: LayerStats = { full: 0, regions: 0, shifts: 0, painted: 0, lastFullMs: 0, coarse: 0, refinedAt: 0, refinedMs: 0, wholes: 0 };
  /** The pixels are a coarse picture (or partly one): an exact one is painted once the view is still. */
  private coarseV = false;
  /** The exact picture being painted, if any. */
  private refinement: Refinement | null = null;
  /** A first picture painted before the board was built, for the next full repaint (render/first_picture). */
  private offered: FirstPicture | null = null;

  constructor(
    private readonly painter: StrokePainter,
    view: View,
    /** Asks for a frame (an exact picture is ready). */
    private readonly requestFrame: () => void = () => undefined,
  ) {
    this.underC = document.createElement('canvas');
    this.inkC = document.createElement('canvas');
    this.spareUnder = document.createElement('canvas');
    this.spareInk = document.createElement('canvas');
    this.index = new GridIndex<Stroke>((s) => painter.bounds(s));
    this.regions = new RegionPainter(painter);
    this.targets = { under: context(this.underC), ink: context(this.inkC) };
    this.renderedV = view;
  }

  /** under is the canvas of highlighters (beneath everything else). */
  get under(): HTMLCanvasElement {
    return this.underC;
  }

  /** underEmpty reports whether the under layer is blank (nothing to copy). */
  get underEmpty(): boolean {
    return this.underBlank;
  }

  /** ink is the canvas of every other stroke. */
  get ink(): HTMLCanvasElement {
    return this.inkC;
  }

  /** blank says the layer's canvases hold no pixels: nothing to copy to the screen. */
  get blank(): boolean {
    return this.blankV;
  }

  /** rendered is the view the layer's pixels are in (it lags the screen's while a zoom settles). */
  get rendered(): View {
    return this.renderedV;
  }

  /** resize sets the layer's size; it is repainted at the next sync. */
  resize(cssW: number, cssH: number, dpr: number): void {
    this.cssW = cssW;
    this.cssH = cssH;
    this.dpr = dpr;
    const w = Math.max(1, Math.round(cssW * dpr));
    const h = Math.max(1, Math.round(cssH * dpr));
    for (const c of [this.underC, this.inkC, this.spareUnder, this.spareInk, ...this.regions.canvases]) {
      c.width = w;
      c.height = h;
    }
    // Sizing a canvas clears it.
    this.blankV = true;
    this.valid = false;
  }

  /** invalidate asks for a full repaint at the next sync. */
  invalidate(): void {
    this.valid = false;
  }

  /**
   * sync makes the layer show exactly desired (closed, shown strokes in
   * z-order) in view. settled says the view has not changed for a while: a
   * zoom on a board slow to repaint waits for it.
   */
  sync(desired: readonly Stroke[], view: View, settled: boolean): void {
    if (!this.valid) this.repaintAll(desired, view);
    else {
      if (this.coarseV) this.takeRefined(desired, view);
      if (desired !== this.indexed || !sameView(view, this.renderedV)) this.syncChanged(desired, view, settled, desired === this.indexed);
    }
    if (this.coarseV && !this.refinement && settled && sameView(view, this.renderedV)) this.refine(desired);
  }

  /**
   * adopt shows p (painted ahead, render/layer_picture) in place of the
   * layer's pixels, whose canvases p gets in return. It returns false,
   * taking nothing, unless the layer holds p.base, exactly, in p.view.
   */
  adopt(p: LayerPicture): boolean {
    const fits = p.ink.width === this.inkC.width && p.ink.height === this.inkC.height && p.under.width === this.underC.width && p.under.height === this.underC.height;
    if (!this.valid || this.coarseV || !fits || p.base !== this.indexed || !sameView(p.view, this.renderedV)) return false;
    [this.inkC, p.ink] = [p.ink, this.inkC];
    [this.underC, p.under] = [p.under, this.underC];
    this.targets = { under: context(this.underC), ink: context(this.inkC) };
    this.holds(p.desired, p.underBlank, p.blank);
    return true;
  }

  /** holds says the pixels are now desired's, painted whole (a picture taken): what is drawn where, the index. */
  private holds(desired: readonly Stroke[], underBlank: boolean, blank: boolean): void {
    this.drawn = new Map();
    for (const s of desired) this.drawn.set(s, this.painter.bounds(s));
    this.reindex(desired, true);
    if (!this.index.built) globalThis.setTimeout(() => this.index.build(), 0);
    this.underBlank = underBlank;
    this.blankV = blank;
  }

  /**
   * paintWhole starts painting desired whole, as a full repaint would, in
   * the rendered view over the next tasks (render/refine), for takeWhole;
   * null when the layer's pixels are not exact (a coarse picture, or none).
   */
  paintWhole(desired: readonly Stroke[]): Refinement | null {
    if (!this.valid || this.coarseV) return null;
    // What it paints is worked out in its first task, not in the frame that starts it.
    const screen = this.screen();
    return new Refinement(this.painter, desired, () => this.crossing([screen], desired, desired.length - 1), this.renderedV, this.dpr, this.inkC.width, this.inkC.height, this.requestFrame);
  }

  /**
   * takeWhole takes the pixels of r (paintWhole's, finished) in place of
   * the layer's: it then holds r.desired as a full repaint leaves it. It
   * returns false, taking nothing, unless the layer's view and size are
   * still r's and its pixels exact.
   */
  takeWhole(r: Refinement): boolean {
    const fits = r.ink.width === this.inkC.width && r.ink.height === this.inkC.height;
    if (!r.finished || !this.valid || this.coarseV || !fits || !sameView(r.view, this.renderedV)) return false;
    r.finish(this.renderedV.scale * this.dpr);
    r.copyTo(this.targets, true);
    // A blank canvas copied is no pixels: these only spare the screen copies of nothing.
    this.holds(r.desired, !r.desired.some(isUnder), r.desired.length === 0);
    this.stats.full++;
    this.stats.wholes++;
    return true;
  }

  /**
   * offer gives the layer a first picture of a board not built yet: the
   * next full repaint takes it as its coarse picture instead of painting
   * one, if it is in that repaint's view and size and of its strokes.
   */
  offer(p: FirstPicture): void {
    this.offered = p;
  }

  /** coarse says the pixels are not yet the exact picture (a frame once the view is still paints it). */
  get coarse(): boolean {
    return this.coarseV;
  }

  /** refine starts painting the exact picture of desired (the strokes the layer holds; shown, those on the screen) in the rendered view. */
  private refine(desired: readonly Stroke[], shown = this.crossing([this.screen()], desired, desired.length - 1)): void {
    this.refinement = new Refinement(this.painter, desired, shown, this.renderedV, this.dpr, this.inkC.width, this.inkC.height, this.requestFrame);
  }

  /**
   * takeRefined takes the exact picture's pixels once it is painted, if it
   * is still of the layer's strokes and view; it drops one that no longer is.
   */
  private takeRefined(desired: readonly Stroke[], view: View): void {
    const r = this.refinement;
    if (!r) return;
    const screen = this.screen();
    if (!sameView(view, r.view) || !sameView(this.renderedV, r.view) || !r.follow(desired, (s) => intersects(this.painter.bounds(s), screen))) {
      r.cancel();
      this.refinement = null;
      return;
    }
    if (!r.finished) return;
    r.finish(r.view.scale * this.dpr);
    r.copyTo(this.targets, !this.underBlank);
    this.refinement = null;
    this.coarseV = false;
    this.stats.refinedAt = performance.now();
    this.stats.refinedMs = r.spent;
  }

  /**
   * someIn reports whether test holds for a stroke of list whose bounds
   * cross board rectangle r: through the index when list is what the layer
   * holds, else by a walk.
   */
  someIn(list: readonly Stroke[], r: Rect, test: (s: Stroke) => boolean): boolean {
    if (list === this.indexed && this.index.size === list.length) return this.index.some(r, test);
    return list.some((s) => intersects(this.painter.bounds(s), r) && test(s));
  }

  /** has reports whether s is on the layer (painted, or off the screen but accounted for). */
  has(s: Stroke): boolean {
    return this.drawn.has(s);
  }

  private syncChanged(desired: readonly Stroke[], view: View, settled: boolean, same: boolean): void {
    // Strokes only added on top (someone finished a stroke): painted alone,
    // with no walk over the board.
    const onTopOnly = same ? null : appendedTo(desired, this.indexed);
    this.reindex(desired);
    const dirty: Rect[] = [];
    if (!sameView(view, this.renderedV)) {
      if (view.scale !== this.renderedV.scale) {
        if (settled || this.fullRepaintMs(desired, view) < FAST_FULL_MS) return this.repaintAll(desired, view);
      } else if (!this.shift(view, dirty)) {
        return this.repaintAll(desired, view);
      }
    }
    if (same) {
      this.repaintDirty(dirty, desired, desired.length - 1);
      return;
    }
    if (onTopOnly) {
      if (!this.repaintDirty(dirty, desired, desired.length - onTopOnly.length - 1)) return;
      const screen = this.screen();
      this.begin();
      for (const s of onTopOnly) {
        const r = this.painter.bounds(s);
        if (intersects(r, screen)) this.paint(s);
        this.drawn.set(s, r);
      }
      this.end();
      return;
    }
    const want = new Set(desired);
    for (const [s, r] of this.drawn) {
      if (!want.has(s)) {
        dirty.push(r);
        this.drawn.delete(s);
      }
    }
    // Too much changed on the screen to repaint it piece by piece.
    const screen = this.screen();
    if (dirty.filter((r) => intersects(r, screen)).length > MAX_REGIONS) return this.repaintAll(desired, this.renderedV);
    let top = -1; // index in desired of the highest stroke already painted
    for (let i = desired.length - 1; i >= 0; i--) {
      if (this.drawn.has(desired[i])) {
        top = i;
        break;
      }
    }
    // A new stroke below painted ones: painted on top when nothing painted
    // above it in its layer (nor an eraser) overlaps it, else its rectangle
    // is repainted.
    const onTop: Stroke[] = [];
    for (let i = 0; i < top; i++) {
      const s = desired[i];
      if (this.drawn.has(s)) continue;
      const b = this.painter.bounds(s);
      if (this.coveredAbove(desired, i, top, b, s.tool)) dirty.push(b);
      else onTop.push(s);
    }
    // What a repainted rectangle crosses is repainted with it, whole.
    for (let moved = true; moved && onTop.length; ) {
      moved = false;
      for (let k = onTop.length - 1; k >= 0; k--) {
        const b = this.painter.bounds(onTop[k]);
        if (dirty.some((d) => intersects(d, b))) {
          dirty.push(b);
          onTop.splice(k, 1);
          moved = true;
        }
      }
    }
    if (!this.repaintDirty(dirty, desired, top)) return;
    if (onTop.length) {
      this.begin();
      for (const s of onTop) {
        const r = this.painter.bounds(s);
        if (intersects(r, screen)) this.paint(s);
      }
      this.end();
    }
    for (let i = 0; i <= top; i++) {
      const s = desired[i];
      if (!this.drawn.has(s)) this.drawn.set(s, this.painter.bounds(s));
    }
    if (top + 1 < desired.length) {
      this.begin();
      for (let i = top + 1; i < desired.length; i++) {
        const s = desired[i];
        const r = this.painter.bounds(s);
        if (intersects(r, screen)) this.paint(s);
        this.drawn.set(s, r);
      }
      this.end();
    }
  }

  /**
   * fullRepaintMs guesses how long a full repaint in view would take: the
   * last one's time per stroke painted, times the strokes on that screen
   * (all of them when the index cannot tell cheaply).
   */
  private fullRepaintMs(desired: readonly Stroke[], view: View): number {
    const per = this.stats.lastFullMs / Math.max(1, this.lastFullPainted);
    const near = desired === this.indexed ? this.index.estimate([screenRect(view, this.cssW, this.cssH)]) : desired.length;
    // Coarse, then exact over several tasks: never at every zoom step.
    return near >= coarseMin() ? Infinity : per * near;
  }

  /**
   * reindex brings the index to desired: the strokes added on top when
   * desired only grew, all of it again otherwise.
   */
  private reindex(desired: readonly Stroke[], later = false): void {
    if (desired === this.indexed) return;
    const added = appendedTo(desired, this.indexed);
    this.indexed = desired;
    if (added && this.index.size === desired.length - added.length) return this.index.append(added, later);
    let grew = false;
    if (desired.length >= this.index.size) {
      const items = this.index.items;
      grew = true;
      for (let i = items.length - 1; i >= 0; i--) {
        if (items[i] !== desired[i]) {
          grew = false;
          break;
        }
      }
    }
    if (grew) this.index.append(desired.slice(this.index.size), later);
    else this.index.reset(desired, later);
  }

  /**
   * repaintDirty repaints the rectangles of dirty on the screen with the
   * strokes up to desired[top]; when they are too many or too big it
   * repaints everything instead and returns false.
   */
  private repaintDirty(dirty: readonly Rect[], desired: readonly Stroke[], top: number): boolean {
    const screen = this.screen();
    const visible = dirty.filter((r) => !isEmpty(r) && intersects(r, screen));
    if (visible.length > MAX_REGIONS || visible.reduce((a, r) => a + area(clip(r, screen)), 0) > area(screen) / 2) {
      this.repaintAll(desired, this.renderedV);
      return false;
    }
    if (visible.length) this.repaintRegions(visible, desired, top);
    return true;
  }

  /** crossing returns the strokes up to desired[top] whose bounds may cross one of rs, bottom first. */
  private crossing(rs: readonly Rect[], desired: readonly Stroke[], top: number): readonly Stroke[] {
    // An index not built yet (a big board's first picture) is not built for this: the walk is as cheap.
    const hits = desired === this.indexed && this.index.built ? this.index.query(rs) : null;
    const all = hits ?? desired;
    const n = hits ? hits.length : Math.min(desired.length, top + 1);
    const out: Stroke[] = [];
    for (let i = 0; i < n; i++) {
      const s = all[i];
      const b = this.painter.bounds(s);
      if (rs.some((r) => intersects(b, r))) out.push(s);
    }
    if (!hits || top >= desired.length - 1) return out;
    // Only what was painted before (up to top): the index holds all of desired.
    const limit = new Set(desired.slice(top + 1));
    return out.filter((s) => !limit.has(s));
  }

  /**
   * coveredAbove reports whether a painted stroke above desired[i] (up to
   * top) that could change its pixels overlaps b: one in the same layer, or
   * a partial eraser (it clears both).
   */
  private coveredAbove(desired: readonly Stroke[], i: number, top: number, b: Rect, tool: number): boolean {
    const under = tool === TOOL_HIGHLIGHTER;
    const near = desired === this.indexed ? this.index.positions([b]) : null;
    const from = near ? near.findIndex((j) => j > i) : i + 1;
    const to = near ? near.length - 1 : top;
    for (let q = from; q >= 0 && q <= to; q++) {
      const j = near ? near[q] : q;
      if (j > top) break;
      const t = desired[j];
      if (tool !== TOOL_ERASER && t.tool !== TOOL_ERASER && (t.tool === TOOL_HIGHLIGHTER) !== under) continue;
      const r = this.drawn.get(t);
      if (r && intersects(r, b)) return true;
    }
    return false;
  }

  private screen(): Rect {
    return screenRect(this.renderedV, this.cssW, this.cssH);
  }

  /**
   * shift moves the pixels for a pan to view (same scale) and adds the strips
   * that came into view to dirty. It returns false when a full repaint is
   * better (the pan is larger than the screen).
   */
  private shift(view: View, dirty: Rect[]): boolean {
    const k = this.dpr;
    const dx = Math.round((view.x - this.renderedV.x) * k);
    const dy = Math.round((view.y - this.renderedV.y) * k);
    const w = this.inkC.width;
    const h = this.inkC.height;
    if (Math.abs(dx) >= w / 2 || Math.abs(dy) >= h / 2) return false;
    this.stats.shifts++;
    // Each layer is drawn shifted into its spare buffer, which becomes the
    // layer: one copy of the pixels, and no copy of an empty layer.
    // A blank layer shifted is the same blank layer.
    if (!this.blankV) {
      const blank = this.underBlank;
      const spares: LayerTargets = { under: blank ? this.targets.under : context(this.spareUnder), ink: context(this.spareInk) };
      const copies: Array<readonly [HTMLCanvasElement, CanvasRenderingContext2D]> = [[this.inkC, spares.ink]];
      if (!blank) copies.push([this.underC, spares.under]);
      drawShifted(copies, dx, dy, w, h);
      if (!blank) [this.underC, this.spareUnder] = [this.spareUnder, this.underC];
      [this.inkC, this.spareInk] = [this.spareInk, this.inkC];
      this.targets = spares;
    }
    this.renderedV = { scale: view.scale, x: this.renderedV.x + dx / k, y: this.renderedV.y + dy / k };
    dirty.push(...panStrips(this.renderedV, k, dx, dy, w, h));
    return true;
  }

  /** note says strokes are about to be painted: a highlighter among them makes the under layer no longer blank. */
  private note(strokes: readonly Stroke[]): void {
    if (this.underBlank && strokes.some(isUnder)) this.underBlank = false;
  }

  private begin(): void {
    const v = this.renderedV;
    const k = this.dpr;
    for (const ctx of [this.targets.under, this.targets.ink]) {
      ctx.save();
      ctx.setTransform(v.scale * k, 0, 0, v.scale * k, v.x * k, v.y * k);
    }
  }

  private end(): void {
    this.targets.under.restore();
    this.targets.ink.restore();
  }

  private paint(s: Stroke): void {
    this.blankV = false;
    this.note([s]);
    this.stats.painted += this.painter.paintAll(this.targets, [s], this.renderedV.scale * this.dpr);
  }

  private repaintAll(desired: readonly Stroke[], view: View): void {
    const t0 = performance.now();
    const painted0 = this.stats.painted;
    this.stats.full++;
    this.renderedV = view;
    this.refinement?.cancel();
    this.refinement = null;
    this.coarseV = false;
    if (!this.blankV) {
      for (const ctx of [this.targets.under, this.targets.ink]) {
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, this.inkC.width, this.inkC.height);
      }
    }
    // The index is built once the picture is on the screen (a query before then builds it).
    this.reindex(desired, true);
    if (!this.index.built) globalThis.setTimeout(() => this.index.build(), 0);
    this.drawn = new Map();
    for (const s of desired) this.drawn.set(s, this.painter.bounds(s));
    this.underBlank = true;
    const shown = this.crossing([this.screen()], desired, desired.length - 1);
    this.note(shown);
    const offered = this.offered;
    this.offered = null;
    // A context first drawn through makes its canvas's pixels: not for nothing.
    if (shown.length) {
      const coarse = shown.length >= coarseMin();
      if (coarse && offered && copyFirstPicture(offered, this.targets, desired, view)) {
        this.stats.painted += shown.length;
        if (offered.under) this.underBlank = false;
      } else {
        this.begin();
        if (coarse) this.stats.painted += this.painter.paintCoarse(this.targets, shown, view.scale * this.dpr);
        else this.stats.painted += this.painter.paintAll(this.targets, shown, view.scale * this.dpr);
        this.end();
      }
      if (coarse) {
        this.stats.coarse++;
        this.coarseV = true;
        this.refine(desired, shown);
      }
    }
    this.valid = true;
    this.stats.lastFullMs = performance.now() - t0;
    this.lastFullPainted = this.stats.painted - painted0;
    this.blankV = this.lastFullPainted === 0;
  }

  /** repaintRegions repaints rectangles rs with the strokes up to desired[top] that cross them. */
  private repaintRegions(rs: readonly Rect[], desired: readonly Stroke[], top: number): void {
    this.stats.regions += rs.length;
    const v = this.renderedV;
    const { dev, grown } = deviceRects(rs, v, this.dpr, this.inkC.width, this.inkC.height);
    if (dev.length === 0) return;
    this.blankV = false;
    const strokes = this.crossing(grown, desired, top);
    this.note(strokes);
    this.stats.painted += this.regions.repaint(this.targets, dev, strokes, v, this.dpr, this.underBlank);
  }
}

/** isUnder reports whether a stroke paints on the under layer (a highlighter; an eraser only clears it). */
function isUnder(s: Stroke): boolean {
  return s.tool === TOOL_HIGHLIGHTER;
}
