// Painting one stroke, by its tool (PROTOCOL.md "Rendering"):
//
//	pen          its perfect-freehand outline, filled
//	highlighter  a flat polyline with its color's alpha, round caps and joins,
//	             on the under layer (beneath every other stroke)
//	eraser       a polyline of diameter width that clears (destination-out)
//	             what was painted before it, on both layers
//	line, arrow  a line with round caps; the arrow's head filled and outlined
//	rect, ellipse  outlined, and filled too when the stroke is filled
//	text         sans-serif at font size width, top-left at its point, lines
//	             1.25 × size apart
//	image        its decoded bitmap (render/images.ts) stretched to its box,
//	             with its color's alpha; a gray box until it has arrived
//
// The path of a stroke is cached per stroke object and recomputed only when
// the stroke grew or ended. A pen stroke thinner than LOD_PX device pixels
// (a big board seen from afar) is drawn as a plain polyline: its outline
// would cost much and show nothing more; the polyline keeps a point only
// where the last one kept is at least LOD_STEP_PX device pixels away.
//
// A stroke that replaced another of the same name by a Move reuses its
// paths, moved, exactly. (A big selection being resized or turned is drawn
// from one bitmap of it instead: render/lift.)

import { EMPTY_RECT, type Rect } from '../geometry/bounds';
import { strokeOutline } from '../geometry/outline';
import { arrowHead, corners } from '../geometry/shape';
import { keptExtent, knownExtent } from '../geometry/kept_extent';
import { layoutText, textBaseline } from '../geometry/text_layout';
import { ASCENT, DESCENT, UNITS_PER_EM } from '../geometry/text_metrics';
import { TEXT_FONT, wantTextFont } from './text_font';
import { TOOL_ARROW, TOOL_ELLIPSE, TOOL_ERASER, TOOL_HIGHLIGHTER, TOOL_IMAGE, TOOL_LINE, TOOL_PEN, TOOL_RECT, TOOL_TEXT } from '../protocol/types';
import type { Paintable } from '../edit/editor';
import type { Point } from '../protocol/types';
import { center } from '../protocol/rotate';
import { pointCount } from '../protocol/scaled_stroke';
import { cssColor } from './color';
import { darkHighlight } from './dark_highlight';
import type { ImageSource } from './images';

/** Below this width on the screen (device pixels), a finished pen stroke is a polyline. */
export const LOD_PX = 1.5;

let EMPTY_PATH: Path2D | null = null;

/**
 * emptyPath is the one path of an entry not built yet (build gives each its
 * own): most strokes of a big board are only ever asked their bounds or
 * painted from afar, and a Path2D each would be 100,000 native objects to
 * make and collect.
 */
function emptyPath(): Path2D {
  return (EMPTY_PATH ??= new Path2D());
}

interface Cached {
  n: number;
  complete: boolean;
  /** The pen's outline is built when first needed (not for a stroke only ever seen from afar). */
  built: boolean;
  /** The polyline a far-away pen stroke is drawn with. */
  lod: Path2D | null;
  /** The outline (pen), the polyline (highlighter, eraser, line), the shape's outline. */
  path: Path2D;
  /** A one-point polyline is a dot: fill path instead of stroking it. */
  dot: boolean;
  /** The arrow's head. */
  head: Path2D | null;
  bounds: Rect;
  css: string;
  /**
   * The paths are relative to this point (the stroke's first point, whole
   * units), painted translated to it: a moved stroke reuses them exactly,
   * and a fresh paint of it gives the very same pixels.
   */
  ox: number;
  oy: number;
  /** The paths are those of src (the stroke itself, or the one it was moved from), relative to (bx, by). */
  src: Paintable;
  bx: number;
  by: number;
  /** The device scale (a power of two) the far-away polyline was simplified for. */
  lodAt: number;
  /** The far-away polyline in board units (paintAll), and the device scale it was simplified for. */
  far: Path2D | null;
  farAt: number;
}

/** A far-away polyline keeps a point only this far (device pixels) from the last one kept. */
const LOD_STEP_PX = 1;
/**
 * The coarse picture keeps a point only this far (device pixels) from the
 * last one kept: each point kept is a call into the canvas's path, and the
 * exact picture replaces this one within moments.
 */
const COARSE_STEP_PX = 2;

