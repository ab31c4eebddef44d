// Opening the text field: on one of our texts (to edit it) or for a new
// text. The field (ui/text_editor) commits through the editor.

import type { Editor } from '../edit/editor';
import { TEXT_LINE_HEIGHT } from '../geometry/shape';
import type { View } from '../geometry/view';
import type { TextEditor } from './text_editor';

/** editText opens the text field on our text n. */
export function editText(editor: Editor, field: TextEditor, n: number, view: View): void {
  const t = editor.ownText(n);
  if (!t) return;
  editor.setEditing(n);
  field.open(
    {
      x: t.x,
      y: t.y,
      size: t.stroke.width,
      color: t.stroke.color,
      text: t.stroke.text,
      commit: (text) => {
        editor.setEditing(0);
        editor.editText(n, { color: t.stroke.color, size: t.stroke.width }, text);
      },
    },
    view,
  );
}

/** newText opens the text field for a new text (size, color) whose first line is centered on board point p. */
export function newText(editor: Editor, field: TextEditor, p: { x: number; y: number }, size: number, color: number, view: View): void {
  const x = Math.round(p.x);
  const y = Math.round(p.y - (TEXT_LINE_HEIGHT * size) / 2);
  field.open(
    {
      x,
      y,
      size,
      color,
      text: '',
      commit: (text) => {
        if (text.trim() !== '') editor.addText(x, y, { color, size }, text);
      },
    },
    view,
  );
}
