// The style menu: the current tool's color (swatches and a custom color),
// opacity, width (a font size for text) and, for shapes, fill. Only what
// applies to the tool is shown: the partial eraser has a width only; the
// stroke eraser, select and hand have no style, and the toolbar hides the
// menu's button for them. With something selected (the select tool) it
// shows and changes the selection's style instead (setSelection): the parts
// that apply to any selected stroke (an image has an opacity only), the
// lead one's values. The button shows the
// current color and width.

import type { ToolName } from '../input/shortcuts';
import type { Stroke } from '../protocol/board';
import { TOOL_ELLIPSE, TOOL_ERASER, TOOL_IMAGE, TOOL_RECT } from '../protocol/types';
import { cssColor, hexColor, parseHexColor } from '../render/color';
import { ICONS, h } from './dom';
import { button } from './tb_button';
import { Menu } from './menu';
import { SIZES, STEP_WIDTHS, selectionParts, strokeStyleKey, styleKey, styleParts, type StyleKey, type StyleParts, type Styles } from './style';

/** PALETTE holds the colors offered as swatches (RGBA) and their names. */
export const PALETTE: ReadonlyArray<readonly [number, string]> = [
  [0x1e1e1eff, 'black'],
  [0xe03131ff, 'red'],
  [0xf08c00ff, 'orange'],
  [0xf2c200ff, 'yellow'],
  [0x2f9e44ff, 'green'],
  [0x1971c2ff, 'blue'],
  [0x7048e8ff, 'purple'],
  [0x868e96ff, 'gray'],
];

const STEP_NAMES = ['thin', 'medium', 'thick', 'extra thick'];
const TEXT_STEP_NAMES = ['small', 'medium', 'large', 'extra large'];

export interface StyleActions {
  color(c: number): void;
  /** Opacity, 1..255. */
  alpha(a: number): void;
  width(w: number): void;
  fill(): void;
}

export class StylePanel {
  readonly menu: Menu;
  private readonly swatches: HTMLButtonElement[] = [];
  private readonly custom: HTMLInputElement;
  private readonly opacity: HTMLInputElement;
  private readonly widthBtns: HTMLButtonElement[] = [];
  readonly fillBtn: HTMLButtonElement;
  private readonly colorRow: HTMLElement;
  private readonly opacityRow: HTMLElement;
  private readonly widthRow: HTMLElement;
  private readonly preview: HTMLElement;
  private shown = false;

  constructor(
    actions: StyleActions,
    private readonly compact: boolean,
  ) {
    this.menu = new Menu('style', 'Style: color, opacity, width', '', 'style-pop');
    this.preview = h('span', { class: 'tb-style-dot', 'aria-hidden': 'true' });
    this.menu.button.append(this.preview);

    const colors = h('div', { class: 'pop-swatches', role: 'group', 'aria-label': 'Color' });
    for (const [c, name] of PALETTE) {
      const label = `Color ${name}`;
      const s = h('button', {
        type: 'button',
        class: 'tb-swatch',
        'data-testid': `color-${name}`,
        'data-color': hexColor(c),
        'aria-label': label,
        title: label,
        'aria-pressed': 'false',
      });
      s.style.setProperty('--swatch', cssColor(c));
      s.addEventListener('click', () => actions.color(c));
      this.swatches.push(s);
      colors.append(s);
    }
    this.custom = h('input', {
      type: 'color',
      class: 'tb-custom',
      'data-testid': 'color-custom',
      'aria-label': 'Custom color',
      title: 'Custom color',
      value: '#1e1e1e',
    });
    this.custom.addEventListener('input', () => {
      const c = parseHexColor(this.custom.value);
      if (c !== null) actions.color(c);
    });
    if (!compact) colors.append(this.custom);
    this.colorRow = h('div', { class: 'pop-row' }, h('p', { class: 'pop-title' }, 'Color'), colors);

    this.opacity = h('input', {
      type: 'range',
      class: 'tb-opacity',
      'data-testid': 'opacity',
      min: 10,
      max: 100,
      step: 5,
      value: 100,
      'aria-label': 'Opacity',
      title: 'Opacity',
    });
    this.opacity.addEventListener('input', () => actions.alpha(Math.round((Number(this.opacity.value) / 100) * 255)));
    this.opacityRow = h('label', { class: 'pop-row' }, h('span', { class: 'pop-title' }, 'Opacity'), this.opacity);

    const widths = h('div', { class: 'pop-widths', role: 'group', 'aria-label': 'Width' });
    STEP_WIDTHS.forEach((w, i) => {
      const b = h('button', {
        type: 'button',
        class: 'tb-btn tb-width',
        'data-testid': `width-${w}`,
        'data-width': w,
        'aria-pressed': 'false',
      });
      b.append(h('span', { class: 'tb-width-dot', 'aria-hidden': 'true' }));
      b.addEventListener('click', () => actions.width(Number(b.dataset.width)));
      this.widthBtns[i] = b;
      widths.append(b);
    });
    this.fillBtn = button('fill', 'Fill shapes (F)', ICONS.fill, { 'aria-pressed': 'false' });
    this.fillBtn.addEventListener('click', () => actions.fill());
    widths.append(this.fillBtn);
    this.widthRow = h('div', { class: 'pop-row' }, h('p', { class: 'pop-title' }, 'Width'), widths);
    this.menu.panel.append(this.colorRow, ...(compact ? [] : [this.opacityRow]), this.widthRow);
  }

