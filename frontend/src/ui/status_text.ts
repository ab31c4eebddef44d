// What the connection indicator says, as a pure function of the state.

import { CLOSE_EXPIRED, CLOSE_SLOW, NOTICE_PAUSED, NOTICE_RESUMED } from '../protocol/codes';

export type StatusView =
  | { readonly state: 'connecting'; readonly resync: boolean }
  | { readonly state: 'live' }
  /** code: the close code of the connection that ended, when known. */
  | { readonly state: 'offline'; readonly retryAt: number; readonly code?: number }
  | { readonly state: 'reload' }
  | { readonly state: 'stopped'; readonly code: number; readonly reason?: string };

/** What the indicator says while the room has paused drawing (Notice 1). */
export const PAUSED_TEXT =
  "Drawing paused — the board's storage is unreachable. What you draw is kept and will be sent when it is back.";

/** What is flashed beside the indicator when the room resumes (Notice 2). */
export const RESUMED_NOTE = 'Drawing resumed — what you drew is being sent.';

/**
 * statusText is what the indicator says for v at time now (ms since the
 * epoch). paused (the room's storage is unreachable) shows while live; when
 * the connection itself is down, that is what the indicator says.
 */
export function statusText(v: StatusView, now: number, paused = false): string {
  switch (v.state) {
    case 'connecting':
      return v.resync ? 'resyncing…' : 'connecting…';
    case 'live':
      return paused ? PAUSED_TEXT : 'live';
    case 'offline': {
      // 4008: the server dropped this page for reading too slowly (its
      // queue filled, or it took too long to load the board): the network
      // is there, only too slow, and saying "offline" would be untrue.
      const why = v.code === CLOSE_SLOW ? 'connection too slow' : 'offline';
      return `${why} — reconnecting in ${Math.max(0, Math.ceil((v.retryAt - now) / 1000))}s`;
    }
    case 'reload':
      return 'This page is out of date — please reload';
    case 'stopped':
      return v.reason ?? (v.code === CLOSE_EXPIRED ? 'Access to this board has expired' : 'Disconnected');
  }
}

/**
 * noticeNote is what to flash beside the indicator for a server Notice, or
 * null for nothing: a pause is shown by the indicator itself, for as long as
 * it lasts; a resume gets a short note; other codes are hints shown as sent.
 */
export function noticeNote(m: { readonly code: number; readonly message: string }): string | null {
  if (m.code === NOTICE_PAUSED) return null;
  if (m.code === NOTICE_RESUMED) return RESUMED_NOTE;
  return m.message === '' ? null : m.message;
}