/** outlinePath turns an outline polygon into a smooth closed path (midpoint quadratics). */
export function outlinePath(outline: readonly number[][]): Path2D {
  const path = new Path2D();
  const n = outline.length;
  if (n === 0) return path;
  if (n < 3) {
    path.moveTo(outline[0][0], outline[0][1]);
    for (const p of outline) path.lineTo(p[0], p[1]);
    path.closePath();
    return path;
  }
  const mid = (i: number, j: number, k: 0 | 1): number => (outline[i][k] + outline[j][k]) / 2;
  path.moveTo(mid(0, 1, 0), mid(0, 1, 1));
  for (let i = 1; i <= n; i++) {
    const a = i % n;
    const b = (i + 1) % n;
    path.quadraticCurveTo(outline[a][0], outline[a][1], mid(a, b, 0), mid(a, b, 1));
  }
  path.closePath();
  return path;
}

/** appendSimplified adds the polyline of pts keeping points at least step apart (first and last always) to path. */
function appendSimplified(path: Path2D, pts: readonly Point[], step: number): void {
  let lx = pts[0].x;
  let ly = pts[0].y;
  path.moveTo(lx, ly);
  const n = pts.length - 1;
  for (let i = 1; i < n; i++) {
    const p = pts[i];
    const x = p.x;
    const y = p.y;
    if (x - lx >= step || lx - x >= step || y - ly >= step || ly - y >= step) {
      path.lineTo(x, y);
      lx = x;
      ly = y;
    }
  }
  path.lineTo(pts[n].x, pts[n].y);
}

/** simplifiedPath is the polyline of s keeping points at least step apart (first and last always). */
function simplifiedPath(s: Paintable, step: number): Path2D {
  const pts = s.points;
  const path = new Path2D();
  if (pts.length === 1) {
    path.moveTo(pts[0].x, pts[0].y);
    path.lineTo(pts[0].x, pts[0].y);
    return path;
  }
  let last = pts[0];
  path.moveTo(last.x, last.y);
  const n = pts.length - 1;
  for (let i = 1; i < n; i++) {
    const p = pts[i];
    if (Math.abs(p.x - last.x) >= step || Math.abs(p.y - last.y) >= step) {
      path.lineTo(p.x, p.y);
      last = p;
    }
  }
  path.lineTo(pts[n].x, pts[n].y);
  return path;
}

function polylinePath(s: Paintable): { path: Path2D; dot: boolean } {
  const path = new Path2D();
  const pts = s.points;
  if (pts.length === 1) {
    path.arc(pts[0].x, pts[0].y, s.width / 2, 0, Math.PI * 2);
    return { path, dot: true };
  }
  path.moveTo(pts[0].x, pts[0].y);
  for (let i = 1; i < pts.length; i++) path.lineTo(pts[i].x, pts[i].y);
  return { path, dot: false };
}

/**
 * fontMetrics returns the text font's ascent and descent, in font sizes
 * (from its table, text_metrics.ts: the same on every page).
 */
export function fontMetrics(): { ascent: number; descent: number } {
  return { ascent: ASCENT / UNITS_PER_EM, descent: DESCENT / UNITS_PER_EM };
}

export { TEXT_FONT };

/** relative returns s with its points relative to (ox, oy) (whole units: exact). */
function relative(s: Paintable, ox: number, oy: number): Paintable {
  if (ox === 0 && oy === 0) return s;
  return { ...s, points: s.points.map((p) => ({ x: p.x - ox, y: p.y - oy, p: p.p })) };
}

/** LayerTargets are the committed layer's two canvases: highlighters go under, the rest on the ink. */
export interface LayerTargets {
  readonly under: CanvasRenderingContext2D;
  readonly ink: CanvasRenderingContext2D;
}

/** Strokes whose paths can be reused by a moved copy are remembered by name, up to this many. */
const MAX_BY_ID = 131072;

export class StrokePainter {
  /** The dark theme: highlighters are painted for the board's filter (render/dark_highlight). */
  dark = false;
  /** Where image strokes find their bitmaps; none: gray boxes. */
  images: ImageSource | null = null;
  private readonly darkCss = new Map<number, string>();
  private readonly cache = new WeakMap<Paintable, Cached>();
  /** The last finished stroke object painted under each name ("author:stroke"), to spot moved copies. */
  private byId = new Map<number, Map<number, Paintable>>();
  private byIdSize = 0;
  /** Each color's CSS string, made once (a big board's strokes share a few). */
  private readonly colors = new Map<number, string>();
  /** previous returns the stroke of the same name painted before s (s was moved or resized from it), if any. */
  previous(s: Paintable): Paintable | undefined {
    const p = this.byId.get(s.author)?.get(s.stroke);
    return p === s ? undefined : p;
  }

