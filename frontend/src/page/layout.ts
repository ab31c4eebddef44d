// The page's panels over the canvas, and the toolbar's row fitted to the
// window (what does not fit goes to its menus).

import { Corner } from '../ui/corner';
import { h } from '../ui/dom';
import type { PeopleList } from '../ui/people';
import type { Toolbar } from '../ui/toolbar';

/** LayoutParts are the page's parts, in the order they are stacked. */
export interface LayoutParts {
  readonly decor: HTMLElement;
  readonly cursors: HTMLElement;
  readonly textEditor: HTMLElement;
  readonly toolbar: Toolbar;
  readonly people: PeopleList;
  /** The help panel; null: none (an embed). */
  readonly help: HTMLElement | null;
  readonly followPill: HTMLElement;
  readonly status: HTMLElement;
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
      ...(p.help ? [p.help] : []),
      h('aside', { class: 'side' }, p.people.el),
      p.followPill,
      h('footer', { class: 'bottom' }, p.status),
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

  /** foldOnSmallScreen: a phone-sized screen starts with the people panel and the map folded. */
  foldOnSmallScreen(): void {
    if (window.matchMedia?.('(max-width: 600px), (max-height: 500px)').matches) {
      this.p.people.setCollapsed(true);
      this.corner.setCollapsed(true);
    }
  }

  /** relayout fits the toolbar's row to the window. */
  relayout(): void {
    this.p.toolbar.fit(Math.max(0, this.top.clientWidth - this.p.people.toggle.offsetWidth - 8));
    this.p.changed();
  }
}
