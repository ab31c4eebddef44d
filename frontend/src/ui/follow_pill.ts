// The pill that says whom this person follows, with a Stop button.

import { h } from './dom';

export class FollowPill {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;

  constructor(onStop: () => void) {
    this.text = h('span', {});
    const stop = h('button', { type: 'button', class: 'status-action', 'aria-label': 'Stop following', title: 'Stop following' }, 'Stop');
    stop.addEventListener('click', onStop);
    this.el = h('div', { class: 'follow-pill', 'data-testid': 'following', role: 'status', hidden: true }, this.text, stop);
  }

  /** show says whom (null: hidden). */
  show(name: string | null): void {
    this.el.hidden = name === null;
    if (name !== null) this.text.textContent = `Following ${name}`;
  }
}
