// The last line of "nothing drawn is lost": the page keeps its unsent
// work in IndexedDB (work_cache), and when it cannot (no IndexedDB, no Web
// Locks, a write that failed, storage that never answered) while work is
// unsent, it says so on the page and asks before the page is closed or
// reloaded (beforeunload), which is the one moment that work would go.

import { h } from '../ui/dom';

/** How often the hint checks whether unsent work exists (ms). */
const CHECK_MS = 500;
/**
 * How long storage may take to answer a first time before the hint shows
 * (ms): the first save answers in milliseconds, and without this every
 * first stroke flashed the warning while its save was under way.
 */
const FIRST_ANSWER_MS = 3000;

export class UnsavedGuard {
  readonly el: HTMLElement;
  /** Unsent work is not known to be kept on this device: no save has succeeded since the last failure. */
  private failing = true;
  /** storage() has been called: whether saving works is known. */
  private answered = false;
  private readonly since = performance.now();

  constructor(
    /** How many ops are not acknowledged by the room yet. */
    private readonly unsent: () => number,
  ) {
    this.el = h(
      'div',
      { class: 'unsaved-hint', 'data-testid': 'unsaved-hint', role: 'status', hidden: true },
      'Not saved on this device: what you drew has not reached the board yet, and closing this page would lose it.',
    );
    window.addEventListener('beforeunload', (e) => {
      if (!this.atRisk()) return;
      e.preventDefault();
      // Older engines ask for returnValue to be set.
      e.returnValue = '';
    });
    window.setInterval(() => this.update(), CHECK_MS);
  }

  /** storage says whether the last attempt to keep the work on this device succeeded. */
  storage(ok: boolean): void {
    this.failing = !ok;
    this.answered = true;
    this.update();
  }

  /** atRisk: unsent work exists and is not kept on this device. */
  atRisk(): boolean {
    return this.failing && this.unsent() > 0;
  }

  private update(): void {
    // beforeunload asks whenever work is at risk; the hint waits for
    // storage to answer (or not, in time).
    const show = this.atRisk() && (this.answered || performance.now() - this.since > FIRST_ANSWER_MS);
    if (this.el.hidden === show) this.el.hidden = !show;
  }
}
