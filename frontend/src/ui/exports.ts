// Export as the share menu and the embed API ask for it: a PNG (a data URL)
// or an SVG (text) of the whole board or of what the screen shows, and
// their download under the board's name and the date (ui/export_name).
// The writers (render/export, render/svg) are loaded on the first export
// (later.ts): what is exported is taken when it is asked for.

import type { Editor } from '../edit/editor';
import type { Rect } from '../geometry/bounds';
import { screenRect } from '../geometry/view';
import type { Renderer } from '../render/renderer';
import { defaultPNGScale, exportFileName } from './export_name';
import type { ExportScope } from './share_menu';

export class Exports {
  constructor(
    private readonly renderer: Renderer,
    private readonly editor: Editor,
    /** The board's name, for file names. */
    private readonly board: string,
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
    return writers().then((w) => w.exportPNG(r.painter, items, scale, rect));
  }

  svg(scope: ExportScope): Promise<string> {
    const images = this.renderer.painter.images;
    const items = this.editor.shown();
    const rect = this.rect(scope);
    return writers().then((w) => w.exportSVG(items, rect, images ? (hash) => images.dataURL(hash) : undefined));
  }

  async downloadPNG(scope: ExportScope, size: number): Promise<void> {
    const url = await this.png(scope, size);
    (await writers()).download(url, exportFileName(this.board, this.now(), 'png', size));
  }

  async downloadSVG(scope: ExportScope): Promise<void> {
    const url = URL.createObjectURL(new Blob([await this.svg(scope)], { type: 'image/svg+xml' }));
    (await writers()).download(url, exportFileName(this.board, this.now(), 'svg'));
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
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
