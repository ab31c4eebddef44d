// Typing a text on the board: a borderless <textarea> laid exactly where
// the text will be drawn, in its font and color. Enter ends (Shift+Enter is
// a new line); Escape and leaving the field end it too. While it is open
// the text itself is hidden on the board (the Editor's setEditing).

import { TEXT_LINE_HEIGHT } from '../geometry/shape';
import { textSize } from '../geometry/text_layout';
import { toScreen, type View } from '../geometry/view';
import { cssColor } from '../render/color';
import { TEXT_FONT } from '../render/paint';
import { h } from './dom';

export interface TextSession {
  /** Top-left of the text, board units. */
  readonly x: number;
  readonly y: number;
  /** Font size, board units. */
  readonly size: number;
  readonly color: number;
  readonly text: string;
  /** The width its lines wrap to, board units (0: only at newlines). */
  readonly wrap: number;
  /** What is typed so far (called at most once per INPUT_EVERY_MS while typing). */
  input(text: string): void;
  /** The person dragged the field's edge: wrap to w board units. */
  wrapTo(w: number): void;
  /** The text as typed when editing ends. */
  commit(text: string): void;
}

/** How often what is typed goes out while typing: live for the others, a few ops a second. */
const INPUT_EVERY_MS = 80;
/** How long the field's width rests after a drag of its edge before the wrap width goes out (one undo step per drag, not per frame of it). */
const WRAP_SETTLE_MS = 250;

export class TextEditor {
  readonly el: HTMLTextAreaElement;
  private session: TextSession | null = null;
  private view: View | null = null;
  private wrap = 0;
  /** The width fit() gave the field, CSS px: another one is the person's drag. */
  private fitWidth = 0;
  private inputTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set while a new wrap width waits to go out (WRAP_SETTLE_MS). */
  private wrapTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    this.el = h('textarea', {
      class: 'text-editor',
      'data-testid': 'text-editor',
      'data-keep-focus': '',
      'aria-label': 'Text (Enter ends, Shift+Enter for a new line)',
      spellcheck: 'false',
      wrap: 'off', // fit() sets it: soft when the text wraps
      rows: 1,
      hidden: true,
    });
    this.el.addEventListener('input', () => {
      this.fit();
      this.inputTimer ??= setTimeout(() => {
        this.inputTimer = null;
        this.session?.input(this.el.value);
      }, INPUT_EVERY_MS);
    });
    // The field's resize handle sets the wrap width (its right edge).
    // Chromium sends no pointerup or mouseup at the end of a drag of a
    // textarea's resize handle: a change of size is all there is to see.
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.dragged()).observe(this.el);
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
    this.wrap = s.wrap;
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
    if (this.inputTimer !== null) clearTimeout(this.inputTimer);
    this.inputTimer = null;
    if (this.wrapTimer !== null) {
      clearTimeout(this.wrapTimer);
      this.wrapTimer = null;
      s.wrapTo(this.wrap);
    }
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
    // Both the board and a text field centre the font's ascent and
    // descent in the line (text_layout.ts textBaseline).
    this.el.style.transform = `translate(${p.x}px, ${p.y}px)`;
    this.el.style.fontSize = `${px}px`;
    this.el.style.fontFamily = TEXT_FONT;
    this.el.style.lineHeight = String(TEXT_LINE_HEIGHT);
    this.fit();
  }

  private fit(): void {
    const s = this.session;
    const v = this.view;
    if (!s || !v) return;
    const px = s.size * v.scale;
    // The lines as the board breaks them (the field wraps alike: pre-wrap
    // at its width, in the same font).
    const { w, lines } = textSize(this.el.value, s.size, this.wrap);
    const width = this.wrap ? this.wrap * v.scale : Math.max(w * v.scale, px * 0.6) + px * 0.8;
    this.el.wrap = this.wrap ? 'soft' : 'off';
    this.el.style.whiteSpace = this.wrap ? 'pre-wrap' : 'pre';
    this.fitWidth = Math.ceil(width);
    this.el.style.width = `${this.fitWidth}px`;
    this.el.style.height = `${Math.ceil(lines.length * TEXT_LINE_HEIGHT * px + 2)}px`;
  }

  /**
   * dragged takes a width of the field other than fit() gave it (its resize
   * handle was dragged) as the wrap width: at once for the field, for the
   * board once the width rests (or the field closes).
   */
  private dragged(): void {
    const s = this.session;
    const v = this.view;
    if (!s || !v || this.el.hidden) return;
    const width = this.el.getBoundingClientRect().width;
    if (Math.abs(width - this.fitWidth) < 2) return;
    this.wrap = Math.max(s.size, Math.round(width / v.scale));
    this.fit();
    if (this.wrapTimer !== null) clearTimeout(this.wrapTimer);
    this.wrapTimer = setTimeout(() => {
      this.wrapTimer = null;
      this.session?.wrapTo(this.wrap);
    }, WRAP_SETTLE_MS);
  }
}
