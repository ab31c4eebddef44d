// The name box: this person's name as others see it, with their color.
// It lives in the people panel, on this person's own row.

import { cssColor } from '../render/color';
import { h } from './dom';
import { cleanName } from './identity';

export class NameBox {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly dot: HTMLElement;

  /** rename gets the cleaned name, never empty, when it changes. */
  constructor(private name: string, private readonly rename: (name: string) => void) {
    this.dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
    this.input = h('input', {
      type: 'text',
      class: 'tb-name',
      'data-testid': 'name-input',
      'aria-label': 'Your name',
      title: 'Your name (shown to others)',
      maxlength: 64,
      autocomplete: 'nickname',
      spellcheck: 'false',
      value: name,
    });
    this.input.addEventListener('change', () => this.commit());
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        this.commit();
        this.input.blur();
      } else if (e.key === 'Escape') {
        this.input.value = this.name;
        this.input.blur();
      }
    });
    this.el = h('label', { class: 'tb-who' }, this.dot, this.input, h('span', { class: 'person-you' }, '(you)'));
  }

  setColor(c: number): void {
    this.dot.style.background = cssColor(c);
  }

  private commit(): void {
    const n = cleanName(this.input.value);
    if (!n) {
      this.input.value = this.name;
      return;
    }
    this.input.value = n;
    if (n === this.name) return;
    this.name = n;
    this.rename(n);
  }
}