  private fresh(s: Paintable, complete: boolean, css?: string): Cached {
    const o = s.points[0] ?? { x: 0, y: 0 };
    return {
      n: s.points.length,
      complete,
      built: false,
      lod: null,
      path: emptyPath(),
      dot: false,
      head: null,
      bounds: this.extent(s),
      css: css ?? this.css(s.color),
      ox: o.x,
      oy: o.y,
      src: s,
      bx: o.x,
      by: o.y,
      lodAt: 0,
      far: null,
      farAt: 0,
    };
  }

  private css(color: number): string {
    let c = this.colors.get(color);
    if (c === undefined) {
      if (this.colors.size >= 4096) this.colors.clear();
      this.colors.set(color, (c = cssColor(color)));
    }
    return c;
  }

  private entry(s: Paintable, complete: boolean): Cached {
    let c = this.cache.get(s);
    if (c && c.n === s.points.length && c.complete === complete) return c;
    c = (complete && this.movedCopy(s)) || this.fresh(s, complete, c?.css);
    this.cache.set(s, c);
    if (complete && s.points.length) {
      if (this.byIdSize >= MAX_BY_ID) {
        this.byId = new Map();
        this.byIdSize = 0;
      }
      let byN = this.byId.get(s.author);
      if (!byN) this.byId.set(s.author, (byN = new Map()));
      if (!byN.has(s.stroke)) this.byIdSize++;
      byN.set(s.stroke, s);
    }
    return c;
  }

  /**
   * movedCopy returns the cache entry of the stroke s was moved from (same
   * name and look, every point shifted by the same delta), shifted; or null.
   */
  private movedCopy(s: Paintable): Cached | null {
    if (s.tool === TOOL_TEXT || s.points.length === 0) return null;
    const prev = this.byId.get(s.author)?.get(s.stroke);
    if (!prev || prev === s) return null;
    const pc = this.cache.get(prev);
    const a = prev.points;
    const b = s.points;
    if (!pc || !pc.complete || pc.n !== a.length || a.length !== b.length) return null;
    if (prev.tool !== s.tool || prev.width !== s.width || prev.color !== s.color || prev.pressure !== s.pressure || prev.filled !== s.filled) return null;
    if ((prev.rot ?? 0) !== (s.rot ?? 0)) return null;
    const dx = b[0].x - a[0].x;
    const dy = b[0].y - a[0].y;
    for (let i = 0; i < b.length; i++) {
      if (b[i].x - a[i].x !== dx || b[i].y - a[i].y !== dy || b[i].p !== a[i].p) return null;
    }
    const r = pc.bounds;
    return { ...pc, bounds: { minX: r.minX + dx, minY: r.minY + dy, maxX: r.maxX + dx, maxY: r.maxY + dy }, ox: pc.ox + dx, oy: pc.oy + dy };
  }

  private built(c: Cached): Cached {
    if (!c.built) {
      c.built = true;
      if (c.src.points.length > 0) this.build(c, relative(c.src, c.bx, c.by), c.complete);
    }
    return c;
  }

  /** build makes the paths of s, whose points are relative to the entry's origin. */
  private build(c: Cached, s: Paintable, complete: boolean): void {
    const [a, b] = [s.points[0], s.points[1] ?? s.points[0]];
    c.path = new Path2D();
    c.head = null;
    switch (s.tool) {
      case TOOL_PEN:
        c.path = outlinePath(strokeOutline(s, complete));
        break;
      case TOOL_HIGHLIGHTER:
      case TOOL_ERASER: {
        const p = polylinePath(s);
        c.path = p.path;
        c.dot = p.dot;
        break;
      }
      case TOOL_LINE:
      case TOOL_ARROW: {
        c.path.moveTo(a.x, a.y);
        c.path.lineTo(b.x, b.y);
        if (s.tool === TOOL_ARROW) {
          const [l, r] = arrowHead(a, b, s.width);
          const head = new Path2D();
          head.moveTo(b.x, b.y);
          head.lineTo(l.x, l.y);
          head.lineTo(r.x, r.y);
          head.closePath();
          c.head = head;
        }
        break;
      }
      case TOOL_RECT: {
        const r = corners(a, b);
        c.path.rect(r.minX, r.minY, r.maxX - r.minX, r.maxY - r.minY);
        break;
      }
      case TOOL_ELLIPSE: {
        const r = corners(a, b);
        c.path.ellipse((r.minX + r.maxX) / 2, (r.minY + r.maxY) / 2, (r.maxX - r.minX) / 2, (r.maxY - r.minY) / 2, 0, 0, Math.PI * 2);
        break;
      }
      default:
        break;
    }
  }

