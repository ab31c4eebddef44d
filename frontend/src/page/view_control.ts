// The view: where the board is seen from, and what shows or moves it (the
// zoom buttons, the minimap, landing on the drawing, the view remembered per
// board). setView is the one way the view changes.

import type { Editor } from '../edit/editor';
import { union, EMPTY_RECT, type Rect } from '../geometry/bounds';
import { strokeInRect } from '../geometry/hit';
import { appendedTo } from '../edit/committed_cache';
import type { Stroke } from '../protocol/board';
import { skeleton } from '../geometry/shape';
import { ZOOM_STEP, centerOn, setZoom, zoomAt, zoomOf, type View } from '../geometry/view';
import { TOOL_ERASER, TOOL_TEXT } from '../protocol/types';
import type { Renderer } from '../render/renderer';
import { Landing } from '../ui/landing';
import { Minimap } from '../ui/minimap';
import { ViewStore, loadView } from '../ui/view_store';
import { ZoomControls } from '../ui/zoom_controls';

/** ViewDeps is what the view control works with. */
export interface ViewDeps {
  readonly renderer: Renderer;
  readonly editor: Editor;
  /** What sits over the canvas in screen coordinates (remote cursors, the text field): placed again for a new view. */
  readonly overlays: ReadonlyArray<{ relayout(v: View): void }>;
  /** The person moved the view (a pan, a zoom): following someone stops. */
  readonly movedByUser: () => void;
  readonly schedule: () => void;
}

export class ViewControl {
  readonly landing: Landing;
  readonly zoom: ZoomControls;
  readonly minimap: Minimap;
  /** The first view: an embed's view=, else the one remembered for this board; null: none (a first visit). */
  readonly stored: View | null;
  private readonly store: ViewStore;
  /** The bounds of the committed strokes (erasers aside), and the list they are of: kept as strokes are added on top. */
  private committedBox: { list: readonly Stroke[]; box: Rect } = { list: [], box: EMPTY_RECT };

  constructor(
    segment: string,
    embedView: View | null,
    private readonly d: ViewDeps,
  ) {
    const { renderer, editor } = d;
    this.store = new ViewStore(segment);
    this.stored = embedView ?? loadView(segment);
    this.landing = new Landing(
      {
        view: () => renderer.view,
        size: () => ({ w: renderer.width, h: renderer.height }),
        setView: (v, byUser) => this.setView(v, byUser),
        content: () => this.contentBounds(),
        inkIn: (r) => this.inkIn(r),
        panels: () => [...document.querySelectorAll('#ui .top, #ui .side, #ui .corner, #ui .status-bar')],
        busy: () => editor.busy,
      },
      this.stored !== null,
    );
    this.zoom = new ZoomControls({
      zoomIn: () => this.zoomBy(ZOOM_STEP),
      zoomOut: () => this.zoomBy(1 / ZOOM_STEP),
      reset: () => this.zoomReset(),
      fit: () => this.zoomToFit(),
    });
    this.minimap = new Minimap(
      {
        strokes: () => editor.committed(),
        ink: (s) => s.tool !== TOOL_ERASER,
        busy: () => editor.busy,
        bounds: (s) => renderer.painter.bounds(s),
        skeleton: (s) => skeleton(s),
        lineWidth: (s) => (s.tool === TOOL_TEXT ? 0 : s.width),
      },
      (x, y) => this.centerOn(x, y, true),
    );
  }

  /** setView shows the board through v; byUser (a pan, a zoom) stops following. */
  setView(v: View, byUser: boolean): void {
    const set = this.d.renderer.setView(v);
    for (const o of this.d.overlays) o.relayout(set);
    this.zoom.setZoom(zoomOf(set));
    if (byUser) this.landing.moved();
    // Remembered once landed: a first visit's starting view is not the person's.
    if (this.landing.done) this.store.save(set);
    this.landing.changed();
    if (byUser) this.d.movedByUser();
    this.d.schedule();
  }

  /** centerOn puts board point (x, y) in the middle of the screen. */
  centerOn(x: number, y: number, byUser: boolean): void {
    const r = this.d.renderer;
    this.setView(centerOn(r.view, x, y, r.width, r.height), byUser);
  }

  /** zoomBy zooms by factor about the middle of the screen. */
  zoomBy(factor: number): void {
    const r = this.d.renderer;
    this.setView(zoomAt(r.view, r.width / 2, r.height / 2, factor), true);
  }

  /** zoomReset zooms to 100 % about the middle of the screen. */
  zoomReset(): void {
    const r = this.d.renderer;
    this.setView(setZoom(r.view, r.width / 2, r.height / 2, 1), true);
  }

  /** zoomToFit shows the whole drawing in the area the panels leave free. */
  zoomToFit(): void {
    this.landing.fit(2);
  }

  /** drawingChanged: what is shown changed (ours or others'). */
  drawingChanged(): void {
    this.landing.changed();
  }

  /** boardChanged: the committed board changed (ops applied, a snapshot). */
  boardChanged(): void {
    this.minimap.boardChanged();
  }

  /** frame brings the minimap up to date with the view (once per animation frame). */
  frame(): void {
    const r = this.d.renderer;
    this.minimap.update(r.view, r.width, r.height);
  }

  /**
   * contentBounds is the bounds of what is drawn: the committed strokes'
   * (kept up to date as strokes are added on top, walked again only when
   * the list changed otherwise) and those drawn on top of them.
   */
  private contentBounds(): Rect {
    const { editor } = this.d;
    const list = editor.committed();
    if (list !== this.committedBox.list) {
      const added = appendedTo(list, this.committedBox.list);
      let box = added ? this.committedBox.box : EMPTY_RECT;
      // The painter's bounds: the same extent, cached where the layer reads it (a big board's are worked out once).
      const bounds = (s: Stroke): Rect => this.d.renderer.painter.bounds(s);
      // Four numbers, not a new box per stroke (a big board's landing walks 100,000).
      let { minX, minY, maxX, maxY } = box;
      for (const s of added ?? list) {
        if (s.tool === TOOL_ERASER) continue;
        const b = bounds(s);
        if (b.minX < minX) minX = b.minX;
        if (b.minY < minY) minY = b.minY;
        if (b.maxX > maxX) maxX = b.maxX;
        if (b.maxY > maxY) maxY = b.maxY;
      }
      box = minX === box.minX && minY === box.minY && maxX === box.maxX && maxY === box.maxY ? box : { minX, minY, maxX, maxY };
      this.committedBox = { list, box };
    }
    let r = this.committedBox.box;
    for (const it of editor.overlay()) {
      if (it.stroke.tool === TOOL_ERASER) continue;
      const e = editor.extentOf(it.stroke);
      r = union(r, { minX: e.minX + it.dx, minY: e.minY + it.dy, maxX: e.maxX + it.dx, maxY: e.maxY + it.dy });
    }
    return r;
  }

  /** inkIn reports whether any ink touches board rectangle r: the strokes drawn on top, then the committed ones through the layer's index. */
  private inkIn(r: Rect): boolean {
    const { editor, renderer } = this.d;
    const touches = (s: Stroke, dx: number, dy: number): boolean => strokeInRect(s, r, editor.extentOf(s), dx, dy);
    if (editor.overlay().some((it) => touches(it.stroke, it.dx, it.dy))) return true;
    return renderer.someIn(editor.committed(), r, (s) => touches(s, 0, 0));
  }
}
