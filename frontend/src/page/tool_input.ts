// The pointer on the canvas: what a press, a drag and a release do with the
// current tool (draw, shape, erase, type, select, lasso), panning and zooming, the
// eraser's ring, and this person's cursor, sent once per frame. Shift and
// Space, held, change what a drag does.

import type { Editor } from '../edit/editor';
import { SelectGesture } from '../edit/select_gesture';
import { pressureByte } from '../geometry/outline';
import { boardLength, panBy, pinch, toBoard, zoomAt } from '../geometry/view';
import { selects } from '../input/shortcuts';
import { attachPointer, type PointerHandlers, type PointerSample } from '../input/pointer';
import { TOOL_ARROW, TOOL_ELLIPSE, TOOL_ERASER, TOOL_HIGHLIGHTER, TOOL_LINE, TOOL_PEN, TOOL_RECT, type StrokeId } from '../protocol/types';
import type { Renderer } from '../render/renderer';
import type { Decorations } from '../ui/decor';
import { drawColor, styleKey } from '../ui/style';
import type { TextEditor } from '../ui/text_editor';
import { editText, newText } from '../ui/text_session';
import type { Tool } from '../ui/toolbar';
import type { Following } from './following';
import type { ToolControl } from './tool_control';
import type { ViewControl } from './view_control';

/** The stroke eraser's radius in CSS pixels. */
const ERASER_RADIUS_PX = 10;
/** How near (CSS pixels) a click must be to pick a stroke. */
const PICK_RADIUS_PX = 6;
/** Where touch is the input, a selection's handles take a press this far off (a 44 px target; the CSS's coarse-pointer rules size the controls so). */
const FINGER_REACH_PX = 22;
const coarse = (): boolean => typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;

/** The tool byte of each tool that draws a freehand stroke. */
const FREEHAND_TOOLS: Partial<Record<Tool, number>> = { pen: TOOL_PEN, highlighter: TOOL_HIGHLIGHTER, 'partial-eraser': TOOL_ERASER };
/** The tool byte of each shape tool. */
const SHAPE_TOOLS: Partial<Record<Tool, number>> = { line: TOOL_LINE, arrow: TOOL_ARROW, rect: TOOL_RECT, ellipse: TOOL_ELLIPSE };

/** InputDeps is what the pointer works on. */
export interface InputDeps {
  readonly canvas: HTMLCanvasElement;
  readonly editor: Editor;
  readonly renderer: Renderer;
  readonly tools: ToolControl;
  readonly view: ViewControl;
  readonly following: Following;
  readonly decor: Decorations;
  readonly textEditor: TextEditor;
  /** The laser pointer went through these board points (shown here, sent to the others). */
  readonly laser: (points: readonly { x: number; y: number }[]) => void;
  /** The page cannot change the board: every drag pans. */
  readonly readOnly: () => boolean;
  readonly schedule: () => void;
}

export class ToolInput implements PointerHandlers {
  /** The select tool's gesture. */
  readonly selecting: SelectGesture;
  /** Where this person's pointer is on the board (board units); null: not seen yet. */
  private cursorAt: { x: number; y: number } | null = null;
  /** cursorAt moved since it was last sent. */
  private cursorDirty = false;
  /**
   * A stroke or a shape is being drawn: its ops carry the pointer (their
   * last point, ui/op_cursor), so no cursor frame is sent meanwhile.
   */
  private carried = false;
  private spaceHeld = false;
  private shiftHeld = false;
  /** Alt (Option) is held: a drag of the selection drags a copy of it. */
  private altHeld = false;

  constructor(private readonly d: InputDeps) {
    this.selecting = new SelectGesture(d.editor);
  }

  /** attach listens to the pointer on the canvas and to Shift on the whole page; early are the canvas's events held before (input/early_pointer). */
  attach(early: readonly Event[] = []): void {
    const { canvas } = this.d;
    // A press on the board while a menu, a popover or the color palette is
    // open closes it (each closes itself on a press elsewhere) and does
    // nothing else: clicking away from the share menu drew a dot.
    const menuOpen = (): boolean => document.querySelector('.popover:not([hidden]), .color-picks:not([hidden])') !== null;
    const pointer = attachPointer(canvas, this, () => this.d.tools.tool === 'hand' || this.spaceHeld || this.d.readOnly(), menuOpen, early);
    const trackShift = (e: KeyboardEvent | PointerEvent): void => {
      this.shiftHeld = e.shiftKey;
      this.altHeld = e.altKey;
    };
    window.addEventListener('keydown', trackShift, true);
    window.addEventListener('keyup', trackShift, true);
    window.addEventListener('pointerdown', trackShift, true);
    window.addEventListener('pointermove', trackShift, true);
    canvas.addEventListener('pointerdown', () => {
      canvas.dataset.panning = String(pointer.machine.panning);
    });
    canvas.addEventListener('pointerup', () => {
      canvas.dataset.panning = 'false';
    });
  }

  /** setSpace: Space went down or up (held, a drag pans). */
  setSpace(held: boolean): void {
    this.spaceHeld = held;
    this.d.canvas.dataset.space = String(held);
  }

  /** pointer is where this person's pointer is on the board, or null before it was over it. */
  get pointer(): { x: number; y: number } | null {
    return this.cursorAt;
  }

  /** sendCursor sends where this person's pointer is, when it moved (once per frame). */
  sendCursor(): void {
    if (this.carried) {
      this.cursorDirty = false;
      return;
    }
    if (this.cursorDirty && this.cursorAt) {
      this.d.editor.sync.sendCursor(Math.round(this.cursorAt.x), Math.round(this.cursorAt.y));
      this.cursorDirty = false;
    }
  }

