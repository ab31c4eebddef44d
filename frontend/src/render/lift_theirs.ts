// Another person's Transform, Move or Rotate of a big selection, lifted as
// it comes. The renderer lifts their strokes off the layer as it lifts
// ours (render/lift), but nothing said beforehand which strokes, so no
// picture of them was painted ahead (render/lift_prep): painting a
// thousand strokes in the frame that found the change froze the page of
// everyone watching for several frames. Their lift is painted over the
// next tasks instead, as a picture painted ahead is, while the layer goes
// on showing what it showed (Renderer.frame holds it): their strokes stay
// where they were for those few frames, then move on with the rest of the
// drag. Not in idle time, which a page kept busy by their ops may not
// have: a slice of SLICE_MS in each new task (render/refine's nextTask),
// so frames go on between slices and the picture comes within a few of
// them.

import type { Stroke } from '../protocol/board';
import { IdleSlices, SLICE_MS, type IdleScheduler } from './idle_slices';
import { release } from './layer_picture';
import { paintingAhead, type Ahead, type Basis } from './lift_prep';
import type { StrokePainter } from './paint';
import { nextTask } from './refine';

/** soon runs f in a task of its own (nextTask), as if idle for a whole slice. */
const soon: IdleScheduler = (f) => {
  let live = true;
  void nextTask().then(() => {
    if (live) f({ didTimeout: false, timeRemaining: () => SLICE_MS });
  });
  return () => {
    live = false;
  };
};

/**
 * The layer holds at most this long (ms): a page so busy that the picture
 * is not painted by then paints it in a frame instead, as before, rather
 * than show their strokes still for longer.
 */
export const HOLD_MAX_MS = 1000;

export class TheirLift {
  /** When the painting began (performance.now()). */
  readonly startedAt = performance.now();
  private job: IdleSlices | null;
  private got: Ahead | null = null;

  /**
   * The lift of b.keys (their strokes as b.committed has them) and the
   * layer without them are painted over the next tasks; base is what the
   * layer holds meanwhile; done is called once both are painted.
   */
  constructor(
    painter: StrokePainter,
    readonly b: Basis,
    base: readonly Stroke[],
    done: () => void,
    idle: IdleScheduler = soon,
  ) {
    this.job = new IdleSlices(
      this.painting(painter, base),
      () => {
        this.job = null;
        done();
      },
      idle,
    );
  }

  /** painting paints b ahead (paintingAhead) and keeps what it made for take. */
  private *painting(painter: StrokePainter, base: readonly Stroke[]): Generator<void, void> {
    this.got = yield* paintingAhead(painter, this.b, base);
  }

  /** finished says the painting is over: take hands over what it made. */
  get finished(): boolean {
    return this.job === null;
  }

  /** take hands over the lift and the layer's picture painted (null: their strokes are not to be lifted, or nothing is painted yet). */
  take(): Ahead | null {
    const g = this.got;
    this.got = null;
    return g;
  }

  /** cancel stops the painting, or gives back what it made. */
  cancel(): void {
    this.job?.cancel();
    this.job = null;
    const g = this.take();
    if (!g) return;
    g.lift.stop();
    if (g.layer) release(g.layer);
  }
}
