// Landing on the drawing. A first visit to a board with content fits the
// content into the free area (the screen less the toolbar and panels) once
// the board has arrived, unless the person moved the view first; a return
// visit keeps the view remembered for this board (ui/view_store), which the
// page set before. Fit (Shift+1, the zoom bar's button) uses the same free
// area. A "Back to content" button shows while no ink is in the free area
// and fits the content when pressed.

import type { Rect } from '../geometry/bounds';
import { isEmpty } from '../geometry/bounds';
import { boardBox, fitFree, freeArea, showsWhole, type Box } from '../geometry/free_area';
import type { View } from '../geometry/view';
import { ICONS, h, svgIcon } from './dom';

/** How often, at most, the page looks for ink in view (the look walks the board). */
const CHECK_MS = 250;

export interface LandingHost {
  view(): View;
  /** The screen's size in CSS pixels. */
  size(): { readonly w: number; readonly h: number };
  setView(v: View, byUser: boolean): void;
  /** The bounds of everything drawn (board units); empty when nothing is. */
  content(): Rect;
  /** Whether any ink touches board rectangle r. */
  inkIn(r: Rect): boolean;
  /** The panels over the board (hidden ones are skipped). */
  panels(): readonly Element[];
  /** Whether a gesture (a drag of the selection, a stroke) is going on: the look waits for its end. */
  busy?(): boolean;
}

export class Landing {
  readonly button: HTMLButtonElement;
  private landed: boolean;
  private timer: number | null = null;
  /** The board arrived before the screen had a size: it lands once it has one. */
  private waiting = false;

  constructor(private readonly host: LandingHost, landed: boolean) {
    this.landed = landed;
    this.button = h('button', {
      type: 'button',
      class: 'back-to-content',
      'data-testid': 'back-to-content',
      'aria-label': 'Back to content: show the whole drawing',
      title: 'Back to content (Shift+1)',
      hidden: true,
    });
    this.button.append(svgIcon(ICONS.target), 'Back to content');
    this.button.addEventListener('click', () => this.fit(1));
  }

  /** obstacles are the screen boxes of the panels shown. */
  obstacles(): Box[] {
    const out: Box[] = [];
    for (const el of this.host.panels()) {
      if (!(el instanceof HTMLElement) || el.offsetParent === null) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) out.push({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
    }
    return out;
  }

  /** free is the screen's free area now. */
  free(): Box {
    const { w, h } = this.host.size();
    return freeArea(w, h, this.obstacles());
  }

  /** fitView is the view that fits content (by default what is drawn) into the free area (null: nothing drawn). */
  fitView(maxZoom: number, content: Rect = this.host.content()): View | null {
    const { w, h } = this.host.size();
    const pad = Math.max(16, Math.min(48, Math.min(w, h) * 0.06));
    return fitFree(content, w, h, this.obstacles(), pad, maxZoom);
  }

  /** fit shows the whole drawing in the free area, as a person's zoom does. */
  fit(maxZoom: number): void {
    const v = this.fitView(maxZoom);
    if (v) this.host.setView(v, true);
    this.landed = true;
  }

  /** moved says the person moved the view: a first visit's fit no longer happens. */
  moved(): void {
    this.landed = true;
  }

  /** get reports whether the page has landed: its view is the person's or the fit's, worth remembering. */
  get done(): boolean {
    return this.landed;
  }

  /**
   * arrived says the board is here (the first Welcome after its snapshot):
   * on a first visit the view goes to the drawing, unless it is all in view.
   */
  arrived(): void {
    if (this.landed) return;
    const { w, h } = this.host.size();
    if (w === 0 || h === 0) {
      // The board came before the page's first layout gave the screen its
      // size (a fast server): there is nothing to fit into yet, so the
      // landing waits for the size (sized).
      this.waiting = true;
      return;
    }
    this.waiting = false;
    const v = this.viewOnArrival(this.host.content());
    this.landed = true;
    if (v !== this.host.view()) this.host.setView(v, false);
  }

  /** sized says the screen has its size now: a board that arrived before lands. */
  sized(): void {
    if (this.waiting) this.arrived();
  }

  /** viewOnArrival is the view the page will show a board whose content has these bounds in, once it has arrived. */
  viewOnArrival(content: Rect): View {
    const now = this.host.view();
    if (this.landed || isEmpty(content) || showsWhole(now, content, this.free())) return now;
    return this.fitView(1, content) ?? now;
  }

  /**
   * changed says the view or the board changed: the button is looked at
   * again soon. Not during a gesture: a drag of a big selection changes
   * the board at every step, and the look (the content's bounds, ink in
   * the free area, the panels' boxes) walks all it changed, a task that
   * costs the drag frames; it is looked at once the gesture is over.
   */
  changed(): void {
    if (this.timer !== null) return;
    this.timer = window.setTimeout(this.due, CHECK_MS);
  }

  private readonly due = (): void => {
    if (this.host.busy?.()) {
      this.timer = window.setTimeout(this.due, CHECK_MS);
      return;
    }
    this.timer = null;
    this.check();
  };

  private check(): void {
    const content = this.host.content();
    const lost = !isEmpty(content) && !this.host.inkIn(boardBox(this.host.view(), this.free()));
    if (this.button.hidden === lost) this.button.hidden = !lost;
  }
}
