// A copy of the selection as a picture for other apps: besides Sketchpad's
// own text (edit/clipboard), Ctrl/⌘+C puts a PNG and an SVG of what is
// selected on the system clipboard, so a chat, a document or an image
// editor pastes a picture. The copy event's clipboardData takes text only,
// so the picture goes through the asynchronous Clipboard API (one
// ClipboardItem with every form, the Sketchpad text first among them: a
// paste into Sketchpad reads that). Where the browser refuses (no
// permission, an old browser), the event's text copy stands alone.
// Images are fetched first (render/image_fetch): the picture draws them,
// and the Sketchpad text this write puts in place of the event's carries
// their bytes (edit/clipboard withImages), so a board that lacks them
// (another server) can take them.

import type { Editor } from '../edit/editor';
import type { StrokePainter } from '../render/paint';
import { writers } from '../ui/exports';
import { pictureForms } from './clipboard_forms';
import { withImages } from '../edit/clipboard';
import { fetchImages, imageHashes } from '../render/image_fetch';

/** PNG pixels per CSS pixel of the selection at 100 %. */
const PNG_SIZE = 2;

interface ClipboardItemStatic {
  supports?: (type: string) => boolean;
}

/** dataURLBlob decodes a base64 data URL (the page's Content-Security-Policy lets no fetch read one). */
function dataURLBlob(url: string, type: string): Blob {
  const bin = atob(url.slice(url.indexOf(',') + 1));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

/**
 * copyPicture writes text (Sketchpad's form) with an SVG (as HTML, and as
 * an SVG image where the browser takes one) and a PNG of the selection to
 * the system clipboard, the images of the selection fetched from urlOf.
 * It resolves to the text written (text with the images' bytes), or null
 * when the browser refused; it rejects when an image could not be fetched
 * (the event's text stands).
 */
export async function copyPicture(editor: Editor, painter: StrokePainter, urlOf: ((hash: string) => string) | null, text: string): Promise<string | null> {
  const clip = navigator.clipboard as Clipboard | undefined;
  if (!clip?.write || typeof ClipboardItem === 'undefined') return null;
  const keys = new Set(editor.selection.map((id) => id.author + ':' + id.stroke));
  const items = editor.shown().filter((it) => keys.has(it.id.author + ':' + it.id.stroke));
  if (items.length === 0) return null;
  const hashes = imageHashes(items.map((it) => it.stroke));
  // The writers are loaded on first use (ui/exports, later.ts); the items were taken before.
  const [{ exportPNG, exportSVG }, images] = await Promise.all([
    writers(),
    hashes.length && urlOf ? fetchImages(hashes, urlOf, { pixels: true, data: true }) : Promise.resolve(null),
  ]);
  const svg = exportSVG(items, undefined, images ? (hash) => images.dataURL(hash) : undefined);
  const png = dataURLBlob(exportPNG(painter, items, 0.25 * PNG_SIZE, undefined, images), 'image/png');
  const carried = new Map<string, string>();
  for (const hash of hashes) {
    const url = images?.dataURL(hash);
    if (url) carried.set(hash, url);
  }
  const written = withImages(text, carried);
  const forms: Record<string, Blob> = {
    'text/plain': new Blob([written], { type: 'text/plain' }),
    'text/html': new Blob([svg], { type: 'text/html' }),
    'image/png': png,
  };
  const { svg: svgType } = pictureForms((ClipboardItem as unknown as ClipboardItemStatic).supports?.bind(ClipboardItem));
  if (svgType) forms[svgType] = new Blob([svg], { type: 'image/svg+xml' });
  try {
    await clip.write([new ClipboardItem(forms)]);
    return written;
  } catch {
    if (!svgType) return null;
    // A browser that takes no custom format: the rest of it.
    delete forms[svgType];
    try {
      await clip.write([new ClipboardItem(forms)]);
      return written;
    } catch {
      return null;
    }
  }
}
