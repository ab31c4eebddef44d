// When to reconnect. Pure: the connection asks, a timer waits.
//
// A replica that dies (or restarts) drops everyone on it at the same
// moment: thousands of pages. If they all came back at once, or in
// lockstep waves, they would knock over the replicas that are left. So:
//
//   - after losing a live connection for a reason that hits everyone on the
//     server at once (close 1001 going away, 1006 dropped without a close
//     frame, 1011 internal error, 1012 restart, 1013 try again later, or a
//     socket error), the FIRST attempt waits a uniformly random time in
//     [0, 10 s): the crowd spreads evenly over ten seconds;
//   - any other loss (this connection's own trouble: 4008 too slow, 4409
//     gap, 4403 read-only, ...) and every attempt that did not get live
//     again wait with exponential backoff and full jitter: uniformly random
//     in [0, min(30 s, 1 s × 2^n)) for the n-th (0-based) failure in a row;
//   - the browser coming back online, or the person clicking "Reconnect
//     now", tries at once (the connection does that, not this module).

import { CLOSE_ABNORMAL, CLOSE_GOING_AWAY, CLOSE_INTERNAL, CLOSE_RESET, CLOSE_TRY_AGAIN } from '../protocol/codes';

export interface BackoffOptions {
  /** Delay bound of the first retry, in ms. Default 1 000. */
  readonly base?: number;
  /** Largest delay bound, in ms. Default 30 000. */
  readonly cap?: number;
}

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 30_000;
/** The first attempt after a loss that hit everyone waits uniformly in [0, SPREAD_MS). */
export const SPREAD_MS = 10_000;

/** Close codes (and 1006, a connection dropped without a close frame) that drop everyone on a server at once. */
export const SPREAD_CLOSE_CODES: readonly number[] = [CLOSE_GOING_AWAY, CLOSE_ABNORMAL, CLOSE_INTERNAL, CLOSE_RESET, CLOSE_TRY_AGAIN];

/** backoffCeiling is the largest delay for the attempt-th retry (0-based). */
export function backoffCeiling(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.base ?? BACKOFF_BASE_MS;
  const cap = opts.cap ?? BACKOFF_CAP_MS;
  // 2^attempt overflows to Infinity for large attempts; min() takes care.
  return Math.min(cap, base * Math.pow(2, Math.max(0, attempt)));
}

/** backoffDelay returns the delay before the attempt-th retry; random() is in [0, 1). */
export function backoffDelay(attempt: number, random: () => number, opts: BackoffOptions = {}): number {
  return Math.floor(random() * backoffCeiling(attempt, opts));
}

/** How a connection ended, as far as the reconnect policy cares. */
export interface Loss {
  /** The close code (1006 when the connection dropped without a close frame). */
  readonly code: number;
  /** The connection had been live (a Welcome arrived) before it closed. */
  readonly wasLive: boolean;
  /** The socket reported an error before it closed. */
  readonly error?: boolean;
}

/**
 * spreads reports whether a loss is the kind that drops everyone on a
 * server at once: a live connection lost to 1001, 1006, 1011, 1012, 1013
 * or an error.
 */
export function spreads(loss: Loss): boolean {
  return loss.wasLive && (loss.error === true || SPREAD_CLOSE_CODES.includes(loss.code));
}

/**
 * Reconnect decides the wait before each attempt, and counts the attempts
 * that failed in a row since the connection was last live.
 */
export class Reconnect {
  private next = 0;
  private failures = 0;

  constructor(
    private readonly random: () => number = Math.random,
    private readonly opts: BackoffOptions & { readonly spread?: number } = {},
  ) {}

  /** live: the connection got live; the next loss starts over. */
  live(): void {
    this.next = 0;
    this.failures = 0;
  }

  /** failuresInARow is how many attempts in a row ended without getting live. */
  get failuresInARow(): number {
    return this.failures;
  }

  /** lost returns the wait (ms) before the next attempt after loss. */
  lost(loss: Loss): number {
    if (loss.wasLive) {
      this.next = 0;
      this.failures = 0;
      if (spreads(loss)) return Math.floor(this.random() * (this.opts.spread ?? SPREAD_MS));
    } else {
      this.failures++;
    }
    return backoffDelay(this.next++, this.random, this.opts);
  }
}
