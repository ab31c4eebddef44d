// Reconnect delays: exponential backoff with full jitter (a uniformly random
// delay between 0 and min(cap, base * 2^attempt)), so a room full of
// clients that lost the same server does not come back in one wave.

export interface BackoffOptions {
  /** Delay bound of the first retry, in ms. Default 250. */
  readonly base?: number;
  /** Largest delay bound, in ms. Default 10 000. */
  readonly cap?: number;
}

export const BACKOFF_BASE_MS = 250;
export const BACKOFF_CAP_MS = 10_000;

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
