// A stroke's extent, worked out once and kept on the stroke itself. A big
// board's arrival asks for every stroke's bounds several times (the
// landing's fit, the layer's list of what it drew, the index, what the
// screen crosses): kept in a WeakMap, its lookups cost more than the
// extents themselves; kept on the object, a read is a property load.
//
// The property is not enumerable: a copy made by spreading a stroke (a
// move, a restyle) does not take it (nor keep the old stroke alive through
// it), and neither JSON nor a deep comparison sees it; it names the stroke
// it belongs to and the points it counted, so an extent is never read for
// another object or for a stroke that grew.
//
// A snapshot's decoder keeps the extents of its strokes that are their
// points' box grown by the width (freehand, lines, rectangles, ellipses;
// not turned) another way: defining a property that is not enumerable costs
// more than making the stroke, 100,000 times over on a big board. It puts
// a plain property on each stroke's points array (an array the decoder
// made and that nothing else holds; JSON and a spread of the stroke do not
// see an array's named properties), naming the width and the number of
// points it was worked out for. A stroke that shares that array (a copy
// made by spreading it: a restyle) takes it only while its width, its
// rotation (none) and its points' number are those; a move makes new
// points, without it.

import type { Rect } from './bounds';
import { strokeExtent, type StrokeGeom } from './shape';
import { TOOL_ARROW, TOOL_IMAGE, TOOL_TEXT } from '../protocol/types';
import { isPending, keepOnScaled, keptOnScaled, pointCount } from '../protocol/scaled_stroke';

interface Kept {
  readonly of: object;
  readonly n: number;
  readonly r: Rect;
}

const KEY = '__sketchpadExtent';

type Keeps = { [KEY]?: Kept };

/** What a snapshot's decoder keeps on a stroke's points array: the extent for that width and that many points. */
interface KeptOnPoints {
  readonly n: number;
  readonly w: number;
  readonly r: Rect;
}

const POINTS_KEY = 'sketchpadExtent';

type PointsKeep = { [POINTS_KEY]?: KeptOnPoints };

/**
 * keepDecodedExtent keeps r, the extent of a stroke of width w whose
 * points are points (no text, arrow or image; not turned), on points.
 * Only for an array its caller made (the snapshot's decoder).
 */
export function keepDecodedExtent(points: readonly unknown[], w: number, r: Rect): void {
  (points as PointsKeep)[POINTS_KEY] = { n: points.length, w, r };
}

/** onPoints returns the extent a decoder kept on the points of s, if it is the extent of s. */
function onPoints(s: StrokeGeom): Rect | undefined {
  // A stroke our pending resize scaled has no decoded points, and reading them would make them (protocol/scaled_stroke).
  if (isPending(s)) return undefined;
  const k = (s.points as PointsKeep)[POINTS_KEY];
  if (k === undefined || k.n !== s.points.length || k.w !== s.width || s.rot) return undefined;
  return s.tool === TOOL_TEXT || s.tool === TOOL_ARROW || s.tool === TOOL_IMAGE ? undefined : k.r;
}

/** keptExtent returns strokeExtent(s), worked out once for each length of s. */
export function keptExtent(s: StrokeGeom): Rect {
  const known = knownExtent(s);
  if (known !== undefined) return known;
  const r = strokeExtent(s);
  keepExtent(s, r);
  return r;
}

/** keepExtent keeps r as the extent of s (strokeExtent(s)) on s, for its present length. */
function keepExtent(s: StrokeGeom, r: Rect): void {
  if (keepOnScaled(s, r)) return;
  const kept: Kept = { of: s, n: pointCount(s), r };
  if (Object.prototype.hasOwnProperty.call(s, KEY)) (s as Keeps)[KEY] = kept;
  else Object.defineProperty(s, KEY, { value: kept, writable: true, configurable: true, enumerable: false });
}

/** knownExtent returns the extent kept on s for its present length, or undefined. */
export function knownExtent(s: StrokeGeom): Rect | undefined {
  const scaled = keptOnScaled(s);
  if (scaled !== undefined) return scaled ?? undefined;
  const d = onPoints(s);
  if (d !== undefined) return d;
  const k = (s as Keeps)[KEY];
  return k !== undefined && k.of === s && k.n === pointCount(s) ? k.r : undefined;
}
