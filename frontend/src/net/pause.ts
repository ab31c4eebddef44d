// Whether the room has paused drawing, as a pure function of the server
// messages seen (PROTOCOL.md, Notice codes):
//
//	Notice 1 (paused)    the board's storage is unreachable: nothing can be
//	                     acknowledged; the client keeps what it draws
//	Notice 2 (resumed)   storage is back; ops sent meanwhile will be acknowledged
//	Welcome              a new session starts unpaused; a room that is still
//	                     paused sends Notice 1 right after the Welcome
//
// Everything else leaves the state as it was, a lost connection included: the
// next Welcome (and the Notice 1 that may follow it) says how the room is.

import type { ServerMsg } from '../protocol/server';
import { NOTICE_PAUSED, NOTICE_RESUMED } from '../protocol/codes';

/** pausedAfter is the paused state after message m, given the state before it. */
export function pausedAfter(paused: boolean, m: ServerMsg): boolean {
  switch (m.type) {
    case 'welcome':
      return false;
    case 'notice':
      if (m.code === NOTICE_PAUSED) return true;
      if (m.code === NOTICE_RESUMED) return false;
      return paused;
    default:
      return paused;
  }
}
