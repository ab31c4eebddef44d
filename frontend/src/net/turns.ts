// The order a connection's events are handled in. The server's frames and
// the socket's close are handled one after another, in the order they came,
// but not always at once: the page's parts that hear them may not exist
// yet (the first frames wait for them), and a frame may be held while the
// page does something first (a big board's first picture is shown). What
// comes meanwhile waits behind, in order. DOM-free: net/connection feeds it.

export class Turns {
  /** What waits, in order; null when nothing holds the line. */
  private waiting: Array<() => void> | null;

  /** after: the line starts held until it settles (none: open at once). */
  constructor(after?: Promise<unknown>) {
    this.waiting = after ? [] : null;
    if (after) {
      const go = (): void => this.release();
      void after.then(go, go);
    }
  }

  /** inTurn runs f now, or after what waits before it once the line is free. */
  inTurn(f: () => void): void {
    if (this.waiting) this.waiting.push(f);
    else f();
  }

  /** hold runs f once p settles, before whatever comes meanwhile (call it from a turn being run). */
  hold(p: Promise<unknown>, f: () => void): void {
    this.waiting = [f, ...(this.waiting ?? [])];
    const go = (): void => this.release();
    void p.then(go, go);
  }

  /** release runs what waits, in order; what one of them holds again waits, with the rest behind it. */
  private release(): void {
    const w = this.waiting ?? [];
    this.waiting = null;
    for (let i = 0; i < w.length; i++) {
      if (this.waiting !== null) {
        (this.waiting as Array<() => void>).push(...w.slice(i));
        return;
      }
      w[i]();
    }
  }
}
