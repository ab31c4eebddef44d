// Opening the text field: on any text (to type into it, live) or for a new
// text. The field (ui/text_editor) reports what is typed as it goes; the
// editor (edit/text) sends it, and says to the others that this person
// edits that text (Editing), so that one person types into a text at a time.

import type { Editor } from '../edit/editor';
import { SELF } from '../edit/history';
import { TEXT_LINE_HEIGHT } from '../geometry/shape';
import type { View } from '../geometry/view';
import type { StrokeId } from '../protocol/types';
import type { TextEditor } from './text_editor';

/**
 * editText opens the text field on text id (ours with author SELF). It
 * returns the author of whoever else edits it now (the field stays closed),
 * or 0.
 */
export function editText(editor: Editor, field: TextEditor, id: StrokeId, view: View): number {
  // A field still open is closed (and its claim given up) before this claim is made.
  field.end();
  const t = editor.texts.of(id);
  if (!t) return 0;
  const other = editor.sync.editorOf(id);
  if (other) return other;
  const before = t.stroke.text;
  editor.texts.setEditing(id);
  editor.claimText(id, () => field.end());
  field.open(
    {
      x: t.x,
      y: t.y,
      size: t.stroke.width,
      color: t.stroke.color,
      text: before,
      wrap: t.stroke.wrap ?? 0,
      input: (text) => editor.texts.type(id, text),
      wrapTo: (w) => editor.texts.wrap(id, w),
      commit: (text) => {
        editor.texts.type(id, text);
        editor.texts.setEditing(null);
        editor.claimText(null);
        editor.texts.typed(id, before, text);
      },
    },
    view,
  );
  return 0;
}

/**
 * newText opens the text field for a new text (size, color) whose first
 * line is centered on board point p. The text is made with the first
 * character typed, and from then on typed into as any other, live.
 */
export function newText(editor: Editor, field: TextEditor, p: { x: number; y: number }, size: number, color: number, view: View): void {
  const x = Math.round(p.x);
  const y = Math.round(p.y - (TEXT_LINE_HEIGHT * size) / 2);
  let n = 0;
  let wrap = 0;
  /** typed makes the text with what is typed first, then types into it. */
  const typed = (text: string): void => {
    if (n) return editor.texts.type({ author: SELF, stroke: n }, text);
    if (text.trim() === '') return;
    n = editor.texts.add(x, y, { color, size }, text);
    if (!n) return;
    const id = { author: SELF, stroke: n };
    editor.texts.setEditing(id);
    editor.claimText(id, () => field.end());
    if (wrap) editor.texts.wrap(id, wrap);
  };
  field.open(
    {
      x,
      y,
      size,
      color,
      text: '',
      wrap: 0,
      input: typed,
      wrapTo: (w) => {
        wrap = w;
        if (n) editor.texts.wrap({ author: SELF, stroke: n }, w);
      },
      commit: (text) => {
        typed(text);
        if (!n) return;
        editor.texts.setEditing(null);
        editor.claimText(null);
        if (text.trim() === '') editor.texts.edit(n, { color, size }, '');
      },
    },
    view,
  );
}
