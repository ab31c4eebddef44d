// Copy, cut and paste through the system clipboard: the browser's copy,
// cut and paste events (Ctrl/⌘+C, X, V, and the browser's menus), which
// carry the clipboard's data without asking for a permission. What is
// copied is Sketchpad's JSON text (edit/clipboard), so another board, in
// another tab or on another server, pastes it; and a PNG and an SVG of it
// for other apps (page/clipboard_picture), where the browser lets a page
// write pictures. A paste lands under the
// pointer, or in the middle of the view when the pointer is not over the
// board. Inside a text field the browser does as usual.
//
// A paste of images this board lacks (copied on another board, another
// server) uploads the bytes the copy carries (edit/clipboard clipImages)
// through the board's upload, with its limits and refusals, then places
// them; on the board they came from nothing is uploaded again.

import type { Editor } from '../edit/editor';
import { isTextEntry } from '../input/shortcuts';
import { clipImages } from '../edit/clipboard';
import { TOOL_IMAGE } from '../protocol/types';
import { toBoard, type View } from '../geometry/view';

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
  /** The board's images (page/image_control); null: none can be added. */
  readonly images?: BoardImages | null;
}

/** BoardImages is what a paste needs of the board's images. */
export interface BoardImages {
  /** uploadHash uploads an image to this board: its hash there, or a message thrown. */
  uploadHash(blob: Blob): Promise<string>;
  /** url is where an image of this board is fetched. */
  url(hash: string): string;
}

/** hasImage says whether the board holds an image by hash (a stroke of it, shown or not: its bytes are on the board). */
function hasImage(editor: Editor, hash: string): boolean {
  return editor.board.strokes.some((s) => s.tool === TOOL_IMAGE && s.text === hash);
}

/** dataURLBlob decodes a base64 data: URL (the page's Content-Security-Policy lets no fetch read one). */
function dataURLBlob(url: string): Blob {
  const type = url.slice(5, url.indexOf(';'));
  const bin = atob(url.slice(url.indexOf(',') + 1));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

/**
 * uploadMissing uploads the images text names that the board lacks, from
 * the bytes text carries; it returns text naming each by its hash here
 * (the same hash, unless the server hashed otherwise), or throws with a
 * message for the person.
 */
async function uploadMissing(d: ClipboardDeps, text: string, missing: string[], carried: ReadonlyMap<string, string>): Promise<string> {
  const images = d.images;
  if (!images) throw new Error('Images cannot be added to this board.');
  // Without its bytes an image may still be on the board (drawn once, since cleared): the server says.
  const unheld = missing.filter((h) => !carried.has(h));
  for (const hash of unheld) {
    const res = await fetch(images.url(hash)).catch(() => null);
    if (!res?.ok) {
      throw new Error('The copied image is not on this board and the clipboard does not hold its bytes (the browser kept only the text): copy the image itself and paste it.');
    }
  }
  missing = missing.filter((h) => carried.has(h));
  if (missing.length > 0) d.tell(missing.length === 1 ? 'Uploading the pasted image to this board…' : `Uploading ${missing.length} pasted images to this board…`);
  for (const hash of missing) {
    const here = await images.uploadHash(dataURLBlob(carried.get(hash) as string));
    if (here !== hash) text = text.split(hash).join(here);
  }
  return text;
}

export function attachClipboard(doc: Document, d: ClipboardDeps): void {
  const copy = (e: ClipboardEvent, cut: boolean): void => {
    if (isTextEntry(e.target) || !e.clipboardData || !d.selecting()) return;
    const text = d.editor.arrange.copyText();
    if (!text) return;
    e.preventDefault();
    e.clipboardData.setData('text/plain', text);
    // The picture is made now, while the selection is as copied (a cut erases it next).
    d.picture?.(text).catch((err: Error) => d.tell(`Copied as Sketchpad text only: ${err.message}.`));
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
    const at = inView ? p : toBoard(view, width / 2, height / 2);
    const done = (r: number | string | null): void => {
      if (typeof r === 'string') d.tell(r);
      else if (r !== null && r > 0) d.pasted();
    };
    const { hashes, carried } = clipImages(text);
    const missing = hashes.filter((h) => !hasImage(d.editor, h));
    if (missing.length === 0) {
      const r = d.editor.arrange.paste(text, at);
      if (r === null) return;
      e.preventDefault();
      done(r);
      return;
    }
    e.preventDefault();
    uploadMissing(d, text, missing, carried).then(
      (t) => done(d.editor.arrange.paste(t, at)),
      (err: Error) => d.tell(err.message),
    );
  });
}
