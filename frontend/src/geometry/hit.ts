// Hit testing for the stroke eraser and the select tool: a stroke is hit
// when the distance from the eraser to any segment of the stroke is at most
// the stroke's half width plus the eraser's radius. The eraser is a segment
// too (from the previous pointer sample to this one), so a fast drag skips
// nothing; a single sample is a segment of length zero. Shapes are hit on
// their outline (and inside when filled), texts anywhere in their box;
// partial-eraser strokes are never hit (they are not things one selects).
// A marquee selects what it touches.

import { TOOL_ERASER, TOOL_HIGHLIGHTER, TOOL_PEN, TOOL_TEXT, type Point } from '../protocol/types';
import { intersects, strokeBounds, type Rect } from './bounds';
import { pointInPolygon, skeleton, solidAreas, strokeExtent, type StrokeGeom } from './shape';
import { unturn } from './turn';

export interface XY {
  readonly x: number;
  readonly y: number;
}

/** pointSegmentDistSq is the squared distance from p to segment ab. */
export function pointSegmentDistSq(p: XY, a: XY, b: XY): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = dx * dx + dy * dy;
  let t = len === 0 ? 0 : ((p.x - a.x) * dx + (p.y - a.y) * dy) / len;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = a.x + t * dx - p.x;
  const ey = a.y + t * dy - p.y;
  return ex * ex + ey * ey;
}

function cross(o: XY, a: XY, b: XY): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/** segmentsIntersect reports whether segments ab and cd cross or touch. */
export function segmentsIntersect(a: XY, b: XY, c: XY, d: XY): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return false;
}

/** segmentDistSq is the squared distance between segments ab and cd. */
export function segmentDistSq(a: XY, b: XY, c: XY, d: XY): number {
  if (segmentsIntersect(a, b, c, d)) return 0;
  return Math.min(
    pointSegmentDistSq(a, c, d),
    pointSegmentDistSq(b, c, d),
    pointSegmentDistSq(c, a, b),
    pointSegmentDistSq(d, a, b),
  );
}

/** EraserPath is the eraser's move since the last test, in board units. */
export interface EraserPath {
  readonly from: XY;
  readonly to: XY;
  readonly radius: number;
}

/** eraserBounds returns the rectangle the eraser path can touch. */
export function eraserBounds(e: EraserPath): Rect {
  return {
    minX: Math.min(e.from.x, e.to.x) - e.radius,
    minY: Math.min(e.from.y, e.to.y) - e.radius,
    maxX: Math.max(e.from.x, e.to.x) + e.radius,
    maxY: Math.max(e.from.y, e.to.y) + e.radius,
  };
}

/**
 * strokeHit reports whether the eraser path touches a stroke drawn through
 * pts with the given width: distance <= width / 2 + radius.
 */
export function strokeHit(pts: readonly Point[], width: number, e: EraserPath, bounds?: Rect): boolean {
  if (pts.length === 0) return false;
  const reach = width / 2 + e.radius;
  if (!intersects(bounds ?? strokeBounds(pts, width), eraserBounds(e))) return false;
  const limit = reach * reach;
  if (pts.length === 1) return segmentDistSq(pts[0], pts[0], e.from, e.to) <= limit;
  for (let i = 1; i < pts.length; i++) {
    if (segmentDistSq(pts[i - 1], pts[i], e.from, e.to) <= limit) return true;
  }
  return false;
}

/**
 * hitStroke reports whether the eraser path touches stroke s, drawn moved by
 * (dx, dy). extent, if given, is strokeExtent(s) (cached by the caller).
 */
export function hitStroke(s: StrokeGeom, e: EraserPath, extent?: Rect, dx = 0, dy = 0): boolean {
  if (s.tool === TOOL_ERASER || s.points.length === 0) return false;
  const path: EraserPath = dx === 0 && dy === 0 ? e : { from: { x: e.from.x - dx, y: e.from.y - dy }, to: { x: e.to.x - dx, y: e.to.y - dy }, radius: e.radius };
  if (!intersects(extent ?? strokeExtent(s), eraserBounds(path))) return false;
  if (s.rot) {
    // A turned stroke: the eraser turned back into the stroke's own frame.
    return hitStroke({ ...s, rot: 0 }, { from: unturn(s, path.from), to: unturn(s, path.to), radius: path.radius });
  }
  if (s.tool === TOOL_PEN || s.tool === TOOL_HIGHLIGHTER) return strokeHit(s.points as readonly Point[], s.width, path);
  const reach = (s.tool === TOOL_TEXT ? 0 : s.width / 2) + path.radius;
  const limit = reach * reach;
  for (const line of skeleton(s)) {
    if (line.length === 1 && segmentDistSq(line[0], line[0], path.from, path.to) <= limit) return true;
    for (let i = 1; i < line.length; i++) if (segmentDistSq(line[i - 1], line[i], path.from, path.to) <= limit) return true;
  }
  for (const area of solidAreas(s)) if (pointInPolygon(path.to, area) || pointInPolygon(path.from, area)) return true;
  return false;
}

/** strokeInRect reports whether stroke s, drawn moved by (dx, dy), touches rectangle r (a marquee). */
export function strokeInRect(s: StrokeGeom, r: Rect, extent?: Rect, dx = 0, dy = 0): boolean {
  if (s.tool === TOOL_ERASER || s.points.length === 0) return false;
  const q: Rect = { minX: r.minX - dx, minY: r.minY - dy, maxX: r.maxX - dx, maxY: r.maxY - dy };
  if (!intersects(extent ?? strokeExtent(s), q)) return false;
  const inside = (p: XY): boolean => p.x >= q.minX && p.x <= q.maxX && p.y >= q.minY && p.y <= q.maxY;
  const edges: Array<[XY, XY]> = [
    [{ x: q.minX, y: q.minY }, { x: q.maxX, y: q.minY }],
    [{ x: q.maxX, y: q.minY }, { x: q.maxX, y: q.maxY }],
    [{ x: q.maxX, y: q.maxY }, { x: q.minX, y: q.maxY }],
    [{ x: q.minX, y: q.maxY }, { x: q.minX, y: q.minY }],
  ];
  for (const line of skeleton(s)) {
    for (let i = 0; i < line.length; i++) {
      if (inside(line[i])) return true;
      if (i > 0) for (const [a, b] of edges) if (segmentDistSq(line[i - 1], line[i], a, b) === 0) return true;
    }
  }
  const center = { x: (q.minX + q.maxX) / 2, y: (q.minY + q.maxY) / 2 };
  for (const area of solidAreas(s)) if (pointInPolygon(center, area)) return true;
  return false;
}