  /** applies reports whether the tool has a style to choose. */
  static applies(t: ToolName): boolean {
    return styleKey(t) !== null;
  }

  /** set shows the style tool t draws with. */
  set(t: ToolName, styles: Styles): void {
    const key = styleKey(t);
    const parts = styleParts(key);
    if (!key) return this.show(parts, null, 0, 0, 0, styles.filled);
    this.show(parts, key, styles.colors[key], styles.alphas[key], styles.widths[key], styles.filled);
  }

  /**
   * setSelection shows the style of the selected strokes (in z-order, at
   * least one): the parts any of them has (ui/style selectionParts: no
   * color for partial-eraser strokes, only opacity for images, fill only
   * for rects and ellipses), the lead one's values.
   */
  setSelection(strokes: readonly Stroke[]): void {
    const first = leadStroke(strokes);
    const fillable = strokes.filter((s) => s.tool === TOOL_RECT || s.tool === TOOL_ELLIPSE);
    const parts = selectionParts(strokes.map((s) => s.tool));
    const filled = fillable.length > 0 && fillable.every((s) => s.filled);
    this.show(parts, strokeStyleKey(first.tool), (first.color | 0xff) >>> 0, first.color & 0xff, first.width, filled);
  }

  /** offers reports whether the menu shows anything (set or setSelection said what): else the toolbar hides its button. */
  get offers(): boolean {
    return this.shown;
  }

  private show(parts: StyleParts, key: StyleKey | null, color: number, alpha: number, width: number, filled: boolean): void {
    // The compact menu has no opacity row.
    this.shown = parts.color || (parts.opacity && !this.compact) || parts.width || parts.fill;
    this.colorRow.hidden = !parts.color;
    this.opacityRow.hidden = !parts.opacity;
    this.widthRow.hidden = !parts.width;
    this.fillBtn.hidden = !parts.fill;
    this.fillBtn.setAttribute('aria-pressed', String(filled));
    if (!key) return;
    let matched = false;
    PALETTE.forEach(([pc], i) => {
      const on = pc === color;
      matched ||= on;
      this.swatches[i].setAttribute('aria-pressed', String(on));
    });
    this.custom.value = hexColor(color);
    this.custom.classList.toggle('on', !matched);
    this.opacity.value = String(Math.round((alpha / 255) * 100));
    const sizes = SIZES[key];
    const names = key === 'text' ? TEXT_STEP_NAMES : STEP_NAMES;
    let step = 1;
    this.widthBtns.forEach((b, i) => {
      const w = sizes[i];
      b.dataset.width = String(w);
      const label = `${key === 'text' ? 'Size' : 'Width'} ${names[i]}`;
      b.setAttribute('aria-label', label);
      b.title = label;
      const on = width === w;
      if (on) step = i + 1;
      b.setAttribute('aria-pressed', String(on));
      const dot = b.firstElementChild as HTMLElement;
      const px = Math.max(2, Math.min(18, (i + 1) * 4));
      dot.style.width = dot.style.height = `${px}px`;
    });
    // The button: a dot of the color (the eraser's and an image's: hollow), as big as the width step.
    const px = 6 + (parts.width ? step : 2) * 3;
    this.preview.style.width = this.preview.style.height = `${px}px`;
    this.preview.style.setProperty('--swatch', parts.color ? cssColor(color) : 'transparent');
    this.preview.classList.toggle('hollow', !parts.color);
  }
}

/** leadStroke is the selected stroke whose values the menu shows: the first that has a color, else the first with an opacity (an image). */
export function leadStroke(strokes: readonly Stroke[]): Stroke {
  return strokes.find((s) => s.tool !== TOOL_ERASER && s.tool !== TOOL_IMAGE) ?? strokes.find((s) => s.tool !== TOOL_ERASER) ?? strokes[0];
}
