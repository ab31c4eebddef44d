// A stroke a pending Transform resized (or a pending Move or Rotate
// shifted: translation below), whose points are worked out only when
// something reads them (edit/reshape folds them). While a handle of a big
// selection is dragged a Transform goes out every few frames, and making
// every point of the selection anew at each of them (twenty thousand
// objects a step for 1,000 strokes of 20 points) kept the page's garbage
// collector busy enough to drop frames; most of those steps are replaced
// by the next before anything draws or hits their points.
//
// A scaled stroke keeps the stroke it was made from and the Transform's
// numbers. Its points, when read, are the very arithmetic the board does
// (transform.ts scaleCoord), step after step in the order the
// Transforms were sent, each coordinate rounded at each step as the
// board rounds it: no step is composed with another, but for shifts that
// clamp nothing (shiftedAgain), whose sum is exactly the two steps. Its box is worked out
// without its points: scaleCoord is monotone in the coordinate, so the
// smallest and largest coordinates of the result are those of the smallest
// and largest of the source, the same numbers the points would give.

import { boxCenter, normAngle, rotateShift } from './rotate';
import type { Stroke } from './stroke';
import { scaleCoord } from './transform';
import { COORD_LIMIT, MAX_WIDTH, MAX_WRAP, SCALE_ONE, TOOL_TEXT, type Point, type RotateOp, type TransformOp } from './types';

