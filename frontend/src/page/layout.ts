// The page's panels over the canvas, and the toolbar's row fitted to the
// window (what does not fit goes to its menus).

import { Corner } from '../ui/corner';
import { h } from '../ui/dom';
import type { PeopleList } from '../ui/people';
import type { Folds } from '../ui/prefs';
import type { Toolbar } from '../ui/toolbar';

/** LayoutParts are the page's parts, in the order they are stacked. */
export interface LayoutParts {
  readonly decor: HTMLElement;
  readonly cursors: HTMLElement;
  readonly textEditor: HTMLElement;
  readonly toolbar: Toolbar;
  readonly people: PeopleList;
  readonly followPill: HTMLElement;
  readonly status: HTMLElement;
  /** The toast: in the status bar's column, so that on a narrow screen it sits above the bar, not over it. */
  readonly toast: HTMLElement;
  readonly backToContent: HTMLElement;
  /** What the folding corner holds (the minimap, the zoom controls). */
  readonly corner: readonly HTMLElement[];
  /** The free area changed (a panel folded or the row was laid out again). */
  readonly changed: () => void;
  /** A corner panel folded or unfolded. */
  readonly cornerToggled: () => void;
}

export class PageLayout {
  readonly corner: Corner;
  private readonly top: HTMLElement;

  constructor(
    ui: HTMLElement,
    private readonly p: LayoutParts,
  ) {
    this.top = h('header', { class: 'top' }, p.toolbar.el, p.people.toggle);
    this.corner = new Corner(p.corner, p.cornerToggled);
    ui.append(
      p.decor,
      p.cursors,
      p.textEditor,
      this.top,
      // The pill in the people panel's column: on a narrow screen it sits under the panel (app_panels.css), never over its heading.
      h('aside', { class: 'side' }, p.people.el, p.followPill),
      h('footer', { class: 'bottom' }, p.toast, p.status),
      p.backToContent,
      this.corner.el,
    );
    // The people button grows with the count (9 -> 10 people): the row is laid out again.
    new ResizeObserver(() => this.relayout()).observe(p.people.toggle);
    // A button clicked with the mouse gives focus back, so that Space pans and
    // shortcuts work at once (keyboard users keep focus where it is).
    ui.addEventListener('click', (e) => {
      if (e.detail === 0 || !(e.target instanceof Element)) return;
      const b = e.target.closest('button');
      if (b && document.activeElement === b) b.blur();
    });
  }

  /**
   * fold folds the panels as this person last left them (remembered), else
   * as the screen suggests: a phone-sized screen starts with the people
   * panel and the map folded. remember hears each fold made by hand (only
   * the panel folded: the other keeps following the screen).
   */
  fold(remembered: Folds, remember: (f: Folds) => void): void {
    const small = window.matchMedia?.('(max-width: 600px), (max-height: 500px)').matches ?? false;
    const people = remembered.people ?? small;
    const map = remembered.map ?? small;
    if (people !== this.p.people.collapsed) this.p.people.setCollapsed(people);
    if (map !== this.corner.collapsed) this.corner.setCollapsed(map);
    // After the panels' own listeners, which fold or unfold them.
    this.p.people.toggle.addEventListener('click', () => remember({ people: this.p.people.collapsed }));
    this.corner.toggle.addEventListener('click', () => remember({ map: this.corner.collapsed }));
  }

  /** addHelp puts the help panel in its place, under the top row (an embed has none). */
  addHelp(el: HTMLElement): void {
    this.top.after(el);
  }

  /** relayout fits the toolbar's row to the window. */
  relayout(): void {
    this.p.toolbar.fit(Math.max(0, this.top.clientWidth - this.p.people.toggle.offsetWidth - 8));
    this.p.changed();
  }
}
