// Our own resizes and turns shown before the room echoes them: the pending
// Moves, Transforms and Rotates (edit/pending) folded, in the order sent,
// over the strokes a pending Transform or Rotate names, with the very
// arithmetic the board applies (protocol/transform, protocol/rotate). When
// the echo comes, the board holds what was shown and the outbox no longer
// has the op, so nothing jumps. Pure; inputs never changed.

import type { Stroke } from '../protocol/board';
import { clampCoord } from '../protocol/delta';
import { rotated } from '../protocol/rotate';
import { scaleCoord } from '../protocol/transform';
import { MAX_WIDTH, SCALE_ONE, TOOL_TEXT } from '../protocol/types';
import type { Reshape } from './pending';

/** Folding is one stroke to fold over: shown under key; ops up to uid after are in it already (a local copy's last op). */
export interface Folding {
  readonly key: string;
  readonly stroke: Stroke;
  readonly after: number;
}

/** The last fold, reused while neither the pending ops nor the strokes changed (a frame each while a handle is dragged). */
let last: { reshapes: readonly Reshape[]; in: readonly Folding[]; out: Stroke[] } | null = null;

/** fold returns each stroke of items with the reshapes after its own `after` applied, in the order of items. */
export function fold(items: readonly Folding[], reshapes: readonly Reshape[]): Stroke[] {
  if (last && last.reshapes === reshapes && last.in.length === items.length && last.in.every((f, i) => f.stroke === items[i].stroke && f.key === items[i].key && f.after === items[i].after)) {
    return last.out;
  }
  const cur = new Map<string, { s: Stroke; after: number }>();
  for (const f of items) cur.set(f.key, { s: f.stroke, after: f.after });
  for (const r of reshapes) {
    // A Set: an op naming 1,000 strokes checked by a list was half a
    // million comparisons per pending op per frame while a handle moved.
    const set = new Set<{ s: Stroke; after: number }>();
    for (const id of r.op.strokes) {
      const m = cur.get(id.author + ':' + id.stroke);
      if (m && m.after < r.uid) set.add(m);
    }
    if (set.size === 0) continue;
    const members = [...set];
    const op = r.op;
    switch (op.type) {
      case 'move':
        for (const m of members) m.s = { ...m.s, points: m.s.points.map((p) => ({ x: clampCoord(p.x + op.dx), y: clampCoord(p.y + op.dy), p: p.p })) };
        break;
      case 'rotate':
        for (const m of members) m.s = rotated(m.s, op);
        break;
      case 'transform': {
        let minX = Infinity;
        let minY = Infinity;
        let maxX = -Infinity;
        let maxY = -Infinity;
        for (const m of members) {
          for (const p of m.s.points) {
            minX = Math.min(minX, p.x);
            maxX = Math.max(maxX, p.x);
            minY = Math.min(minY, p.y);
            maxY = Math.max(maxY, p.y);
          }
        }
        const mx = minX + maxX;
        const my = minY + maxY;
        for (const m of members) {
          const s = m.s;
          m.s = {
            ...s,
            points: s.points.map((p) => ({ x: scaleCoord(p.x, mx, op.sx, op.dx), y: scaleCoord(p.y, my, op.sy, op.dy), p: p.p })),
            width: s.tool === TOOL_TEXT ? Math.max(1, Math.min(MAX_WIDTH, Math.floor((s.width * Math.abs(op.sy) + SCALE_ONE / 2) / SCALE_ONE))) : s.width,
          };
        }
        break;
      }
    }
  }
  const out = items.map((f) => cur.get(f.key)?.s ?? f.stroke);
  last = { reshapes, in: items.slice(), out };
  return out;
}
