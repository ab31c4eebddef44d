// A stroke's rotation in geometry (PROTOCOL.md "Rotate"): a turned stroke
// is drawn and hit as its points say, turned by its rot (1/100 degree)
// about its center. The geometry of an unturned stroke is worked out as
// before and then turned: extents as the box of the turned box's corners,
// skeletons point by point, hit tests by turning the eraser back.

import { turnPoint, turnRadians } from '../protocol/rotate';
import { centerOf, pointCount } from '../protocol/scaled_stroke';
import type { Rect } from './bounds';
import { textSize } from './text_layout';
import { TOOL_TEXT } from '../protocol/types';

interface XY {
  readonly x: number;
  readonly y: number;
}

/** Turned is what a rotation depends on: the stroke's points and rot. */
export interface Turned {
  readonly points: readonly XY[];
  readonly rot?: number;
}

/** pivotOfStroke returns the point s turns about. */
export function pivotOfStroke(s: Turned): [number, number] {
  return centerOf(s);
}

/** Middled is what a stroke's middle as drawn depends on. */
export interface Middled extends Turned {
  readonly tool: number;
  readonly text: string;
  readonly width: number;
  readonly wrap?: number;
}

/**
 * shownMiddle returns the middle of s as people see it: a text's is the
 * middle of its box turned about its top-left (its protocol center), any
 * other stroke's its protocol center. A Rotate about a pivot turns these
 * middles about the pivot as it turns the strokes (each stroke turns about
 * its center, which the pivot carries around), so their mean is a pivot a
 * turn leaves in place: what a client turns a selection about.
 */
export function shownMiddle(s: Middled): [number, number] {
  if (s.tool !== TOOL_TEXT || pointCount(s) === 0) return centerOf(s);
  const p = s.points[0]!;
  const { w, h } = textSize(s.text, s.width, s.wrap ?? 0);
  return turnPoint(p.x + w / 2, p.y + h / 2, s.rot ?? 0, p.x, p.y);
}

/** turnRect returns the box of r's four corners turned as s is turned (each corner as turnPoint turns it). */
export function turnRect(s: Turned, r: Rect): Rect {
  if (!s.rot || r.minX > r.maxX) return r;
  // The center without the points of a stroke a pending step moved (protocol/scaled_stroke): this runs for every turned stroke of a selection each frame, so the angle's cosine and sine once and no corner arrays.
  const [cx, cy] = centerOf(s);
  const a = turnRadians(s.rot);
  const c = Math.cos(a);
  const sn = Math.sin(a);
  const x0 = r.minX - cx;
  const x1 = r.maxX - cx;
  const y0 = r.minY - cy;
  const y1 = r.maxY - cy;
  const ax = cx + x0 * c - y0 * sn;
  const bx = cx + x1 * c - y0 * sn;
  const cx2 = cx + x1 * c - y1 * sn;
  const dx = cx + x0 * c - y1 * sn;
  const ay = cy + x0 * sn + y0 * c;
  const by = cy + x1 * sn + y0 * c;
  const cy2 = cy + x1 * sn + y1 * c;
  const dy = cy + x0 * sn + y1 * c;
  return { minX: Math.min(ax, bx, cx2, dx), minY: Math.min(ay, by, cy2, dy), maxX: Math.max(ax, bx, cx2, dx), maxY: Math.max(ay, by, cy2, dy) };
}

/** turnLines returns lines (board points of s unturned) turned as s is turned. */
export function turnLines(s: Turned, lines: XY[][]): XY[][] {
  if (!s.rot) return lines;
  const [cx, cy] = centerOf(s);
  const rot = s.rot;
  return lines.map((l) =>
    l.map((p) => {
      const [x, y] = turnPoint(p.x, p.y, rot, cx, cy);
      return { x, y };
    }),
  );
}

/** unturn returns board point p turned back by s's rotation: where it is in the stroke's own frame. */
export function unturn(s: Turned, p: XY): XY {
  if (!s.rot) return p;
  const [cx, cy] = centerOf(s);
  const [x, y] = turnPoint(p.x, p.y, -s.rot, cx, cy);
  return { x, y };
}
