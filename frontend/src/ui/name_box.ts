// The name box: this person's name as others see it, and their color: the
// dot is a button that shows the palette to pick from. It lives in the
// people panel, on this person's own row.

import { cssColor } from '../render/color';
import { h } from './dom';
import { PERSON_COLORS, cleanName } from './identity';

const COLOR_NAMES = ['red', 'orange', 'brown', 'olive', 'green', 'teal', 'blue', 'violet', 'orchid', 'pink'];

export class NameBox {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly dot: HTMLButtonElement;
  private readonly picks: HTMLElement;

  /**
   * rename gets the cleaned name, never empty, when it changes; pick gets
   * the color the person chose from the palette.
   */
  constructor(
    private name: string,
    private readonly rename: (name: string) => void,
    private readonly pick: (color: number) => void = () => {},
  ) {
    this.dot = h('button', {
      type: 'button',
      class: 'my-color',
      'data-testid': 'my-color',
      'aria-label': 'Your color',
      title: 'Your color (pick one)',
      'aria-expanded': 'false',
      'aria-controls': 'my-color-picks',
    });
    this.dot.append(h('span', { class: 'dot', 'aria-hidden': 'true' }));
    this.dot.addEventListener('click', () => this.showPicks(this.picks.hidden));
    this.picks = h('div', { id: 'my-color-picks', class: 'color-picks', role: 'group', 'aria-label': 'Pick your color', hidden: true });
    PERSON_COLORS.forEach((c, i) => {
      const b = h('button', {
        type: 'button',
        class: 'color-pick',
        'data-testid': 'color-pick',
        'data-color': c,
        'aria-label': COLOR_NAMES[i] ?? `color ${i + 1}`,
        title: COLOR_NAMES[i] ?? '',
        'aria-pressed': 'false',
      });
      b.style.background = cssColor(c);
      b.addEventListener('click', () => {
        this.setColor(c);
        this.showPicks(false);
        this.pick(c);
      });
      this.picks.append(b);
    });
    this.picks.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.showPicks(false);
        this.dot.focus();
      }
    });
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
    this.el = h(
      'div',
      { class: 'tb-who-box' },
      h('div', { class: 'tb-who' }, this.dot, this.input, h('span', { class: 'person-you' }, '(you)')),
      this.picks,
    );
    // Like a menu: a press anywhere else puts the palette away.
    document.addEventListener('pointerdown', (e) => {
      if (!this.picks.hidden && e.target instanceof Node && !this.el.contains(e.target)) this.showPicks(false);
    });
  }

  /** setColor shows c as this person's color (picked here, or given way to another's). */
  setColor(c: number): void {
    (this.dot.firstElementChild as HTMLElement).style.background = cssColor(c);
    for (const b of this.picks.children) b.setAttribute('aria-pressed', String(Number((b as HTMLElement).dataset.color) === c));
  }

  private showPicks(show: boolean): void {
    this.picks.hidden = !show;
    this.dot.setAttribute('aria-expanded', String(show));
    if (show) (this.picks.querySelector<HTMLElement>('[aria-pressed="true"]') ?? this.picks.querySelector<HTMLElement>('button'))?.focus();
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
