// Light and dark themes: the page follows the system's choice
// (prefers-color-scheme) until the theme button picks one, which is then
// remembered. The board's colors are inverted in the dark theme (a CSS
// filter on the drawing surface), never on the wire or in exports.

import type { Theme } from './prefs';
import { ICONS, h, svgIcon } from './dom';

export class ThemeSwitch {
  readonly button: HTMLButtonElement;
  private chosen: Theme | null;
  private readonly media: MediaQueryList | null;

  /** changed hears the theme shown, at once and on every change. */
  constructor(
    chosen: Theme | null,
    private readonly remember: (t: Theme | null) => void,
    private readonly changed: (t: Theme) => void = () => {},
  ) {
    this.chosen = chosen;
    this.media = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
    this.button = h('button', { type: 'button', class: 'tb-btn', 'data-testid': 'theme', 'aria-pressed': 'false' });
    this.button.append(svgIcon(ICONS.theme));
    this.button.addEventListener('click', () => {
      const next: Theme = this.theme === 'dark' ? 'light' : 'dark';
      // Back to following the system when the pick is what the system says.
      this.chosen = next === this.system() ? null : next;
      this.remember(this.chosen);
      this.apply();
    });
    this.media?.addEventListener('change', () => this.apply());
    this.apply();
  }

  /** theme is the theme shown now. */
  get theme(): Theme {
    return this.chosen ?? this.system();
  }

  private system(): Theme {
    return this.media?.matches ? 'dark' : 'light';
  }

  private apply(): void {
    const t = this.theme;
    document.documentElement.dataset.theme = t;
    const dark = t === 'dark';
    this.button.setAttribute('aria-pressed', String(dark));
    const label = dark ? 'Dark theme (on): switch to light' : 'Light theme (on): switch to dark';
    this.button.setAttribute('aria-label', label);
    this.button.title = label;
    this.changed(t);
  }
}
