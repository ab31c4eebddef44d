// Resizing the selection by a corner handle: the opposite corner stays
// where it is. While the handle is dragged, each frame sends Transform ops
// (one per protocol-sized part of the selection) that take the strokes from
// where the last ones left them to where the pointer says, so everyone sees
// the resize live; at the end the whole resize is one undo step. DOM-free.
//
// A Transform scales about the center of its strokes' own box (PROTOCOL.md
// "Transform"); a scale about the anchor A is the same scale about the
// center C with the translation (A − C)(1 − s). Each part of the selection
// keeps its own center, so the parts of a big selection stay together.

import { MAX_SCALE, MAX_STROKES_PER_OP, SCALE_ONE, type Op, type StrokeId } from '../protocol/types';
import { inverseScale } from '../protocol/transform';

interface XY {
  readonly x: number;
  readonly y: number;
}

/** A part of the selection: its strokes and its box's center (board units, as the strokes are now). */
interface Part {
  readonly ids: readonly StrokeId[];
  cx: number;
  cy: number;
  /** What the ops sent so far added up to: translation. */
  tx: number;
  ty: number;
}

/** The box a selection is never resized below (board units: a CSS pixel at 100 %). */
const MIN_SIZE = 4;

export class ResizeGesture {
  private readonly parts: Part[];
  /** The scale the ops sent so far applied, as a number (1: none). */
  private appliedX = 1;
  private appliedY = 1;
  private wantX = 1;
  private wantY = 1;

  /**
   * anchor is the corner that stays, handle the one dragged; centerOf
   * returns the center of a part's box (its points, where the room will
   * have them when our ops reach it).
   */
  constructor(
    readonly ids: readonly StrokeId[],
    private readonly anchor: XY,
    private readonly handle: XY,
    centerOf: (ids: readonly StrokeId[]) => XY,
  ) {
    this.parts = [];
    for (let i = 0; i < ids.length; i += MAX_STROKES_PER_OP) {
      const part = ids.slice(i, i + MAX_STROKES_PER_OP);
      const c = centerOf(part);
      this.parts.push({ ids: part, cx: c.x, cy: c.y, tx: 0, ty: 0 });
    }
  }

  /** to sets where the handle is dragged to; keep (Shift) keeps the proportions. */
  to(p: XY, keep: boolean): void {
    const a = this.anchor;
    const w = this.handle.x - a.x;
    const h = this.handle.y - a.y;
    let sx = w === 0 ? 1 : (p.x - a.x) / w;
    let sy = h === 0 ? 1 : (p.y - a.y) / h;
    if (keep) {
      const s = Math.max(Math.abs(sx), Math.abs(sy));
      sx = Math.sign(sx || 1) * s;
      sy = Math.sign(sy || 1) * s;
    }
    this.wantX = limit(sx, Math.abs(w));
    this.wantY = limit(sy, Math.abs(h));
  }

  /** step returns the ops that take the strokes from where the last ones left them to where the handle is; none when there. */
  step(): Op[] {
    const ix = increment(this.wantX / this.appliedX);
    const iy = increment(this.wantY / this.appliedY);
    if (ix === SCALE_ONE && iy === SCALE_ONE) return [];
    const fx = ix / SCALE_ONE;
    const fy = iy / SCALE_ONE;
    const ops: Op[] = [];
    for (const part of this.parts) {
      const dx = Math.round((this.anchor.x - part.cx) * (1 - fx));
      const dy = Math.round((this.anchor.y - part.cy) * (1 - fy));
      ops.push({ type: 'transform', strokes: part.ids, sx: ix, sy: iy, dx, dy });
      // The box's center goes where the transform takes it.
      part.cx += dx;
      part.cy += dy;
      part.tx += dx;
      part.ty += dy;
    }
    this.appliedX *= fx;
    this.appliedY *= fy;
    return ops;
  }

  /**
   * done returns the whole resize as ops (forward) and the ops that undo
   * it (the inverse about the box's center as it will be then, PROTOCOL.md
   * "Transform"); null when nothing was sent.
   */
  done(): { readonly redo: Op[]; readonly undo: Op[] } | null {
    if (this.appliedX === 1 && this.appliedY === 1) return null;
    const sx = Math.round(this.appliedX * SCALE_ONE);
    const sy = Math.round(this.appliedY * SCALE_ONE);
    const redo: Op[] = [];
    const undo: Op[] = [];
    for (const p of this.parts) {
      redo.push(...scaled(p.ids, sx, sy, p.tx, p.ty));
      undo.push(...scaled(p.ids, inverseScale(sx), inverseScale(sy), -p.tx, -p.ty));
    }
    return { redo, undo };
  }
}

/**
 * scaled returns Transform ops that scale ids by (sx, sy) (protocol units,
 * possibly beyond one op's range) and move them by (dx, dy): one op, or
 * several whose scales multiply to it (scales about the moving center
 * compose: the scales multiply, the translations add).
 */
export function scaled(ids: readonly StrokeId[], sx: number, sy: number, dx: number, dy: number): Op[] {
  const ops: Op[] = [];
  let fx = sx / SCALE_ONE;
  let fy = sy / SCALE_ONE;
  const most = MAX_SCALE / SCALE_ONE;
  do {
    const stepX = Math.abs(fx) > most ? Math.sign(fx) * most : fx;
    const stepY = Math.abs(fy) > most ? Math.sign(fy) * most : fy;
    ops.push({ type: 'transform', strokes: ids, sx: increment(stepX), sy: increment(stepY), dx: ops.length ? 0 : dx, dy: ops.length ? 0 : dy });
    fx /= stepX;
    fy /= stepY;
  } while (Math.abs(fx) > most || Math.abs(fy) > most);
  if (Math.abs(fx - 1) > 1 / SCALE_ONE || Math.abs(fy - 1) > 1 / SCALE_ONE) {
    ops.push({ type: 'transform', strokes: ids, sx: increment(fx), sy: increment(fy), dx: 0, dy: 0 });
  }
  return ops;
}

/** limit keeps a scale of a box size wide from making it smaller than MIN_SIZE (its sign kept). */
function limit(s: number, size: number): number {
  const least = size > 0 ? Math.min(1, MIN_SIZE / size) : 1;
  return Math.abs(s) < least ? (s < 0 ? -least : least) : s;
}

/** increment is a scale factor in protocol units, within the protocol's range. */
function increment(f: number): number {
  const s = Math.round(f * SCALE_ONE);
  return Math.max(-MAX_SCALE, Math.min(MAX_SCALE, s === 0 ? 1 : s));
}
