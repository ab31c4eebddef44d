// A menu: a toolbar button that opens a small panel under it (more tools,
// the style of the current tool, more page controls). It blocks nothing: a
// click elsewhere or Escape closes it, Escape gives focus back to its
// button. The panel carries data-menu-of (its button's data-testid), so a
// test, like a person, can find which button opens it.

import { h, svgIcon, dismissOn } from './dom';

export class Menu {
  readonly el: HTMLElement;
  readonly button: HTMLButtonElement;
  readonly panel: HTMLElement;
  private readonly onOpen: () => void;

  /**
   * closeOnChoice: a click on a button of the panel closes the menu, unless
   * the button opens a popover of its own inside the panel (share, clear).
   */
  constructor(testid: string, label: string, icon: string, panelClass: string, closeOnChoice = false, onOpen: () => void = () => {}) {
    this.onOpen = onOpen;
    this.button = h('button', {
      type: 'button',
      class: 'tb-btn',
      'data-testid': testid,
      'aria-label': label,
      title: label,
      'aria-haspopup': 'true',
      'aria-expanded': 'false',
      'aria-controls': `menu-${testid}`,
    });
    if (icon) this.button.append(svgIcon(icon));
    this.panel = h('div', { id: `menu-${testid}`, class: `popover tb-menu ${panelClass}`, role: 'group', 'aria-label': label, 'data-menu-of': testid, hidden: true });
    this.el = h('div', { class: 'tb-pop' }, this.button, this.panel);
    this.button.addEventListener('click', () => (this.isOpen() ? this.close(false) : this.open()));
    if (closeOnChoice) {
      this.panel.addEventListener('click', (e) => {
        const b = e.target instanceof Element ? e.target.closest('button') : null;
        // Not a button of the menu's own, or one inside a popover of its own.
        if (!b || b.parentElement?.closest('.popover') !== this.panel) return;
        const inner = b.getAttribute('aria-controls');
        const pop = inner ? document.getElementById(inner) : null;
        if (!pop || !this.panel.contains(pop)) this.close(false);
      });
    }
    dismissOn(this.el, this.panel, () => this.isOpen(), (refocus) => this.close(refocus));
    // Escape closes the menu and does nothing more (the page's Escape
    // would also drop the selection the style menu is restyling). Heard in
    // the capture phase: the page's keys listen on the window from its
    // first task, before any menu is made, and skip a key handled here.
    window.addEventListener(
      'keydown',
      (e) => {
        if (e.key !== 'Escape' || !this.isOpen()) return;
        // A popover open inside this menu (the share menu in More, on a
        // narrow toolbar) is the innermost: the page's Escape closes it first.
        if (this.panel.querySelector('.popover:not([hidden])')) return;
        e.preventDefault();
        // Focus goes back to the opener when it was in the menu (as dismissOn does).
        this.close(e.target instanceof Node && this.panel.contains(e.target));
      },
      true,
    );
  }

  isOpen(): boolean {
    return !this.panel.hidden;
  }

  open(): void {
    this.onOpen();
    this.panel.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    keepInside(this.panel);
  }

  close(refocus: boolean): void {
    if (!this.isOpen()) return;
    this.panel.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
    if (refocus) this.button.focus();
  }
}

/** keepInside moves an open popover left so it stays inside the window. */
export function keepInside(pop: HTMLElement): void {
  pop.style.left = '0px';
  const r = pop.getBoundingClientRect();
  const over = r.right - (window.innerWidth - 8);
  if (over > 0) pop.style.left = `${-Math.min(over, r.left - 8)}px`;
}
