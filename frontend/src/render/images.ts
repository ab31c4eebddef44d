// The board's images, decoded once each (PROTOCOL.md "Images"): an image
// stroke names its bytes by hash, and every paint of it (the committed
// layer, a drag's overlay, a PNG export) draws the one decoded element
// kept here. The bytes come from the board's image URL, which the server
// serves as immutable, so the browser's cache answers a reload. Until an
// image has arrived its box is painted gray; when it arrives, onLoad asks
// for a repaint. A picture made of the board (an export, the clipboard's)
// fetches its images first instead (render/image_fetch).

/** ImageSource is what a painter asks for an image by hash. */
export interface ImageSource {
  /** get returns the decoded image, or null while it loads (or if it failed). */
  get(hash: string): CanvasImageSource | null;
  /** dataURL returns a loaded image as a data URL (for an SVG that stands alone), or null. */
  dataURL(hash: string): string | null;
}

interface Entry {
  readonly img: HTMLImageElement;
  ready: boolean;
}

/** The most images kept decoded; past it the oldest is dropped (and fetched again from the HTTP cache if drawn). */
const MAX_IMAGES = 256;

export class ImageCache implements ImageSource {
  private readonly entries = new Map<string, Entry>();

  constructor(
    /** urlOf returns the URL of an image's bytes on this board (render/image_fetch fetches a picture's images from it). */
    readonly urlOf: (hash: string) => string,
    /** onLoad is called when an image arrived: paint again. */
    private readonly onLoad: () => void,
  ) {}

  get(hash: string): CanvasImageSource | null {
    let e = this.entries.get(hash);
    if (!e) {
      if (this.entries.size >= MAX_IMAGES) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      const img = new Image();
      img.decoding = 'async';
      const entry: Entry = { img, ready: false };
      img.onload = () => {
        entry.ready = true;
        this.onLoad();
      };
      img.src = this.urlOf(hash);
      this.entries.set(hash, entry);
      e = entry;
    }
    return e.ready ? e.img : null;
  }

  /** dataURL returns a loaded image as a PNG data URL (for an SVG that stands alone), or null. */
  dataURL(hash: string): string | null {
    const e = this.entries.get(hash);
    if (!e?.ready) return null;
    const c = document.createElement('canvas');
    c.width = e.img.naturalWidth;
    c.height = e.img.naturalHeight;
    const ctx = c.getContext('2d');
    if (!ctx) return null;
    ctx.drawImage(e.img, 0, 0);
    return c.toDataURL('image/png');
  }
}
