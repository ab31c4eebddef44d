// The free area: the part of the screen the toolbar and panels leave
// uncovered, and the views that fit a drawing into it. Pure: the page
// measures its panels (screen boxes in CSS pixels) and passes them in.
//
// Each panel hangs from an edge of the screen, so the free area is found by
// cutting each panel away either across (a band at the top or bottom) or
// along (a band at the left or right), whichever leaves more room for what
// is shown: a toolbar across a phone's whole width is cut as a top band, a
// people panel in a wide window as a right band. With a handful of panels
// every combination is tried (2^n, n small).

import { isEmpty, type Rect } from './bounds';
import { BOARD_UNITS_PER_PX } from './outline';
import { FIT_MIN_ZOOM, MAX_ZOOM, type View } from './view';

/** Box is a rectangle of the screen in CSS pixels. */
export interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** MAX_OBSTACLES bounds the search (2^n candidate areas). */
const MAX_OBSTACLES = 8;

const width = (b: Box): number => Math.max(0, b.right - b.left);
const height = (b: Box): number => Math.max(0, b.bottom - b.top);

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/**
 * freeArea returns the box of a w × h screen left when every obstacle is cut
 * away (with gap pixels to spare), choosing for each obstacle the cut that
 * gives the best score (default: the largest area). Obstacles that do not
 * reach into the area, or are empty, cost nothing. If nothing is left, the
 * whole screen is returned: a view never fits into nothing.
 */
export function freeArea(w: number, h: number, obstacles: readonly Box[], gap = 8, score: (b: Box) => number = (b) => width(b) * height(b)): Box {
  const screen: Box = { left: 0, top: 0, right: w, bottom: h };
  const obs = obstacles.filter((o) => width(o) > 0 && height(o) > 0 && overlaps(o, screen)).slice(0, MAX_OBSTACLES);
  let best: Box | null = null;
  let bestScore = -Infinity;
  const visit = (area: Box, i: number): void => {
    if (width(area) <= 0 || height(area) <= 0) return;
    if (i === obs.length) {
      const s = score(area);
      if (s > bestScore || (s === bestScore && best !== null && width(area) * height(area) > width(best) * height(best))) {
        best = area;
        bestScore = s;
      }
      return;
    }
    const o = obs[i];
    if (!overlaps(o, area)) {
      visit(area, i + 1);
      return;
    }
    // Across: a band at the top or bottom, from the edge the panel is nearer.
    if ((o.top + o.bottom) / 2 < h / 2) visit({ ...area, top: Math.max(area.top, o.bottom + gap) }, i + 1);
    else visit({ ...area, bottom: Math.min(area.bottom, o.top - gap) }, i + 1);
    // Along: a band at the left or right.
    if ((o.left + o.right) / 2 < w / 2) visit({ ...area, left: Math.max(area.left, o.right + gap) }, i + 1);
    else visit({ ...area, right: Math.min(area.right, o.left - gap) }, i + 1);
  };
  visit(screen, 0);
  return best ?? screen;
}

/** fitZoom is the zoom (1 = 100 %) at which board rectangle r fills box less pad on each side. */
export function fitZoom(r: Rect, box: Box, pad: number): number {
  const bw = Math.max(1, r.maxX - r.minX);
  const bh = Math.max(1, r.maxY - r.minY);
  const aw = Math.max(1, width(box) - 2 * pad);
  const ah = Math.max(1, height(box) - 2 * pad);
  return Math.min(aw / bw, ah / bh) * BOARD_UNITS_PER_PX;
}

/**
 * fitInBox returns the view that shows board rectangle r whole, centered in
 * box, with pad CSS pixels around it, at a zoom no higher than maxZoom and no
 * lower than FIT_MIN_ZOOM (below the zoom floor of a hand zoom, so that a
 * wide board fits a phone). An empty r gives null.
 */
export function fitInBox(r: Rect, box: Box, pad = 40, maxZoom = 1): View | null {
  if (isEmpty(r) || width(box) <= 0 || height(box) <= 0) return null;
  const zoom = Math.max(FIT_MIN_ZOOM, Math.min(maxZoom, MAX_ZOOM, fitZoom(r, box, pad)));
  const scale = zoom / BOARD_UNITS_PER_PX;
  const cx = (box.left + box.right) / 2;
  const cy = (box.top + box.bottom) / 2;
  return { scale, x: cx - ((r.minX + r.maxX) / 2) * scale, y: cy - ((r.minY + r.maxY) / 2) * scale };
}

/**
 * fitFree returns the view that fits board rectangle r into the free area of
 * a w × h screen with the given obstacles: the free area is chosen for r's
 * shape (the cut that lets r show largest), then r is fitted into it.
 */
export function fitFree(r: Rect, w: number, h: number, obstacles: readonly Box[], pad = 40, maxZoom = 1): View | null {
  if (isEmpty(r)) return null;
  const box = freeArea(w, h, obstacles, 8, (b) => Math.min(maxZoom, fitZoom(r, b, pad)));
  return fitInBox(r, box, pad, maxZoom);
}

/** boardBox returns the board rectangle a screen box shows through view v. */
export function boardBox(v: View, b: Box): Rect {
  return { minX: (b.left - v.x) / v.scale, minY: (b.top - v.y) / v.scale, maxX: (b.right - v.x) / v.scale, maxY: (b.bottom - v.y) / v.scale };
}

/** shows reports whether board rectangle r, seen through v, lies whole inside box. */
export function showsWhole(v: View, r: Rect, box: Box): boolean {
  const s = boardBox(v, box);
  return r.minX >= s.minX && r.maxX <= s.maxX && r.minY >= s.minY && r.maxY <= s.maxY;
}
