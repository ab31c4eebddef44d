// This person's view on its way out (PROTOCOL.md "View"): what a follower
// mirrors. Sent when it changes, at most once a VIEW_SEND_MS (the server
// relays at its cursor pace anyway), and only while someone else is on the
// board to follow it; again when someone joins, so a new follower has it
// without waiting for a pan. No DOM here: unit tests run it.

import { clampCoord } from '../protocol/delta';
import { MAX_VIEW_SPAN, type ViewMsg } from '../protocol/types';
import { screenRect, type View } from '../geometry/view';

/** How often this person's view may go out: the server's cursor interval. */
export const VIEW_SEND_MS = 40;

/** viewMsg is the View message for view v on a w × h CSS pixel screen: its board rectangle's center and size. */
export function viewMsg(v: View, w: number, h: number): ViewMsg {
  const r = screenRect(v, w, h);
  const span = (n: number) => Math.min(MAX_VIEW_SPAN, Math.max(1, Math.round(n)));
  return {
    type: 'view',
    x: clampCoord(Math.round((r.minX + r.maxX) / 2)),
    y: clampCoord(Math.round((r.minY + r.maxY) / 2)),
    w: span(r.maxX - r.minX),
    h: span(r.maxY - r.minY),
  };
}

export class ViewOut {
  private last: ViewMsg | null = null;
  private sentAt = -Infinity;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** again makes the next flush send the view even if it did not change (someone joined, a reconnect). */
  again(): void {
    this.last = null;
  }

  /**
   * flush sends m if it differs from the last view sent and the interval
   * has passed (others: someone else is on the board; send false: not
   * live). It returns true when a changed view waits for the interval: the
   * caller flushes again on a later frame.
   */
  flush(m: ViewMsg, others: boolean, send: (m: ViewMsg) => boolean): boolean {
    if (!others) return false;
    const l = this.last;
    if (l && l.x === m.x && l.y === m.y && l.w === m.w && l.h === m.h) return false;
    const t = this.now();
    if (t - this.sentAt < VIEW_SEND_MS) return true;
    if (send(m)) {
      this.last = m;
      this.sentAt = t;
    }
    return false;
  }
}

/** fitView is the view that shows the board rectangle of m (a leader's view) whole on a w × h screen, centered. */
export function fitView(m: { x: number; y: number; w: number; h: number }, w: number, h: number): View {
  const scale = Math.min(w / m.w, h / m.h);
  return { scale, x: w / 2 - m.x * scale, y: h / 2 - m.y * scale };
}
