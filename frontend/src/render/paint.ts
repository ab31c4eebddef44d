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
//
// The path of a stroke is cached per stroke object and recomputed only when
// the stroke grew or ended. A pen stroke thinner than LOD_PX device pixels
// (a big board seen from afar) is drawn as a plain polyline: its outline
// would cost much and show nothing more.

import { EMPTY_RECT, type Rect } from '../geometry/bounds';
import { strokeOutline } from '../geometry/outline';
import { arrowHead, corners, strokeExtent } from '../geometry/shape';
import { layoutText, textBaseline } from '../geometry/text_layout';
import { ASCENT, DESCENT, FONT_FAMILY, UNITS_PER_EM } from '../geometry/text_metrics';
import { TOOL_ARROW, TOOL_ELLIPSE, TOOL_ERASER, TOOL_HIGHLIGHTER, TOOL_LINE, TOOL_PEN, TOOL_RECT, TOOL_TEXT } from '../protocol/types';
import type { Paintable } from '../edit/editor';
import { cssColor } from './color';
import { darkHighlight } from './dark_highlight';

/** Below this width on the screen (device pixels), a finished pen stroke is a polyline. */
export const LOD_PX = 1.5;

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
}

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

/** TEXT_FONT is the CSS font family texts are drawn in (app.css loads it with @font-face). */
export const TEXT_FONT = `'${FONT_FAMILY}', sans-serif`;

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
const MAX_BY_ID = 8192;

export class StrokePainter {
  /** The dark theme: highlighters are painted for the board's filter (render/dark_highlight). */
  dark = false;
  private readonly darkCss = new Map<number, string>();
  private readonly cache = new WeakMap<Paintable, Cached>();
  /** The last finished stroke object painted under each name ("author:stroke"), to spot moved copies. */
  private byId = new Map<string, Paintable>();

  private entry(s: Paintable, complete: boolean): Cached {
    let c = this.cache.get(s);
    if (c && c.n === s.points.length && c.complete === complete) return c;
    const o = s.points[0] ?? { x: 0, y: 0 };
    c = (complete && this.movedCopy(s)) || {
      n: s.points.length,
      complete,
      built: false,
      lod: null,
      path: new Path2D(),
      dot: false,
      head: null,
      bounds: strokeExtent(s),
      css: c?.css ?? cssColor(s.color),
      ox: o.x,
      oy: o.y,
    };
    this.cache.set(s, c);
    if (complete && s.points.length) {
      if (this.byId.size >= MAX_BY_ID) this.byId = new Map();
      this.byId.set(s.author + ':' + s.stroke, s);
    }
    return c;
  }

  /**
   * movedCopy returns the cache entry of the stroke s was moved from (same
   * name and look, every point shifted by the same delta), shifted; or null.
   */
  private movedCopy(s: Paintable): Cached | null {
    if (s.tool === TOOL_TEXT || s.points.length === 0) return null;
    const prev = this.byId.get(s.author + ':' + s.stroke);
    if (!prev || prev === s) return null;
    const pc = this.cache.get(prev);
    const a = prev.points;
    const b = s.points;
    if (!pc || !pc.complete || pc.n !== a.length || a.length !== b.length) return null;
    if (prev.tool !== s.tool || prev.width !== s.width || prev.color !== s.color || prev.pressure !== s.pressure || prev.filled !== s.filled) return null;
    const dx = b[0].x - a[0].x;
    const dy = b[0].y - a[0].y;
    for (let i = 0; i < b.length; i++) {
      if (b[i].x - a[i].x !== dx || b[i].y - a[i].y !== dy || b[i].p !== a[i].p) return null;
    }
    const r = pc.bounds;
    return { ...pc, bounds: { minX: r.minX + dx, minY: r.minY + dy, maxX: r.maxX + dx, maxY: r.maxY + dy }, ox: pc.ox + dx, oy: pc.oy + dy };
  }

  private built(c: Cached, s: Paintable): Cached {
    if (!c.built) {
      c.built = true;
      if (s.points.length > 0) this.build(c, relative(s, c.ox, c.oy), c.complete);
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
    if (s.points.length === 0) return EMPTY_RECT;
    const c = this.cache.get(s);
    if (c && c.n === s.points.length) return c.bounds;
    return this.entry(s, true).bounds;
  }

  /** paintInto paints a committed stroke into the layer it belongs to. */
  paintInto(t: LayerTargets, s: Paintable): void {
    if (s.tool === TOOL_HIGHLIGHTER) this.paint(t.under, s, true);
    else if (s.tool === TOOL_ERASER) {
      this.paint(t.under, s, true);
      this.paint(t.ink, s, true);
    } else this.paint(t.ink, s, true);
  }

  /** paint draws s into ctx, whose transform maps board units to device pixels. */
  paint(ctx: CanvasRenderingContext2D, s: Paintable, complete: boolean): void {
    if (s.points.length === 0) return;
    const e = this.entry(s, complete);
    if (s.tool === TOOL_TEXT) {
      const p = s.points[0];
      ctx.fillStyle = e.css;
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
    if (s.tool === TOOL_PEN && complete && s.width * Math.abs(ctx.getTransform().a) < LOD_PX) {
      if (!e.lod) e.lod = polylinePath(relative(s, e.ox, e.oy)).path;
      ctx.lineWidth = s.width * 0.75;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.strokeStyle = e.css;
      ctx.stroke(e.lod);
      ctx.restore();
      return;
    }
    const c = this.built(e, s);
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
