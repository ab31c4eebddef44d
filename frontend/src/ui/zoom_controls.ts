// The zoom controls in the corner: zoom out, the zoom level (a click goes
// back to 100 %), zoom in, zoom to fit.

import { ICONS, h, svgIcon } from './dom';

export interface ZoomActions {
  zoomIn(): void;
  zoomOut(): void;
  reset(): void;
  fit(): void;
}

function iconButton(testid: string, label: string, icon: string, onClick: () => void): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'tb-btn', 'data-testid': testid, 'aria-label': label, title: label });
  b.append(svgIcon(icon));
  b.addEventListener('click', onClick);
  return b;
}

export class ZoomControls {
  readonly el: HTMLElement;
  private readonly level: HTMLButtonElement;

  constructor(a: ZoomActions) {
    this.level = h(
      'button',
      { type: 'button', class: 'zoom-level', 'data-testid': 'zoom-reset', 'aria-label': 'Zoom to 100 % (0)', title: 'Zoom to 100 % (0)' },
      '100%',
    );
    this.level.addEventListener('click', () => a.reset());
    this.el = h(
      'div',
      { class: 'zoom-controls', role: 'group', 'aria-label': 'Zoom' },
      iconButton('zoom-out', 'Zoom out (−)', ICONS.minus, () => a.zoomOut()),
      this.level,
      iconButton('zoom-in', 'Zoom in (+)', ICONS.plus, () => a.zoomIn()),
      iconButton('zoom-fit', 'Zoom to fit (Shift+1)', ICONS.fit, () => a.fit()),
    );
  }

  /** setZoom shows the zoom (1 = 100 %). */
  setZoom(z: number): void {
    const t = `${Math.round(z * 100)}%`;
    if (this.level.textContent !== t) this.level.textContent = t;
  }
}
