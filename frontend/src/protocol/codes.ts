// Close and notice codes, one for one with canvas/codes.go (PROTOCOL.md
// "Close codes" and "Server messages"). The shared test vectors list every
// code by its Go name; test/vectors.test.ts fails until this file has the
// same names (CloseGoingAway here is CLOSE_GOING_AWAY) with the same numbers.

/** Server: shutting down; reconnect with backoff. */
export const CLOSE_GOING_AWAY = 1001;
/** Server: a text frame; only binary frames are protocol. */
export const CLOSE_UNSUPPORTED = 1003;
/** Never sent: a connection that ended without a close frame (dropped, or never opened) reports it. */
export const CLOSE_ABNORMAL = 1006;
/** Server: a frame larger than the server reads. */
export const CLOSE_TOO_LARGE = 1009;
/** Server: an internal error; reconnect with backoff. */
export const CLOSE_INTERNAL = 1011;
/** Server: the board's history was lost and restarted under a new epoch; reconnect. */
export const CLOSE_RESET = 1012;
/** Server: the board's storage is unreachable, or the board is at its limit of people; reconnect later. */
export const CLOSE_TRY_AGAIN = 1013;
/** Server: a newer connection resumed this author; the newer one is live. */
export const CLOSE_REPLACED = 4000;
/** Server: the page read too slowly (its send queue filled, or it did not read the board in time); it reconnects. */
export const CLOSE_SLOW = 4008;
/** Server: a malformed frame; the op the server refused is dropped on reconnect. */
export const CLOSE_MALFORMED = 4400;
/** Server: an op before Hello, or a second Hello. */
export const CLOSE_OUT_OF_ORDER = 4401;
/** Server: an op from a read-only (view link) connection. */
export const CLOSE_READ_ONLY = 4403;
/** Server: an op index ahead of what the room holds; reconnect, Welcome says where to resume. */
export const CLOSE_GAP = 4409;
/** Server: an op after the connection's embed token expired: reconnecting with the same token is refused. */
export const CLOSE_EXPIRED = 4410;
/** Server: an unsupported protocol version; reload. */
export const CLOSE_VERSION = 4426;
/** Server: sent faster than the rate limits for too long, after NOTICE_RATE_LIMITED. */
export const CLOSE_RATE_LIMITED = 4429;
/** Client: the server sent a frame the client could not decode, or skipped a sequence number. */
export const CLOSE_BAD_SERVER_FRAME = 4502;

/** The board's storage is unreachable: ops cannot be acknowledged; the client keeps what it draws. */
export const NOTICE_PAUSED = 1;
/** The storage is back: ops sent meanwhile will now be acknowledged. */
export const NOTICE_RESUMED = 2;
/** A big board is on its way (alone in a frame before the Welcome): wait for it, the server times slow readers out itself. */
export const NOTICE_LOADING = 3;
/** A hint: an op was refused because this page may not send it (a removal, or its undo, by someone not a moderator); the server numbered an End in its place. */
export const NOTICE_FORBIDDEN = 403;
/** A hint: an op was refused because the board is full (the server numbered an End in its place). */
export const NOTICE_BOARD_FULL = 413;
/** A hint: the client sends faster than the rate limits; the message says for how long. */
export const NOTICE_RATE_LIMITED = 429;
