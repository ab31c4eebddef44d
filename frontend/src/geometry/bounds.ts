// Axis-aligned bounds of strokes, in board units.

import type { Point } from '../protocol/types';

/** Rect is an axis-aligned rectangle; an empty one has minX > maxX. */
export interface Rect {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export const EMPTY_RECT: Rect = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };

/** pointsBounds returns the bounds of pts grown by pad on every side. */
export function pointsBounds(pts: ReadonlyArray<{ readonly x: number; readonly y: number }>, pad = 0, from = 0): Rect {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = from; i < pts.length; i++) {
    const p = pts[i];
    if (p.x < minX) minX = p.x;
    if (p.x > maxX) maxX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.y > maxY) maxY = p.y;
  }
  if (minX > maxX) return EMPTY_RECT;
  return { minX: minX - pad, minY: minY - pad, maxX: maxX + pad, maxY: maxY + pad };
}

/**
 * PointBox grows the box of the points given to it, each array shifted by
 * (dx, dy) (a stroke as shown, moved): four numbers, no box made per
 * stroke, for walks over a big selection.
 */
export class PointBox {
  minX = Infinity;
  minY = Infinity;
  maxX = -Infinity;
  maxY = -Infinity;

  /** add grows the box by pts shifted by (dx, dy). */
  add(pts: ReadonlyArray<{ readonly x: number; readonly y: number }>, dx = 0, dy = 0): void {
    for (const p of pts) {
      const x = p.x + dx;
      const y = p.y + dy;
      if (x < this.minX) this.minX = x;
      if (x > this.maxX) this.maxX = x;
      if (y < this.minY) this.minY = y;
      if (y > this.maxY) this.maxY = y;
    }
  }

  /** empty says no point was added. */
  get empty(): boolean {
    return this.minX > this.maxX;
  }
}

/**
 * strokeBounds returns the bounds of everything a stroke of this width may
 * paint: its points grown by the width (perfect-freehand never draws wider
 * than the width; the extra half is room for smoothing and antialiasing).
 */
export function strokeBounds(pts: readonly Point[], width: number): Rect {
  return pointsBounds(pts, width);
}

export function isEmpty(r: Rect): boolean {
  return r.minX > r.maxX || r.minY > r.maxY;
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY;
}

export function union(a: Rect, b: Rect): Rect {
  return {
    minX: Math.min(a.minX, b.minX),
    minY: Math.min(a.minY, b.minY),
    maxX: Math.max(a.maxX, b.maxX),
    maxY: Math.max(a.maxY, b.maxY),
  };
}

export function expand(r: Rect, by: number): Rect {
  if (isEmpty(r)) return r;
  return { minX: r.minX - by, minY: r.minY - by, maxX: r.maxX + by, maxY: r.maxY + by };
}

export function area(r: Rect): number {
  return isEmpty(r) ? 0 : (r.maxX - r.minX) * (r.maxY - r.minY);
}

/** contains reports whether b lies whole inside a. */
export function contains(a: Rect, b: Rect): boolean {
  return b.minX >= a.minX && b.maxX <= a.maxX && b.minY >= a.minY && b.maxY <= a.maxY;
}

/** clip returns the part of r inside to (empty when none is). */
export function clip(r: Rect, to: Rect): Rect {
  return {
    minX: Math.max(r.minX, to.minX),
    minY: Math.max(r.minY, to.minY),
    maxX: Math.min(r.maxX, to.maxX),
    maxY: Math.min(r.maxY, to.maxY),
  };
}
