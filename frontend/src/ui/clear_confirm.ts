// The clear button and its inline confirm: a small popover under the button
// asking "Clear the board for everyone?" with Clear and Cancel. It blocks
// nothing: drawing goes on while it is open, and a click elsewhere or
// Escape closes it.

import { ICONS, h, svgIcon, dismissOn } from './dom';

export class ClearConfirm {
  readonly el: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly pop: HTMLElement;
  private readonly cancelBtn: HTMLButtonElement;

  constructor(onConfirm: () => void) {
    this.button = h('button', {
      type: 'button',
      class: 'tb-btn',
      'data-testid': 'clear',
      'aria-label': 'Clear the board',
      title: 'Clear the board',
      'aria-expanded': 'false',
      'aria-controls': 'clear-confirm',
    });
    this.button.append(svgIcon(ICONS.trash));
    const confirmBtn = h(
      'button',
      { type: 'button', class: 'pop-danger', 'data-testid': 'clear-confirm', 'aria-label': 'Clear the board for everyone', title: 'Clear the board for everyone' },
      'Clear',
    );
    this.cancelBtn = h(
      'button',
      { type: 'button', class: 'pop-cancel', 'data-testid': 'clear-cancel', 'aria-label': 'Cancel, keep the board', title: 'Cancel' },
      'Cancel',
    );
    this.pop = h(
      'div',
      { id: 'clear-confirm', class: 'popover', role: 'group', 'aria-labelledby': 'clear-confirm-q', hidden: true },
      h('p', { id: 'clear-confirm-q' }, 'Clear the board for everyone? (Undo brings it back)'),
      h('div', { class: 'pop-actions' }, confirmBtn, this.cancelBtn),
    );
    this.el = h('div', { class: 'tb-group tb-clear' }, this.button, this.pop);

    this.button.addEventListener('click', () => (this.isOpen() ? this.close(false) : this.open()));
    confirmBtn.addEventListener('click', () => {
      this.close(true);
      onConfirm();
    });
    this.cancelBtn.addEventListener('click', () => this.close(true));
    dismissOn(this.el, this.pop, () => this.isOpen(), (refocus) => this.close(refocus));
  }

  isOpen(): boolean {
    return !this.pop.hidden;
  }

  open(): void {
    this.pop.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    this.cancelBtn.focus();
  }

  /** close hides the popover; refocus returns focus to the clear button. */
  close(refocus: boolean): void {
    if (!this.isOpen()) return;
    this.pop.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
    if (refocus) this.button.focus();
  }
}
