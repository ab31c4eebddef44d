// Where someone's pointer is, read from what they draw. Pure.
//
// While a person draws a stroke or drags a shape, the last point of what
// they send is where their pointer is, so their page sends no cursor frame
// then (page/tool_input): one frame per animation frame instead of two, and
// the ops carry the cursor to everyone for free. A peer's page places the
// cursor from the op here.

import type { Effect } from '../protocol/board';
import { isShape, type XY } from '../protocol/types';

/** cursorOf returns where the author of an op that had effect e is pointing, or null when the op does not say. */
export function cursorOf(e: Effect): XY | null {
  switch (e.kind) {
    case 'begin':
    case 'points': {
      const pts = e.stroke.points;
      return pts.length ? { x: pts[pts.length - 1].x, y: pts[pts.length - 1].y } : null;
    }
    case 'add':
      return isShape(e.stroke.tool) && e.stroke.points.length === 2 ? { x: e.stroke.points[1].x, y: e.stroke.points[1].y } : null;
    case 'replace': {
      // A shape being dragged keeps its first corner; a Move shifts both.
      if (e.after.length !== 1 || e.before.length !== 1) return null;
      const [b, a] = [e.before[0], e.after[0]];
      if (!isShape(a.tool) || a.points.length !== 2 || b.points.length !== 2) return null;
      if (a.points[0].x !== b.points[0].x || a.points[0].y !== b.points[0].y) return null;
      return { x: a.points[1].x, y: a.points[1].y };
    }
    default:
      return null;
  }
}
