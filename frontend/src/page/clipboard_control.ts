// Copy, cut and paste through the system clipboard: the browser's copy,
// cut and paste events (Ctrl/⌘+C, X, V, and the browser's menus), which
// carry the clipboard's data without asking for a permission. What is
// copied is Sketchpad's JSON text (edit/clipboard), so another board, in
// another tab or on another server, pastes it; and a PNG and an SVG of it
// for other apps (page/clipboard_picture), where the browser lets a page
// write pictures. A paste lands under the
// pointer, or in the middle of the view when the pointer is not over the
// board. Inside a text field the browser does as usual. A paste bigger
// than the server lets the page send at once (its drawing burst, which the
// server's sketchpad-draw-burst meta tag says) is refused with a message.

import type { Editor } from '../edit/editor';
import { isTextEntry } from '../input/shortcuts';
import { toBoard, type View } from '../geometry/view';
import { pasteOpsFor } from '../edit/clipboard';

export interface ClipboardDeps {
  readonly editor: Editor;
  /** The select tool is on (a copy copies the selection only then). */
  readonly selecting: () => boolean;
  readonly readOnly: () => boolean;
  /** Where the pointer is on the board, or null. */
  readonly pointer: () => { x: number; y: number } | null;
  readonly view: () => { view: View; width: number; height: number };
  /** Says something to the person (a refused paste). */
  readonly tell: (message: string) => void;
  /** The paste made strokes: the select tool shows them selected. */
  readonly pasted: () => void;
  /** Puts a picture of the selection beside text on the clipboard (page/clipboard_picture); null: text only. */
  readonly picture?: ((text: string) => Promise<boolean>) | null;
}

export function attachClipboard(doc: Document, d: ClipboardDeps): void {
  const burst = doc.querySelector<HTMLMetaElement>('meta[name="sketchpad-draw-burst"]')?.content ?? '';
  d.editor.arrange.maxPasteOps = pasteOpsFor(/^\d+$/.test(burst) ? Number(burst) : null);
  // Ctrl/⌘+D and Alt-drag paste a copy too: a refused one says why, as a paste does.
  d.editor.arrange.refused = d.tell;
  const copy = (e: ClipboardEvent, cut: boolean): void => {
    if (isTextEntry(e.target) || !e.clipboardData || !d.selecting()) return;
    const text = d.editor.arrange.copyText();
    if (!text) return;
    e.preventDefault();
    e.clipboardData.setData('text/plain', text);
    // The picture is made now, while the selection is as copied (a cut erases it next).
    void d.picture?.(text);
    if (cut && !d.readOnly()) d.editor.deleteSelection();
  };
  doc.addEventListener('copy', (e) => copy(e, false));
  doc.addEventListener('cut', (e) => copy(e, true));
  doc.addEventListener('paste', (e) => {
    if (isTextEntry(e.target) || !e.clipboardData || d.readOnly()) return;
    const text = e.clipboardData.getData('text/plain');
    const { view, width, height } = d.view();
    const p = d.pointer();
    const inView = p !== null && toBoard(view, 0, 0).x <= p.x && p.x <= toBoard(view, width, height).x && toBoard(view, 0, 0).y <= p.y && p.y <= toBoard(view, width, height).y;
    const r = d.editor.arrange.paste(text, inView ? p : toBoard(view, width / 2, height / 2));
    if (r === null) return;
    e.preventDefault();
    if (typeof r === 'string') d.tell(r);
    else if (r > 0) d.pasted();
  });
}
