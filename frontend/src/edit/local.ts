// Our own strokes the room has not confirmed yet: shown from local copies
// until the server echoes their last op. A freehand stroke grows in place
// while it is drawn (its points array); a shape or a text gets a new shown
// object each time it changes, so caches keyed by the object stay right.

import type { Stroke } from '../protocol/board';
import { chunk, clampCoord, toDeltas, traceResiduals } from '../protocol/delta';
import { MAX_STROKE_POINTS, TOOL_IMAGE, TOOL_PEN, TOOL_TEXT, type ImageOp, type Op, type Point, type ShapeOp, type TextOp } from '../protocol/types';
import { SELF } from './history';

/** LocalItem belongs to the Editor, which alone changes it. */
export interface LocalItem {
  readonly stroke: number;
  /** What is drawn; author is SELF. */
  shown: Stroke;
  /** A freehand stroke's points (the same array as shown.points), else null. */
  readonly pts: Point[] | null;
  /** Points already put into ops (freehand). */
  sent: number;
  /** Outbox uid of the item's first op, 0 before one was sent. */
  firstUid: number;
  /** Outbox uid of its last op (End, the last Shape or Text); the item is retired once the room applied it. */
  lastUid: number;
}

export interface StrokeStyle {
  /** Pen (default), highlighter or eraser. */
  readonly tool?: number;
  readonly color: number;
  readonly width: number;
  readonly pressure: boolean;
}

export interface ShapeStyle {
  readonly tool: number;
  readonly color: number;
  readonly width: number;
  readonly filled: boolean;
}

export interface TextStyle {
  readonly color: number;
  readonly size: number;
}

/** UNSWEPT are a local stroke's history fields: not on the board yet, no sweep. */
const UNSWEPT = { seq: 0, sweptBy: 0, sweptN: 0, removed: false } as const;

/** normalizePoint rounds and clamps a board point; p is kept only with pressure. */
export function normalizePoint(x: number, y: number, p: number, pressure: boolean): Point {
  return { x: clampCoord(Math.round(x)), y: clampCoord(Math.round(y)), p: pressure ? p : 0 };
}

/** freehand makes the local item of a freehand stroke begun at first. */
export function freehand(stroke: number, style: StrokeStyle, first: Point): LocalItem {
  const pts = [first];
  return {
    stroke,
    shown: {
      ...UNSWEPT,
      author: SELF,
      stroke,
      tool: style.tool ?? TOOL_PEN,
      pressure: style.pressure,
      hidden: false,
      filled: false,
      color: style.color,
      width: style.width,
      points: pts,
      text: '',
    },
    pts,
    sent: 1,
    firstUid: 0,
    lastUid: 0,
  };
}

/** beginOp is the Begin of a freehand item. */
export function beginOp(l: LocalItem): Op {
  const s = l.shown;
  return { type: 'begin', stroke: l.stroke, tool: s.tool, pressure: s.pressure, color: s.color, width: s.width, points: toDeltas([s.points[0]]) };
}

/**
 * accepts reports whether p should follow last in a stroke of n points: not
 * at the same place as last, and the stroke not full.
 */
export function accepts(last: Point | undefined, p: Point, n: number): boolean {
  if (n >= MAX_STROKE_POINTS) return false;
  return !last || last.x !== p.x || last.y !== p.y;
}

/**
 * pointsOps returns the ops carrying the points of l not yet sent: Trace
 * ops, or PointsP ops when the stroke has pressure. A Trace op's residuals
 * are taken against the points already sent, which are the stroke's points
 * as every board holds them when the op is applied (the room applies this
 * author's ops in order, and normalizePoint keeps them within the clamp),
 * so every board appends exactly these points. Only a Move by someone else
 * in between shifts them, the stroke and its prediction alike.
 */
export function pointsOps(l: LocalItem): Op[] {
  const pts = l.pts;
  if (!pts || l.sent >= pts.length || l.sent === 0) return [];
  if (l.shown.pressure) {
    const deltas = toDeltas(pts.slice(l.sent), pts[l.sent - 1]);
    return chunk(deltas).map((points) => ({ type: 'points', pressure: true, points }));
  }
  const residuals = traceResiduals(pts.slice(l.sent), pts.slice(Math.max(0, l.sent - 2), l.sent));
  return chunk(residuals).map((rs) => ({ type: 'trace', residuals: rs }));
}

/** shapeShown is how a shape with corners a and b looks. */
export function shapeShown(stroke: number, style: ShapeStyle, a: Point, b: Point): Stroke {
  return {
    ...UNSWEPT,
    author: SELF,
    stroke,
    tool: style.tool,
    pressure: false,
    hidden: false,
    filled: style.filled,
    color: style.color,
    width: style.width,
    points: [
      { x: a.x, y: a.y, p: 0 },
      { x: b.x, y: b.y, p: 0 },
    ],
    text: '',
  };
}

/** shapeOp is the Shape op that makes the room's copy look like s. */
export function shapeOp(s: Stroke): ShapeOp {
  const [a, b] = s.points;
  return { type: 'shape', stroke: s.stroke, tool: s.tool, filled: s.filled, color: s.color, width: s.width, x0: a.x, y0: a.y, x1: b.x, y1: b.y };
}

/** imageShown is how an image placed in the box with corners a and b looks (opacity: alpha 0..255). */
export function imageShown(stroke: number, hash: string, a: Point, b: Point, alpha = 255): Stroke {
  return {
    ...UNSWEPT,
    author: SELF,
    stroke,
    tool: TOOL_IMAGE,
    pressure: false,
    hidden: false,
    filled: false,
    color: alpha & 0xff,
    width: 1,
    points: [
      { x: clampCoord(Math.round(a.x)), y: clampCoord(Math.round(a.y)), p: 0 },
      { x: clampCoord(Math.round(b.x)), y: clampCoord(Math.round(b.y)), p: 0 },
    ],
    text: hash,
  };
}

/** imageOp is the Image op that makes the room's copy look like s. */
export function imageOp(s: Stroke): ImageOp {
  const [a, b] = s.points;
  return { type: 'image', stroke: s.stroke, color: s.color, x0: a.x, y0: a.y, x1: b.x, y1: b.y, hash: s.text };
}

/** textShown is how a text looks. */
export function textShown(stroke: number, style: TextStyle, x: number, y: number, text: string, wrap = 0): Stroke {
  return {
    ...(wrap ? { wrap } : {}),
    ...UNSWEPT,
    author: SELF,
    stroke,
    tool: TOOL_TEXT,
    pressure: false,
    hidden: false,
    filled: false,
    color: style.color,
    width: style.size,
    points: [{ x: clampCoord(Math.round(x)), y: clampCoord(Math.round(y)), p: 0 }],
    text,
  };
}

/** textOp is the Text op that makes the room's copy look like s. */
export function textOp(s: Stroke): TextOp {
  const p = s.points[0];
  return { type: 'text', stroke: s.stroke, color: s.color, size: s.width, x: p.x, y: p.y, text: s.text };
}
