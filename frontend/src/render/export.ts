// Export: the board (or what is on the screen) as a PNG, painted the way the
// screen paints it (highlighters under the ink, erasers clearing what is
// under them) on white, and as an SVG (render/svg).

import type { ShownItem } from '../edit/editor';
import type { Rect } from '../geometry/bounds';
import { boardSVG, exportArea, type ImageHref, type SvgStroke } from './svg';
import type { StrokePainter } from './paint';
import type { ImageSource } from './images';

/** Largest PNG side, and pixels, an export makes (the scale is lowered to fit). */
const MAX_SIDE = 8192;
const MAX_PIXELS = 40e6;

/** svgStrokes turns shown items into what the SVG writer takes. */
export function svgStrokes(items: readonly ShownItem[]): SvgStroke[] {
  return items.map((it) => ({ ...it.stroke, dx: it.dx, dy: it.dy }));
}

/** exportSVG returns the SVG document of items over area (default: the drawing and a margin). */
export function exportSVG(items: readonly ShownItem[], area?: Rect, imageHref?: ImageHref): string {
  return boardSVG(svgStrokes(items), area, imageHref);
}

/**
 * exportPNG paints items over area (default: the drawing and a margin) at
 * scale device pixels per board unit, on white, and returns a PNG data URL.
 * images (render/image_fetch) draws the images, instead of what the
 * painter's cache holds.
 */
export function exportPNG(painter: StrokePainter, items: readonly ShownItem[], scale: number, area?: Rect, images?: ImageSource | null): string {
  const r = exportArea(svgStrokes(items), area);
  const bw = r.maxX - r.minX;
  const bh = r.maxY - r.minY;
  let k = scale;
  if (bw * k > MAX_SIDE) k = MAX_SIDE / bw;
  if (bh * k > MAX_SIDE) k = MAX_SIDE / bh;
  if (bw * bh * k * k > MAX_PIXELS) k = Math.sqrt(MAX_PIXELS / (bw * bh));
  const w = Math.max(1, Math.round(bw * k));
  const h = Math.max(1, Math.round(bh * k));
  const mk = (): [HTMLCanvasElement, CanvasRenderingContext2D] => {
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const ctx = c.getContext('2d');
    if (!ctx) throw new Error('sketchpad: no 2d canvas context');
    return [c, ctx];
  };
  const [under, u] = mk();
  const [ink, i] = mk();
  const [out, o] = mk();
  // An export is on white whatever the theme: highlighters in their own colors.
  const dark = painter.dark;
  const cached = painter.images;
  painter.dark = false;
  if (images) painter.images = images;
  try {
    for (const it of items) {
      for (const ctx of [u, i]) ctx.setTransform(k, 0, 0, k, (it.dx - r.minX) * k, (it.dy - r.minY) * k);
      painter.paintInto({ under: u, ink: i }, it.stroke);
    }
  } finally {
    painter.dark = dark;
    painter.images = cached;
  }
  o.fillStyle = '#ffffff';
  o.fillRect(0, 0, w, h);
  o.drawImage(under, 0, 0);
  o.drawImage(ink, 0, 0);
  return out.toDataURL('image/png');
}

/** download saves a URL (a data or blob URL) as a file. */
export function download(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}
