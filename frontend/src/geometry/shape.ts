// The geometry of every kind of stroke, following PROTOCOL.md "Rendering":
// what a stroke may cover (its extent), its skeleton (the polylines a small
// picture or a hit test follows), the arrow's head, the ellipse's polygon,
// a text's box. Pure; inputs never changed.

// The tool bytes are the protocol's (protocol/types): there is one set.
import { boxOf, isPending, pointCount } from '../protocol/scaled_stroke';
import { TOOL_ARROW, TOOL_ELLIPSE, TOOL_IMAGE, TOOL_LINE, TOOL_RECT, TOOL_TEXT } from '../protocol/types';
import { TEXT_LINE_HEIGHT, textSize } from './text_layout';
import { EMPTY_RECT, pointsBounds, type Rect } from './bounds';
import { turnLines, turnRect } from './turn';

export interface XY {
  readonly x: number;
  readonly y: number;
}

/** StrokeGeom is what the geometry of a stroke depends on. */
export interface StrokeGeom {
  readonly tool: number;
  /** Width, or a text's font size. */
  readonly width: number;
  readonly filled: boolean;
  readonly points: readonly XY[];
  readonly text: string;
  /** Its rotation (1/100 degree) about its center (geometry/turn); absent or 0: none. */
  readonly rot?: number;
  /** A text's wrap width (absent or 0: none). */
  readonly wrap?: number;
}

/** arrowHeadLength is the length of an arrow's head: max(3 × width, 40). */
export function arrowHeadLength(width: number): number {
  return Math.max(3 * width, 40);
}

/**
 * arrowHead returns the two back corners of the head of an arrow from p to
 * q (the tip), 30° either side of the line, rounded to whole units as the
 * server's SVG does. A zero-length arrow points along +x.
 */
export function arrowHead(p: XY, q: XY, width: number): [XY, XY] {
  const len = arrowHeadLength(width);
  const ang = p.x === q.x && p.y === q.y ? 0 : Math.atan2(q.y - p.y, q.x - p.x);
  const corner = (a: number): XY => ({ x: Math.round(q.x + len * Math.cos(a)), y: Math.round(q.y + len * Math.sin(a)) });
  return [corner(ang + Math.PI - Math.PI / 6), corner(ang + Math.PI + Math.PI / 6)];
}

/** corners returns the rectangle spanned by two points. */
export function corners(a: XY, b: XY): Rect {
  return { minX: Math.min(a.x, b.x), minY: Math.min(a.y, b.y), maxX: Math.max(a.x, b.x), maxY: Math.max(a.y, b.y) };
}

/** ellipsePoints returns n points around the ellipse inscribed in the rectangle with corners a and b. */
export function ellipsePoints(a: XY, b: XY, n = 64): XY[] {
  const r = corners(a, b);
  const cx = (r.minX + r.maxX) / 2;
  const cy = (r.minY + r.maxY) / 2;
  const rx = (r.maxX - r.minX) / 2;
  const ry = (r.maxY - r.minY) / 2;
  const out: XY[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = (i / n) * Math.PI * 2;
    out[i] = { x: cx + rx * Math.cos(t), y: cy + ry * Math.sin(t) };
  }
  return out;
}

/** textLines splits a text into its lines. */
export function textLines(text: string): string[] {
  return text.split('\n');
}

export { TEXT_LINE_HEIGHT };

/**
 * textBox returns the box of a text at (x, y) (its top-left) in font size
 * `size`, wrapped to `wrap`: its lines measured in the text font, exactly
 * as the server measures them (text_layout.ts).
 */
export function textBox(at: XY, size: number, text: string, wrap = 0): Rect {
  const { w, h } = textSize(text, size, wrap);
  return { minX: at.x, minY: at.y, maxX: at.x + w, maxY: at.y + h };
}

/**
 * strokeExtent returns everything painting s may touch, in board units:
 * freehand strokes their points grown by the width (perfect-freehand never
 * draws wider than the width; the extra half is room for smoothing and
 * antialiasing), shapes their corners grown by the width (and the arrow's
 * head), a text its box.
 */
export function strokeExtent(s: StrokeGeom): Rect {
  return s.rot ? turnRect(s, unturnedExtent(s)) : unturnedExtent(s);
}

function unturnedExtent(s: StrokeGeom): Rect {
  if (s.tool !== TOOL_TEXT && isPending(s)) return pendingExtent(s);
  const pts = s.points;
  if (pts.length === 0) return EMPTY_RECT;
  if (s.tool === TOOL_TEXT) {
    const b = textBox(pts[0], s.width, s.text, s.wrap);
    const pad = s.width * 0.25; // glyphs that reach past their advance
    return { minX: b.minX - pad, minY: b.minY - pad, maxX: b.maxX + pad, maxY: b.maxY + pad };
  }
  if (s.tool === TOOL_ARROW && pts.length >= 2) return pointsBounds(pts, s.width + arrowHeadLength(s.width));
  if (s.tool === TOOL_IMAGE) return pointsBounds(pts, 1);
  return pointsBounds(pts, s.width);
}

