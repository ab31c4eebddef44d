// Export as the share menu and the embed API ask for it: a PNG (a data URL)
// or an SVG (text) of the whole board or of what the screen shows, and
// their download under the board's name and the date (ui/export_name).
// The writers (render/export, render/svg) are loaded on the first export
// (later.ts): what is exported is taken when it is asked for. Every image
// the export holds is fetched first (render/image_fetch), with progress
// and a message when one cannot be.

import type { Editor, ShownItem } from '../edit/editor';
import { fetchImages, type ImageNeeds } from '../render/image_fetch';
import { imagesIn } from '../render/image_hashes';
import type { ImageSource } from '../render/images';
import type { Rect } from '../geometry/bounds';
import { screenRect } from '../geometry/view';
import type { Renderer } from '../render/renderer';
import { defaultPNGScale, exportFileName } from './export_name';
import type { ExportScope } from './share_menu';

/** An export that is still fetching images after this long says how far it is. */
const PROGRESS_AFTER_MS = 300;

export class Exports {
  constructor(
    private readonly renderer: Renderer,
    private readonly editor: Editor,
    /** The board's name, for file names. */
    private readonly board: string,
    /** Says something to the person: an export's progress, or why it failed. */
    private readonly tell: (message: string) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * png is a PNG of scope with size PNG pixels per CSS pixel of what is
   * exported (the whole board at 100 %, or the screen as it is); by default
   * the screen's density.
   */
  png(scope: ExportScope, size = defaultPNGScale(window.devicePixelRatio)): Promise<string> {
    const r = this.renderer;
    const scale = (scope === 'view' ? r.view.scale : 0.25) * size;
    const items = this.editor.shown();
    const rect = this.rect(scope);
    return Promise.all([writers(), this.images(items, rect, { pixels: true })]).then(([w, images]) => w.exportPNG(r.painter, items, scale, rect, images));
  }

  svg(scope: ExportScope): Promise<string> {
    const items = this.editor.shown();
    const rect = this.rect(scope);
    return Promise.all([writers(), this.images(items, rect, { data: true })]).then(([w, images]) =>
      w.exportSVG(items, rect, images ? (hash) => images.dataURL(hash) : undefined),
    );
  }

  async downloadPNG(scope: ExportScope, size: number): Promise<void> {
    try {
      const url = await this.png(scope, size);
      (await writers()).download(url, exportFileName(this.board, this.now(), 'png', size));
    } catch (e) {
      this.tell(`The PNG was not exported: ${(e as Error).message}.`);
    }
  }

  async downloadSVG(scope: ExportScope): Promise<void> {
    try {
      const url = URL.createObjectURL(new Blob([await this.svg(scope)], { type: 'image/svg+xml' }));
      (await writers()).download(url, exportFileName(this.board, this.now(), 'svg'));
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      this.tell(`The SVG was not exported: ${(e as Error).message}.`);
    }
  }

  /**
   * images fetches the images items show within rect (render/image_fetch),
   * all of them: an image never drawn on this page is in the export all
   * the same. Past a moment it says how far it is.
   */
  private async images(items: readonly ShownItem[], rect: Rect | undefined, needs: ImageNeeds): Promise<ImageSource | null> {
    const urlOf = this.renderer.imageURL;
    const hashes = imagesIn(items, rect);
    if (!urlOf || hashes.length === 0) return null;
    const started = performance.now();
    return fetchImages(hashes, urlOf, needs, (done, total) => {
      if (performance.now() - started < PROGRESS_AFTER_MS) return;
      this.tell(done < total ? `Fetching the board's images for the export: ${done} of ${total}…` : `All ${total} images fetched: exporting.`);
    });
  }

  private rect(scope: ExportScope): Rect | undefined {
    const r = this.renderer;
    return scope === 'view' ? screenRect(r.view, r.width, r.height) : undefined;
  }
}

/** writers loads the export writers, once (offline, from the service worker's cache). */
export function writers(): Promise<typeof import('../later')> {
  return import('../later');
}
