// The toast: one short message at the bottom of the board, with at most
// one action (Undo), gone after a while or when closed. Used to say who
// cleared the board or removed someone's work, so nobody's drawing
// vanishes without a word, and to undo it right there.

import { h } from './dom';

export interface ToastAction {
  readonly label: string;
  run(): void;
}

/** How long a toast stays (ms). */
export const TOAST_MS = 12000;

export class Toast {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;
  private readonly action: HTMLButtonElement;
  private readonly close: HTMLButtonElement;
  private run: (() => void) | null = null;
  private timer = 0;

  constructor() {
    this.text = h('span', { class: 'toast-text', 'data-testid': 'toast-text' });
    this.action = h('button', { type: 'button', class: 'status-action', 'data-testid': 'toast-action' });
    this.close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', title: 'Dismiss' }, '×');
    this.el = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite', 'data-testid': 'toast', hidden: true }, this.text, this.action, this.close);
    this.action.addEventListener('click', () => {
      const run = this.run;
      this.hide();
      run?.();
    });
    this.close.addEventListener('click', () => this.hide());
  }

  /** show says message, with action when given (null: none), replacing what the toast said. */
  show(message: string, action: ToastAction | null, ms = TOAST_MS): void {
    this.text.textContent = message;
    this.run = action ? () => action.run() : null;
    this.action.hidden = !action;
    this.action.textContent = action?.label ?? '';
    this.el.hidden = false;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.hide(), ms);
  }

  hide(): void {
    window.clearTimeout(this.timer);
    this.el.hidden = true;
    this.run = null;
  }
}
