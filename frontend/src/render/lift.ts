// A big selection being moved, resized or turned (by this person's drag,
// or by another person's stream of Transforms) is "lifted" off the
// committed layer: its strokes are painted once into a bitmap of their
// own, the layer is painted once without them, and each frame draws the
// bitmap through the map (render/lift_map) from where it was painted to
// where the strokes are now. A frame then costs one scaled copy of the
// bitmap, whatever the number of strokes, instead of rasterizing every
// stroke's outline again for every Transform that comes back.
//
// What is shown must be what settles. The picture is drawn above the rest
// of the board, so a selection is not lifted (or put back) when a stroke
// above it in z-order is under where it is now. A scaled picture scales
// the lines' widths, which a Transform leaves alone: once the strokes have
// been still for a moment the picture is painted again where they are
// (between frames, render/lift_paint), so that a pause in a drag shows
// them exactly; the renderer drops the lift once they have been still for
// longer, our drag is over and the room has applied its ops.

import { intersects, type Rect } from '../geometry/bounds';
import { sameView, type View } from '../geometry/view';
import type { Stroke } from '../protocol/board';
import type { OverlayItem } from '../edit/shown';
import { IDENTITY, liftMap, poseOf, sameMap, then, type Affine, type Pose } from './lift_map';
import type { StrokePainter } from './paint';
import { layoutOf, paintItems, PIECE, sizeFor, SlicedPicture, type Layout, type LiftItem } from './lift_paint';

/** A selection of at least this many strokes is lifted while it moves. */
export const LIFT_MIN = 64;
/**
 * A picture scaled or turned from where it was painted is painted again
 * where the strokes are once they have been still this long (ms): a pause
 * a person makes, not a late frame or a slow stretch of the pointer, since
 * painting a thousand strokes anew is several frames' work.
 */
export const EXACT_AFTER_MS = 250;

/** keyOfStroke is a stroke's name as the board has it ("author:stroke"). */
export const keyOfStroke = (s: Stroke): string => s.author + ':' + s.stroke;

/** Item is a lifted stroke as shown: drawn shifted by (dx, dy) (our pending moves). */
type Item = LiftItem;

export class Lift {
  /** The names of the lifted strokes; null: nothing lifted. */
  private keysV: ReadonlySet<string> | null = null;
  private canvas: HTMLCanvasElement;
  private ctx: CanvasRenderingContext2D;
  /** The picture painted again where the strokes are, over the next tasks (refresh), until draw takes it. */
  private exact: SlicedPicture | null = null;
  /** Whether the bitmap holds the strokes, how many, where (pose, view) and at which device pixel of that view its corner is. */
  private painted = false;
  private count = 0;
  private ref: Pose | null = null;
  private refView: View = { scale: 1, x: 0, y: 0 };
  private ox = 0;
  private oy = 0;
  private map: Affine = IDENTITY;
  /** When the strokes last moved (performance.now()). */
  changedAt = 0;
  /** The committed strokes without the lifted ones, for the list it was made from. */
  private restFor: readonly Stroke[] | null = null;
  private rest: Stroke[] = [];
  /** The lifted strokes among those committed (as without() last split them). */
  private lifted: Item[] = [];
  /** The committed strokes above the lowest lifted one that are not lifted: painted under the picture, so it must not cover them. */
  private above: Stroke[] = [];
  /** How far the lifted strokes' paint reaches past their points (the widest one's width). */
  private reach = 0;
  private coveredFor: { readonly pose: Pose; readonly above: readonly Stroke[]; readonly v: boolean } | null = null;
  /** The overlay's items among them, for the frame update() was last called in. */
  private readonly fromOverlay = new Set<OverlayItem>();
  /** The lifted strokes as update() last found them, and their pose. */
  private current: Item[] = [];
  private pose: Pose | null = null;
  /** What update() was last given and said. */
  private updated: { readonly overlay: readonly OverlayItem[]; readonly lifted: readonly Item[]; readonly keys: ReadonlySet<string>; readonly ok: boolean } | null = null;

  constructor(private readonly painter: StrokePainter) {
    this.canvas = document.createElement('canvas');
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('sketchpad: no 2d canvas context');
    this.ctx = ctx;
  }

  get keys(): ReadonlySet<string> | null {
    return this.keysV;
  }

  /** start lifts the strokes named in keys (those lifted already stay lifted); the bitmap is painted at the next draw. */
  start(keys: Iterable<string>, now: number): void {
    const all = new Set(this.keysV ?? []);
    for (const k of keys) all.add(k);
    this.keysV = all;
    this.painted = false;
    this.dropExact();
    this.restFor = null;
    this.changedAt = now;
  }

  /** stop puts the strokes back on the layer. */
  stop(): void {
    this.keysV = null;
    this.dropExact();
    // The bitmap's memory back (it may be as big as the screen, or more).
    this.canvas.width = 1;
    this.canvas.height = 1;
    this.painted = false;
    this.restFor = null;
    this.lifted = [];
    this.above = [];
    this.current = [];
    this.fromOverlay.clear();
    this.rest = [];
    this.pose = null;
    this.ref = null;
    this.updated = null;
  }

