// Remote cursors: a DOM element per person, with their name, at the
// position of their last Cursors update; hidden when not updated for 5 s.

import type { View } from '../geometry/view';
import { toScreen } from '../geometry/view';
import { cssColor } from '../render/color';
import { h } from './dom';
import { opaque } from './person_color';

/** A cursor not updated for this long is hidden. */
export const CURSOR_STALE_MS = 5000;

interface Cursor {
  el: HTMLElement;
  label: HTMLElement;
  x: number;
  y: number;
  seen: number;
}

export class RemoteCursors {
  readonly el: HTMLElement;
  private readonly cursors = new Map<number, Cursor>();

  constructor(private readonly now: () => number = () => performance.now()) {
    this.el = h('div', { class: 'cursors', 'aria-hidden': 'true' });
  }

  /** update moves the cursor of author to board point (x, y). */
  update(author: number, x: number, y: number, view: View, who: { name: string; color: number } | undefined): void {
    let c = this.cursors.get(author);
    if (!c) {
      const label = h('span', { class: 'cursor-label' });
      const el = h('div', { class: 'cursor', 'data-author': author }, label);
      this.el.append(el);
      c = { el, label, x, y, seen: 0 };
      this.cursors.set(author, c);
    }
    c.x = x;
    c.y = y;
    c.seen = this.now();
    this.style(c, who);
    this.place(c, view);
    c.el.hidden = false;
  }

  /** rename refreshes the label and color of author's cursor. */
  rename(author: number, who: { name: string; color: number }): void {
    const c = this.cursors.get(author);
    if (c) this.style(c, who);
  }

  remove(author: number): void {
    const c = this.cursors.get(author);
    if (!c) return;
    c.el.remove();
    this.cursors.delete(author);
  }

  clear(): void {
    for (const a of [...this.cursors.keys()]) this.remove(a);
  }

  /** prune hides cursors not updated for CURSOR_STALE_MS. */
  prune(): void {
    const t = this.now();
    for (const c of this.cursors.values()) if (!c.el.hidden && t - c.seen > CURSOR_STALE_MS) c.el.hidden = true;
  }

  /** relayout places every cursor again (after the view changed). */
  relayout(view: View): void {
    for (const c of this.cursors.values()) this.place(c, view);
  }

  private style(c: Cursor, who: { name: string; color: number } | undefined): void {
    const name = who?.name ?? 'Someone';
    if (c.label.textContent !== name) c.label.textContent = name;
    c.el.style.setProperty('--person', cssColor(opaque(who?.color ?? 0x868e96ff)));
  }

  private place(c: Cursor, view: View): void {
    const p = toScreen(view, c.x, c.y);
    c.el.style.transform = `translate(${p.x}px, ${p.y}px)`;
  }
}
