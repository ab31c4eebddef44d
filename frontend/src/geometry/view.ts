// The view transform: where the board shows on the screen. A board point
// (bx, by) is at CSS pixel (bx * scale + x, by * scale + y). Each person has
// their own view: pan moves (x, y), zoom changes scale around a fixed screen
// point. Every function returns a new View and never changes its input.

import { BOARD_UNITS_PER_PX } from './outline';
import { isEmpty, type Rect } from './bounds';

export interface View {
  /** CSS pixels per board unit. */
  readonly scale: number;
  /** CSS pixel position of the board origin. */
  readonly x: number;
  readonly y: number;
}

export interface XY {
  readonly x: number;
  readonly y: number;
}

/** HOME_VIEW: zoom 1 (a board unit is 1/4 CSS pixel), origin at the top-left. */
export const HOME_VIEW: View = { scale: 1 / BOARD_UNITS_PER_PX, x: 0, y: 0 };

/** Zoom is scale × BOARD_UNITS_PER_PX: 1 means 100 %. */
export const MIN_ZOOM = 0.02;
export const MAX_ZOOM = 16;
/**
 * FIT_MIN_ZOOM is how far a fit may zoom out: below MIN_ZOOM, so that a
 * wide board fits a phone's screen whole. Zooming out by hand stops at
 * MIN_ZOOM, or where a fit left the view if that is lower.
 */
export const FIT_MIN_ZOOM = 0.002;

/** ZOOM_STEP is the factor of one keyboard or button zoom step. */
export const ZOOM_STEP = 1.25;

export function toScreen(v: View, bx: number, by: number): { x: number; y: number } {
  return { x: bx * v.scale + v.x, y: by * v.scale + v.y };
}

export function toBoard(v: View, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - v.x) / v.scale, y: (sy - v.y) / v.scale };
}

/** screenRect returns the board rectangle seen in a w × h CSS pixel viewport. */
export function screenRect(v: View, w: number, h: number): Rect {
  const a = toBoard(v, 0, 0);
  const b = toBoard(v, w, h);
  return { minX: Math.min(a.x, b.x), minY: Math.min(a.y, b.y), maxX: Math.max(a.x, b.x), maxY: Math.max(a.y, b.y) };
}

/** boardLength converts a length in CSS pixels to board units. */
export function boardLength(v: View, px: number): number {
  return px / v.scale;
}

/** zoomOf returns the zoom (1 = 100 %) of v. */
export function zoomOf(v: View): number {
  return v.scale * BOARD_UNITS_PER_PX;
}

/** clampZoom keeps a zoom within [MIN_ZOOM, MAX_ZOOM]. */
export function clampZoom(z: number): number {
  return z < MIN_ZOOM ? MIN_ZOOM : z > MAX_ZOOM ? MAX_ZOOM : z;
}

/** panBy moves the board by (dx, dy) CSS pixels on the screen. */
export function panBy(v: View, dx: number, dy: number): View {
  return { scale: v.scale, x: v.x + dx, y: v.y + dy };
}

/**
 * zoomAt multiplies the zoom by factor (clamped to the zoom limits), keeping
 * the board point under the screen point (sx, sy) where it is.
 */
export function zoomAt(v: View, sx: number, sy: number, factor: number): View {
  const z = zoomOf(v);
  // Below the floor (after a fit) a zoom out stays put instead of jumping back up.
  const scale = Math.max(Math.min(MIN_ZOOM, z), Math.min(MAX_ZOOM, z * factor)) / BOARD_UNITS_PER_PX;
  const b = toBoard(v, sx, sy);
  return { scale, x: sx - b.x * scale, y: sy - b.y * scale };
}

/** setZoom sets the zoom, keeping the board point under (sx, sy) in place. */
export function setZoom(v: View, sx: number, sy: number, zoom: number): View {
  const scale = clampZoom(zoom) / BOARD_UNITS_PER_PX;
  const b = toBoard(v, sx, sy);
  return { scale, x: sx - b.x * scale, y: sy - b.y * scale };
}

/**
 * pinch follows two fingers from (a0, b0) to (a1, b1), screen points: the
 * zoom changes by the ratio of their distances and the board point under
 * their old midpoint goes under the new midpoint.
 */
export function pinch(v: View, a0: XY, b0: XY, a1: XY, b1: XY): View {
  const d0 = Math.hypot(b0.x - a0.x, b0.y - a0.y);
  const d1 = Math.hypot(b1.x - a1.x, b1.y - a1.y);
  const factor = d0 > 0 && d1 > 0 ? d1 / d0 : 1;
  const m0 = { x: (a0.x + b0.x) / 2, y: (a0.y + b0.y) / 2 };
  const m1 = { x: (a1.x + b1.x) / 2, y: (a1.y + b1.y) / 2 };
  const z = zoomAt(v, m0.x, m0.y, factor);
  return panBy(z, m1.x - m0.x, m1.y - m0.y);
}

/** centerOn moves the view so board point (bx, by) is in the middle of a w × h viewport. */
export function centerOn(v: View, bx: number, by: number, w: number, h: number): View {
  return { scale: v.scale, x: w / 2 - bx * v.scale, y: h / 2 - by * v.scale };
}

/**
 * fitRect returns the view that shows board rectangle r whole and centered
 * in a w × h viewport, with pad CSS pixels around it, at a zoom no higher
 * than maxZoom (default 1: a small drawing is not blown up). An empty r
 * gives the home view.
 */
export function fitRect(r: Rect, w: number, h: number, pad = 40, maxZoom = 1): View {
  if (isEmpty(r) || w <= 0 || h <= 0) return HOME_VIEW;
  const bw = Math.max(1, r.maxX - r.minX);
  const bh = Math.max(1, r.maxY - r.minY);
  const aw = Math.max(1, w - 2 * pad);
  const ah = Math.max(1, h - 2 * pad);
  const zoom = clampZoom(Math.min(maxZoom, (aw / bw) * BOARD_UNITS_PER_PX, (ah / bh) * BOARD_UNITS_PER_PX));
  const scale = zoom / BOARD_UNITS_PER_PX;
  return centerOn({ scale, x: 0, y: 0 }, (r.minX + r.maxX) / 2, (r.minY + r.maxY) / 2, w, h);
}

/**
 * snapView rounds the origin to whole device pixels (dpr device pixels per
 * CSS pixel), so a pan moves the cached layer by whole pixels.
 */
export function snapView(v: View, dpr: number): View {
  const x = Math.round(v.x * dpr) / dpr;
  const y = Math.round(v.y * dpr) / dpr;
  return x === v.x && y === v.y ? v : { scale: v.scale, x, y };
}

/** sameView reports whether a and b are the same transform. */
export function sameView(a: View, b: View): boolean {
  return a.scale === b.scale && a.x === b.x && a.y === b.y;
}

/** validView reports whether v is a usable view (finite, zoom within limits); for views read from storage. */
export function validView(v: unknown): v is View {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { scale?: unknown; x?: unknown; y?: unknown };
  if (typeof o.scale !== 'number' || typeof o.x !== 'number' || typeof o.y !== 'number') return false;
  if (!Number.isFinite(o.scale) || !Number.isFinite(o.x) || !Number.isFinite(o.y)) return false;
  const z = o.scale * BOARD_UNITS_PER_PX;
  return z >= FIT_MIN_ZOOM * 0.999 && z <= MAX_ZOOM * 1.001 && Math.abs(o.x) < 1e12 && Math.abs(o.y) < 1e12;
}
