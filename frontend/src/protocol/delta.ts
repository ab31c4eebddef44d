// Delta coding of points (PROTOCOL.md "Points block"): each point of a block
// is sent relative to the previous point of its stroke.

import { COORD_LIMIT, MAX_POINTS_PER_OP, type Point } from './types';

export interface XY {
  readonly x: number;
  readonly y: number;
}

const ORIGIN: XY = { x: 0, y: 0 };

/** toDeltas returns pts as deltas, the first one from prev (the origin for a Begin). */
export function toDeltas(pts: readonly Point[], prev: XY = ORIGIN): Point[] {
  const out: Point[] = new Array(pts.length);
  let px = prev.x;
  let py = prev.y;
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i];
    out[i] = { x: p.x - px, y: p.y - py, p: p.p };
    px = p.x;
    py = p.y;
  }
  return out;
}

/** fromDeltas returns the absolute points of deltas that start at prev, clamped as Apply does. */
export function fromDeltas(deltas: readonly Point[], prev: XY = ORIGIN): Point[] {
  const out: Point[] = new Array(deltas.length);
  let x = prev.x;
  let y = prev.y;
  for (let i = 0; i < deltas.length; i++) {
    const d = deltas[i];
    x = clampCoord(x + d.x);
    y = clampCoord(y + d.y);
    out[i] = { x, y, p: d.p };
  }
  return out;
}

/** clampCoord clamps a coordinate to the board, [-2^28, 2^28]. */
export function clampCoord(v: number): number {
  return v > COORD_LIMIT ? COORD_LIMIT : v < -COORD_LIMIT ? -COORD_LIMIT : v;
}

/** chunk splits points into blocks of at most MAX_POINTS_PER_OP. */
export function chunk<T>(pts: readonly T[], size = MAX_POINTS_PER_OP): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < pts.length; i += size) out.push(pts.slice(i, i + size));
  return out;
}
