// What is shown over the board but is not the board: the eraser's ring, the
// selection's box, the marquee, the lasso's loop. They are elements over the canvas, so the
// canvas holds the drawing and nothing else (two people looking at the same
// board see the same pixels).

import { isEmpty, type Rect } from '../geometry/bounds';
import type { XY } from '../geometry/shape';
import { toScreen, type View } from '../geometry/view';
import { h } from './dom';

export interface Ring {
  /** Center in CSS pixels. */
  readonly x: number;
  readonly y: number;
  /** Radius in CSS pixels. */
  readonly r: number;
}

export class Decorations {
  readonly el: HTMLElement;
  private readonly ring: HTMLElement;
  private readonly selection: HTMLElement;
  private readonly marquee: HTMLElement;
  /** The lasso's loop: a dashed polygon in screen pixels. */
  private readonly lasso: SVGSVGElement;
  private readonly loop: SVGPolygonElement;

  constructor() {
    this.ring = h('div', { class: 'decor-ring', hidden: true });
    // Corner and edge handles: a press on one resizes the selection; on
    // the round one above it, turns it (edit/select_gesture).
    this.selection = h(
      'div',
      { class: 'decor-selection', 'data-testid': 'selection', hidden: true },
      ...['nw', 'ne', 'sw', 'se', 'n', 's', 'e', 'w'].map((c) => h('span', { class: `decor-handle ${c}`, 'data-testid': `handle-${c}` })),
      h('span', { class: 'decor-handle rot', 'data-testid': 'handle-rotate' }),
    );
    this.marquee = h('div', { class: 'decor-marquee', hidden: true });
    const ns = 'http://www.w3.org/2000/svg';
    this.lasso = document.createElementNS(ns, 'svg');
    this.lasso.setAttribute('class', 'decor-lasso');
    this.lasso.dataset.testid = 'lasso';
    this.loop = document.createElementNS(ns, 'polygon');
    this.lasso.append(this.loop);
    this.lasso.style.display = 'none';
    this.el = h('div', { class: 'decor', 'aria-hidden': 'true' }, this.selection, this.marquee, this.ring);
    this.el.append(this.lasso);
  }

  /** setRing shows (or hides, with null) the eraser's ring. */
  setRing(r: Ring | null): void {
    this.ring.hidden = r === null;
    if (!r) return;
    const d = Math.max(2, r.r * 2);
    this.ring.style.width = this.ring.style.height = `${d}px`;
    this.ring.style.transform = `translate(${r.x - d / 2}px, ${r.y - d / 2}px)`;
  }

  /** update places the selection's box and the marquee (board rectangles, null for none) and the lasso's loop (board points, null for none) in view. */
  update(view: View, selection: Rect | null, marquee: Rect | null, lasso: readonly XY[] | null = null): void {
    place(this.selection, view, selection, 3);
    place(this.marquee, view, marquee, 0);
    this.lasso.style.display = lasso && lasso.length > 1 ? '' : 'none';
    if (lasso && lasso.length > 1) {
      this.loop.setAttribute('points', lasso.map((p) => toScreen(view, p.x, p.y)).map((s) => `${s.x.toFixed(1)},${s.y.toFixed(1)}`).join(' '));
    }
  }
}

function place(el: HTMLElement, view: View, r: Rect | null, pad: number): void {
  if (!r || isEmpty(r)) {
    el.hidden = true;
    return;
  }
  const a = toScreen(view, r.minX, r.minY);
  const b = toScreen(view, r.maxX, r.maxY);
  el.hidden = false;
  el.style.width = `${Math.max(0, b.x - a.x + 2 * pad)}px`;
  el.style.height = `${Math.max(0, b.y - a.y + 2 * pad)}px`;
  el.style.transform = `translate(${a.x - pad}px, ${a.y - pad}px)`;
}
