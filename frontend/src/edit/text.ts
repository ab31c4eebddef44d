// Texts: placing one, and typing into any text on the board, live.
//
// Our own texts change by a Text op with their number (the op that made
// them, again), so our unconfirmed copy (edit/local) shows the change at
// once; anyone else's by TextEdit, which replaces its content (PROTOCOL.md
// "TextEdit"). While typing, the page sends the content as it is (coalesced,
// ui/text_session) and nothing goes into the history; when the field
// closes, the edit as a whole is one undo step: undoing it puts back the
// text as it was before this person's edit, whoever else typed in it
// before or after. Wrapping is a TextWrap, undone by the width before.

import type { Stroke } from '../protocol/board';
import { TOOL_TEXT, type Op, type StrokeId } from '../protocol/types';
import type { XY } from '../geometry/hit';
import { hitStroke } from '../geometry/hit';
import { SELF, visibilityOps, type Action, type TextState } from './history';
import { textOp, textShown, type LocalItem, type TextStyle } from './local';
import { keyOf, type ExtentOf, type ShownItem } from './shown';

export interface TextDeps {
  readOnly(): boolean;
  endGestures(): void;
  newStroke(): number;
  push(op: Op): number;
  addLocal(l: LocalItem): void;
  local(n: number): LocalItem | undefined;
  shown(all: boolean): readonly ShownItem[];
  /** Everything shown, the text being edited in place included. */
  shownWithEdited(): readonly ShownItem[];
  extentOf: ExtentOf;
  record(a: Action): void;
  changed(): void;
  /** Hides the text with this key while it is edited in place (null: none). */
  setEditingKey(key: string | null): void;
}

/** A text as shown: the stroke and its top-left (with the offset of our pending moves). */
export interface ShownText {
  readonly id: StrokeId;
  readonly stroke: Stroke;
  readonly x: number;
  readonly y: number;
}

export class TextEdits {
  constructor(private readonly d: TextDeps) {}

  /** add places a new text of ours with its top-left at (x, y); it returns its stroke number. */
  add(x: number, y: number, style: TextStyle, text: string): number {
    if (this.d.readOnly()) return 0;
    this.d.endGestures();
    const n = this.d.newStroke();
    const shown = textShown(n, style, x, y, text);
    const uid = this.d.push(textOp(shown));
    this.d.addLocal({ stroke: n, shown, pts: null, sent: 0, firstUid: uid, lastUid: uid });
    this.d.record({ kind: 'stroke', stroke: n });
    this.d.changed();
    return n;
  }

  /** of returns the text named id (own texts with author SELF) as shown, or null. */
  of(id: StrokeId): ShownText | null {
    const key = keyOf(id);
    for (const it of this.d.shownWithEdited()) {
      if (keyOf(it.id) !== key) continue;
      if (it.stroke.tool !== TOOL_TEXT) return null;
      return { id: it.id, stroke: it.stroke, x: it.stroke.points[0].x + it.dx, y: it.stroke.points[0].y + it.dy };
    }
    return null;
  }

  /** own returns our text number n as shown (with the offset our pending moves give it), or null. */
  own(n: number): ShownText | null {
    return this.of({ author: SELF, stroke: n });
  }

  /** at returns the topmost text at p (anyone's; own with author SELF), or null. */
  at(p: XY, radius: number, ownOnly = false): StrokeId | null {
    const items = this.d.shown(true);
    for (let i = items.length - 1; i >= 0; i--) {
      const it = items[i];
      if (it.stroke.tool !== TOOL_TEXT || (ownOnly && it.id.author !== SELF)) continue;
      if (hitStroke(it.stroke, { from: p, to: p, radius }, this.d.extentOf(it.stroke), it.dx, it.dy)) return it.id;
    }
    return null;
  }

  /**
   * edit changes our text n at its place (a Text op), as one undo step from
   * before (default: the text as shown now): an empty text is erased. It
   * returns false when there is no such text of ours.
   */
  edit(n: number, style: TextStyle, text: string, before?: TextState): boolean {
    const cur = this.of({ author: SELF, stroke: n });
    if (!cur || this.d.readOnly()) return false;
    const from: TextState = before ?? { color: cur.stroke.color, size: cur.stroke.width, text: cur.stroke.text };
    if (text === '') {
      this.d.endGestures();
      const ids = [{ author: SELF, stroke: n }];
      for (const op of visibilityOps('erase', ids)) this.d.push(op);
      this.d.record({ kind: 'erase', strokes: ids });
      this.d.changed();
      return true;
    }
    this.sendOwn(cur, n, style, text);
    const after: TextState = { color: style.color, size: style.size, text };
    if (from.color !== after.color || from.size !== after.size || from.text !== after.text) {
      this.d.record({ kind: 'text', stroke: n, before: from, after });
    }
    this.d.changed();
    return true;
  }

  /** sendOwn sends our text n as it is to be, and shows it so at once (edit/local). */
  private sendOwn(cur: ShownText, n: number, style: TextStyle, text: string): void {
    if (cur.stroke.color === style.color && cur.stroke.width === style.size && cur.stroke.text === text) return;
    this.d.endGestures();
    const shown = textShown(n, style, cur.x, cur.y, text, cur.stroke.wrap);
    const uid = this.d.push(textOp(shown));
    const item = this.d.local(n);
    if (item) {
      item.shown = shown;
      item.lastUid = uid;
    } else {
      this.d.addLocal({ stroke: n, shown, pts: null, sent: 0, firstUid: uid, lastUid: uid });
    }
  }

  /** type sends what is typed into text id now, with no undo step (typing goes on). */
  type(id: StrokeId, content: string): void {
    if (this.d.readOnly()) return;
    const cur = this.of(id);
    if (!cur || cur.stroke.text === content) return;
    if (id.author === SELF) this.sendOwn(cur, id.stroke, { color: cur.stroke.color, size: cur.stroke.width }, content);
    else this.d.push({ type: 'textEdit', text: id, content });
    this.d.changed();
  }

  /**
   * typed ends typing into text id: one undo step from before (the content
   * when typing began) to content (what was typed last, sent by type()).
   */
  typed(id: StrokeId, before: string, content: string): void {
    const cur = this.of(id);
    if (!cur || this.d.readOnly()) return;
    if (id.author === SELF) {
      const style = { color: cur.stroke.color, size: cur.stroke.width };
      this.edit(id.stroke, style, content, { ...style, text: before });
      return;
    }
    if (content === before) return;
    this.d.record({ kind: 'ops', redo: [{ type: 'textEdit', text: id, content }], undo: [{ type: 'textEdit', text: id, content: before }] });
  }

  /** wrap sets the width text id's lines wrap to (board units; 0: none), as an undo step. */
  wrap(id: StrokeId, width: number): void {
    const cur = this.of(id);
    if (!cur || this.d.readOnly()) return;
    const before = cur.stroke.wrap ?? 0;
    const w = Math.max(0, Math.round(width));
    if (w === before) return;
    this.d.push({ type: 'textWrap', text: id, wrap: w });
    this.d.record({ kind: 'ops', redo: [{ type: 'textWrap', text: id, wrap: w }], undo: [{ type: 'textWrap', text: id, wrap: before }] });
    this.d.changed();
  }

  /** setEditing hides text id while it is edited in place (null: none). */
  setEditing(id: StrokeId | null): void {
    this.d.setEditingKey(id ? keyOf(id) : null);
  }
}
