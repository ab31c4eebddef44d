// Export as the share menu and the embed API ask for it: a PNG (a data URL)
// or an SVG (text) of the whole board or of what the screen shows, and
// their download under the board's name and the date (ui/export_name).

import type { Editor } from '../edit/editor';
import type { Rect } from '../geometry/bounds';
import { screenRect } from '../geometry/view';
import { download, exportPNG, exportSVG } from '../render/export';
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
  png(scope: ExportScope, size = defaultPNGScale(window.devicePixelRatio)): string {
    const r = this.renderer;
    const scale = (scope === 'view' ? r.view.scale : 0.25) * size;
    return exportPNG(r.painter, this.editor.shown(), scale, this.rect(scope));
  }

  svg(scope: ExportScope): string {
    const images = this.renderer.painter.images;
    return exportSVG(this.editor.shown(), this.rect(scope), images ? (hash) => images.dataURL(hash) : undefined);
  }

  downloadPNG(scope: ExportScope, size: number): void {
    download(this.png(scope, size), exportFileName(this.board, this.now(), 'png', size));
  }

  downloadSVG(scope: ExportScope): void {
    const url = URL.createObjectURL(new Blob([this.svg(scope)], { type: 'image/svg+xml' }));
    download(url, exportFileName(this.board, this.now(), 'svg'));
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  private rect(scope: ExportScope): Rect | undefined {
    const r = this.renderer;
    return scope === 'view' ? screenRect(r.view, r.width, r.height) : undefined;
  }
}
