// "NAME is editing": a label over each text someone else types into now
// (their Editing claim, net/sync editing()), so nobody else starts typing
// into it meanwhile. Placed every frame, as the view moves.

import { toScreen, type View } from '../geometry/view';
import type { StrokeId } from '../protocol/types';
import { h } from './dom';

/** A claim to show: who, and the top-left of their text on the board. */
export interface Claim {
  readonly name: string;
  readonly x: number;
  readonly y: number;
}

export class TextClaims {
  readonly el: HTMLElement;
  private readonly labels = new Map<string, HTMLElement>();

  constructor() {
    this.el = h('div', { class: 'text-claims', 'aria-live': 'polite' });
  }

  /** draw shows a label per claim (keyed by text) and drops the others. */
  draw(view: View, claims: ReadonlyMap<string, Claim>): void {
    for (const [key, el] of this.labels) {
      if (!claims.has(key)) {
        el.remove();
        this.labels.delete(key);
      }
    }
    for (const [key, c] of claims) {
      let el = this.labels.get(key);
      if (!el) {
        el = h('div', { class: 'text-claim', 'data-testid': 'text-claim' });
        this.el.append(el);
        this.labels.set(key, el);
      }
      const label = `${c.name} is editing`;
      if (el.textContent !== label) el.textContent = label;
      const p = toScreen(view, c.x, c.y);
      el.style.transform = `translate(${Math.round(p.x)}px, ${Math.round(p.y) - 22}px)`;
    }
  }
}

/** claimKey names a text in claims. */
export function claimKey(id: StrokeId): string {
  return id.author + ':' + id.stroke;
}
