// What the connection indicator says, as a pure function of the state: in
// words a person drawing understands. Codes, token jargon and the server's
// own hints for developers stay out of it (the embed API and the console
// keep those).

import {
  CLOSE_EXPIRED,
  CLOSE_GOING_AWAY,
  CLOSE_RATE_LIMITED,
  CLOSE_RESET,
  CLOSE_SLOW,
  CLOSE_TRY_AGAIN,
  NOTICE_BOARD_FULL,
  NOTICE_PAUSED,
  NOTICE_RATE_LIMITED,
  NOTICE_RESUMED,
} from '../protocol/codes';

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

/** What is flashed while the server holds back a person who draws too fast (Notice 429; its message is for developers). */
export const RATE_LIMITED_NOTE = "You're drawing faster than this board allows; it catches up in a moment.";

/** What is flashed when the board refused an op for being full (Notice 413). */
export const BOARD_FULL_NOTE = 'This board is full: what you just drew was not added. Erasing or clearing makes room.';

/** offlineWhy says why a connection closed with code is being retried, for a person. */
function offlineWhy(code: number | undefined): string {
  switch (code) {
    // 4008: the server dropped this page for reading too slowly (its
    // queue filled, or it took too long to load the board): the network
    // is there, only too slow, and saying "offline" would be untrue.
    case CLOSE_SLOW:
      return 'connection too slow';
    case CLOSE_RATE_LIMITED:
      return 'you drew faster than this board allows';
    case CLOSE_TRY_AGAIN:
      return 'the board is busy';
    case CLOSE_GOING_AWAY:
    case CLOSE_RESET:
      return 'the server is restarting';
    default:
      return 'offline';
  }
}

/**
 * embedErrorText is what a person sees on an embedded board the server
 * refused (its meta tag's code: the host developer gets the exact reason
 * through the embed API, not on this person's screen).
 */
export function embedErrorText(code: string): string {
  switch (code) {
    case 'token_expired':
      return 'This board’s link has expired. Reloading the page may bring it back.';
    case 'host_not_allowed':
      return 'This site is not allowed to show this board.';
    default:
      return 'This board cannot be shown here. The site may need to reload it.';
  }
}

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
    case 'offline':
      return `${offlineWhy(v.code)} — reconnecting in ${Math.max(0, Math.ceil((v.retryAt - now) / 1000))}s`;
    case 'reload':
      return 'This page is out of date — please reload';
    case 'stopped':
      return v.reason ?? (v.code === CLOSE_EXPIRED ? 'Access to this board has expired' : 'Disconnected from the board');
  }
}

/**
 * noticeNote is what to flash beside the indicator for a server Notice, or
 * null for nothing: a pause is shown by the indicator itself, for as long as
 * it lasts; a resume gets a short note; the rate limit and a full board
 * get words of ours (the server's say "retry after 4 ms"); other codes are
 * hints shown as sent.
 */
export function noticeNote(m: { readonly code: number; readonly message: string }): string | null {
  if (m.code === NOTICE_PAUSED) return null;
  if (m.code === NOTICE_RESUMED) return RESUMED_NOTE;
  if (m.code === NOTICE_RATE_LIMITED) return RATE_LIMITED_NOTE;
  if (m.code === NOTICE_BOARD_FULL) return BOARD_FULL_NOTE;
  return m.message === '' ? null : m.message;
}
