// The ops that restyle and reorder strokes, and their inverses. Pure: the
// Arranger (edit/arrange) and undo (edit/history) build ops here.
//
//	action            undo sends                       redo sends
//	restyle S         a Restyle per former style       a Restyle per new style
//	order S (where)   an Order "above" per run of S    the Order again
//
// A restyle is undone stroke by stroke to what each was (strokes differ),
// grouped so that strokes that were alike share an op. An order is undone
// by putting each run of S (strokes adjacent in z-order before it) back
// above the stroke that was right beneath the run: strokes others drew or
// reordered meanwhile keep their places (PROTOCOL.md "Order").

import { reorder } from '../protocol/order';
import {
  MAX_STROKES_PER_OP,
  PART_ALPHA,
  PART_FILL,
  PART_RGB,
  PART_WIDTH,
  TOOL_ELLIPSE,
  TOOL_ERASER,
  TOOL_IMAGE,
  TOOL_RECT,
  WHERE_ABOVE,
  WHERE_BACK,
  type Op,
  type StrokeId,
} from '../protocol/types';

/** StyleValues are the parts of a stroke's style a Restyle sets. */
export interface StyleValues {
  readonly color: number;
  readonly width: number;
  readonly filled: boolean;
}

/** StyleChange is one stroke's style before and after a restyle. */
export interface StyleChange {
  readonly id: StrokeId;
  readonly before: StyleValues;
  readonly after: StyleValues;
}

/** OrderRun is a run of strokes adjacent in z-order and the stroke right beneath it ({0, 0}: the bottom). */
export interface OrderRun {
  readonly anchor: StrokeId;
  readonly strokes: readonly StrokeId[];
}

export const BOTTOM: StrokeId = { author: 0, stroke: 0 };

function chunks<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += MAX_STROKES_PER_OP) out.push(xs.slice(i, i + MAX_STROKES_PER_OP));
  return out;
}

/**
 * shownParts is what of a stroke's style shows, by its tool byte
 * (PROTOCOL.md tools): the parts (PART_*) a restyle changes and the style
 * menu offers (ui/style selectionParts). An image paints with its alpha
 * only; a partial eraser's stroke is an erasure, painted fully opaque
 * whatever its color, so only its width shows; fill is for rectangles and
 * ellipses.
 */
export function shownParts(tool: number): number {
  if (tool === TOOL_IMAGE) return PART_ALPHA;
  if (tool === TOOL_ERASER) return PART_WIDTH;
  return PART_RGB | PART_ALPHA | PART_WIDTH | (tool === TOOL_RECT || tool === TOOL_ELLIPSE ? PART_FILL : 0);
}

/** restyled returns v with the parts of the style parts names taken from to. */
export function restyled(v: StyleValues, parts: number, to: StyleValues, fillable: boolean): StyleValues {
  let color = v.color;
  if (parts & PART_RGB) color = ((to.color & ~0xff) | (color & 0xff)) >>> 0;
  if (parts & PART_ALPHA) color = ((color & ~0xff) | (to.color & 0xff)) >>> 0;
  return {
    color,
    width: parts & PART_WIDTH ? to.width : v.width,
    filled: parts & PART_FILL && fillable ? to.filled : v.filled,
  };
}

/** restyleOps builds the Restyle ops that give each stroke its style (parts only), one per distinct style. */
export function restyleOps(parts: number, styles: ReadonlyArray<{ readonly id: StrokeId; readonly v: StyleValues }>): Op[] {
  const groups = new Map<string, { v: StyleValues; ids: StrokeId[] }>();
  for (const { id, v } of styles) {
    const key = [parts & PART_RGB ? v.color >>> 8 : '', parts & PART_ALPHA ? v.color & 0xff : '', parts & PART_WIDTH ? v.width : '', parts & PART_FILL ? v.filled : ''].join(':');
    const g = groups.get(key);
    if (g) g.ids.push(id);
    else groups.set(key, { v, ids: [id] });
  }
  const ops: Op[] = [];
  for (const { v, ids } of groups.values()) {
    for (const strokes of chunks(ids)) {
      ops.push({
        type: 'restyle',
        strokes,
        parts,
        color: parts & (PART_RGB | PART_ALPHA) ? v.color : 0,
        width: parts & PART_WIDTH ? v.width : 0,
        filled: parts & PART_FILL ? v.filled : false,
      });
    }
  }
  return ops;
}

/**
 * orderRuns returns the runs of the named strokes in order (ids in z-order,
 * bottom first): what undoing an Order of them puts back.
 */
export function orderRuns(order: readonly StrokeId[], named: ReadonlySet<string>): OrderRun[] {
  const runs: { anchor: StrokeId; strokes: StrokeId[] }[] = [];
  let below = BOTTOM;
  let open = false;
  for (const id of order) {
    if (!named.has(id.author + ':' + id.stroke)) {
      below = id;
      open = false;
      continue;
    }
    if (open) runs[runs.length - 1].strokes.push(id);
    else runs.push({ anchor: below, strokes: [id] });
    open = true;
  }
  return runs;
}

/** undoOrderOps puts runs back: one Order "above" per run (and per protocol-sized part of one), bottom run first. */
export function undoOrderOps(runs: readonly OrderRun[]): Op[] {
  const ops: Op[] = [];
  for (const run of runs) {
    let anchor = run.anchor;
    for (const strokes of chunks(run.strokes)) {
      ops.push({ type: 'order', strokes, where: WHERE_ABOVE, anchor });
      anchor = strokes[strokes.length - 1];
    }
  }
  return ops;
}

/** orderOps builds an Order of ids (in z-order) to where, split at the protocol's limit so that they keep their order. */
export function orderOps(ids: readonly StrokeId[], where: number): Op[] {
  const parts = chunks(ids);
  // To the back, the topmost part first: each next one goes beneath it.
  if (where === WHERE_BACK) parts.reverse();
  return parts.map((strokes) => ({ type: 'order', strokes, where, anchor: BOTTOM }));
}

/** orderChanges reports whether an Order of the named strokes to where would change order (ids in z-order). */
export function orderChanges(order: readonly StrokeId[], hidden: ReadonlySet<string>, named: ReadonlySet<string>, where: number): boolean {
  const items = order.map((id) => ({ key: id.author + ':' + id.stroke, hidden: hidden.has(id.author + ':' + id.stroke) }));
  const set = new Set(items.filter((it) => named.has(it.key)));
  const out = reorder(items, set, where, null);
  return out.some((it, i) => it !== items[i]);
}
