// The corner: the minimap above the zoom bar, and a button that folds both
// away to itself (folded at first on a phone-sized screen, where they would
// cover a quarter of the board).

import { ICONS, h, svgIcon } from './dom';

export class Corner {
  readonly el: HTMLElement;
  readonly toggle: HTMLButtonElement;
  private readonly body: HTMLElement;

  constructor(parts: readonly HTMLElement[], private readonly onToggle: () => void = () => {}) {
    this.toggle = h('button', {
      type: 'button',
      class: 'tb-btn corner-toggle',
      'data-testid': 'map-toggle',
      'aria-expanded': 'true',
      'aria-controls': 'corner-body',
    });
    this.toggle.append(svgIcon(ICONS.map));
    this.body = h('div', { id: 'corner-body', class: 'corner-body' }, ...parts);
    this.el = h('div', { class: 'corner' }, this.body, this.toggle);
    this.toggle.addEventListener('click', () => this.setCollapsed(!this.collapsed));
    this.label();
  }

  get collapsed(): boolean {
    return this.body.hidden;
  }

  setCollapsed(c: boolean): void {
    this.body.hidden = c;
    this.el.dataset.collapsed = String(c);
    this.label();
    this.onToggle();
  }

  private label(): void {
    const c = this.collapsed;
    const label = c ? 'Show the map and zoom controls' : 'Hide the map and zoom controls';
    this.toggle.setAttribute('aria-label', label);
    this.toggle.title = label;
    this.toggle.setAttribute('aria-expanded', String(!c));
  }
}