  toolStart(s: PointerSample): void {
    const { editor, renderer, textEditor } = this.d;
    const tool = this.d.tools.tool;
    this.d.following.stop();
    if (textEditor.active) {
      textEditor.end();
      if (tool === 'text') return; // a click elsewhere ends the text
    }
    const b = this.toBoardSample(s);
    const st = this.d.tools.styles;
    switch (tool) {
      case 'pen':
      case 'highlighter':
      case 'partial-eraser': {
        const k = styleKey(tool)!;
        editor.beginStroke(b, { tool: FREEHAND_TOOLS[tool]!, color: drawColor(st, k), width: st.widths[k], pressure: tool === 'pen' && s.pressure !== null });
        this.carried = true;
        break;
      }
      case 'eraser':
        editor.eraseStart(b, boardLength(renderer.view, ERASER_RADIUS_PX));
        break;
      case 'line':
      case 'arrow':
      case 'rect':
      case 'ellipse': {
        const k = styleKey(tool)!;
        editor.shapeStart(b, { tool: SHAPE_TOOLS[tool]!, color: drawColor(st, k), width: st.widths[k], filled: st.filled });
        this.carried = true;
        break;
      }
      case 'text': {
        const id = this.d.readOnly() ? null : editor.texts.at(b, this.pick());
        if (id) this.openText(id);
        else newText(editor, textEditor, b, st.widths.text, drawColor(st, 'text'), renderer.view);
        break;
      }
      case 'select':
      case 'lasso':
        this.selecting.start(b, this.pick(), this.shiftHeld, this.altHeld, tool === 'lasso', coarse() ? boardLength(renderer.view, FINGER_REACH_PX) : undefined);
        break;
      case 'laser':
        // The trail carries the pointer: receivers move the cursor with it.
        this.d.laser([b]);
        this.carried = true;
        break;
      case 'hand':
        break;
    }
    this.d.schedule();
  }

  toolMove(samples: readonly PointerSample[]): void {
    const { editor } = this.d;
    const pts = samples.map((s) => this.toBoardSample(s));
    const last = pts[pts.length - 1];
    switch (this.d.tools.tool) {
      case 'pen':
      case 'highlighter':
      case 'partial-eraser':
        editor.extendStroke(pts);
        break;
      case 'eraser':
        editor.eraseMove(pts);
        break;
      case 'line':
      case 'arrow':
      case 'rect':
      case 'ellipse':
        editor.shapeMove(last, this.shiftHeld);
        break;
      case 'select':
      case 'lasso':
        this.selecting.move(last, this.shiftHeld, pts);
        break;
      case 'laser':
        this.d.laser(pts);
        break;
      default:
        break;
    }
    this.d.schedule();
  }

  toolEnd(): void {
    const { editor } = this.d;
    this.carried = false;
    editor.endStroke();
    editor.shapeEnd();
    editor.eraseEnd();
    editor.moveEnd();
    this.selecting.end();
    this.d.schedule();
  }

  toolCancel(): void {
    const { editor } = this.d;
    // A cancelled stroke is taken back: the pointer goes out as a cursor again.
    this.carried = false;
    this.cursorDirty = this.cursorAt !== null;
    editor.cancelStroke();
    editor.eraseCancel();
    editor.moveEnd();
    this.selecting.cancel();
    this.d.schedule();
  }

  pan(dx: number, dy: number): void {
    this.d.view.setView(panBy(this.d.renderer.view, dx, dy), true);
  }

  zoom(x: number, y: number, factor: number): void {
    this.d.view.setView(zoomAt(this.d.renderer.view, x, y, factor), true);
  }

  pinch(a0: { x: number; y: number }, b0: { x: number; y: number }, a1: { x: number; y: number }, b1: { x: number; y: number }): void {
    this.d.view.setView(pinch(this.d.renderer.view, a0, b0, a1, b1), true);
  }

  hover(s: PointerSample): void {
    const { renderer, decor } = this.d;
    const tool = this.d.tools.tool;
    this.cursorAt = toBoard(renderer.view, s.x, s.y);
    this.cursorDirty = true;
    if (tool === 'eraser') decor.setRing({ x: s.x, y: s.y, r: ERASER_RADIUS_PX });
    else if (tool === 'partial-eraser') decor.setRing({ x: s.x, y: s.y, r: (this.d.tools.styles.widths['partial-eraser'] / 2) * renderer.view.scale });
    this.d.schedule();
  }

  leave(): void {
    this.d.decor.setRing(null);
    this.d.schedule();
  }

  doubleClick(s: PointerSample): void {
    if (!selects(this.d.tools.tool) || this.d.readOnly()) return;
    const id = this.d.editor.texts.at(this.toBoardSample(s), this.pick());
    if (id) this.openText(id);
  }

  private toBoardSample(s: PointerSample): { x: number; y: number; p: number } {
    const b = toBoard(this.d.renderer.view, s.x, s.y);
    return { x: b.x, y: b.y, p: s.pressure === null ? 0 : pressureByte(s.pressure) };
  }

  /** pick is how near (board units) a click must be to pick a stroke. */
  private pick(): number {
    return boardLength(this.d.renderer.view, PICK_RADIUS_PX);
  }

  private openText(id: StrokeId): void {
    // A text someone else types into stays theirs until they stop: the
    // label on it (ui/text_claims) says who.
    editText(this.d.editor, this.d.textEditor, id, this.d.renderer.view);
  }
}
