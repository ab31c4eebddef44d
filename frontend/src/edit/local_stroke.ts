// A stroke this person is drawing or drew that the room has not confirmed
// yet: shown from its own points until the server echoes its End.

import { chunk, clampCoord, toDeltas } from '../protocol/delta';
import { MAX_STROKE_POINTS, TOOL_PEN, type Op, type Point } from '../protocol/types';

/** LocalStroke belongs to the Editor, which alone changes it. */
export interface LocalStroke {
  readonly stroke: number;
  readonly color: number;
  readonly width: number;
  readonly pressure: boolean;
  /** Absolute points, as drawn. */
  readonly points: Point[];
  /** Points already put into ops. */
  sent: number;
  /** Outbox uid of the Begin. */
  readonly beginUid: number;
  /** Outbox uid of the End, 0 while drawing. */
  endUid: number;
}

export interface StrokeStyle {
  readonly color: number;
  readonly width: number;
  readonly pressure: boolean;
}

/** normalizePoint rounds and clamps a board point; p is kept only with pressure. */
export function normalizePoint(x: number, y: number, p: number, pressure: boolean): Point {
  return { x: clampCoord(Math.round(x)), y: clampCoord(Math.round(y)), p: pressure ? p : 0 };
}

/** beginOp is the Begin of a stroke whose first point is first. */
export function beginOp(stroke: number, style: StrokeStyle, first: Point): Op {
  return {
    type: 'begin',
    stroke,
    tool: TOOL_PEN,
    pressure: style.pressure,
    color: style.color,
    width: style.width,
    points: toDeltas([first]),
  };
}

/**
 * accepts reports whether p should follow last in a stroke of n points: not
 * at the same place as last, and the stroke not full.
 */
export function accepts(last: Point | undefined, p: Point, n: number): boolean {
  if (n >= MAX_STROKE_POINTS) return false;
  return !last || last.x !== p.x || last.y !== p.y;
}

/** pointsOps returns the Points ops carrying the points of s not yet sent. */
export function pointsOps(s: LocalStroke): Op[] {
  if (s.sent >= s.points.length || s.sent === 0) return [];
  const deltas = toDeltas(s.points.slice(s.sent), s.points[s.sent - 1]);
  return chunk(deltas).map((points) => ({ type: 'points', pressure: s.pressure, points }));
}
