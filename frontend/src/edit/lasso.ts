// The lasso: a free-form loop drawn with the lasso tool (the select tool
// whose drag on empty board draws a loop instead of a box), and which
// strokes it takes. Pure.
//
// The rule: a stroke is taken when at least three quarters of its outline
// points lie inside the loop (closed from its last point back to its
// first). The outline points are a freehand stroke's own points; a line's,
// an arrow's, a rectangle's and an ellipse's outline, and a text's box,
// each traced at even steps (outlinePoints). Three quarters, not all: a
// loop drawn by hand around a stroke often clips a tail of it, and a loop
// through the middle of a stroke should not take it.

import { EMPTY_RECT, intersects, type Rect } from '../geometry/bounds';
import { pointInPolygon, skeleton, type StrokeGeom, type XY } from '../geometry/shape';
import { TOOL_ERASER, TOOL_PEN, TOOL_HIGHLIGHTER, type StrokeId } from '../protocol/types';
import type { ExtentOf, ShownItem } from './shown';

/** LASSO_SHARE is the share of a stroke's outline points that must lie inside the loop. */
export const LASSO_SHARE = 0.75;
/** Each segment of a shape's or a text's outline is traced at this many steps. */
const SHAPE_STEPS = 8;
/** A loop point closer than this (board units) to the last one is not kept: it adds nothing but work. */
export const LASSO_MIN_STEP = 2;

/** pointInLoop reports whether p lies inside the closed loop (even-odd; fewer than three points enclose nothing). */
export function pointInLoop(p: XY, loop: readonly XY[]): boolean {
  return loop.length >= 3 && pointInPolygon(p, loop);
}

/** outlinePoints returns the points of s that the lasso rule counts (see the file's comment). */
export function outlinePoints(s: StrokeGeom): XY[] {
  if (s.points.length === 0) return [];
  if (s.tool === TOOL_PEN || s.tool === TOOL_HIGHLIGHTER || s.tool === TOOL_ERASER) return s.points.slice();
  const out: XY[] = [];
  for (const line of skeleton(s)) {
    out.push(line[0]);
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1];
      const b = line[i];
      for (let k = 1; k <= SHAPE_STEPS; k++) out.push({ x: a.x + ((b.x - a.x) * k) / SHAPE_STEPS, y: a.y + ((b.y - a.y) * k) / SHAPE_STEPS });
    }
  }
  return out;
}

/** loopBounds returns the rectangle around the loop. */
export function loopBounds(loop: readonly XY[]): Rect {
  if (loop.length === 0) return EMPTY_RECT;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of loop) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  return { minX, minY, maxX, maxY };
}

/** lassoTakes reports whether the loop takes stroke s, drawn moved by (dx, dy); partial-eraser strokes never. */
export function lassoTakes(s: StrokeGeom, loop: readonly XY[], dx = 0, dy = 0): boolean {
  if (s.tool === TOOL_ERASER || loop.length < 3) return false;
  const pts = outlinePoints(s);
  if (pts.length === 0) return false;
  const need = Math.ceil(pts.length * LASSO_SHARE);
  let inside = 0;
  for (let i = 0; i < pts.length; i++) {
    if (pointInPolygon({ x: pts[i].x + dx, y: pts[i].y + dy }, loop)) inside++;
    if (inside >= need) return true;
    if (inside + (pts.length - 1 - i) < need) return false;
  }
  return false;
}

/** strokesInLoop returns the shown items the loop takes, in z-order (not the one being drawn). */
export function strokesInLoop(items: readonly ShownItem[], loop: readonly XY[], extentOf: ExtentOf): StrokeId[] {
  if (loop.length < 3) return [];
  const box = loopBounds(loop);
  const out: StrokeId[] = [];
  for (const it of items) {
    if (it.growing) continue;
    const e = extentOf(it.stroke);
    if (!intersects({ minX: e.minX + it.dx, minY: e.minY + it.dy, maxX: e.maxX + it.dx, maxY: e.maxY + it.dy }, box)) continue;
    if (lassoTakes(it.stroke, loop, it.dx, it.dy)) out.push(it.id);
  }
  return out;
}
