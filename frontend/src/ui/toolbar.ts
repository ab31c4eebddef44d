// The toolbar: tools, the current tool's color, opacity, width and fill,
// undo/redo, clear (with an inline confirm), more buttons (share, help,
// theme), and the display name. Every button has an accessible name
// (aria-label and title) and a stable data-testid.

import type { ToolName } from '../input/shortcuts';
import { cssColor, hexColor, parseHexColor } from '../render/color';
import { ClearConfirm } from './clear_confirm';
import { ICONS, h, svgIcon } from './dom';
import { cleanName } from './identity';
import { SIZES, STEP_WIDTHS, type StyleKey, type Styles } from './style';

export type Tool = ToolName;

/** ToolSpec is a tool button: its name (data-testid tool-<name>), label and icon. */
export interface ToolSpec {
  readonly name: Tool;
  readonly label: string;
  readonly icon: string;
  /** The tool changes the board (hidden on a view link). */
  readonly draws: boolean;
}

/** TOOLS are the tool buttons, in toolbar order. */
export const TOOLS: readonly ToolSpec[] = [
  { name: 'select', label: 'Select and move (V)', icon: ICONS.select, draws: true },
  { name: 'hand', label: 'Hand: pan the board (H, or hold Space)', icon: ICONS.hand, draws: false },
  { name: 'pen', label: 'Pen (P)', icon: ICONS.pen, draws: true },
  { name: 'highlighter', label: 'Highlighter (M)', icon: ICONS.highlighter, draws: true },
  { name: 'eraser', label: 'Eraser: whole strokes (E)', icon: ICONS.eraser, draws: true },
  { name: 'partial-eraser', label: 'Partial eraser: rub out (Shift+E)', icon: ICONS.partialEraser, draws: true },
  { name: 'line', label: 'Line (L)', icon: ICONS.line, draws: true },
  { name: 'arrow', label: 'Arrow (A)', icon: ICONS.arrow, draws: true },
  { name: 'rect', label: 'Rectangle (R)', icon: ICONS.rect, draws: true },
  { name: 'ellipse', label: 'Ellipse (O)', icon: ICONS.ellipse, draws: true },
  { name: 'text', label: 'Text (T)', icon: ICONS.text, draws: true },
];

export interface ToolbarActions {
  tool(t: Tool): void;
  color(c: number): void;
  /** Opacity, 1..255. */
  alpha(a: number): void;
  width(w: number): void;
  fill(): void;
  undo(): void;
  redo(): void;
  clear(): void;
  /** The name was edited; the argument is the cleaned name, never empty. */
  rename(name: string): void;
}

/** ToolbarOptions shape the toolbar: an embedded board's is compact. */
export interface ToolbarOptions {
  /** The tool buttons shown (in toolbar order anyway); null: all. */
  readonly tools?: readonly Tool[] | null;
  /** Fewer controls: no opacity, no custom color, no name box, no fill without a shape tool. */
  readonly compact?: boolean;
}

const SHAPE_TOOLS: readonly Tool[] = ['line', 'arrow', 'rect', 'ellipse'];

export interface ToolbarState {
  readonly tool: Tool;
  readonly styles: Styles;
  readonly name: string;
  readonly personColor: number;
}

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

/** button makes a toolbar button with an icon, an accessible name and a data-testid. */
export function button(testid: string, label: string, icon: string, extra: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'tb-btn', 'data-testid': testid, 'aria-label': label, title: label, ...extra });
  b.append(svgIcon(icon));
  return b;
}

export class Toolbar {
  readonly el: HTMLElement;
  private readonly toolBtns = new Map<Tool, HTMLButtonElement>();
  private readonly drawing: HTMLElement[] = [];
  private readonly undoBtn: HTMLButtonElement;
  private readonly redoBtn: HTMLButtonElement;
  private readonly swatches: HTMLButtonElement[] = [];
  private readonly custom: HTMLInputElement;
  private readonly opacity: HTMLInputElement;
  private readonly widthBtns: HTMLButtonElement[] = [];
  private readonly fillBtn: HTMLButtonElement;
  private readonly more: HTMLElement;
  private readonly nameInput: HTMLInputElement;
  private readonly meDot: HTMLElement;
  private name: string;