  /** ready says the bitmap is painted: draw only copies it. */
  get ready(): boolean {
    return this.painted;
  }

  /** taken says a lift prepared ahead is now the one drawn: the strokes count as just moved. */
  taken(now: number): void {
    this.changedAt = now;
  }

  /** repaint paints the bitmap again at the next draw (the theme changed, an image arrived). */
  repaint(): void {
    this.painted = false;
    this.dropExact();
  }

  /**
   * refresh paints the picture again where the strokes are now (a pause in
   * the drag: their widths as they settle), over the next tasks; done asks
   * for the frame that takes it. One painting at a time: one under way is
   * let finish (what it shows is nearer than what is drawn), and a later
   * pause paints again.
   */
  refresh(view: View, dpr: number, screen: Rect, done: () => void): void {
    if (!this.painted || this.exact || !this.pose) return;
    this.exact = new SlicedPicture(this.painter, this.current, this.pose, view, dpr, screen, done);
  }

  /**
   * covered reports whether a stroke above the lifted ones in z-order is
   * under where they are now: the picture, drawn over the layer, would
   * hide what should hide it.
   */
  covered(): boolean {
    const p = this.pose;
    if (!p || this.above.length === 0) return false;
    // Asked every frame: the strokes above are looked at again only when the lifted ones moved or the board changed.
    const c = this.coveredFor;
    if (c && c.pose === p && c.above === this.above) return c.v;
    const r = this.reach;
    const box: Rect = { minX: p.minX - r, minY: p.minY - r, maxX: p.maxX + r, maxY: p.maxY + r };
    const v = this.above.some((s) => intersects(this.painter.bounds(s), box));
    this.coveredFor = { pose: p, above: this.above, v };
    return v;
  }

  /** stale reports whether the picture is drawn scaled or turned and the strokes have been still since EXACT_AFTER_MS before now. */
  stale(now: number): boolean {
    return this.painted && now - this.changedAt >= EXACT_AFTER_MS && !sameMap(this.map, IDENTITY);
  }

  /**
   * rehearse asks of this lift, never painted, what a frame of a drag asks
   * of the one it lifts (Renderer.liftWhatMoves: the strokes found, their
   * pose, the map from where the picture was painted, whether anything
   * covers them): the pose of its first rehearsal stands for the one a
   * picture was painted at (edit/rehearsal).
   */
  rehearse(overlay: readonly OverlayItem[], committed: readonly Stroke[], now: number): void {
    this.without(committed);
    if (!this.update(overlay, now)) return;
    this.ref ??= this.pose;
    this.covered();
    this.stale(now);
  }

  /** covers reports whether every name in keys is lifted. */
  covers(keys: readonly string[]): boolean {
    const k = this.keysV;
    return k !== null && keys.every((x) => k.has(x));
  }

  /** without returns committed without the lifted strokes (the same array while committed is). */
  without(committed: readonly Stroke[]): readonly Stroke[] {
    const keys = this.keysV;
    if (!keys) return committed;
    if (this.restFor !== committed) {
      const rest: Stroke[] = [];
      this.lifted = [];
      this.above = [];
      for (const s of committed) {
        if (keys.has(keyOfStroke(s))) this.lifted.push({ stroke: s, dx: 0, dy: 0 });
        else {
          rest.push(s);
          if (this.lifted.length > 0) this.above.push(s);
        }
      }
      // The same strokes left (only lifted ones changed): the same array, which the layer takes as nothing to do.
      const same = this.restFor !== null && rest.length === this.rest.length && rest.every((s, i) => s === this.rest[i]);
      this.restFor = committed;
      if (!same) this.rest = rest;
    }
    return this.rest;
  }

  /** fromOurOps says some lifted strokes are shown from the overlay (update() found them there): ops of ours the room has not applied yet. */
  get fromOurOps(): boolean {
    return this.keysV !== null && this.fromOverlay.size > 0;
  }

  /** isLifted reports whether an overlay item (of those update() was given) is drawn by the lift. */
  isLifted(it: OverlayItem): boolean {
    return this.keysV !== null && this.fromOverlay.has(it);
  }

  /**
   * update finds where the lifted strokes are (committed, as without() last
   * split it, then the overlay's: our pending moves and resizes) and notes
   * when they moved. It returns false when none of them is shown any more.
   */
  update(overlay: readonly OverlayItem[], now: number): boolean {
    const keys = this.keysV;
    if (!keys) return false;
    // Nothing moved since the last frame (the editor hands out the same arrays): no walk over the selection.
    const u = this.updated;
    if (u && u.overlay === overlay && u.lifted === this.lifted && u.keys === keys) {
      if (!this.painted) this.changedAt = now;
      return u.ok;
    }
    const ok = this.find(overlay, keys, now);
    this.updated = { overlay, lifted: this.lifted, keys, ok };
    return ok;
  }

