// The help panel: every keyboard shortcut (input/shortcuts SHORTCUTS), opened
// by the toolbar's help button or the ? key, closed by Escape, the close
// button or the same key again. It floats over the board and blocks
// nothing.

import type { Shortcut } from '../input/shortcuts';
import { ICONS, h, svgIcon } from './dom';

export class HelpPanel {
  readonly el: HTMLElement;
  readonly button: HTMLButtonElement;
  private readonly closeBtn: HTMLButtonElement;

  constructor(shortcuts: readonly Shortcut[]) {
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
    const rows = shortcuts.map((s) =>
      h('tr', {}, h('th', { scope: 'row' }, ...keys(s.keys)), h('td', {}, s.what)),
    );
    this.el = h(
      'section',
      { id: 'help-panel', class: 'help', 'data-testid': 'help-panel', role: 'dialog', 'aria-label': 'Keyboard shortcuts', hidden: true },
      h('div', { class: 'help-head' }, h('h2', {}, 'Keyboard shortcuts'), this.closeBtn),
      h('table', {}, h('tbody', {}, ...rows)),
    );
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
    this.el.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
  }

  close(): void {
    if (!this.open) return;
    this.el.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
  }
}

/** keys writes "Ctrl+Shift+Z / Ctrl+Y" as keycaps. */
function keys(text: string): Array<Node | string> {
  const out: Array<Node | string> = [];
  text.split(' / ').forEach((alt, i) => {
    if (i) out.push(' or ');
    alt.split('+').forEach((k, j) => {
      if (j) out.push('+');
      const key = k.trim();
      out.push(/^[A-Za-z0-9?!+−\-]$|^(Ctrl|Shift|Space|Escape|Delete|Backspace|Enter)$/.test(key) ? h('kbd', {}, key) : key);
    });
  });
  return out;
}