  constructor(private readonly actions: ToolbarActions, state: ToolbarState, opts: ToolbarOptions = {}) {
    this.name = state.name;
    const compact = opts.compact === true;
    const shown = opts.tools ?? null;
    const tools = h('div', { class: 'tb-group', role: 'group', 'aria-label': 'Tool' });
    for (const t of TOOLS) {
      if (shown && !shown.includes(t.name)) continue;
      const b = button(`tool-${t.name}`, t.label, t.icon, { 'aria-pressed': 'false' });
      b.addEventListener('click', () => actions.tool(t.name));
      this.toolBtns.set(t.name, b);
      if (t.draws) this.drawing.push(b);
      tools.append(b);
    }

    const colors = h('div', { class: 'tb-group', role: 'group', 'aria-label': 'Color' });
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

    const widths = h('div', { class: 'tb-group', role: 'group', 'aria-label': 'Width' });
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
    if (!compact || !shown || shown.some((t) => SHAPE_TOOLS.includes(t))) widths.append(this.fillBtn);
    const style = h('div', { class: 'tb-style' }, colors, ...(compact ? [] : [h('div', { class: 'tb-group' }, this.opacity)]), widths);

    this.undoBtn = button('undo', 'Undo (Ctrl+Z)', ICONS.undo);
    this.redoBtn = button('redo', 'Redo (Ctrl+Shift+Z)', ICONS.redo);
    this.undoBtn.addEventListener('click', () => actions.undo());
    this.redoBtn.addEventListener('click', () => actions.redo());
    const history = h('div', { class: 'tb-group', role: 'group', 'aria-label': 'History' }, this.undoBtn, this.redoBtn);

    const clear = new ClearConfirm(() => actions.clear());
    this.more = h('div', { class: 'tb-group', role: 'group', 'aria-label': 'More' });

    this.meDot = h('span', { class: 'dot', 'aria-hidden': 'true' });
    this.nameInput = h('input', {
      type: 'text',
      class: 'tb-name',
      'data-testid': 'name-input',
      'aria-label': 'Your name',
      title: 'Your name (shown to others)',
      maxlength: 64,
      autocomplete: 'nickname',
      spellcheck: 'false',
      value: state.name,
    });
    this.nameInput.addEventListener('change', () => this.commitName());
    this.nameInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        this.commitName();
        this.nameInput.blur();
      } else if (e.key === 'Escape') {
        this.nameInput.value = this.name;
        this.nameInput.blur();
      }
    });
    const who = h('label', { class: 'tb-who' }, this.meDot, this.nameInput);

    this.drawing.push(style, history, clear.el);
    this.el = h(
      'div',
      { class: compact ? 'toolbar compact' : 'toolbar', role: 'toolbar', 'aria-label': 'Drawing tools' },
      tools,
      style,
      history,
      clear.el,
      this.more,
      ...(compact ? [] : [who]),
    );
    this.setTool(state.tool, state.styles);
    this.setPersonColor(state.personColor);
    this.setHistory(false, false);
  }

  /** addMore puts a button (share, help, theme) in the toolbar's last group. */
  addMore(el: HTMLElement): void {
    this.more.append(el);
  }

  /** setTool shows which tool is on and the style it draws with. */
  setTool(t: Tool, styles: Styles): void {
    for (const [name, b] of this.toolBtns) b.setAttribute('aria-pressed', String(name === t));
    const key: StyleKey = ((): StyleKey => {
      switch (t) {
        case 'highlighter':
        case 'partial-eraser':
        case 'text':
          return t;
        case 'line':
        case 'arrow':
        case 'rect':
        case 'ellipse':
          return 'shape';
        default:
          return 'pen';
      }
    })();
    this.el.dataset.style = key;
    this.el.dataset.tool = t;
    const color = styles.colors[key];
    let matched = false;
    PALETTE.forEach(([pc], i) => {
      const on = pc === color;
      matched ||= on;
      this.swatches[i].setAttribute('aria-pressed', String(on));
    });
    this.custom.value = hexColor(color);
    this.custom.classList.toggle('on', !matched);
    this.opacity.value = String(Math.round((styles.alphas[key] / 255) * 100));
    const sizes = SIZES[key];
    const names = key === 'text' ? TEXT_STEP_NAMES : STEP_NAMES;
    this.widthBtns.forEach((b, i) => {
      const w = sizes[i];
      b.dataset.width = String(w);
      const label = `${key === 'text' ? 'Size' : 'Width'} ${names[i]}`;
      b.setAttribute('aria-label', label);
      b.title = label;
      b.setAttribute('aria-pressed', String(styles.widths[key] === w));
      const dot = b.firstElementChild as HTMLElement;
      const px = Math.max(2, Math.min(18, (i + 1) * 4));
      dot.style.width = dot.style.height = `${px}px`;
    });
    this.fillBtn.setAttribute('aria-pressed', String(styles.filled));
  }

  setHistory(canUndo: boolean, canRedo: boolean): void {
    this.undoBtn.disabled = !canUndo;
    this.redoBtn.disabled = !canRedo;
  }

  setPersonColor(c: number): void {
    this.meDot.style.background = cssColor(c);
  }

  /** setReadOnly hides everything that changes the board (a view link). */
  setReadOnly(ro: boolean): void {
    for (const el of this.drawing) el.hidden = ro;
    this.el.dataset.readonly = String(ro);
  }

  private commitName(): void {
    const n = cleanName(this.nameInput.value);
    if (!n) {
      this.nameInput.value = this.name;
      return;
    }
    this.nameInput.value = n;
    if (n === this.name) return;
    this.name = n;
    this.actions.rename(n);
  }
}
