// The toolbar: tools, pen color and width, undo/redo, clear (with an inline
// confirm), and the display name. Every button has an accessible name
// (aria-label and title) and a stable data-testid.

import { cssColor, hexColor, parseHexColor } from '../render/color';
import { ClearConfirm } from './clear_confirm';
import { ICONS, h, svgIcon } from './dom';
import { cleanName } from './identity';
import type { ToolName } from '../input/shortcuts';

export type Tool = ToolName;

/** ToolSpec is a tool button: its name (data-testid tool-<name>), label and icon. */
export interface ToolSpec {
  readonly name: Tool;
  readonly label: string;
  readonly icon: string;
}

/** TOOLS are the tool buttons, in toolbar order. */
export const TOOLS: readonly ToolSpec[] = [
  { name: 'hand', label: 'Hand: pan the board (H, or hold Space)', icon: ICONS.hand },
  { name: 'pen', label: 'Pen (P)', icon: ICONS.pen },
  { name: 'eraser', label: 'Eraser (E)', icon: ICONS.eraser },
];

export interface ToolbarActions {
  tool(t: Tool): void;
  color(c: number): void;
  width(w: number): void;
  undo(): void;
  redo(): void;
  clear(): void;
  /** The name was edited; the argument is the cleaned name, never empty. */
  rename(name: string): void;
}

export interface ToolbarState {
  readonly tool: Tool;
  readonly color: number;
  readonly width: number;
  readonly name: string;
  readonly personColor: number;
}

/** PALETTE holds the pen colors offered as swatches (RGBA) and their names. */
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

/** WIDTHS are the pen widths offered, in board units (1/4 CSS px), and their names. */
export const WIDTHS: ReadonlyArray<readonly [number, string]> = [
  [8, 'thin'],
  [16, 'medium'],
  [32, 'thick'],
  [64, 'extra thick'],
];

function button(testid: string, label: string, icon: string, extra: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'tb-btn', 'data-testid': testid, 'aria-label': label, title: label, ...extra });
  b.append(svgIcon(icon));
  return b;
}

export class Toolbar {
  readonly el: HTMLElement;
  private readonly toolBtns = new Map<Tool, HTMLButtonElement>();
  private readonly undoBtn: HTMLButtonElement;
  private readonly redoBtn: HTMLButtonElement;
  private readonly swatches: HTMLButtonElement[] = [];
  private readonly custom: HTMLInputElement;
  private readonly widthBtns: HTMLButtonElement[] = [];
  private readonly nameInput: HTMLInputElement;
  private readonly meDot: HTMLElement;
  private name: string;

  constructor(private readonly actions: ToolbarActions, state: ToolbarState) {
    this.name = state.name;
    const tools = h('div', { class: 'tb-group', role: 'group', 'aria-label': 'Tool' });
    for (const t of TOOLS) {
      const b = button(`tool-${t.name}`, t.label, t.icon, { 'aria-pressed': 'false' });
      b.addEventListener('click', () => actions.tool(t.name));
      this.toolBtns.set(t.name, b);
      tools.append(b);
    }

    const colors = h('div', { class: 'tb-group', role: 'group', 'aria-label': 'Pen color' });
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
      value: hexColor(state.color),
    });
    this.custom.addEventListener('input', () => {
      const c = parseHexColor(this.custom.value);
      if (c !== null) actions.color(c);
    });
    colors.append(this.custom);

    const widths = h('div', { class: 'tb-group', role: 'group', 'aria-label': 'Pen width' });
    for (const [w, name] of WIDTHS) {
      const label = `Width ${name}`;
      const b = h('button', {
        type: 'button',
        class: 'tb-btn tb-width',
        'data-testid': `width-${w}`,
        'data-width': w,
        'aria-label': label,
        title: label,
        'aria-pressed': 'false',
      });
      const dot = h('span', { class: 'tb-width-dot', 'aria-hidden': 'true' });
      const px = Math.max(2, Math.min(18, w / 4));
      dot.style.width = dot.style.height = `${px}px`;
      b.append(dot);
      b.addEventListener('click', () => actions.width(w));
      this.widthBtns.push(b);
      widths.append(b);
    }

    this.undoBtn = button('undo', 'Undo (Ctrl+Z)', ICONS.undo);
    this.redoBtn = button('redo', 'Redo (Ctrl+Shift+Z)', ICONS.redo);
    this.undoBtn.addEventListener('click', () => actions.undo());
    this.redoBtn.addEventListener('click', () => actions.redo());

    const clear = new ClearConfirm(() => actions.clear());

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

    this.el = h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Drawing tools' },
      tools,
      colors,
      widths,
      h('div', { class: 'tb-group', role: 'group', 'aria-label': 'History' }, this.undoBtn, this.redoBtn),
      clear.el,
      who,
    );
    this.setTool(state.tool);
    this.setColor(state.color);
    this.setWidth(state.width);
    this.setPersonColor(state.personColor);
    this.setHistory(false, false);
  }

  setTool(t: Tool): void {
    for (const [name, b] of this.toolBtns) b.setAttribute('aria-pressed', String(name === t));
  }

  setColor(c: number): void {
    let matched = false;
    PALETTE.forEach(([pc], i) => {
      const on = pc === c;
      matched ||= on;
      this.swatches[i].setAttribute('aria-pressed', String(on));
    });
    this.custom.value = hexColor(c);
    this.custom.classList.toggle('on', !matched);
  }

  setWidth(w: number): void {
    WIDTHS.forEach(([pw], i) => this.widthBtns[i].setAttribute('aria-pressed', String(pw === w)));
  }

  setHistory(canUndo: boolean, canRedo: boolean): void {
    this.undoBtn.disabled = !canUndo;
    this.redoBtn.disabled = !canRedo;
  }

  setPersonColor(c: number): void {
    this.meDot.style.background = cssColor(c);
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
