// The renderer owns the drawing surface, the one big <canvas> of the page.
// Each frame that something changed it brings the committed layer up to
// date, copies it to the screen (the under layer, then what is growing on
// it, then the ink layer), and paints on top what is still growing: others'
// open strokes, our unconfirmed strokes, what our pending moves moved. The
// canvas holds nothing else (the eraser's ring and the selection are
// elements over it: ui/decor). A big selection being moved, resized or
// turned is lifted off the layer and drawn from one bitmap of it
// (render/lift) until it has been still for a moment; for a big selection
// of ours, both are painted ahead in idle time (render/lift_prep).

import { ImageCache } from './images';
import type { Editor, OverlayItem } from '../edit/editor';
import { TOOL_HIGHLIGHTER } from '../protocol/types';
import { HOME_VIEW, sameView, screenRect, snapView, type View } from '../geometry/view';
import type { Stroke } from '../protocol/board';
import { boxOf, pointCount, type Box } from '../protocol/scaled_stroke';
import { intersects, type Rect } from '../geometry/bounds';
import { CommittedLayer } from './layer';
import { Lift, LIFT_MIN, keyOfStroke } from './lift';
import { LiftPrep, type Basis } from './lift_prep';
import { browserIdle } from './browser_idle';
import { sameScreen } from './lift_basis';
import { HOLD_MAX_MS, TheirLift } from './lift_theirs';
import { release } from './layer_picture';
import { StrokePainter } from './paint';
import type { Refinement } from './refine';

/** RenderSource is what a renderer draws: the page's editor, or a board of the past (history/). */
export type RenderSource = Pick<Editor, 'committed' | 'overlay'> & Partial<Pick<Editor, 'transforming' | 'selectedKeys' | 'rehearsing'>>;

/** A zoom on a board slow to repaint is repainted once the view has been still this long (ms); a lifted selection put back once it has. */
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
  /** Times a big selection was lifted off the layer while it moved (render/lift). */
  lifts: number;
  /** How many strokes are lifted now (0: none). */
  lifted: number;
  /** Big selections' lifts painted ahead in idle time, and those a drag took (render/lift_prep). */
  liftsAhead: number;
  liftsTaken: number;
  /** Steps of drags rehearsed in idle time, and rehearsals ended by a throw, all told (edit/rehearsal). */
  rehearsed: number;
  rehearsalErrors: number;
  /** Lifts put back by a layer painted whole over the next tasks while the picture showed the strokes (not at once, in one frame). */
  liftsPutBackLater: number;
  /** Times a frame painted a lift's bitmap (its strokes painted anew: a lift started, a pause in a drag, a repaint). */
  liftPaints: number;
  /**
   * How long the last whole board took from its arrival (a snapshot's
   * frame, decoding included; or the copy kept on this device, handed over
   * decoded) to the end of the first frame that showed it (ms); 0 before one.
   */
  openMs: number;
  /** When that first frame ended, in ms since the page's navigation started (performance.now()); 0 before one. */
  shownAt: number;
  /** When (performance.now()) a big board's first picture was painted, before the board was built (showFirstPicture); 0 if none. */
  firstPictureAt: number;
  /** Full repaints that showed a coarse picture first (a big board), and when (performance.now()) and for how much script time (ms) the exact picture last replaced one. */
  coarseRenders: number;
  refinedAt: number;
  refinedMs: number;
}

/** FirstPainter paints a first picture on an under and an ink canvas (render/first_picture); true: it painted on the under one. */
export type FirstPainter = (under: CanvasRenderingContext2D, ink: CanvasRenderingContext2D, v: View, dpr: number, w: number, h: number) => boolean;

