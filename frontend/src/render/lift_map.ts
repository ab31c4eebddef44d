// Where a lifted selection (render/lift) is now, and the map that takes
// its picture from where it was painted to there. A Transform scales the
// points of its strokes on each axis and moves them, a Move moves them, a
// Rotate turns each stroke about its center and moves that center about
// the group's pivot: from the strokes alone, a pose says enough to tell
// which and by how much. The map is close, not exact (a Transform rounds
// each point, a pen's width does not scale): the renderer paints exactly
// once the selection stops. Pure, DOM-free.

import { boxCenter } from '../protocol/rotate';
import { boxOf, pointCount } from '../protocol/scaled_stroke';

/** Posed is a stroke as shown: its points and turn, drawn shifted by (dx, dy). */
export interface Posed {
  readonly stroke: { readonly points: readonly { readonly x: number; readonly y: number }[]; readonly rot?: number };
  readonly dx: number;
  readonly dy: number;
}

/** Pose is where a group of strokes is: the box of their points, the mean of their centers, the first stroke's first point and turn. */
export interface Pose {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  readonly cx: number;
  readonly cy: number;
  readonly px: number;
  readonly py: number;
  /** The first stroke's turn, 1/100 degree. */
  readonly rot: number;
}

/** Affine is a map of the plane as a canvas takes it: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export type Affine = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

export const IDENTITY: Affine = [1, 0, 0, 1, 0, 0];

/** poseOf returns the pose of items, or null when none has a point. */
export function poseOf(items: readonly Posed[]): Pose | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let sx = 0;
  let sy = 0;
  let n = 0;
  let first: Posed | null = null;
  for (const it of items) {
    if (pointCount(it.stroke) === 0) continue;
    first ??= it;
    // Each stroke's box gives both its center (protocol/rotate center) and its share of the group's box; a stroke a pending resize scaled gives it without making its points (protocol/scaled_stroke).
    const { minX: x0, minY: y0, maxX: x1, maxY: y1 } = boxOf(it.stroke);
    minX = Math.min(minX, x0 + it.dx);
    minY = Math.min(minY, y0 + it.dy);
    maxX = Math.max(maxX, x1 + it.dx);
    maxY = Math.max(maxY, y1 + it.dy);
    const [cx, cy] = boxCenter(x0, y0, x1, y1);
    sx += cx + it.dx;
    sy += cy + it.dy;
    n++;
  }
  if (!first) return null;
  const p = first.stroke.points[0];
  return { minX, minY, maxX, maxY, cx: sx / n, cy: sy / n, px: p.x + first.dx, py: p.y + first.dy, rot: first.stroke.rot ?? 0 };
}

/**
 * liftMap returns the map that takes a picture of a group painted at pose
 * from to the group at pose to: a turn about the mean of the centers when
 * the first stroke's turn changed, else a scale and a shift on each axis
 * taking one box to the other (a flip when the first point says the axis
 * was mirrored).
 */
export function liftMap(from: Pose, to: Pose): Affine {
  const turn = to.rot - from.rot;
  if (turn !== 0) {
    const t = (turn * Math.PI) / 18000;
    const c = Math.cos(t);
    const s = Math.sin(t);
    return [c, s, -s, c, to.cx - c * from.cx + s * from.cy, to.cy - s * from.cx - c * from.cy];
  }
  const [a, e] = axis(from.minX, from.maxX, from.px, to.minX, to.maxX, to.px);
  const [d, f] = axis(from.minY, from.maxY, from.py, to.minY, to.maxY, to.py);
  return [a, 0, 0, d, e, f];
}

/** axis returns (k, t) with x' = k·x + t taking [lo, hi] to [lo2, hi2], mirrored when that takes p nearer p2. */
function axis(lo: number, hi: number, p: number, lo2: number, hi2: number, p2: number): [number, number] {
  const span = hi - lo;
  if (span <= 0) return [1, (lo2 + hi2) / 2 - (lo + hi) / 2];
  const k = (hi2 - lo2) / span;
  const t = lo2 - k * lo; // lo -> lo2, hi -> hi2
  const tm = hi2 + k * lo; // mirrored: lo -> hi2, hi -> lo2
  return Math.abs(k * p + t - p2) <= Math.abs(-k * p + tm - p2) ? [k, t] : [-k, tm];
}

/** then returns the map that applies m, then n. */
export function then(m: Affine, n: Affine): Affine {
  return [
    n[0] * m[0] + n[2] * m[1],
    n[1] * m[0] + n[3] * m[1],
    n[0] * m[2] + n[2] * m[3],
    n[1] * m[2] + n[3] * m[3],
    n[0] * m[4] + n[2] * m[5] + n[4],
    n[1] * m[4] + n[3] * m[5] + n[5],
  ];
}

/** sameMap reports whether two maps are equal. */
export function sameMap(m: Affine, n: Affine): boolean {
  return m.every((x, i) => x === n[i]);
}
