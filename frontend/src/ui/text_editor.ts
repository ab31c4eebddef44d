// Typing a text on the board: a borderless <textarea> laid exactly where
// the text will be drawn, in its font and color. Enter ends (Shift+Enter is
// a new line); Escape and leaving the field end it too. While it is open
// the text itself is hidden on the board (the Editor's setEditing).

import { TEXT_LINE_HEIGHT } from '../geometry/shape';
import { toScreen, type View } from '../geometry/view';
import { cssColor } from '../render/color';
import { fontMetrics } from '../render/paint';
import { h } from './dom';

export interface TextSession {
  /** Top-left of the text, board units. */
  readonly x: number;
  readonly y: number;
  /** Font size, board units. */
  readonly size: number;
  readonly color: number;
  readonly text: string;
  /** The text as typed when editing ends. */
  commit(text: string): void;
}

export class TextEditor {
  readonly el: HTMLTextAreaElement;
  private session: TextSession | null = null;
  private view: View | null = null;
  private readonly measure: CanvasRenderingContext2D | null;

  constructor() {
    this.el = h('textarea', {
      class: 'text-editor',
      'data-testid': 'text-editor',
      'data-keep-focus': '',
      'aria-label': 'Text (Enter ends, Shift+Enter for a new line)',
      spellcheck: 'false',
      wrap: 'off',
      rows: 1,
      hidden: true,
    });
    this.measure = document.createElement('canvas').getContext('2d');
    this.el.addEventListener('input', () => this.fit());
    this.el.addEventListener('keydown', (e) => {
      e.stopPropagation(); // typing is not shortcuts
      if (e.key === 'Escape' || (e.key === 'Enter' && !e.shiftKey && !e.isComposing)) {
        e.preventDefault();
        this.end();
      }
    });
    this.el.addEventListener('blur', () => this.end());
  }

  get active(): boolean {
    return this.session !== null;
  }

  /** open starts typing a text (ending any other first). */
  open(s: TextSession, view: View): void {
    this.end();
    this.session = s;
    this.el.value = s.text;
    this.el.hidden = false;
    this.el.style.color = cssColor(s.color);
    this.relayout(view);
    this.el.focus();
    const n = this.el.value.length;
    this.el.setSelectionRange(n, n);
  }

  /** end commits what was typed and closes the field. */
  end(): void {
    const s = this.session;
    if (!s) return;
    this.session = null;
    const text = this.el.value;
    this.el.hidden = true;
    this.el.blur();
    s.commit(text);
  }

  /** relayout places the field over the board again (the view changed). */
  relayout(view: View): void {
    this.view = view;
    const s = this.session;
    if (!s) return;
    const px = s.size * view.scale;
    const p = toScreen(view, s.x, s.y);
    // The canvas hangs the first line from y by the font's ascent; a text
    // field puts half the leading above the ascent.
    const m = fontMetrics();
    const lead = ((TEXT_LINE_HEIGHT - m.ascent - m.descent) / 2) * px;
    this.el.style.transform = `translate(${p.x}px, ${p.y - lead}px)`;
    this.el.style.fontSize = `${px}px`;
    this.el.style.lineHeight = String(TEXT_LINE_HEIGHT);
    this.fit();
  }

  private fit(): void {
    const s = this.session;
    const v = this.view;
    if (!s || !v) return;
    const px = s.size * v.scale;
    const lines = this.el.value.split('\n');
    let w = px * 0.6;
    if (this.measure) {
      this.measure.font = `${px}px sans-serif`;
      for (const l of lines) w = Math.max(w, this.measure.measureText(l).width);
    }
    this.el.style.width = `${Math.ceil(w + px * 0.8)}px`;
    this.el.style.height = `${Math.ceil(lines.length * TEXT_LINE_HEIGHT * px + 2)}px`;
  }
}