export class Renderer {
  private readonly ctx: CanvasRenderingContext2D;
  readonly painter = new StrokePainter();
  readonly layer: CommittedLayer;
  private lift: Lift;
  private readonly ahead: LiftPrep;
  private lifts = 0;
  private liftPaints = 0;
  /** Bumped by whatever repaints everything: a picture painted ahead before it is not taken. */
  private gen = 0;
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
  private lastCommitted: readonly Stroke[] = [];
  /** Our drag whose lift was put back (a stroke above it under it), and another person's strokes likewise: not lifted again. */
  private refusedOurs: readonly string[] | null = null;
  private refusedTheirs: ReadonlySet<string> | null = null;
  private openedAt = 0;
  /** Another person's big selection's lift, being painted over the next tasks while the layer holds (render/lift_theirs). */
  private theirs: TheirLift | null = null;
  /** The layer with the lifted strokes put back, being painted over the next tasks while the picture still shows them (liftWhatMoves). */
  private whole: Refinement | null = null;
  /** The canvas shows nothing (sized since, or the last frame drew nothing on it). */
  private screenBlank = true;
  /** The canvas shows a first picture of a board not built yet: a frame with nothing to show keeps it. */
  private firstPicture = false;
  private firstPictureAt = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly editor: RenderSource,
    /** Asks for a frame (the settle after a zoom). */
    private readonly requestFrame: () => void,
  ) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('sketchpad: no 2d canvas context');
    this.ctx = ctx;
    this.layer = new CommittedLayer(this.painter, this.viewV, requestFrame);
    this.lift = new Lift(this.painter);
    this.ahead = new LiftPrep(this.painter, browserIdle, (onStep) => editor.rehearsing?.(onStep) ?? null);
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
    this.screenBlank = true;
    this.firstPicture = false;
    this.gen++;
    this.dropWhole();
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
      lifts: this.lifts,
      lifted: this.lift.keys?.size ?? 0,
      liftsAhead: this.ahead.painted,
      liftsTaken: this.ahead.taken,
      rehearsed: this.ahead.rehearsed,
      rehearsalErrors: this.ahead.rehearsalErrors,
      liftPaints: this.liftPaints,
      liftsPutBackLater: s.wholes,
      openMs: this.openMs,
      shownAt: this.shownAt,
      firstPictureAt: this.firstPictureAt,
      coarseRenders: s.coarse,
      refinedAt: s.refinedAt,
      refinedMs: s.refinedMs,
    };
  }

  /** someIn reports whether test holds for a stroke of list (the committed strokes) that may cross board rectangle r: the layer's index answers, with no walk, when it holds list. */
  someIn(list: readonly Stroke[], r: Rect, test: (s: Stroke) => boolean): boolean {
    return this.layer.someIn(list, r, test);
  }

  /** setDark says whether the dark theme shows the board (highlighters are painted for its filter). */
  setDark(dark: boolean): void {
    if (this.painter.dark === dark) return;
    this.painter.dark = dark;
    this.gen++;
    this.dropWhole();
    this.layer.invalidate();
    this.lift.repaint();
    this.requestFrame();
  }

  /** useImages tells the painter where the board's images are fetched (render/images.ts); each repaints the board when it arrives. */
  useImages(urlOf: (hash: string) => string): void {
    this.imageURL = urlOf;
    this.painter.images = new ImageCache(urlOf, () => this.repaint());
  }

  /** imageURL is where the board's images are fetched (useImages), or null (none said: a test's page). */
  imageURL: ((hash: string) => string) | null = null;

  /** repaint paints everything again (the text font arrived, an image arrived). */
  repaint(): void {
    this.gen++;
    this.dropWhole();
    this.layer.invalidate();
    this.lift.repaint();
    this.requestFrame();
  }

  /** showsNothing: the screen is blank and no board has been painted. */
  get showsNothing(): boolean {
    return this.screenBlank && this.layer.blank && !this.firstPicture;
  }

  /**
   * showFirstPicture shows a picture of a board still being built (a big
   * snapshot's sketch, render/first_picture), if the screen shows nothing
   * yet: paint gets an under and an ink canvas's contexts, the view, the
   * device pixel ratio and the size in CSS pixels, and says whether it
   * painted on the under one. Frames with nothing to show keep it; the
   * first that shows the board paints over it, and the layer takes it as
   * its coarse picture while shows says it is of the layer's strokes. It
   * reports whether it painted.
   */
  showFirstPicture(paint: FirstPainter, at: View, shows: (desired: readonly Stroke[]) => boolean): boolean {
    if (!this.showsNothing || this.cssW === 0 || this.cssH === 0) return false;
    const v = snapView(at, this.dpr);
    const [under, ink] = [offscreen(this.canvas), offscreen(this.canvas)];
    const underUsed = paint(context2d(under), context2d(ink), v, this.dpr, this.cssW, this.cssH);
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (underUsed) ctx.drawImage(under, 0, 0);
    ctx.drawImage(ink, 0, 0);
    this.layer.offer({ under: underUsed ? under : null, ink, view: v, shows });
    this.screenBlank = false;
    this.firstPicture = true;
    this.firstPictureAt = performance.now();
    return true;
  }

  /** dropFirstPicture takes a first picture off the screen at the next frame, unless a board shows by then (its board never came: a snapshot found malformed). */
  dropFirstPicture(): void {
    if (!this.firstPicture) return;
    this.firstPicture = false;
    this.requestFrame();
  }

  /** snapshotArrived says a whole board arrived at t (performance.now()), a snapshot's frame or the copy kept on this device: the next frame measures openMs. */
  snapshotArrived(t: number): void {
    this.openedAt = t;
    this.dropTheirs();
    this.layer.invalidate();
  }

  /**
   * beforeOps is called in a frame before the editor sends what
   * accumulated: a drag of ours that just started takes its selection's
   * lift painted ahead, if it shows what is shown now, before the drag's
   * first op changes it.
   */
  beforeOps(): void {
    const ours = this.editor.transforming?.() ?? null;
    if (!ours || ours.length < LIFT_MIN || this.lift.keys || ours === this.refusedOurs) return;
    const got = this.ahead.take(this.basis(ours, this.editor.committed(), this.editor.overlay()));
    if (!got) return;
    this.lift = got.lift;
    this.lift.taken(performance.now());
    this.lifts++;
    this.refusedTheirs = null;
    // Taken or not, what the picture's canvases hold now (the layer's old pixels, or the picture) is not needed.
    if (got.layer) {
      this.layer.adopt(got.layer);
      this.ahead.given(got.layer);
    }
  }

  /**
   * prepare works out, between frames, where a lifted selection is now
   * (as the next frame would): that frame then finds it done, and what it
   * allocates (the garbage collector's cue) is not made in it.
   */
  prepare(): void {
    if (!this.lift.keys) return;
    this.lift.without(this.editor.committed());
    this.lift.update(this.editor.overlay(), performance.now());
  }

  /** frame paints the screen. */
  frame(): void {
    const t0 = performance.now();
    const v = this.viewV;
    const settled = t0 - this.viewChangedAt >= SETTLE_MS;
    const committed = this.editor.committed();
    const overlay = this.editor.overlay();
    this.takeTheirs(t0, committed);
    this.liftWhatMoves(committed, overlay, t0);
    // Their lift being painted: the layer shows what it showed until it is taken.
    if (!this.theirs) this.layer.sync(this.lift.without(committed), v, settled);
    this.lastSyncMs = performance.now() - t0;
    const r = this.layer.rendered;
    const stale = !sameView(r, v);
    // A coarse picture (a big board's full repaint) is made exact once the view is still.
    if (stale || this.layer.coarse) this.settleLater();
    // An empty board on an empty screen: nothing to clear, nothing to copy.
    const empty = this.layer.blank && overlay.length === 0 && !this.lift.keys;
    if (!(empty && (this.screenBlank || this.firstPicture))) {
      this.paintScreen(overlay, stale);
      this.firstPicture = false;
    }
    this.screenBlank = empty && !this.firstPicture;
    this.ahead.want(this.wantAhead(committed, overlay));
    this.frames++;
    const t1 = performance.now();
    this.lastFrameMs = t1 - t0;
    if (this.openedAt) {
      this.openMs = t1 - this.openedAt;
      this.shownAt = t1;
      this.openedAt = 0;
    }
  }

  /**
   * takeTheirs takes their lift once painted (render/lift_theirs) and the
   * layer's picture without it; it drops it when the screen changed
   * meanwhile, a drag of ours began, something else was lifted, strokes
   * were added or went (the layer cannot hold), or it is not painted
   * within HOLD_MAX_MS: their strokes are then lifted as before, painted
   * in this frame.
   */
  private takeTheirs(now: number, committed: readonly Stroke[]): void {
    const t = this.theirs;
    if (!t) return;
    // Not taken over a lift begun meanwhile (another selection moved too);
    // not held over strokes added or gone (a stroke of ours committed would
    // vanish from the screen until the layer took it).
    const same =
      sameScreen(t.b, this.basis(t.b.keys, t.b.committed, t.b.overlay)) && !this.editor.transforming?.() && !this.lift.keys && committed.length === t.b.committed.length;
    if (same && !t.finished && now - t.startedAt < HOLD_MAX_MS) return;
    this.theirs = null;
    const got = same ? t.take() : null;
    t.cancel();
    this.lifts++;
    if (!got) {
      this.lift.start(t.b.keys, now);
      return;
    }
    this.lift = got.lift;
    this.lift.taken(now);
    if (got.layer) {
      this.layer.adopt(got.layer);
      release(got.layer);
    }
  }

  /** dropTheirs stops painting their lift (a whole board arrived): the layer no longer holds. */
  private dropTheirs(): void {
    this.theirs?.cancel();
    this.theirs = null;
  }

  /** basis is what a lift of keys painted now would show. */
  private basis(keys: readonly string[], committed: readonly Stroke[], overlay: readonly OverlayItem[]): Basis {
    return { keys, committed, overlay, view: this.viewV, dpr: this.dpr, w: this.cssW, h: this.cssH, gen: this.gen };
  }

  /** wantAhead is what to paint ahead after this frame: our big selection, while nothing is lifted or dragged and the view and layer are settled; else null. */
  private wantAhead(committed: readonly Stroke[], overlay: readonly OverlayItem[]): Basis | null {
    if (this.lift.keys || this.editor.transforming?.() || !sameView(this.layer.rendered, this.viewV) || this.layer.coarse) return null;
    const keys = this.editor.selectedKeys?.(LIFT_MIN) ?? null;
    return keys ? this.basis(keys, committed, overlay) : null;
  }

  /** paintScreen copies the layer to the screen (scaled while a zoom settles) and paints what is still moving over it. */
  private paintScreen(overlay: readonly OverlayItem[], stale: boolean): void {
    const ctx = this.ctx;
    const k = this.dpr;
    const v = this.viewV;
    const r = this.layer.rendered;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (stale) {
      // A zoom waiting to settle: the old pixels, scaled.
      const f = v.scale / r.scale;
      ctx.setTransform(f, 0, 0, f, (v.x - r.x * f) * k, (v.y - r.y * f) * k);
    }
    if (!this.layer.underEmpty) ctx.drawImage(this.layer.under, 0, 0);
    // Growing highlighters go with the committed ones, under the ink.
    for (const item of overlay) if (item.stroke.tool === TOOL_HIGHLIGHTER && !this.lift.isLifted(item)) this.paintMoved(ctx, item);
    if (stale) {
      const f = v.scale / r.scale;
      ctx.setTransform(f, 0, 0, f, (v.x - r.x * f) * k, (v.y - r.y * f) * k);
    } else ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.layer.ink, 0, 0);
    // The lifted picture is part of the board (only strokes below it are under it: liftWhatMoves); what is still growing goes over it.
    if (this.lift.keys) {
      if (!this.lift.ready) this.liftPaints++;
      this.lift.draw(ctx, v, k, screenRect(v, this.cssW, this.cssH));
    }
    for (const item of overlay) if (item.stroke.tool !== TOOL_HIGHLIGHTER && !this.lift.isLifted(item)) this.paintMoved(ctx, item);
  }

  /**
   * liftWhatMoves lifts a big selection off the layer while it moves: ours
   * while we drag it (the editor says which), another person's when one
   * change of the board replaced many strokes on the layer by copies of the
   * same names (a Transform, Move or Rotate of theirs); and puts it back
   * once it has been still for SETTLE_MS, our drag over.
   */
  private liftWhatMoves(committed: readonly Stroke[], overlay: readonly OverlayItem[], now: number): void {
    const ours = this.editor.transforming?.() ?? null;
    const wasLifted = this.lift.keys !== null;
    if (ours && ours.length >= LIFT_MIN && !this.lift.covers(ours) && ours !== this.refusedOurs) {
      this.refusedTheirs = null;
      if (!this.lift.keys) this.lifts++;
      this.lift.start(ours, now);
    } else if (committed !== this.lastCommitted) {
      const moved = this.replaced(committed);
      const refused = this.refusedTheirs;
      if (moved.length >= LIFT_MIN && !(refused && moved.every((k) => refused.has(k)))) {
        this.refusedTheirs = null;
        // Painted over the next tasks while the layer, exact and in this view, holds (the layer's strokes: the last committed); their next ops, found moved from what the layer still holds, wait for it too (taken where they are then).
        if (!this.theirs) {
          if (!this.lift.keys && !this.layer.coarse && sameView(this.layer.rendered, this.viewV)) {
            this.theirs = new TheirLift(this.painter, this.basis(moved, committed, overlay), this.lastCommitted, this.requestFrame);
          } else {
            if (!this.lift.keys) this.lifts++;
            this.lift.start(moved, now);
          }
        }
      }
    }
    this.lastCommitted = committed;
    const keys = this.lift.keys;
    if (!keys) return;
    this.lift.without(committed);
    const shown = this.lift.update(overlay, now);
    // A stroke above the selection under it: painted exactly from now on, as it settles (the picture would cover it).
    const covered = shown && this.lift.covered();
    if (covered) {
      if (ours) this.refusedOurs = ours;
      else this.refusedTheirs = keys;
    }
    const still = shown && !covered && !ours && now - this.lift.changedAt >= SETTLE_MS;
    if (still && wasLifted && this.lift.fromOurOps) {
      // Our last ops not applied yet: the layer's strokes are not yet those
      // that settle (the echo replaces the lifted ones in place, which a
      // picture painted whole before cannot follow, and it was repainted at
      // once in a frame). The picture shows them meanwhile; put back after.
      this.dropWhole();
      return this.settleLater();
    }
    if (still && wasLifted) {
      // Put back: the layer repainted whole, as a page that opens the board
      // now paints it (a stroke added on top is painted alone, which for a
      // pen seen from afar is not the same pixels), over the next tasks
      // while the picture shows the strokes (a thousand strokes painted anew
      // are many frames' work), and taken in one frame.
      const put = this.putBack(committed);
      if (put === 'painting') return this.settleLater();
      this.lift.stop();
      if (put === 'no') this.layer.invalidate();
      return;
    }
    this.dropWhole();
    if (!shown || covered || still) {
      this.lift.stop();
      // Repainted whole; not when lifted and put back in this frame, before the layer was painted without the lifted strokes.
      if (wasLifted) this.layer.invalidate();
      return;
    }
    // A pause in the drag: the picture painted again where the strokes are, with their widths as they settle, between frames.
    if (ours && this.lift.stale(now)) this.lift.refresh(this.viewV, this.dpr, screenRect(this.viewV, this.cssW, this.cssH), this.requestFrame);
    this.settleLater();
  }

  /**
   * putBack paints the layer whole with the lifted strokes (committed) over
   * the next tasks: 'painting' until it is done, 'taken' once the layer
   * took it, 'no' when it cannot (the layer's pixels not exact, the view
   * or the strokes changed otherwise than by strokes added on top): the
   * layer is then repainted at once.
   */
  private putBack(committed: readonly Stroke[]): 'painting' | 'taken' | 'no' {
    const w = this.whole;
    if (!w) {
      this.whole = this.layer.paintWhole(committed);
      return this.whole ? 'painting' : 'no';
    }
    const screen = screenRect(w.view, this.cssW, this.cssH);
    if (!sameView(w.view, this.viewV) || !w.follow(committed, (s) => intersects(this.painter.bounds(s), screen))) {
      this.dropWhole();
      return 'no';
    }
    if (!w.finished) return 'painting';
    this.whole = null;
    return this.layer.takeWhole(w) ? 'taken' : 'no';
  }

  /** dropWhole stops painting the layer whole (the lifted strokes moved again, or went). */
  private dropWhole(): void {
    this.whole?.cancel();
    this.whole = null;
  }

  /**
   * replaced returns the names of the strokes of committed that replaced
   * one of the same name on the layer and moved, turned or changed size
   * (not those a restyle or a snapshot of the same board made anew).
   */
  private replaced(committed: readonly Stroke[]): string[] {
    // Strokes only added on top (someone drew): no walk over a big board.
    const last = this.lastCommitted;
    const n = last.length;
    if (n > 0 && committed.length > n && committed[0] === last[0] && committed[n - 1] === last[n - 1]) return [];
    const out: string[] = [];
    for (const s of committed) {
      // Counts and boxes first: a stroke our pending resize scaled has not made its points (protocol/scaled_stroke), and a drag's echoes bring a thousand at a time.
      if (this.layer.has(s) || pointCount(s) === 0) continue;
      const p = this.painter.previous(s);
      if (!p || !this.layer.has(p) || pointCount(p) === 0) continue;
      if ((p.rot ?? 0) !== (s.rot ?? 0) || !sameBox(boxOf(p), boxOf(s))) {
        out.push(keyOfStroke(s));
        continue;
      }
      const a = p.points[0];
      const b = s.points[0];
      if (a.x !== b.x || a.y !== b.y) out.push(keyOfStroke(s));
    }
    return out;
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

function sameBox(a: Box, b: Box): boolean {
  return a.minX === b.minX && a.minY === b.minY && a.maxX === b.maxX && a.maxY === b.maxY;
}

/** offscreen is a canvas of c's size in device pixels, not in the document. */
function offscreen(c: HTMLCanvasElement): HTMLCanvasElement {
  const o = document.createElement('canvas');
  o.width = c.width;
  o.height = c.height;
  return o;
}

function context2d(c: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = c.getContext('2d');
  if (!ctx) throw new Error('sketchpad: no 2d canvas context');
  return ctx;
}
