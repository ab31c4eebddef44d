// What a paste of Sketchpad's clipboard text does on the page, whichever
// way it came: the browser's paste event (Ctrl/⌘+V, the browser's menu;
// page/clipboard_control) or the toolbar's Paste button, which pastes what
// was last copied (page/clipboard_last) where no clipboard can be read.
// Both go through the same checks in the same order: the text is read and
// held to the board's paste limit (edit/clipboard parseClip, the server's
// drawing burst) first, so a paste the board would refuse uploads nothing;
// then the images it names that this board lacks are uploaded from the
// bytes the copy carries (edit/clipboard clipImages), with the upload's
// limits and refusals; then the strokes are placed, one undo step.

import type { Editor } from '../edit/editor';
import { clipImages, parseClip, type ClipStroke } from '../edit/clipboard';
import { TOOL_IMAGE } from '../protocol/types';

/** BoardImages is what a paste needs of the board's images. */
export interface BoardImages {
  /** uploadHash uploads an image to this board: its hash there, or a message thrown. */
  uploadHash(blob: Blob): Promise<string>;
  /** url is where an image of this board is fetched. */
  url(hash: string): string;
}

/** PasteDeps is what a paste works on. */
export interface PasteDeps {
  readonly editor: Editor;
  /** Says something to the person (a refused paste). */
  readonly tell: (message: string) => void;
  /** The paste made strokes: the select tool shows them selected. */
  readonly pasted: () => void;
  /** The board's images (page/image_control); null: none can be added. */
  readonly images?: BoardImages | null;
}

/**
 * pasteText pastes Sketchpad's clipboard text centered at board point at.
 * It returns null when text is not Sketchpad's (the browser, or the image
 * paste, does as usual), else a promise that settles when the paste is
 * done or refused (the person was told why).
 */
export function pasteText(d: PasteDeps, text: string, at: { x: number; y: number }): Promise<void> | null {
  const { arrange } = d.editor;
  const clip = parseClip(text, arrange.maxPasteOps);
  if (clip === null) return null;
  if (typeof clip === 'string') {
    d.tell(clip);
    return Promise.resolve();
  }
  const place = (c: readonly ClipStroke[]): void => {
    if (arrange.pasteClip(c, at) > 0) d.pasted();
  };
  const missing = [...new Set(clip.filter((s) => s.tool === TOOL_IMAGE).map((s) => s.text))].filter((h) => !hasImage(d.editor, h));
  if (missing.length === 0) {
    place(clip);
    return Promise.resolve();
  }
  return uploadMissing(d, missing, clipImages(text).carried).then(
    (here) => place(clip.map((s) => (s.tool === TOOL_IMAGE && here.has(s.text) ? { ...s, text: here.get(s.text) as string } : s))),
    (err: Error) => d.tell(err.message),
  );
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
 * uploadMissing uploads the images (by hash) the board lacks, from the
 * bytes the copy carried; it returns each one's hash here where the
 * server hashed otherwise, or throws with a message for the person.
 */
async function uploadMissing(d: PasteDeps, missing: readonly string[], carried: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const images = d.images;
  if (!images) throw new Error('Images cannot be added to this board.');
  // Without its bytes an image may still be on the board (drawn once, since cleared): the server says.
  for (const hash of missing.filter((h) => !carried.has(h))) {
    const res = await fetch(images.url(hash)).catch(() => null);
    if (!res?.ok) {
      throw new Error('The copied image is not on this board and the clipboard does not hold its bytes (the browser kept only the text): copy the image itself and paste it.');
    }
  }
  const upload = missing.filter((h) => carried.has(h));
  if (upload.length > 0) d.tell(upload.length === 1 ? 'Uploading the pasted image to this board…' : `Uploading ${upload.length} pasted images to this board…`);
  const here = new Map<string, string>();
  for (const hash of upload) {
    const h = await images.uploadHash(dataURLBlob(carried.get(hash) as string));
    if (h !== hash) here.set(hash, h);
  }
  return here;
}