/**
 * pendingExtent is unturnedExtent of a stroke a pending resize scaled,
 * from the box of its points (the same numbers) without making them: a
 * big selection's drag asks for every stroke's extent at every step.
 */
function pendingExtent(s: StrokeGeom): Rect {
  const b = boxOf(s);
  if (b.minX > b.maxX) return EMPTY_RECT;
  const pad = s.tool === TOOL_ARROW && pointCount(s) >= 2 ? s.width + arrowHeadLength(s.width) : s.tool === TOOL_IMAGE ? 1 : s.width;
  return { minX: b.minX - pad, minY: b.minY - pad, maxX: b.maxX + pad, maxY: b.maxY + pad };
}

/**
 * selectionExtent returns the box a selection frames s by: a text's
 * measured box (textBox: what every page and the server's SVG lay out),
 * turned as the text is turned; anything else its extent. A text's extent
 * is wider, by room for glyphs that reach past their advance (painting must
 * not clip them), and a frame that wide stands well off the words.
 */
export function selectionExtent(s: StrokeGeom): Rect {
  if (s.tool !== TOOL_TEXT || s.points.length === 0) return strokeExtent(s);
  const b = textBox(s.points[0], s.width, s.text, s.wrap);
  return s.rot ? turnRect(s, b) : b;
}

/**
 * skeleton returns the polylines that trace s, in board units: a freehand
 * stroke's path, a line, an arrow's line and head, a rectangle's or an
 * ellipse's outline (closed: the first point repeated), a text's box.
 */
export function skeleton(s: StrokeGeom): XY[][] {
  return s.rot ? turnLines(s, unturnedSkeleton(s)) : unturnedSkeleton(s);
}

function unturnedSkeleton(s: StrokeGeom): XY[][] {
  const pts = s.points;
  if (pts.length === 0) return [];
  switch (s.tool) {
    case TOOL_LINE:
      return [[pts[0], pts[1] ?? pts[0]]];
    case TOOL_ARROW: {
      const q = pts[1] ?? pts[0];
      const [l, r] = arrowHead(pts[0], q, s.width);
      return [[pts[0], q], [l, q, r, l]];
    }
    case TOOL_RECT:
    case TOOL_IMAGE: {
      const r = corners(pts[0], pts[1] ?? pts[0]);
      const c = [
        { x: r.minX, y: r.minY },
        { x: r.maxX, y: r.minY },
        { x: r.maxX, y: r.maxY },
        { x: r.minX, y: r.maxY },
      ];
      return [[...c, c[0]]];
    }
    case TOOL_ELLIPSE: {
      const e = ellipsePoints(pts[0], pts[1] ?? pts[0]);
      return [[...e, e[0]]];
    }
    case TOOL_TEXT: {
      const b = textBox(pts[0], s.width, s.text, s.wrap);
      const c = [
        { x: b.minX, y: b.minY },
        { x: b.maxX, y: b.minY },
        { x: b.maxX, y: b.maxY },
        { x: b.minX, y: b.maxY },
      ];
      return [[...c, c[0]]];
    }
    default:
      return [pts.slice()];
  }
}

/** solid reports whether the inside of s counts as s (filled shapes, texts, arrow heads). */
export function solidAreas(s: StrokeGeom): XY[][] {
  const sk = skeleton(s);
  if (s.tool === TOOL_TEXT || s.tool === TOOL_IMAGE) return sk;
  if (s.tool === TOOL_ARROW) return [sk[1]];
  if ((s.tool === TOOL_RECT || s.tool === TOOL_ELLIPSE) && s.filled) return sk;
  return [];
}

/** pointInPolygon reports whether p is inside the closed polygon poly (even-odd). */
export function pointInPolygon(p: XY, poly: readonly XY[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i];
    const b = poly[j];
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/**
 * constrainShape returns the end point of a shape dragged from a to b with
 * Shift held: lines and arrows snap to multiples of 45°, rectangles and
 * ellipses become squares and circles.
 */
export function constrainShape(tool: number, a: XY, b: XY): XY {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  if (tool === TOOL_RECT || tool === TOOL_ELLIPSE) {
    const d = Math.max(Math.abs(dx), Math.abs(dy));
    return { x: a.x + (dx < 0 ? -d : d), y: a.y + (dy < 0 ? -d : d) };
  }
  const len = Math.hypot(dx, dy);
  const step = Math.PI / 4;
  const ang = Math.round(Math.atan2(dy, dx) / step) * step;
  return { x: Math.round(a.x + len * Math.cos(ang)), y: Math.round(a.y + len * Math.sin(ang)) };
}
