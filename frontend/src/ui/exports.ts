// Export as the share menu and the embed API ask for it: a PNG (a data URL)
// or an SVG (text) of the whole board or of what the screen shows, and
// their download under the board's name.

import type { Editor } from '../edit/editor';
import type { Rect } from '../geometry/bounds';
import { screenRect } from '../geometry/view';
import { download, exportPNG, exportSVG } from '../render/export';
import type { Renderer } from '../render/renderer';
import type { ExportScope } from './share_menu';

export class Exports {
  constructor(
    private readonly renderer: Renderer,
    private readonly editor: Editor,
    /** The file name without its extension. */
    private readonly fileName: string,
  ) {}

  png(scope: ExportScope): string {
    const r = this.renderer;
    const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
    const scale = scope === 'view' ? r.view.scale * dpr : 0.25 * dpr;
    return exportPNG(r.painter, this.editor.shown(), scale, this.rect(scope));
  }

  svg(scope: ExportScope): string {
    return exportSVG(this.editor.shown(), this.rect(scope));
  }

  downloadPNG(scope: ExportScope): void {
    download(this.png(scope), `${this.fileName}.png`);
  }

  downloadSVG(scope: ExportScope): void {
    const url = URL.createObjectURL(new Blob([this.svg(scope)], { type: 'image/svg+xml' }));
    download(url, `${this.fileName}.svg`);
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  private rect(scope: ExportScope): Rect | undefined {
    const r = this.renderer;
    return scope === 'view' ? screenRect(r.view, r.width, r.height) : undefined;
  }
}
