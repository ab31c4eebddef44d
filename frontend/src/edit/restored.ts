// Work an earlier page left unsent, taken over by this one (net/sync.ts
// restoreWork): its ops wait in the outbox, and until the room applies them
// the page shows them as it shows anything of ours not yet confirmed, as
// local items. Pure: the items are built by applying the ops to an empty
// board of their own.

import { Board } from '../protocol/board';
import type { Op } from '../protocol/types';
import { SELF } from './history';
import type { LocalItem } from './local';

/** ANYONE is the author the ops are applied as on the scratch board (SELF is 0, which a board does not take as an author). */
const ANYONE = 1;

/**
 * restoredItems returns the local items of the strokes, shapes and texts
 * that ops (with outbox uids) draw, and the largest stroke number they use
 * (0 if none): the page numbers its next stroke after it.
 */
export function restoredItems(ops: readonly Op[], uids: readonly number[]): { items: LocalItem[]; maxStroke: number } {
  const scratch = new Board(1n);
  const span = new Map<number, { first: number; last: number }>();
  let open = 0;
  let maxStroke = 0;
  ops.forEach((op, i) => {
    const uid = uids[i];
    switch (op.type) {
      case 'begin':
      case 'shape':
      case 'text':
      case 'image':
        span.set(op.stroke, { first: span.get(op.stroke)?.first ?? uid, last: uid });
        maxStroke = Math.max(maxStroke, op.stroke);
        open = op.type === 'begin' ? op.stroke : 0;
        break;
      case 'points':
      case 'trace':
      case 'end': {
        const s = span.get(open);
        if (s) s.last = uid;
        if (op.type === 'end') open = 0;
        break;
      }
      case 'clear':
        open = 0;
        break;
    }
    // Erase, restore and move name strokes on the real board: the page's
    // pending view shows them from the outbox. Here they change nothing.
    if (op.type !== 'erase' && op.type !== 'restore' && op.type !== 'move') scratch.apply(ANYONE, op);
  });
  const items: LocalItem[] = [];
  for (const s of scratch.strokes) {
    const sp = span.get(s.stroke);
    if (s.author !== ANYONE || !sp) continue;
    items.push({ stroke: s.stroke, shown: { ...s, author: SELF, points: s.points.slice() }, pts: null, sent: s.points.length, firstUid: sp.first, lastUid: sp.last });
  }
  return { items, maxStroke };
}
