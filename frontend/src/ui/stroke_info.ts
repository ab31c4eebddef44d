// Who drew a stroke and when, in a small label beside the pointer (see
// page/who_drew.ts for where the words come from).

import { h } from './dom';

export class StrokeInfo {
  readonly el: HTMLElement;

  constructor() {
    this.el = h('div', { class: 'stroke-info', 'data-testid': 'stroke-info', role: 'tooltip', hidden: true });
  }

  /** show puts text at client point (x, y), a little below and right of it. */
  show(text: string, x: number, y: number): void {
    // Called every frame while a selection moves: the page is laid out again only for what changed.
    const left = `${Math.round(x + 14)}px`;
    const top = `${Math.round(y + 18)}px`;
    if (this.el.textContent !== text) this.el.textContent = text;
    if (this.el.style.left !== left) this.el.style.left = left;
    if (this.el.style.top !== top) this.el.style.top = top;
    if (this.el.hidden) this.el.hidden = false;
  }

  hide(): void {
    if (!this.el.hidden) this.el.hidden = true;
  }
}

/** ago says how long before now t was, in words a person reads at a glance. */
export function ago(t: number, now: number): string {
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const d = new Date(t);
  const hm = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (now - t < 20 * 3600 * 1000) return `at ${hm}`;
  return `on ${d.toLocaleDateString()} at ${hm}`;
}
