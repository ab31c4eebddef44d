// The browser's idle-time scheduler for render/idle_slices (which is
// DOM-free, so that it runs under tests): requestIdleCallback, or a timer
// standing in for it where there is none.

import type { IdleScheduler } from './idle_slices';

/** browserIdle is requestIdleCallback, or a timer standing in for it where there is none. */
export const browserIdle: IdleScheduler = (f, timeout) => {
  if (typeof window.requestIdleCallback === 'function') {
    const id = window.requestIdleCallback(f, { timeout });
    return () => window.cancelIdleCallback(id);
  }
  const id = window.setTimeout(() => f({ didTimeout: true, timeRemaining: () => 0 }));
  return () => window.clearTimeout(id);
};
