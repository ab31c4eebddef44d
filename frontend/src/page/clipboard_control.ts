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
//
// A paste of images this board lacks (copied on another board, another
// server) uploads the bytes the copy carries first (page/clipboard_paste).
//
// Where no clipboard can be read (a phone has no Ctrl+V, and the page may
// not read the clipboard from a button), the toolbar's Paste button,
// offered once something was copied (here or in another open tab,
// page/clipboard_last), pastes that copy in the middle of the view, the
// same way.

import type { Editor } from '../edit/editor';
import { isTextEntry, selects } from '../input/shortcuts';
import { pasteOpsFor } from '../edit/clipboard';
import { toBoard, type View } from '../geometry/view';
import { ICONS } from '../ui/dom';
import { isApple } from '../ui/key_caps';
import { button } from '../ui/tb_button';
import { LastCopy } from './clipboard_last';
import { pasteText, type BoardImages, type PasteDeps } from './clipboard_paste';
import type { ToolControl } from './tool_control';

export interface ClipboardDeps {
  readonly editor: Editor;
  /** The tools: a copy copies the selection with the select tool only; a paste turns it on to show what it made, selected. */
  readonly tools: ToolControl;
  readonly readOnly: () => boolean;
  /** Where the pointer is on the board, or null. */
  readonly pointer: () => { x: number; y: number } | null;
  readonly view: () => { view: View; width: number; height: number };
  /** Says something to the person (a refused paste). */
  readonly tell: (message: string) => void;
  /** Puts a picture of the selection beside text on the clipboard (page/clipboard_picture): the text written (with the images' bytes), or null when the browser refused. */
  readonly picture?: ((text: string) => Promise<string | null>) | null;
  /** The board's images (page/image_control); null: none can be added. */
  readonly images?: BoardImages | null;
}

export function attachClipboard(doc: Document, d: ClipboardDeps): void {
  const burst = doc.querySelector<HTMLMetaElement>('meta[name="sketchpad-draw-burst"]')?.content ?? '';
  d.editor.arrange.maxPasteOps = pasteOpsFor(/^\d+$/.test(burst) ? Number(burst) : null);
  // Ctrl/⌘+D and Alt-drag paste a copy too: a refused one says why, as a paste does.
  d.editor.arrange.refused = d.tell;
  const { toolbar } = d.tools;
  const pasting: PasteDeps = {
    editor: d.editor,
    tell: d.tell,
    pasted: () => {
      if (!selects(d.tools.tool)) d.tools.setTool('select');
    },
    images: d.images ?? null,
  };
  const last = new LastCopy((has) => toolbar.offer('paste', has));
  const key = isApple(navigator) ? '⌘+V' : 'Ctrl+V';
  const pasteButton = button('paste', `Paste what you copied, in the middle of the view (${key} pastes the clipboard)`, ICONS.paste);
  pasteButton.addEventListener('click', () => {
    const { view, width, height } = d.view();
    if (last.text && !d.readOnly()) void pasteText(pasting, last.text, toBoard(view, width / 2, height / 2));
  });
  // Offered from the first copy on.
  toolbar.offer('paste', false);
  toolbar.addMore(pasteButton, 'paste');
  const copy = (e: ClipboardEvent, cut: boolean): void => {
    if (isTextEntry(e.target) || !e.clipboardData || !selects(d.tools.tool)) return;
    const text = d.editor.arrange.copyText();
    if (!text) return;
    e.preventDefault();
    e.clipboardData.setData('text/plain', text);
    last.copied(text);
    // The picture is made now, while the selection is as copied (a cut erases it next).
    d.picture?.(text).then(
      (written) => written && last.carried(text, written),
      (err: Error) => d.tell(`Copied as Sketchpad text only: ${err.message}.`),
    );
    if (cut && !d.readOnly()) d.editor.deleteSelection();
  };
  doc.addEventListener('copy', (e) => copy(e, false));
  doc.addEventListener('cut', (e) => copy(e, true));
  doc.addEventListener('paste', (e) => {
    if (isTextEntry(e.target) || !e.clipboardData || d.readOnly()) return;
    const { view, width, height } = d.view();
    const p = d.pointer();
    const inView = p !== null && toBoard(view, 0, 0).x <= p.x && p.x <= toBoard(view, width, height).x && toBoard(view, 0, 0).y <= p.y && p.y <= toBoard(view, width, height).y;
    if (pasteText(pasting, e.clipboardData.getData('text/plain'), inView ? p : toBoard(view, width / 2, height / 2))) e.preventDefault();
  });
}
