// Work done ahead in idle time, a slice at a time. A job is a generator
// that yields between small pieces of its work (a few strokes painted);
// IdleSlices runs pieces while the browser's idle period lasts, and at most
// SLICE_MS at a time, then asks for the next idle period. One piece of a
// thousand strokes' picture painted in one task is a dropped frame; the
// same work in slices fits between frames. DOM-free: the page hands in
// the browser's scheduler (render/browser_idle), tests a fake one.

/** A slice runs pieces for at most this long (ms), however long the idle period says it has: half a frame. */
export const SLICE_MS = 8;

/** IdleDeadline is what an idle callback is given (the browser's IdleDeadline). */
export interface IdleDeadline {
  readonly didTimeout: boolean;
  timeRemaining(): number;
}

/** IdleScheduler runs f in an idle period (or once timeout ms passed without one), and returns what cancels it. */
export type IdleScheduler = (f: (d: IdleDeadline) => void, timeout: number) => () => void;

/**
 * IdleSlices runs a job in slices of idle time until it returns, then
 * calls done; cancel stops it between pieces. Each slice runs at least one
 * piece, so a page that is never idle still gets the job done (one slice
 * per timeout).
 */
export class IdleSlices {
  private cancelV: (() => void) | null = null;
  private finished = false;
  /** Slices run so far. */
  slices = 0;

  constructor(
    private readonly job: Iterator<unknown>,
    private readonly done: () => void,
    private readonly idle: IdleScheduler,
    private readonly now: () => number = () => performance.now(),
    /** An idle period's slice waits at most this long (ms) for one. */
    private readonly timeout = 1000,
  ) {
    this.next();
  }

  /** running says the job has not returned and was not cancelled. */
  get running(): boolean {
    return this.cancelV !== null;
  }

  /** cancel stops the job between pieces; the job's finally blocks run (what it held goes back). */
  cancel(): void {
    if (this.cancelV === null) return;
    this.cancelV();
    this.cancelV = null;
    this.job.return?.();
  }

  private next(): void {
    this.cancelV = this.idle((d) => this.slice(d), this.timeout);
  }

  private slice(d: IdleDeadline): void {
    if (this.cancelV === null || this.finished) return;
    this.slices++;
    const t0 = this.now();
    // Timed out: the page is busy, and this slice is all it gets for now.
    const budget = d.didTimeout ? SLICE_MS : Math.min(SLICE_MS, d.timeRemaining());
    do {
      if (this.job.next().done) {
        this.finished = true;
        this.cancelV = null;
        this.done();
        return;
      }
    } while (this.now() - t0 < budget);
    this.next();
  }
}
