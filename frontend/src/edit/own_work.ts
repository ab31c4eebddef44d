// Our own work the room has not confirmed yet, as the Editor keeps it: the
// strokes, shapes and texts we made (local copies, edit/local) until the
// room applies their last op, what our ops still in the outbox do to the
// board shown (edit/pending), and the numbers our next strokes take. The
// Editor's gestures add to it; the room's acks and welcomes retire from it.

import type { SyncCore } from '../net/sync';
import type { Board } from '../protocol/board';
import type { Op } from '../protocol/types';
import type { LocalItem } from './local';
import { NO_PENDING, pendingView, type PendingView } from './pending';
import { restoredItems } from './restored';

/** The ops whose pending effect is shown at once (edit/pending): pushing one works that out again. */
const SHOWN_PENDING: ReadonlySet<Op['type']> = new Set<Op['type']>(['erase', 'restore', 'clear', 'move', 'unsweep', 'remove', 'transform', 'rotate']);

export class OwnWork {
  /**
   * Our items not yet confirmed, bottom first. A new array whenever one
   * goes (caches key on it), pushed to in place when one comes.
   */
  items: LocalItem[] = [];
  /** The same items by stroke number. */
  readonly byN = new Map<number, LocalItem>();
  /** What our ops in the outbox do to the board shown. */
  pending: PendingView = NO_PENDING;
  private next = 1;

  constructor(private readonly sync: SyncCore) {}

  /** newStroke returns the number our next stroke, shape, text or sweep takes. */
  newStroke(): number {
    return this.next++;
  }

  add(l: LocalItem): void {
    this.items.push(l);
    this.byN.set(l.stroke, l);
  }

  drop(l: LocalItem): void {
    this.items = this.items.filter((x) => x !== l);
    if (this.byN.get(l.stroke) === l) this.byN.delete(l.stroke);
  }

  /** pushed says op went into the outbox; it returns whether what is pending changed. */
  pushed(op: Op): boolean {
    if (!SHOWN_PENDING.has(op.type)) return false;
    this.refresh();
    return true;
  }

  /** refresh works out what is pending again from the outbox. */
  refresh(): void {
    this.pending = pendingView(this.sync.outbox.entries());
  }

  /**
   * retire forgets the items whose last op the room has applied (the board
   * shows them now), keeping current, the one being drawn.
   */
  retire(current: LocalItem | undefined): void {
    const ob = this.sync.outbox;
    const keep = this.items.filter((l) => l === current || (l.lastUid !== 0 && ob.has(l.lastUid)));
    if (keep.length !== this.items.length) {
      for (const l of this.items) if (!keep.includes(l) && this.byN.get(l.stroke) === l) this.byN.delete(l.stroke);
      this.items = keep;
    }
    if (this.pending !== NO_PENDING) this.refresh();
  }

  /** restore shows ops an earlier page left unsent (with their outbox uids) until the room has them. */
  restore(ops: readonly Op[], uids: readonly number[]): void {
    const { items, maxStroke } = restoredItems(ops, uids);
    for (const l of items) this.add(l);
    this.advance(this.sync.board);
    this.next = Math.max(this.next, maxStroke + 1);
    this.refresh();
  }

  /** advance numbers our next strokes after those of ours b holds, and after our sweeps (they take numbers from the same count). */
  advance(b: Board): void {
    const me = this.sync.author;
    if (me === 0) return;
    for (const s of b.strokes) {
      if (s.author === me && s.stroke >= this.next) this.next = s.stroke + 1;
      if (s.sweptBy === me && s.sweptN >= this.next) this.next = s.sweptN + 1;
    }
  }

  /** reset forgets it all (the room's board was reset). */
  reset(): void {
    this.items = [];
    this.byN.clear();
    this.pending = NO_PENDING;
    this.next = 1;
  }
}
