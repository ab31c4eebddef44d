// A big selection's lift (render/lift), painted ahead. Starting a drag
// lifts the selection off the committed layer: its picture is painted and
// the layer painted without it, which for a thousand strokes is a frame's
// work or more, in the very frame the drag starts. Once a big selection
// has been still for a moment, both are painted in idle time instead, and
// the drag's first frame takes them if they are still of what is shown:
// the same names, the same committed strokes and overlay (the Editor hands
// out the same arrays while nothing that decides them changed), the same
// view, screen and theme. Anything else drops them; they are never drawn
// for a board that changed since. A thousand strokes painted in one task
// would drop a frame of whatever else the page shows meanwhile: they are
// painted a few at a time, in slices of idle time (render/idle_slices).

import { screenRect } from '../geometry/view';
import { Lift, LIFT_MIN } from './lift';
import { sameBasis, type Basis } from './lift_basis';
import { browserIdle } from './browser_idle';
import { IdleSlices, type IdleScheduler } from './idle_slices';
import { paintingLayerPicture, release, type LayerPicture } from './layer_picture';
import type { StrokePainter } from './paint';
import type { Stroke } from '../protocol/board';
import type { OverlayItem } from '../edit/shown';

export type { Basis } from './lift_basis';

/** Pictures are painted ahead once what they show has been still this long (ms): not at each step of a pan, nor for each stroke someone adds. */
export const STILL_MS = 200;

/** Ahead is what take hands over: the lift, painted, and the layer without it (null when it could not be painted ahead). */
export interface Ahead {
  readonly lift: Lift;
  readonly layer: LayerPicture | null;
}

export class LiftPrep {
  /** What was painted ahead, and for what. */
  private basis: Basis | null = null;
  private lift: Lift | null = null;
  private layer: LayerPicture | null = null;
  /** What is to be painted once still (kept when found not worth it: it is not tried again), the timer that starts it, and the painting under way. */
  private wanted: Basis | null = null;
  private timer: number | null = null;
  private job: IdleSlices | null = null;
  /** Pictures painted ahead, and taken by a drag, all told. */
  painted = 0;
  taken = 0;

  /** Steps of drags rehearsed (edit/rehearsal), and rehearsals ended by a throw, all told. */
  rehearsed = 0;
  rehearsalErrors = 0;

  constructor(
    private readonly painter: StrokePainter,
    private readonly idle: IdleScheduler = browserIdle,
    /**
     * A rehearsal of a drag of the selection, run once its picture is
     * painted ahead, telling onStep what each step shows (edit/rehearsal);
     * null: none.
     */
    private readonly rehearsal: (onStep: (overlay: readonly OverlayItem[], committed: readonly Stroke[]) => void) => Generator<void, number> | null = () => null,
  ) {}

  /**
   * want says what is shown after a frame: a big selection (b), or
   * nothing to paint ahead for (null: no big selection, a drag going on,
   * a view still settling). What was painted for something else is
   * dropped; b is painted once it has been still for STILL_MS.
   */
  want(b: Basis | null): void {
    if (b && b.keys.length < LIFT_MIN) b = null;
    if (b && this.basis && sameBasis(this.basis, b)) return;
    if (b && this.wanted && sameBasis(this.wanted, b)) return;
    this.drop();
    if (!b) return;
    this.wanted = b;
    this.timer = window.setTimeout(() => {
      this.timer = null;
      this.job = new IdleSlices(this.painting(b), () => (this.job = null), this.idle);
    }, STILL_MS);
  }

  /**
   * take hands over what was painted ahead when it shows b (what is shown
   * as a drag of ours starts, before its first op goes out), and forgets
   * it either way.
   */
  take(b: Basis): Ahead | null {
    const ok = this.lift !== null && this.basis !== null && sameBasis(this.basis, b);
    const out = ok ? { lift: this.lift!, layer: this.layer } : null;
    if (ok) {
      this.taken++;
      this.lift = null;
      this.layer = null;
    }
    this.drop();
    return out;
  }

  /** given takes back a layer picture once the layer had it (CommittedLayer.adopt): the memory of the canvases it holds then goes back. */
  given(p: LayerPicture): void {
    release(p);
  }

  /** drop forgets what was painted ahead or waits to be. */
  drop(): void {
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.job?.cancel();
    this.timer = null;
    this.job = null;
    this.wanted = null;
    this.basis = null;
    this.lift?.stop();
    this.lift = null;
    if (this.layer) release(this.layer);
    this.layer = null;
  }

  /** painting paints b ahead (paintingAhead) and keeps what it made for take. */
  private *painting(b: Basis): Generator<void, void> {
    const got = yield* paintingAhead(this.painter, b, b.committed);
    if (!got) return;
    this.wanted = null;
    this.basis = b;
    this.lift = got.lift;
    this.layer = got.layer;
    this.painted++;
    yield* this.rehearsing(b);
  }

  /**
   * rehearsing runs the rehearsal of a drag of b's selection: the drag's
   * own code compiled before its first step, the lift's finding of the
   * selection in each step too (on a lift of its own, never painted, asked
   * what Renderer.liftWhatMoves asks). A drag that starts meanwhile takes
   * the picture and stops it. It is a warm-up only: a throw in it is
   * reported and ends it, and the picture painted ahead stays.
   */
  private *rehearsing(b: Basis): Generator<void, void> {
    let scratch: Lift | null = null;
    const r = this.rehearsal((overlay, committed) => {
      if (!scratch) {
        scratch = new Lift(this.painter);
        scratch.start(b.keys, performance.now());
      }
      scratch.rehearse(overlay, committed, performance.now());
    });
    if (!r) return;
    try {
      this.rehearsed += yield* r;
    } catch (e) {
      this.rehearsalErrors++;
      globalThis.reportError?.(e);
    } finally {
      (scratch as Lift | null)?.stop();
    }
  }
}

/**
 * paintingAhead paints b, a few strokes at a time: the selection's
 * picture, then the layer without it (base: the strokes the layer holds
 * when the picture is to be taken, CommittedLayer.adopt). It returns them
 * once all is painted, or null when a drag would not lift b (not shown, or
 * a stroke above it under it); stopped between pieces, it gives back what
 * it had.
 */
export function* paintingAhead(painter: StrokePainter, b: Basis, base: readonly Stroke[]): Generator<void, Ahead | null> {
  const now = performance.now();
  const lift = new Lift(painter);
  let layer: LayerPicture | null = null;
  let kept = false;
  try {
    lift.start(b.keys, now);
    const rest = lift.without(b.committed);
    yield;
    // Not shown, or a stroke above it under it: a drag would not lift it (Renderer.liftWhatMoves).
    if (!lift.update(b.overlay, now) || lift.covered()) return null;
    yield;
    const screen = screenRect(b.view, b.w, b.h);
    yield* lift.painting(b.view, b.dpr, screen);
    const w = Math.max(1, Math.round(b.w * b.dpr));
    const h = Math.max(1, Math.round(b.h * b.dpr));
    layer = yield* paintingLayerPicture(painter, rest, base, b.view, b.dpr, screen, w, h);
    kept = true;
    return { lift, layer };
  } finally {
    // Dropped half way (the generator returned early), or not worth it: the canvases' memory back.
    if (!kept) {
      lift.stop();
      if (layer) release(layer);
    }
  }
}