  private find(overlay: readonly OverlayItem[], keys: ReadonlySet<string>, now: number): boolean {
    const cur: Item[] = this.lifted.slice();
    this.fromOverlay.clear();
    for (const it of overlay) {
      if (it.complete && keys.has(keyOfStroke(it.stroke))) {
        cur.push(it);
        this.fromOverlay.add(it);
      }
    }
    if (cur.length === 0) return false;
    let reach = 0;
    for (const it of cur) if (it.stroke.width > reach) reach = it.stroke.width;
    this.reach = reach;
    // A stroke gone or come back since the bitmap was painted: paint it again.
    if (this.painted && cur.length !== this.count) this.painted = false;
    // The strokes as they were the last frame: where they were then.
    const same = this.pose !== null && cur.length === this.current.length && cur.every((it, i) => samePlace(it, this.current[i]));
    // Kept when the same: a picture being painted of them (refresh) is still of what is shown.
    if (!same) this.current = cur;
    const pose = same ? this.pose : poseOf(cur);
    if (!pose) return false;
    const map = this.ref ? liftMap(this.ref, pose) : IDENTITY;
    if (!this.painted || map.some((x, i) => x !== this.map[i])) this.changedAt = now;
    this.map = map;
    this.pose = pose;
    return true;
  }

  /**
   * draw paints the lifted strokes into ctx, whose pixels show view at dpr
   * device pixels per CSS pixel: from the bitmap through the map, painting
   * the bitmap first if needed (at view, the strokes where they are now).
   */
  draw(ctx: CanvasRenderingContext2D, view: View, dpr: number, screen: Rect): void {
    if (!this.painted) this.paint(view, dpr, screen);
    else this.takeExact(view);
    if (this.count === 0) return;
    const rv = this.refView;
    const u = 1 / (rv.scale * dpr);
    // bitmap pixel -> board (as painted) -> board (now) -> device pixel
    const fromBitmap: Affine = [u, 0, 0, u, this.ox * u - rv.x / rv.scale, this.oy * u - rv.y / rv.scale];
    const toDevice: Affine = [view.scale * dpr, 0, 0, view.scale * dpr, view.x * dpr, view.y * dpr];
    // Where it was painted (a pause): pixel for pixel, not resampled by a transform a rounding away from one.
    const m = sameMap(this.map, IDENTITY) && sameView(rv, view) ? ([1, 0, 0, 1, this.ox, this.oy] as const) : then(then(fromBitmap, this.map), toDevice);
    ctx.save();
    ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
    ctx.drawImage(this.canvas, 0, 0);
    ctx.restore();
  }

  /** paint paints the lifted strokes as they are now into the bitmap, over what of them is near the screen. */
  private paint(view: View, dpr: number, screen: Rect): void {
    const l = this.laidOut(view, dpr, screen);
    this.painted = true;
    paintItems(this.painter, this.ctx, l, 0, l.order.length, view, dpr);
  }

  /**
   * painting paints the bitmap as draw would, PIECE strokes at a time,
   * yielding between them (a picture painted ahead in idle slices,
   * render/lift_prep); the lift is ready once it returns. Nothing else may
   * be asked of the lift meanwhile.
   */
  *painting(view: View, dpr: number, screen: Rect): Generator<void, void> {
    const l = this.laidOut(view, dpr, screen, false);
    yield;
    // Sized apart: a bitmap the size of the screen or more is a piece of its own.
    sizeFor(this.canvas, this.ctx, l);
    yield;
    for (let i = 0; i < l.order.length; i += PIECE) {
      paintItems(this.painter, this.ctx, l, i, Math.min(l.order.length, i + PIECE), view, dpr);
      yield;
    }
    this.painted = true;
  }

  /** laidOut lays the bitmap out for the lifted strokes as they are now, painted from here (at pose, in view), and sizes and clears it when sized. */
  private laidOut(view: View, dpr: number, screen: Rect, sized = true): Layout {
    this.dropExact();
    this.ref = this.pose;
    this.refView = view;
    this.map = IDENTITY;
    const cur = this.current;
    this.count = cur.length;
    const l = layoutOf(this.painter, cur, view, dpr, screen);
    this.ox = l.ox;
    this.oy = l.oy;
    if (sized) sizeFor(this.canvas, this.ctx, l);
    return l;
  }

  /**
   * takeExact takes the picture refresh painted, once finished, if it is
   * of the strokes drawn now in the view drawn now: its bitmap becomes the
   * lift's, drawn through the map from where it was painted.
   */
  private takeExact(view: View): void {
    const e = this.exact;
    if (!e?.finished) return;
    this.exact = null;
    const pose = this.pose;
    if (!pose || e.items.length !== this.count || !sameView(e.view, view)) {
      e.cancel();
      return;
    }
    // The old bitmap's memory back at once (it may be as big as the screen, or more).
    this.canvas.width = 1;
    this.canvas.height = 1;
    this.canvas = e.canvas;
    this.ctx = e.ctx;
    this.ox = e.layout.ox;
    this.oy = e.layout.oy;
    this.ref = e.pose;
    this.refView = e.view;
    this.map = e.pose === pose ? IDENTITY : liftMap(e.pose, pose);
  }

  private dropExact(): void {
    this.exact?.cancel();
    this.exact = null;
  }
}

function samePlace(a: Item, b: Item): boolean {
  return a.stroke === b.stroke && a.dx === b.dx && a.dy === b.dy;
}
