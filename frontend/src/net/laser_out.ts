// This person's laser trail on its way out (PROTOCOL.md "Laser"): batched
// to the pace the server relays at. No DOM here: unit tests run it.

import { MAX_LASER_POINTS } from '../protocol/types';

/** How often this person's trail goes out: the server's cursor interval. */
export const LASER_SEND_MS = 40;

type Pt = { readonly x: number; readonly y: number };

/**
 * LaserOut gathers this person's laser points and sends them at most once a
 * LASER_SEND_MS (the server relays at that pace anyway), up to
 * MAX_LASER_POINTS a message: a rate a cursor's budget allows.
 */
export class LaserOut {
  private pending: { x: number; y: number }[] = [];
  private sentAt = -Infinity;

  constructor(private readonly now: () => number = () => performance.now()) {}

  push(points: readonly Pt[]): void {
    for (const p of points) this.pending.push({ x: Math.round(p.x), y: Math.round(p.y) });
    // Beyond what one message carries the oldest go: a trail only fades.
    if (this.pending.length > MAX_LASER_POINTS) this.pending.splice(0, this.pending.length - MAX_LASER_POINTS);
  }

  /** flush sends what is pending if the interval has passed (send false: not live, dropped). */
  flush(send: (points: readonly Pt[]) => boolean): void {
    const t = this.now();
    if (this.pending.length === 0 || t - this.sentAt < LASER_SEND_MS) return;
    send(this.pending);
    this.pending = [];
    this.sentAt = t;
  }
}
