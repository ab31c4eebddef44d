// The images a picture made of the board needs, fetched before it is made:
// a PNG or SVG export, the clipboard's picture and the history's replay draw
// every image they hold, not only those this page happened to have decoded
// (render/images keeps what the screen shows, at most 256, and paints a gray
// box until one arrives). The bytes come from the board's image URL, which
// the server serves as immutable, so the HTTP cache answers most fetches.
// A fetch that fails fails the whole picture with a message saying why:
// a picture with a gray box where an image was would be quietly wrong.

import type { ImageSource } from './images';
import { imageHashes } from './image_hashes';

export { imageHashes };

/** What a picture needs of each image: its pixels (a PNG), its bytes as a data: URL (an SVG), or both. */
export interface ImageNeeds {
  readonly pixels?: boolean;
  readonly data?: boolean;
}

/** At most this many images are fetched at once. */
const PARALLEL = 4;

/** FetchedImages answers for the images fetched, and for no other. */
class FetchedImages implements ImageSource {
  readonly bitmaps = new Map<string, CanvasImageSource>();
  readonly urls = new Map<string, string>();
  get(hash: string): CanvasImageSource | null {
    return this.bitmaps.get(hash) ?? null;
  }
  dataURL(hash: string): string | null {
    return this.urls.get(hash) ?? null;
  }
}

/** blobDataURL reads a blob as a data: URL of its own type. */
export function blobDataURL(b: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error('unreadable'));
    r.readAsDataURL(b);
  });
}

/** fetchImageBytes fetches one image's bytes from url, or throws with a message that says which and why. */
export async function fetchImageBytes(url: string): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch {
    throw new Error('an image of the board could not be fetched: the server is not reachable');
  }
  if (!res.ok) throw new Error(`an image of the board could not be fetched (HTTP ${res.status})`);
  return res.blob();
}

/**
 * fetchImages fetches hashes from urlOf (PARALLEL at a time) and decodes
 * or encodes them as needs says; progress hears each one done. It throws
 * when one cannot be fetched or decoded.
 */
export async function fetchImages(
  hashes: readonly string[],
  urlOf: (hash: string) => string,
  needs: ImageNeeds,
  progress?: (done: number, total: number) => void,
): Promise<ImageSource> {
  const out = new FetchedImages();
  let next = 0;
  let done = 0;
  const one = async (hash: string): Promise<void> => {
    const blob = await fetchImageBytes(urlOf(hash));
    if (needs.data) out.urls.set(hash, await blobDataURL(blob));
    if (needs.pixels) {
      try {
        out.bitmaps.set(hash, await createImageBitmap(blob));
      } catch {
        throw new Error('an image of the board could not be decoded');
      }
    }
    progress?.(++done, hashes.length);
  };
  const worker = async (): Promise<void> => {
    while (next < hashes.length) await one(hashes[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, hashes.length) }, worker));
  return out;
}
