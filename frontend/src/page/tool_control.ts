// The current tool and how each tool draws (the person's styles): the
// toolbar shows both; its buttons, the keyboard and the embed API change
// them through here.

import type { Editor } from '../edit/editor';
import type { Decorations } from '../ui/decor';
import { styleKey, withColor, type StyleKey, type Styles } from '../ui/style';
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
      clear: () => editor.clear(),
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
    if (t !== 'select') d.editor.select([]);
    d.schedule();
  }

  /** setColor sets the current tool's color (made opaque; the ink styles share it). */
  setColor(c: number): void {
    if (this.current === 'partial-eraser') this.setTool('pen');
    const k = this.drawingKey();
    this.updateStyles((s) => ({ ...s, colors: withColor(s.colors, k, c) }));
  }

  /** setAlpha sets the current tool's opacity, 1..255. */
  setAlpha(a: number): void {
    const k = this.drawingKey();
    this.updateStyles((s) => ({ ...s, alphas: { ...s.alphas, [k]: Math.max(1, a) } }));
  }

  /** setWidth sets the current tool's width (board units). */
  setWidth(w: number): void {
    const k = this.drawingKey();
    this.updateStyles((s) => ({ ...s, widths: { ...s.widths, [k]: w } }));
  }

  /** toggleFill turns filling shapes on or off. */
  toggleFill(): void {
    this.updateStyles((s) => ({ ...s, filled: !s.filled }));
  }

  /**
   * drawingKey is the style the current tool draws with (ui/style's
   * styleKey); a tool without one (hand, the stroke eraser, select with
   * nothing selected) switches to the pen, whose style a change is then
   * made to. With something selected the select tool stays and the
   * selection with it: the change goes to the pen's style, for what is
   * drawn next (restyling what is selected needs an op the protocol does
   * not have yet, issue 16).
   */
  private drawingKey(): StyleKey {
    const k = styleKey(this.current);
    if (k) return k;
    if (this.current !== 'select' || this.d.editor.selection.length === 0) this.setTool('pen');
    return styleKey('pen')!;
  }

  private updateStyles(f: (s: Styles) => Styles): void {
    this.prefs.update((p) => ({ ...p, styles: f(p.styles) }));
    this.toolbar.setTool(this.current, this.styles);
  }
}
