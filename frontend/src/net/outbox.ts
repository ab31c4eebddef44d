// The outbox: this author's ops the room has not yet been seen to apply, in
// order. Entry k has the wire index base + k (PROTOCOL.md: an op's index is
// its position among all ops this author ever sent to the room; indices are
// not on the wire, the server counts them).
//
// An op leaves the outbox when it comes back from the server (ackTo), when
// a Welcome says the room already holds it (welcome), or when the server
// refused it as malformed (dropHead). Ops not yet sent on the current
// connection may be merged: the points of a stroke drawn offline travel in
// few ops (a Trace into the Trace before it; PointsP into the Begin or
// PointsP before it; a Trace does not merge into its Begin, which keeps
// the stroke's first point: Begin and one Trace cost fewer bytes than a
// Begin carrying every point as deltas).

import { MAX_POINTS_PER_OP, type Op } from '../protocol/types';

export interface OutboxEntry {
  /** Names the entry for the life of the page; never reused. */
  readonly uid: number;
  readonly op: Op;
}

interface Slot {
  uid: number;
  op: Op;
  sent: boolean;
}

export class Outbox {
  private slots: Slot[] = [];
  private start = 0; // slots[start] is the head; the rest before it are gone
  private baseIndex = 0;
  private nextUid = 1;

  /** base is the wire index of the head entry (and of the next op if empty). */
  get base(): number {
    return this.baseIndex;
  }

  /** length is the number of ops not yet acknowledged. */
  get length(): number {
    return this.slots.length - this.start;
  }

  /** entries returns the pending ops, head first. */
  entries(): OutboxEntry[] {
    return this.slots.slice(this.start).map((s) => ({ uid: s.uid, op: s.op }));
  }

  /** headUid is the uid of the head entry, or the next uid when empty. */
  headUid(): number {
    return this.length > 0 ? this.slots[this.start].uid : this.nextUid;
  }

  /** has reports whether the entry named uid is still pending. */
  has(uid: number): boolean {
    return this.length > 0 && uid >= this.slots[this.start].uid && uid < this.nextUid;
  }

  /**
   * push appends op and returns the uid of the entry holding it. Points for
   * a stroke whose last op is still unsent are merged into that op.
   */
  push(op: Op): number {
    const tail = this.length > 0 ? this.slots[this.slots.length - 1] : undefined;
    if (tail && !tail.sent && op.type === 'points') {
      const t = tail.op;
      if ((t.type === 'begin' || t.type === 'points') && t.pressure === op.pressure &&
          t.points.length + op.points.length <= MAX_POINTS_PER_OP) {
        tail.op = { ...t, points: t.points.concat(op.points) };
        return tail.uid;
      }
    }
    // A Trace op's residuals continue from the stroke's points before it,
    // which are the same whether they came in this op or the one before.
    if (tail && !tail.sent && op.type === 'trace' && tail.op.type === 'trace' &&
        tail.op.residuals.length + op.residuals.length <= MAX_POINTS_PER_OP) {
      tail.op = { type: 'trace', residuals: tail.op.residuals.concat(op.residuals) };
      return tail.uid;
    }
    const uid = this.nextUid++;
    this.slots.push({ uid, op, sent: false });
    return uid;
  }

  /** takeUnsent returns the ops not yet sent on this connection and marks them sent. */
  takeUnsent(): Op[] {
    const out: Op[] = [];
    for (let i = this.start; i < this.slots.length; i++) {
      const s = this.slots[i];
      if (!s.sent) {
        s.sent = true;
        out.push(s.op);
      }
    }
    return out;
  }

  /** disconnected marks every entry unsent: a new connection sends them again. */
  disconnected(): void {
    for (let i = this.start; i < this.slots.length; i++) this.slots[i].sent = false;
  }

  /**
   * ackTo drops the entries whose index is below applied (the room's count
   * of this author's ops) and returns how many it dropped.
   */
  ackTo(applied: number): number {
    let n = 0;
    while (this.baseIndex < applied && this.length > 0) {
      this.shift();
      this.baseIndex++;
      n++;
    }
    if (this.length === 0 && this.baseIndex < applied) this.baseIndex = applied;
    return n;
  }

  /**
   * welcome applies a Welcome's applied count: entries below it are in the
   * room already; the rest will be sent again, the first with index applied.
   * dropHead removes the first of those too, without it taking an index (the
   * server refused it as malformed). Returns how many entries were dropped.
   */
  welcome(applied: number, dropHead: boolean): number {
    let n = this.ackTo(applied);
    // A base above applied would mean the room lost ops it had acknowledged;
    // the server numbers what we send from applied, so follow it.
    this.baseIndex = applied;
    if (dropHead && this.length > 0) {
      this.shift();
      n++;
    }
    return n;
  }

  /**
   * restore refills an empty outbox with ops an earlier page of this author
   * left unsent, the first with index base, and returns their uids.
   */
  restore(base: number, ops: readonly Op[]): number[] {
    this.reset(base);
    return ops.map((op) => {
      const uid = this.nextUid++;
      this.slots.push({ uid, op, sent: false });
      return uid;
    });
  }

  /** reset drops everything; the next op gets index base. */
  reset(base: number): void {
    this.slots = [];
    this.start = 0;
    this.baseIndex = base;
  }

  private shift(): void {
    this.start++;
    if (this.start > 1024 && this.start * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.start);
      this.start = 0;
    }
  }
}
