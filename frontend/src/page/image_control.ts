// Images onto the board (PROTOCOL.md "Images"): pasted (Ctrl/⌘+V with an
// image on the clipboard), dropped on the board, picked with the toolbar's
// image button, or sent by an embedding host (insertImage). Each is
// uploaded to the board first; the server checks it (type, size, pixels)
// and answers with its hash or with a message for the person, which the
// page shows. Then one Image op places it: an item like any other (moved,
// resized, restyled, erased and undone the same way).

import type { Editor } from '../edit/editor';
import { screenRect, type View } from '../geometry/view';
import { imageURL, imageUploadURL } from '../net/room_url';
import { ICONS, h, svgIcon } from '../ui/dom';
import { imageBox } from './image_placement';
import type { BoardImages } from './clipboard_paste';

export interface ImageDeps {
  readonly editor: Editor;
  readonly segment: string;
  readonly token: string;
  readonly readOnly: () => boolean;
  /** Where the pointer is on the board, or null. */
  readonly pointer: () => { x: number; y: number } | null;
  readonly view: () => { view: View; width: number; height: number };
  /** Says something to the person (a refused image). */
  readonly tell: (message: string) => void;
  /** An image was placed (and is selected). */
  readonly placed: () => void;
}

/** The types the server takes; others are refused before uploading. */
const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp';

interface Uploaded {
  readonly hash: string;
  readonly width: number;
  readonly height: number;
}

export class ImageControl implements BoardImages {
  /** The toolbar's "Add an image" button. */
  readonly button: HTMLElement;
  private readonly picker: HTMLInputElement;

  constructor(private readonly d: ImageDeps) {
    this.picker = h('input', { type: 'file', accept: ACCEPT, hidden: true, 'data-testid': 'image-file' }) as HTMLInputElement;
    this.picker.addEventListener('change', () => {
      const f = this.picker.files?.[0];
      this.picker.value = '';
      if (f) void this.insert(f).catch((e: Error) => d.tell(e.message));
    });
    const b = h('button', { type: 'button', class: 'tb-btn', 'data-testid': 'image', 'aria-label': 'Add an image', title: 'Add an image (or paste or drop one)' });
    b.append(svgIcon(ICONS.image));
    b.addEventListener('click', () => this.picker.click());
    this.button = h('div', { class: 'tb-image' }, b, this.picker);
  }

  /** attach listens for pasted and dropped images. */
  attach(doc: Document, canvas: HTMLElement): void {
    doc.addEventListener('paste', (e) => {
      if (e.defaultPrevented || this.d.readOnly() || !e.clipboardData) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA')) return;
      const f = imageFile(e.clipboardData.files);
      if (!f) return;
      e.preventDefault();
      void this.insert(f).catch((err: Error) => this.d.tell(err.message));
    });
    canvas.addEventListener('dragover', (e) => {
      if (!this.d.readOnly() && e.dataTransfer?.types.includes('Files')) e.preventDefault();
    });
    canvas.addEventListener('drop', (e) => {
      const f = e.dataTransfer ? firstFile(e.dataTransfer.files) : null;
      if (!f || this.d.readOnly()) return;
      e.preventDefault();
      const { view } = this.d.view();
      const r = canvas.getBoundingClientRect();
      const at = { x: (e.clientX - r.left - view.x) / view.scale, y: (e.clientY - r.top - view.y) / view.scale };
      void this.insert(f, at).catch((err: Error) => this.d.tell(err.message));
    });
  }

  /**
   * insert uploads an image and places it centered at `at` (default: under
   * the pointer, or the middle of the view); it returns the new item's
   * stroke number, or throws with a message for the person.
   */
  async insert(blob: Blob, at?: { x: number; y: number }): Promise<number> {
    if (this.d.readOnly()) throw new Error('This board is view-only here: images cannot be added.');
    const up = await this.upload(blob);
    const { view, width, height } = this.d.view();
    const seen = screenRect(view, width, height);
    const p = at ?? this.d.pointer();
    const inView = p !== null && p.x >= seen.minX && p.x <= seen.maxX && p.y >= seen.minY && p.y <= seen.maxY;
    const center = inView ? p : { x: (seen.minX + seen.maxX) / 2, y: (seen.minY + seen.maxY) / 2 };
    const { a, b } = imageBox(up.width, up.height, center, seen);
    const n = this.d.editor.addImage(up.hash, a, b);
    if (n) this.d.placed();
    return n;
  }

  /** url is where an image of this board is fetched. */
  url(hash: string): string {
    return imageURL(this.d.segment, hash, this.d.token);
  }

  /** uploadHash uploads an image to the board (its checks and refusals) and returns its hash there, or throws with a message for the person. */
  async uploadHash(blob: Blob): Promise<string> {
    if (this.d.readOnly()) throw new Error('This board is view-only here: images cannot be added.');
    return (await this.upload(blob)).hash;
  }

  private async upload(blob: Blob): Promise<Uploaded> {
    let res: Response;
    try {
      res = await fetch(imageUploadURL(this.d.segment, this.d.token), {
        method: 'POST',
        body: blob,
        headers: { 'Content-Type': blob.type || 'application/octet-stream' },
      });
    } catch {
      throw new Error('The image could not be sent: the server is not reachable.');
    }
    const body = (await res.json().catch(() => null)) as (Uploaded & { error?: { message?: string } }) | null;
    if (!res.ok || !body || typeof body.hash !== 'string') {
      throw new Error(body?.error?.message ? `Image refused: ${body.error.message}.` : `The image was refused (HTTP ${res.status}).`);
    }
    return body;
  }
}

function imageFile(files: FileList): File | null {
  for (const f of Array.from(files)) if (f.type.startsWith('image/')) return f;
  return null;
}

function firstFile(files: FileList): File | null {
  return files.length ? files[0] : null;
}

/** fetchImage fetches an image a host names by URL (it must allow this origin: CORS). */
export async function fetchImage(url: string): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'omit' });
  } catch {
    throw new Error(`the image at ${url} could not be fetched (is it reachable, and does it allow this origin?)`);
  }
  if (!res.ok) throw new Error(`the image at ${url} could not be fetched (HTTP ${res.status})`);
  return res.blob();
}
