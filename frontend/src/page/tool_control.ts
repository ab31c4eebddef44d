// The current tool and how each tool draws (the person's styles): the
// toolbar shows both; its buttons, the keyboard and the embed API change
// them through here.

import type { Editor } from '../edit/editor';
import { selects } from '../input/shortcuts';
import type { Stroke } from '../protocol/board';
import { PART_ALPHA, PART_FILL, PART_RGB, PART_WIDTH, TOOL_ELLIPSE, TOOL_RECT } from '../protocol/types';
import type { Decorations } from '../ui/decor';
import { SIZES, strokeStyleKey, styleKey, withColor, type StyleKey, type Styles } from '../ui/style';
import { wantTextFont } from '../render/text_font';
import { leadStroke } from '../ui/style_panel';
import type { TextEditor } from '../ui/text_editor';
import { Toolbar, type Tool, type ToolbarActions, type ToolbarOptions } from '../ui/toolbar';
import type { PagePrefs } from './page_prefs';

/** ToolDeps is what changing tools touches. */
export interface ToolDeps {
  readonly canvas: HTMLCanvasElement;
  readonly editor: Editor;
  readonly decor: Decorations;
  readonly textEditor: TextEditor;
  readonly schedule: () => void;
}

export class ToolControl {
  readonly toolbar: Toolbar;
  /** What the toolbar's buttons do (the embed API's setColor and setWidth do the same). */
  readonly actions: ToolbarActions;
  private current: Tool;
  /** What the toolbar last showed of the selection (see syncSelection). */
  /** The selection the toolbar last showed: its strokes' names and styles, compared field by field (a resize makes new strokes of the same style every few frames). */
  private shownSelection: readonly Stroke[] | null = null;
  private shownFor: Stroke[] | null = null;

  constructor(
    first: Tool,
    private readonly prefs: PagePrefs,
    opts: ToolbarOptions,
    private readonly d: ToolDeps,
  ) {
    this.current = first;
    const editor = d.editor;
    this.actions = {
      tool: (t) => this.setTool(t),
      color: (c) => this.setColor(c),
      alpha: (a) => this.setAlpha(a),
      width: (w) => this.setWidth(w),
      fill: () => this.toggleFill(),
      undo: () => editor.undo(),
      redo: () => editor.redo(),
      clear: () => editor.sweeps.clear(),
    };
    this.toolbar = new Toolbar(this.actions, { tool: first, styles: prefs.current.styles }, opts);
  }

  get tool(): Tool {
    return this.current;
  }

  /** styles are how each tool draws. */
  get styles(): Styles {
    return this.prefs.current.styles;
  }

  setTool(t: Tool): void {
    const d = this.d;
    if (t !== this.current && d.textEditor.active) d.textEditor.end();
    this.current = t;
    this.toolbar.setTool(t, this.styles);
    d.canvas.dataset.tool = t;
    if (t !== 'eraser' && t !== 'partial-eraser') d.decor.setRing(null);
    if (!selects(t)) d.editor.select([]);
    // Fetched now, so that the first text typed shows in it (render/text_font.ts).
    if (t === 'text') wantTextFont();
    d.schedule();
  }

  /** selected is what a style change restyles: the selection, when the select tool has one; else null. */
  private selected(): Stroke[] | null {
    if (!selects(this.current)) return null;
    const s = this.d.editor.arrange.selectedStrokes();
    return s.length ? s : null;
  }

  /**
   * syncSelection shows the selection's style in the toolbar (the select
   * tool with something selected) when it changed; called every frame.
   */
  syncSelection(): void {
    const sel = this.selected();
    if (sel !== null && sel === this.shownFor) return;
    this.shownFor = sel;
    if (sameStyles(sel, this.shownSelection)) return;
    this.shownSelection = sel;
    this.toolbar.setSelection(sel);
  }

  /** setColor sets the current tool's color (made opaque; the ink styles share it), or restyles the selection. */
  setColor(c: number): void {
    if (this.restyle(PART_RGB, c)) return;
    if (this.current === 'partial-eraser') this.setTool('pen');
    const k = this.drawingKey();
    this.updateStyles((s) => ({ ...s, colors: withColor(s.colors, k, c) }));
  }

  /** setAlpha sets the current tool's opacity, 1..255, or the selection's. */
  setAlpha(a: number): void {
    if (this.restyle(PART_ALPHA, Math.max(1, a))) return;
    const k = this.drawingKey();
    this.updateStyles((s) => ({ ...s, alphas: { ...s.alphas, [k]: Math.max(1, a) } }));
  }

  /**
   * setWidth sets the current tool's width (board units), or the
   * selection's: a width of the menu's steps gives each selected stroke
   * that step of its own kind (a text its font size), any other width is
   * given to all.
   */
  setWidth(w: number): void {
    const sel = this.selected();
    if (sel) {
      const step = SIZES[strokeStyleKey(leadStroke(sel).tool)].indexOf(w);
      const width = (s: Stroke): number => (step < 0 ? w : SIZES[strokeStyleKey(s.tool)][step]);
      this.d.editor.arrange.restyle({ parts: PART_WIDTH, color: 0, filled: false, width });
      return;
    }
    const k = this.drawingKey();
    this.updateStyles((s) => ({ ...s, widths: { ...s.widths, [k]: w } }));
  }

  /** toggleFill turns filling shapes on or off, or the selected rects' and ellipses'. */
  toggleFill(): void {
    const sel = this.selected();
    if (sel) {
      const fillable = sel.filter((s) => s.tool === TOOL_RECT || s.tool === TOOL_ELLIPSE);
      if (fillable.length) this.d.editor.arrange.restyle({ parts: PART_FILL, color: 0, filled: !fillable.every((s) => s.filled), width: (s) => s.width });
      return;
    }
    this.updateStyles((s) => ({ ...s, filled: !s.filled }));
  }

  /** restyle gives the selection (if any) color c's parts: it reports whether there was one to restyle. */
  private restyle(parts: number, c: number): boolean {
    if (!this.selected()) return false;
    this.d.editor.arrange.restyle({ parts, color: c, filled: false, width: (s) => s.width });
    return true;
  }

  /**
   * drawingKey is the style the current tool draws with (ui/style's
   * styleKey); a tool without one (hand, the stroke eraser, select with
   * nothing selected) switches to the pen, whose style a change is then
   * made to. (With something selected a change restyles it instead.)
   */
  private drawingKey(): StyleKey {
    const k = styleKey(this.current);
    if (k) return k;
    this.setTool('pen');
    return styleKey('pen')!;
  }

  private updateStyles(f: (s: Styles) => Styles): void {
    this.prefs.update((p) => ({ ...p, styles: f(p.styles) }));
    this.toolbar.setTool(this.current, this.styles);
  }
}

/** sameStyles reports whether a and b name the same strokes with the same color, width and fill, in order (null: nothing selected). */
function sameStyles(a: readonly Stroke[] | null, b: readonly Stroke[] | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const s = a[i];
    const t = b[i];
    if (s.author !== t.author || s.stroke !== t.stroke || s.color !== t.color || s.width !== t.width || s.filled !== t.filled) return false;
  }
  return true;
}
