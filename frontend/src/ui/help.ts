// The help panel: every keyboard shortcut (input/shortcuts SHORTCUTS) and
// every control of the page (CONTROLS), opened by the toolbar's help button
// or the ? key, closed by Escape, the close button or the same key again. It
// floats over the board, blocks nothing, and fits the screen: it scrolls
// inside itself.

import type { Shortcut } from '../input/shortcuts';
import { ICONS, h, svgIcon } from './dom';
import type { Control } from './help_tables';

export class HelpPanel {
  readonly el: HTMLElement;
  readonly button: HTMLButtonElement;
  private readonly closeBtn: HTMLButtonElement;
  /** fill makes the panel's tables; null once made. */
  private fill: (() => void) | null;

  /** controls: the page's controls (default: help_tables.ts CONTROLS). */
  constructor(shortcuts: readonly Shortcut[], controls?: readonly Control[]) {
    this.button = h('button', {
      type: 'button',
      class: 'tb-btn',
      'data-testid': 'help',
      'aria-label': 'Keyboard shortcuts (?)',
      title: 'Keyboard shortcuts (?)',
      'aria-expanded': 'false',
      'aria-controls': 'help-panel',
    });
    this.button.append(svgIcon(ICONS.help));
    this.closeBtn = h('button', { type: 'button', class: 'tb-btn', 'data-testid': 'help-close', 'aria-label': 'Close the shortcuts', title: 'Close (Escape)' }, '✕');
    this.el = h(
      'section',
      { id: 'help-panel', class: 'help', 'data-testid': 'help-panel', role: 'dialog', 'aria-label': 'Keyboard shortcuts', hidden: true },
      h('div', { class: 'help-head' }, h('h2', {}, 'Keyboard shortcuts'), this.closeBtn),
    );
    // The tables (a few hundred elements, and their text: help_tables.ts,
    // in the chunk of the build loaded on first use, later.ts) are loaded
    // and made when the panel first opens: the page's start, on a phone,
    // has better things to do.
    this.fill = () => void import('../later').then((t) => this.el.append(...t.helpTables(shortcuts, controls ?? t.CONTROLS)));
    this.button.addEventListener('click', () => this.toggle());
    this.closeBtn.addEventListener('click', () => this.close());
    this.el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.close();
      }
    });
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  toggle(): void {
    if (this.open) this.close();
    else this.show();
  }

  show(): void {
    this.fill?.();
    this.fill = null;
    this.el.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
  }

  close(): void {
    if (!this.open) return;
    this.el.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
  }
}
