// Delta coding of points (PROTOCOL.md "Points block"): each point of a block
// is sent relative to the previous point of its stroke. And trace coding
// (PROTOCOL.md "Trace block"): each point relative to where the stroke's
// last two points say it goes next.

import { COORD_LIMIT, MAX_POINTS_PER_OP, type Point, type XY } from './types';

export type { XY } from './types';

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

/**
 * TraceState predicts a stroke's next point: it moves on as the last one
 * moved. The encoder and every applier advance it the same way, point by
 * point, with the points as the stroke holds them (clamped).
 */
export class TraceState {
  private x = 0;
  private y = 0;
  private dx = 0;
  private dy = 0;

  /** tail: the stroke's points so far (only the last two count; one: no step yet). */
  constructor(tail: readonly XY[]) {
    const n = tail.length;
    if (n > 0) {
      this.x = tail[n - 1].x;
      this.y = tail[n - 1].y;
      if (n > 1) {
        this.dx = this.x - tail[n - 2].x;
        this.dy = this.y - tail[n - 2].y;
      }
    }
  }

  /** residual is what p differs from the prediction by. */
  residual(p: XY): XY {
    return { x: p.x - this.x - this.dx, y: p.y - this.y - this.dy };
  }

  /** next appends residual r: the predicted point moved by r, clamped, becomes the last point. */
  next(r: XY): Point {
    const x = clampCoord(this.x + this.dx + r.x);
    const y = clampCoord(this.y + this.dy + r.y);
    this.dx = x - this.x;
    this.dy = y - this.y;
    this.x = x;
    this.y = y;
    return { x, y, p: 0 };
  }
}

/**
 * traceResiduals returns the residuals that append the absolute points pts
 * to a stroke whose points so far end with tail: a Trace op's residuals.
 */
export function traceResiduals(pts: readonly XY[], tail: readonly XY[]): XY[] {
  const t = new TraceState(tail);
  return pts.map((p) => {
    const r = t.residual(p);
    t.next(r);
    return r;
  });
}

/** tracePoints returns the absolute points residuals append to a stroke whose points so far end with tail, as Apply does. */
export function tracePoints(residuals: readonly XY[], tail: readonly XY[]): Point[] {
  const t = new TraceState(tail);
  return residuals.map((r) => t.next(r));
}
