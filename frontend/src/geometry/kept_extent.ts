// A stroke's extent, worked out once and kept on the stroke itself. A big
// board's arrival asks for every stroke's bounds several times (the
// landing's fit, the layer's list of what it drew, the index, what the
// screen crosses): kept in a WeakMap, its lookups cost more than the
// extents themselves; kept on the object, a read is a property load.
//
// The property is not enumerable: a copy made by spreading a stroke (a
// move, a restyle) does not take it, nor does JSON or a deep comparison
// see it; and it names the stroke it belongs to and the points it counted,
// so an extent is never read for another object or for a stroke that grew.

import type { Rect } from './bounds';
import { strokeExtent, type StrokeGeom } from './shape';

interface Kept {
  readonly of: object;
  readonly n: number;
  readonly r: Rect;
}

const KEY = '__sketchpadExtent';

/** keptExtent returns strokeExtent(s), worked out once for each length of s. */
export function keptExtent(s: StrokeGeom): Rect {
  const k = (s as { [KEY]?: Kept })[KEY];
  if (k !== undefined && k.of === s && k.n === s.points.length) return k.r;
  const r = strokeExtent(s);
  const kept: Kept = { of: s, n: s.points.length, r };
  if (k === undefined) Object.defineProperty(s, KEY, { value: kept, writable: true, configurable: true, enumerable: false });
  else (s as { [KEY]?: Kept })[KEY] = kept;
  return r;
}

/** knownExtent returns the extent kept on s for its present length, or undefined. */
export function knownExtent(s: StrokeGeom): Rect | undefined {
  const k = (s as { [KEY]?: Kept })[KEY];
  return k !== undefined && k.of === s && k.n === s.points.length ? k.r : undefined;
}
