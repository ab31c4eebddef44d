// Which images a picture holds: pure, so the tests and the DOM-free
// history writer use it (render/image_fetch fetches them).

import type { Rect } from '../geometry/bounds';
import { TOOL_IMAGE } from '../protocol/types';

/** imageHashes returns the distinct images (by hash) that strokes show, in order. */
export function imageHashes(strokes: Iterable<{ readonly tool: number; readonly text: string }>): string[] {
  const out = new Set<string>();
  for (const s of strokes) if (s.tool === TOOL_IMAGE && s.text) out.add(s.text);
  return [...out];
}

interface Placed {
  readonly stroke: { readonly tool: number; readonly text: string; readonly points: ReadonlyArray<{ readonly x: number; readonly y: number }> };
  readonly dx: number;
  readonly dy: number;
}

/**
 * imagesIn returns the distinct images of items (moved by dx, dy) that
 * reach into area (all of them without one). An image's box is taken
 * with the circle about it, so a turned one is never missed.
 */
export function imagesIn(items: readonly Placed[], area?: Rect): string[] {
  if (!area) return imageHashes(items.map((it) => it.stroke));
  const out = new Set<string>();
  for (const { stroke: s, dx, dy } of items) {
    if (s.tool !== TOOL_IMAGE || !s.text || s.points.length === 0) continue;
    const [a, b] = [s.points[0], s.points[1] ?? s.points[0]];
    const cx = (a.x + b.x) / 2 + dx;
    const cy = (a.y + b.y) / 2 + dy;
    const r = Math.hypot(b.x - a.x, b.y - a.y) / 2;
    if (cx + r >= area.minX && cx - r <= area.maxX && cy + r >= area.minY && cy - r <= area.maxY) out.add(s.text);
  }
  return [...out];
}