/** Box is a box of points; minX > maxX when there are none. */
export interface Box {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

/** Scale is one Transform's arithmetic: its box's corners add up to (mx, my). */
export interface Scale {
  readonly mx: number;
  readonly my: number;
  readonly sx: number;
  readonly sy: number;
  readonly dx: number;
  readonly dy: number;
}

/**
 * translation is the Scale that only moves by (dx, dy): scaleCoord(v, 0,
 * SCALE_ONE, d) is v + d, clamped to the coordinate limit, the very
 * arithmetic of a Move and of a Rotate's shift of a stroke's points. So a
 * pending Move or Rotate of a big selection makes its points only when
 * read, as a resize does.
 */
export function translation(dx: number, dy: number): Scale {
  return { mx: 0, my: 0, sx: SCALE_ONE, sy: SCALE_ONE, dx, dy };
}

/** Link is what a scaled stroke's points are made from, until they are made. */
interface Link {
  /** The stroke scaled; null once the points are made. */
  src: Stroke | null;
  /** How many of src's points (a stroke still drawn may gain points later; these are the ones scaled). */
  readonly n: number;
  readonly t: Scale;
  pts: Point[] | null;
  /** The box of the points, once worked out while they were not made. */
  box: Box | null;
  /** The box of the points scaled (src's first n), once worked out. */
  inBox: Box | null;
  /** How many scaled strokes whose points are not made lead back from this one to one whose points are (1: src's are). */
  readonly depth: number;
  /** What a caller kept for this stroke (keepOnScaled): its extent, and for how many points. */
  kept: Box | null;
  keptN: number;
}

/**
 * A long drag's chain of scales is cut every few steps (that step makes
 * its source's points), so what a chain keeps alive and what reading its
 * points at last costs stay bounded: after between MAX_DEPTH/2 and
 * MAX_DEPTH steps, by the stroke's number, so that a big selection's
 * strokes are not all cut in the same step.
 */
const MAX_DEPTH = 16;

/**
 * Where a scaled stroke keeps its Link: a property no spread or for-in
 * copies (a copy has its points as data). Not a WeakMap: the thousands
 * of entries each step of a drag adds are walked as ephemerons by every
 * major collection, a long pause in the middle of the drag.
 */
const LINK = Symbol('scaled');

function linkOf(s: object): Link | undefined {
  return (s as { [LINK]?: Link })[LINK];
}

/** The points accessor every scaled stroke shares. */
const POINTS: PropertyDescriptor = { get: getPoints, set: setPoints, enumerable: true, configurable: true };

/** Pointed is what the box and count of a stroke's points depend on. */
export interface Pointed {
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

function getPoints(this: Stroke): readonly Point[] {
  const l = linkOf(this)!;
  return l.pts ?? make(l);
}

function setPoints(this: Stroke, pts: Point[]): void {
  const l = linkOf(this)!;
  l.pts = pts;
  l.src = null;
  l.kept = null;
}

/**
 * scaledStroke returns s with its points through t (made when read), and
 * width and wrap as given: every other field as s has it.
 */
export function scaledStroke(s: Stroke, t: Scale, width: number, wrap: number | undefined): Stroke {
  const o: Record<string, unknown> = {};
  // Not a spread: that would read (and so make) s's points.
  for (const k in s) if (k !== 'points') o[k] = (s as unknown as Record<string, unknown>)[k];
  o.width = width;
  if (wrap !== undefined) o.wrap = wrap;
  Object.defineProperty(o, 'points', POINTS);
  const up = linkOf(s);
  const l = (up && !up.pts && shiftedAgain(up, t)) || chained(s, up, t);
  Object.defineProperty(o, LINK, { value: l });
  return o as unknown as Stroke;
}

/** chained is the link that scales s (up: its link) by t, cutting a long chain (MAX_DEPTH). */
function chained(s: Stroke, up: Link | undefined, t: Scale): Link {
  let depth = up && !up.pts ? up.depth + 1 : 1;
  if (depth > MAX_DEPTH / 2 + (s.stroke % (MAX_DEPTH / 2))) {
    void s.points;
    depth = 1;
  }
  return { src: s, n: pointCount(s), t, pts: null, box: null, inBox: null, depth, kept: null, keptN: 0 };
}

/**
 * shiftedAgain is up's shift and t's as one, when both only translate and
 * up's clamps nothing: then v + a, unclamped, then + b and clamped, is
 * v + (a + b) clamped, the very numbers of the two steps. A turn drag sends
 * a Rotate every few frames, each only a shift of the points: one link
 * back to the strokes as they were, not a chain of them that makes its
 * points every few steps. Null when the two are not both shifts, or up
 * clamps a point (then the steps are kept apart).
 */
function shiftedAgain(up: Link, t: Scale): Link | null {
  const a = up.t;
  if (!isShift(a) || !isShift(t)) return null;
  const b = boxIn(up);
  const empty = b.minX > b.maxX;
  if (!empty && (b.minX + a.dx < -COORD_LIMIT || b.maxX + a.dx > COORD_LIMIT || b.minY + a.dy < -COORD_LIMIT || b.maxY + a.dy > COORD_LIMIT)) return null;
  return { src: up.src, n: up.n, t: translation(a.dx + t.dx, a.dy + t.dy), pts: null, box: null, inBox: b, depth: up.depth, kept: null, keptN: 0 };
}

function isShift(t: Scale): boolean {
  return t.sx === SCALE_ONE && t.sy === SCALE_ONE && t.mx === 0 && t.my === 0;
}

/** pointCount is how many points s has, without making them when s is a scaled stroke. */
export function pointCount(s: Pointed): number {
  const l = linkOf(s);
  return l && !l.pts ? l.n : s.points.length;
}

/**
 * keptOnScaled returns what keepOnScaled kept for s, a scaled stroke:
 * undefined when s is not one, null when nothing is kept for its present
 * number of points (a stroke still being drawn gains points once they are
 * made). A place on the stroke's own link for what is worked out once per
 * stroke (its extent, geometry/kept_extent): each step of a drag makes a
 * thousand scaled strokes, and neither a WeakMap entry nor a property
 * defined on each of them comes as cheap as a field of the link they
 * already have.
 */
export function keptOnScaled(s: Pointed): Box | null | undefined {
  const l = linkOf(s);
  if (!l) return undefined;
  return l.kept !== null && l.keptN === (l.pts ? l.pts.length : l.n) ? l.kept : null;
}

/** keepOnScaled keeps b for s, for its present number of points, if s is a scaled stroke (until its points are set anew), and reports whether it was kept. */
export function keepOnScaled(s: Pointed, b: Box): boolean {
  const l = linkOf(s);
  if (!l) return false;
  l.kept = b;
  l.keptN = l.pts ? l.pts.length : l.n;
  return true;
}

/** isPending reports whether s is a scaled stroke whose points are not made yet. */
export function isPending(s: Pointed): boolean {
  const l = linkOf(s);
  return l !== undefined && l.pts === null;
}

/** boxOf returns the box of s's points, without making them when s is a scaled stroke. */
export function boxOf(s: Pointed): Box {
  const l = linkOf(s);
  if (!l || l.pts) return pointsBox(s.points, s.points.length);
  if (!l.box) l.box = scaleBox(boxIn(l), l.t);
  return l.box;
}

/** centerOf is rotate's center of s's points (what s turns about), without making them when s is a scaled stroke. */
export function centerOf(s: Pointed): [number, number] {
  const b = boxOf(s);
  return boxCenter(b.minX, b.minY, b.maxX, b.maxY);
}

/** boxIn is the box of the points l scales. */
function boxIn(l: Link): Box {
  if (l.inBox) return l.inBox;
  const src = l.src!;
  const up = linkOf(src);
  l.inBox = up && !up.pts ? boxOf(src) : pointsBox(src.points, l.n);
  return l.inBox;
}

function pointsBox(pts: Pointed['points'], n: number): Box {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const p = pts[i];
    if (p.x < minX) minX = p.x;
    if (p.x > maxX) maxX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.y > maxY) maxY = p.y;
  }
  return { minX, minY, maxX, maxY };
}