  /** bounds returns what painting s may touch, in board units. */
  bounds(s: Paintable): Rect {
    // Counted without making the points of a stroke our pending resize scaled (protocol/scaled_stroke).
    const n = pointCount(s);
    if (n === 0) return EMPTY_RECT;
    // Kept on the stroke (a big board's arrival asks for every stroke's:
    // the landing, the index), without the paint entry, which is made
    // when the stroke is painted.
    const k = knownExtent(s);
    if (k) return k;
    const c = this.cache.get(s);
    if (c && c.n === n) return c.bounds;
    return c ? this.entry(s, true).bounds : this.extent(s);
  }

  /** extent is strokeExtent(s), worked out once for each length of s. */
  private extent(s: Paintable): Rect {
    return keptExtent(s);
  }

  /**
   * paintAll paints committed strokes, bottom first, into the layers they
   * belong to, whose transforms map board units to device pixels, dev
   * device pixels a unit. A board seen from afar is mostly pen strokes
   * thinner than LOD_PX: each is one stroke() of its simplified polyline
   * in board units, with no save, restore or transform of its own, and the
   * style set only when it changes. It returns how many it painted.
   */
  paintAll(t: LayerTargets, strokes: Iterable<Paintable>, dev: number): number {
    const ctx = t.ink;
    const at = Math.pow(2, Math.round(Math.log2(dev)));
    let css = '';
    let width = -1;
    let n = 0;
    for (const s of strokes) {
      n++;
      if (s.tool !== TOOL_PEN || s.rot || s.width * dev >= LOD_PX || s.points.length === 0) {
        this.paintInto(t, s);
        continue;
      }
      const e = this.entry(s, true);
      if (!e.far || e.farAt !== at) {
        e.far = simplifiedPath(s, LOD_STEP_PX / at);
        e.farAt = at;
      }
      if (width < 0) {
        ctx.lineCap = 'round';
        ctx.lineJoin = 'round';
      }
      if (e.css !== css) ctx.strokeStyle = css = e.css;
      if (s.width * 0.75 !== width) ctx.lineWidth = width = s.width * 0.75;
      ctx.stroke(e.far);
    }
    return n;
  }

  /**
   * paintCoarse paints a first, approximate picture of many strokes (the
   * committed layer then paints the exact one over the next tasks,
   * render/refine.ts): the far pen strokes of each color and width as one
   * path and one stroke() (above the other strokes, not in z-order among
   * each other), the rest as paintAll paints them. It returns how many it
   * painted.
   */
  paintCoarse(t: LayerTargets, strokes: readonly Paintable[], dev: number): number {
    const step = COARSE_STEP_PX / Math.pow(2, Math.round(Math.log2(dev)));
    const groups = new Map<number, Map<number, Path2D>>();
    const rest: Paintable[] = [];
    for (const s of strokes) {
      if (s.tool !== TOOL_PEN || s.rot || s.width * dev >= LOD_PX || s.points.length === 0) {
        rest.push(s);
        continue;
      }
      let byWidth = groups.get(s.color);
      if (!byWidth) groups.set(s.color, (byWidth = new Map()));
      let path = byWidth.get(s.width);
      if (!path) byWidth.set(s.width, (path = new Path2D()));
      appendSimplified(path, s.points, step);
    }
    this.paintAll(t, rest, dev);
    const ctx = t.ink;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    for (const [color, byWidth] of groups) {
      ctx.strokeStyle = this.css(color);
      for (const [width, path] of byWidth) {
        ctx.lineWidth = width * 0.75;
        ctx.stroke(path);
      }
    }
    return strokes.length;
  }

  /** paintInto paints a committed stroke into the layer it belongs to. */
  paintInto(t: LayerTargets, s: Paintable): void {
    if (s.tool === TOOL_HIGHLIGHTER) this.paint(t.under, s, true);
    else if (s.tool === TOOL_ERASER) {
      this.paint(t.under, s, true);
      this.paint(t.ink, s, true);
    } else this.paint(t.ink, s, true);
  }

