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

import type { Rect } from './bounds';
import { strokeExtent, type StrokeGeom } from './shape';

interface Kept {
  readonly of: object;
  readonly n: number;
  readonly r: Rect;
}

const KEY = '__sketchpadExtent';

type Keeps = { [KEY]?: Kept };

/** keptExtent returns strokeExtent(s), worked out once for each length of s. */
export function keptExtent(s: StrokeGeom): Rect {
  const k = (s as Keeps)[KEY];
  if (k !== undefined && k.of === s && k.n === s.points.length) return k.r;
  const r = strokeExtent(s);
  keepExtent(s, r);
  return r;
}

/** keepExtent keeps r as the extent of s (strokeExtent(s), worked out by whoever made s: the snapshot's decoder). */
export function keepExtent(s: StrokeGeom, r: Rect): void {
  const kept: Kept = { of: s, n: s.points.length, r };
  if (Object.prototype.hasOwnProperty.call(s, KEY)) (s as Keeps)[KEY] = kept;
  else Object.defineProperty(s, KEY, { value: kept, writable: true, configurable: true, enumerable: false });
}

/** knownExtent returns the extent kept on s for its present length, or undefined. */
export function knownExtent(s: StrokeGeom): Rect | undefined {
  const k = (s as Keeps)[KEY];
  return k !== undefined && k.of === s && k.n === s.points.length ? k.r : undefined;
}