/** scaleBox is the box of b's points through t: scaleCoord keeps their order, or reverses it for a negative scale. */
function scaleBox(b: Box, t: Scale): Box {
  if (b.minX > b.maxX) return b;
  const x0 = scaleCoord(b.minX, t.mx, t.sx, t.dx);
  const x1 = scaleCoord(b.maxX, t.mx, t.sx, t.dx);
  const y0 = scaleCoord(b.minY, t.my, t.sy, t.dy);
  const y1 = scaleCoord(b.maxY, t.my, t.sy, t.dy);
  return { minX: Math.min(x0, x1), minY: Math.min(y0, y1), maxX: Math.max(x0, x1), maxY: Math.max(y0, y1) };
}

/** make works out l's points: back to the nearest stroke whose points are made, then each scale in turn, point by point. */
function make(l: Link): Point[] {
  const chain: Link[] = [l];
  let cur = l;
  for (;;) {
    const up = linkOf(cur.src!);
    if (!up || up.pts) break;
    chain.push(up);
    cur = up;
  }
  const base = cur.src!.points;
  const n = cur.n;
  const out: Point[] = new Array<Point>(n);
  for (let i = 0; i < n; i++) {
    const p = base[i];
    let x = p.x;
    let y = p.y;
    for (let k = chain.length - 1; k >= 0; k--) {
      const t = chain[k].t;
      x = scaleCoord(x, t.mx, t.sx, t.dx);
      y = scaleCoord(y, t.my, t.sy, t.dy);
    }
    out[i] = { x, y, p: p.p };
  }
  l.pts = out;
  l.src = null;
  l.box = null;
  l.inBox = null;
  return out;
}

/**
 * resizedStrokes is what a Transform makes of strokes (the strokes it
 * names, each once, in the order named; PROTOCOL.md "Transform"), their
 * points made when read: each scaled about the center of their box (from
 * the boxes, without the points), a text's size and wrap width scaled as
 * its height is.
 */
export function resizedStrokes(strokes: readonly Stroke[], op: TransformOp): Stroke[] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const s of strokes) {
    const b = boxOf(s);
    if (b.minX < minX) minX = b.minX;
    if (b.maxX > maxX) maxX = b.maxX;
    if (b.minY < minY) minY = b.minY;
    if (b.maxY > maxY) maxY = b.maxY;
  }
  const t = { mx: minX + maxX, my: minY + maxY, sx: op.sx, sy: op.sy, dx: op.dx, dy: op.dy };
  const scaled = (v: number, max: number): number => Math.max(1, Math.min(max, Math.floor((v * Math.abs(op.sy) + SCALE_ONE / 2) / SCALE_ONE)));
  // A text's wrap width scales with its font, so its lines break where they did.
  return strokes.map((s) => scaledStroke(s, t, s.tool === TOOL_TEXT ? scaled(s.width, MAX_WIDTH) : s.width, s.wrap ? scaled(s.wrap, MAX_WRAP) : undefined));
}

/**
 * turnedStroke is what a Rotate makes of s (PROTOCOL.md "Rotate"), its
 * points shifted when read: its center (from its box, without the points)
 * turned about the pivot, every point moved as the center moved, clamped,
 * and its own rotation grown by the angle. cs is rotCosSin(op.angle).
 */
export function turnedStroke(s: Stroke, op: RotateOp, cs: readonly [number, number]): Stroke {
  const [cx, cy] = centerOf(s);
  const [tx, ty] = rotateShift(cx - op.px, cy - op.py, cs[0], cs[1]);
  const out = scaledStroke(s, translation(tx, ty), s.width, undefined);
  (out as { rot?: number }).rot = normAngle((s.rot ?? 0) + op.angle);
  return out;
}