  /** paint draws s into ctx, whose transform maps board units to device pixels; a turned stroke turned about its center. */
  paint(ctx: CanvasRenderingContext2D, s: Paintable, complete: boolean): void {
    if (s.points.length === 0) return;
    if (!s.rot) {
      this.paintUnturned(ctx, s, complete);
      return;
    }
    const [cx, cy] = center(s.points);
    ctx.save();
    ctx.translate(cx, cy);
    ctx.rotate((s.rot * Math.PI) / 18000);
    ctx.translate(-cx, -cy);
    this.paintUnturned(ctx, s, complete);
    ctx.restore();
  }

  private paintUnturned(ctx: CanvasRenderingContext2D, s: Paintable, complete: boolean): void {
    if (s.tool === TOOL_IMAGE) {
      this.paintImage(ctx, s);
      return;
    }
    const e = this.entry(s, complete);
    if (s.tool === TOOL_TEXT) {
      const p = s.points[0];
      ctx.fillStyle = e.css;
      wantTextFont();
      ctx.font = `${s.width}px ${TEXT_FONT}`;
      ctx.fontKerning = 'none'; // the layout's advances have no kerning
      ctx.textBaseline = 'alphabetic';
      ctx.textAlign = 'left';
      const lines = layoutText(s.text, s.width, s.wrap ?? 0);
      for (let i = 0; i < lines.length; i++) ctx.fillText(lines[i].text, p.x, p.y + textBaseline(s.width, i));
      return;
    }
    ctx.save();
    ctx.translate(e.ox, e.oy);
    const dev = Math.abs(ctx.getTransform().a);
    if (s.tool === TOOL_PEN && complete && s.width * dev < LOD_PX) {
      // Simplified for the scale it is seen at, to the nearest power of two.
      const at = Math.pow(2, Math.round(Math.log2(dev)));
      if (!e.lod || e.lodAt !== at) {
        e.lod = simplifiedPath(relative(e.src, e.bx, e.by), LOD_STEP_PX / at);
        e.lodAt = at;
      }
      ctx.lineWidth = s.width * 0.75;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.strokeStyle = e.css;
      ctx.stroke(e.lod);
      ctx.restore();
      return;
    }
    const c = this.built(e);
    switch (s.tool) {
      case TOOL_PEN:
        ctx.fillStyle = c.css;
        ctx.fill(c.path, 'nonzero');
        break;
      case TOOL_ERASER:
        ctx.globalCompositeOperation = 'destination-out';
        this.line(ctx, c, s.width, '#000');
        break;
      case TOOL_HIGHLIGHTER:
        this.line(ctx, c, s.width, this.dark ? this.highlightCss(s.color) : c.css);
        break;
      case TOOL_LINE:
        this.line(ctx, c, s.width, c.css);
        break;
      case TOOL_ARROW:
        this.line(ctx, c, s.width, c.css);
        if (c.head) {
          ctx.fillStyle = c.css;
          ctx.fill(c.head);
          ctx.stroke(c.head);
        }
        break;
      case TOOL_RECT:
      case TOOL_ELLIPSE:
        if (s.filled) {
          ctx.fillStyle = c.css;
          ctx.fill(c.path);
        }
        this.line(ctx, c, s.width, c.css);
        break;
      default:
        break;
    }
    ctx.restore();
  }

  private paintImage(ctx: CanvasRenderingContext2D, s: Paintable): void {
    const r = corners(s.points[0], s.points[1] ?? s.points[0]);
    const img = this.images?.get(s.text) ?? null;
    ctx.save();
    ctx.globalAlpha = (s.color & 0xff) / 255;
    if (img) ctx.drawImage(img, r.minX, r.minY, r.maxX - r.minX, r.maxY - r.minY);
    else {
      ctx.fillStyle = '#d0d0d0';
      ctx.fillRect(r.minX, r.minY, r.maxX - r.minX, r.maxY - r.minY);
    }
    ctx.restore();
  }

  /** cssOf is the CSS color a stroke of this tool and color is painted in (a highlighter's differs in the dark theme). */
  cssOf(tool: number, color: number): string {
    return tool === TOOL_HIGHLIGHTER && this.dark ? this.highlightCss(color) : this.css(color);
  }

  private highlightCss(color: number): string {
    let css = this.darkCss.get(color);
    if (css === undefined) {
      css = cssColor(darkHighlight(color));
      if (this.darkCss.size > 256) this.darkCss.clear();
      this.darkCss.set(color, css);
    }
    return css;
  }

  private line(ctx: CanvasRenderingContext2D, c: Cached, width: number, css: string): void {
    if (c.dot) {
      ctx.fillStyle = css;
      ctx.fill(c.path);
      return;
    }
    ctx.lineWidth = width;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = css;
    ctx.stroke(c.path);
  }
}
